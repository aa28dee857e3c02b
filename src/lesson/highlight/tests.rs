use super::*;

const PY: &str =
    "import time\n\ndef check(nonce: int) -> bool:\n    # try the next one\n    return nonce > 3\n";

fn colours(lines: &[Vec<Token>]) -> std::collections::HashSet<Rgb> {
    lines.iter().flatten().map(|t| t.fg).collect()
}

fn text(lines: &[Vec<Token>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.iter().map(|t| t.text.as_str()).collect())
        .collect()
}

#[test]
fn known_languages_get_several_colours_and_keep_the_text() {
    let samples = [
        ("python", PY),
        ("py", PY),
        ("rust", "fn main() {\n    let x: u32 = 1; // one\n}\n"),
        ("sh", "for f in *.md; do echo \"$f\"; done\n"),
        ("console", "$ cargo run --release\n"),
        ("json", "{\"demo\": \"hash\", \"workers\": 2}\n"),
        ("yaml", "name: x\ncount: 3 # three\n"),
    ];
    for (lang, code) in samples {
        let lines = highlight(code, lang, CodeTheme::Dark);
        let expected: Vec<String> = code.lines().map(str::to_string).collect();
        assert_eq!(text(&lines), expected, "{lang}");
        assert!(colours(&lines).len() >= 2, "{lang} is highlighted");
    }
}

#[test]
fn plain_and_unknown_languages_are_one_colour() {
    for lang in ["", "text", "plain", "no-such-language"] {
        let lines = highlight("def x():\n\n  pass", lang, CodeTheme::Light);
        assert_eq!(text(&lines), ["def x():", "", "  pass"], "{lang}");
        assert_eq!(colours(&lines).len(), 1, "{lang}");
        assert!(lines[1].is_empty());
    }
}

#[test]
fn themes_differ_and_high_contrast_is_readable_on_black() {
    let dark = highlight(PY, "python", CodeTheme::Dark);
    let light = highlight(PY, "python", CodeTheme::Light);
    assert_ne!(colours(&dark), colours(&light));
    let hc = highlight(PY, "python", CodeTheme::HighContrast);
    for t in hc.iter().flatten() {
        let c = Color {
            r: t.fg.0,
            g: t.fg.1,
            b: t.fg.2,
            a: 255,
        };
        assert!(
            contrast::ratio_on_black(c) >= contrast::MIN_RATIO - 0.01,
            "{t:?} is too dark"
        );
    }
    // The comment is the darkest colour of the dark theme; it was lifted.
    let comment = |lines: &[Vec<Token>]| {
        lines[3]
            .iter()
            .find(|t| t.text.contains("try"))
            .map(|t| t.fg)
    };
    assert_ne!(comment(&dark), comment(&hc));
}

#[test]
fn results_are_cached_per_code_language_and_theme() {
    let code = "x = 1  # cached\n";
    assert_eq!(cached(code, "python", CodeTheme::Light), None);
    let first = highlight(code, "python", CodeTheme::Light);
    assert_eq!(cached(code, "python", CodeTheme::Light), Some(first));
    assert_eq!(cached(code, "rust", CodeTheme::Light), None);
    assert_eq!(cached(code, "python", CodeTheme::Dark), None);
}

#[test]
fn control_characters_and_odd_input_do_not_panic() {
    for code in [
        "\x1b[2J\x1b]0;pwned\x07",
        "\"\"\"",
        "r'''\n",
        "\u{feff}\r\n\r\n",
        "",
    ] {
        for lang in ["python", "rust", "sh", "json"] {
            let lines = highlight(code, lang, CodeTheme::HighContrast);
            assert_eq!(lines.len(), code.lines().count(), "{code:?} {lang}");
        }
    }
}

/// Run alone, in release, for the figures (a fresh process, so the cold
/// figure includes the lazy loading):
/// `cargo test --release --lib first_highlight_timing -- --ignored --nocapture`
#[test]
#[ignore]
fn first_highlight_timing() {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let code: String = PY.repeat(4);
    let code: String = code.lines().take(20).collect::<Vec<_>>().join("\n");
    let start = std::time::Instant::now();
    let lines = highlight(&code, "python", CodeTheme::Dark);
    let cold = start.elapsed();
    let again = std::time::Instant::now();
    highlight(&format!("{code}\n# changed"), "python", CodeTheme::Dark);
    let second = again.elapsed();

    // A warm start: results come from the cache file; only the themes load.
    let dir = crate::lesson::tests::temp_dir("hl-timing");
    let path = dir.join("highlight.json");
    save_cache(&path).expect("saved");
    CACHE.lock().unwrap().clear();
    let start = std::time::Instant::now();
    let themes = ThemeSet::load_defaults();
    let _ = contrast::high_contrast(themes.themes["base16-eighties.dark"].clone());
    let theme_load = start.elapsed();
    let start = std::time::Instant::now();
    load_cache(&path);
    let warm_lines = highlight(&code, "python", CodeTheme::Dark);
    let warm = start.elapsed() + theme_load;
    println!(
        "first_highlight_ms: {:.2} (20-line Python, cold: lazy load and grammar compile)\n\
         second_highlight_ms: {:.2}\nwarm_start_highlight_ms: {:.2} (cache file + themes)",
        ms(cold),
        ms(second),
        ms(warm),
    );
    assert_eq!(lines.len(), 20);
    assert_eq!(warm_lines, lines);
    assert!(colours(&lines).len() >= 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn results_survive_a_save_and_load() {
    let dir = crate::lesson::tests::temp_dir("hl-cache");
    let path = dir.join("cache").join("highlight.json");
    let code = "def saved():\n    return 'across runs'  # yes\n";
    let first = highlight(code, "Python", CodeTheme::HighContrast);
    save_cache(&path).expect("saved");
    let k = key(code, "Python", CodeTheme::HighContrast);
    CACHE.lock().unwrap().remove(&k);
    assert_eq!(cached(code, "python", CodeTheme::HighContrast), None);
    assert!(load_cache(&path) >= 1);
    assert_eq!(cached(code, "python", CodeTheme::HighContrast), Some(first));

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("\"version\":\"", "\"version\":\"old", 1),
    )
    .unwrap();
    assert_eq!(load_cache(&path), 0, "a stale file is ignored");
    std::fs::write(&path, "{not json").unwrap();
    assert_eq!(load_cache(&path), 0, "a corrupt file is ignored");
    assert_eq!(load_cache(&dir.join("missing.json")), 0);
    let _ = std::fs::remove_dir_all(&dir);
}
