//! Syntax highlighting with syntect, loaded lazily on first use.
//!
//! The syntax and theme sets load once (a few ms); each language's regexes
//! compile on its first use, which is the slow part, so results are cached
//! per (code, language, theme); `prefetch` does the first work on a
//! background thread while the app starts, and `save_cache`/`load_cache`
//! keep results across runs so a warm start compiles nothing.

mod contrast;
mod store;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{LazyLock, Mutex, OnceLock};

use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, FontStyle, Style, Theme, ThemeSet};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

pub use store::{load_cache, save_cache};

/// A colour as red, green, blue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// A highlighted run of code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub fg: Rgb,
    pub bold: bool,
    pub italic: bool,
}

/// Which palette the code is coloured for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeTheme {
    Dark,
    Light,
    HighContrast,
}

struct Themes {
    dark: Theme,
    light: Theme,
    contrast: Theme,
}

static THEMES: OnceLock<Themes> = OnceLock::new();
static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();

fn themes() -> &'static Themes {
    THEMES.get_or_init(|| {
        let mut themes = ThemeSet::load_defaults().themes;
        let mut take = |name: &str| themes.remove(name).unwrap_or_default();
        Themes {
            dark: take("base16-ocean.dark"),
            light: take("InspiredGitHub"),
            contrast: contrast::high_contrast(take("base16-eighties.dark")),
        }
    })
}

fn syntaxes() -> &'static SyntaxSet {
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

impl Themes {
    fn get(&self, theme: CodeTheme) -> &Theme {
        match theme {
            CodeTheme::Dark => &self.dark,
            CodeTheme::Light => &self.light,
            CodeTheme::HighContrast => &self.contrast,
        }
    }
}

/// The syntax for a fence's language; `None` means plain text.
fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lang = lang.trim().to_ascii_lowercase();
    let token = match lang.as_str() {
        "" | "text" | "plain" | "plaintext" | "txt" => return None,
        "python" | "py" | "python3" => "py",
        "rust" | "rs" => "rs",
        "sh" | "shell" | "bash" | "console" | "zsh" => "sh",
        other => other,
    };
    syntaxes()
        .find_syntax_by_token(token)
        .filter(|s| s.name != "Plain Text")
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    code_hash: u64,
    lang: String,
    theme: CodeTheme,
}

struct Entry {
    code: String,
    lines: Vec<Vec<Token>>,
}

/// Bounded so that `--watch` edits cannot grow it forever.
const CACHE_LIMIT: usize = 512;

static CACHE: LazyLock<Mutex<HashMap<Key, Entry>>> = LazyLock::new(Mutex::default);

fn key(code: &str, lang: &str, theme: CodeTheme) -> Key {
    let mut h = DefaultHasher::new();
    code.hash(&mut h);
    Key {
        code_hash: h.finish(),
        lang: lang.trim().to_ascii_lowercase(),
        theme,
    }
}

/// Highlights `code` written in `lang`; one vector of tokens per line.
/// Unknown languages come back as plain text in the theme's foreground.
pub fn highlight(code: &str, lang: &str, theme: CodeTheme) -> Vec<Vec<Token>> {
    if let Some(lines) = cached(code, lang, theme) {
        return lines;
    }
    let lines = compute(code, lang, theme);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        let entry = Entry {
            code: code.to_string(),
            lines: lines.clone(),
        };
        cache.insert(key(code, lang, theme), entry);
    }
    lines
}

/// Whether a block is small enough to highlight: a longer one would keep
/// syntect busy for seconds, for colour nobody scrolls through, so it is
/// shown plain (and never hashed or copied for the cache).
pub fn worth(code: &str) -> bool {
    const MAX_BYTES: usize = 256 << 10;
    const MAX_LINES: usize = 2_000;
    code.len() <= MAX_BYTES && code.lines().count() <= MAX_LINES
}

/// The first `n` lines highlighted and the rest plain, unless the whole is
/// cached: a screen showing the top of a huge block needs only those.
pub fn highlight_top(code: &str, lang: &str, theme: CodeTheme, n: usize) -> Vec<Vec<Token>> {
    let cut = match n.checked_sub(1) {
        None => 0,
        Some(last) => code
            .match_indices('\n')
            .nth(last)
            .map_or(code.len(), |(i, _)| i + 1),
    };
    if cut == code.len() {
        return highlight(code, lang, theme);
    }
    if let Some(lines) = cached(code, lang, theme) {
        return lines;
    }
    let mut lines = if cut == 0 {
        Vec::new()
    } else {
        compute(&code[..cut], lang, theme)
    };
    let base = base_style(theme);
    lines.extend(code[cut..].lines().map(|l| plain(l, base)));
    lines
}

/// Whether the highlighted lines are computed, without copying them.
pub fn is_cached(code: &str, lang: &str, theme: CodeTheme) -> bool {
    CACHE.lock().is_ok_and(|cache| {
        cache
            .get(&key(code, lang, theme))
            .is_some_and(|e| e.code == code)
    })
}

/// The highlighted lines if they are already computed; never blocks on
/// syntect.
pub fn cached(code: &str, lang: &str, theme: CodeTheme) -> Option<Vec<Vec<Token>>> {
    let cache = CACHE.lock().ok()?;
    cache
        .get(&key(code, lang, theme))
        .filter(|e| e.code == code)
        .map(|e| e.lines.clone())
}

/// Highlights `blocks` (code, language) on a background thread, so that the
/// first draw finds them ready. The thread ends when they are done.
pub fn prefetch(blocks: Vec<(String, String)>, theme: CodeTheme) {
    let _ = std::thread::Builder::new()
        .name("highlight-prefetch".into())
        .spawn(move || {
            for (code, lang) in blocks {
                highlight(&code, &lang, theme);
            }
        });
}

fn base_style(theme: CodeTheme) -> Style {
    let th = themes().get(theme);
    Style {
        foreground: th.settings.foreground.unwrap_or(Color::WHITE),
        background: th.settings.background.unwrap_or(Color::BLACK),
        font_style: FontStyle::empty(),
    }
}

fn compute(code: &str, lang: &str, theme: CodeTheme) -> Vec<Vec<Token>> {
    let th = themes().get(theme);
    let base = base_style(theme);
    let Some(syntax) = syntax(lang) else {
        return code.lines().map(|l| plain(l, base)).collect();
    };
    let mut h = HighlightLines::new(syntax, th);
    let mut failed = false;
    LinesWithEndings::from(code)
        .map(|line| {
            let text = line.trim_end_matches(['\n', '\r']);
            if failed {
                return plain(text, base);
            }
            match h.highlight_line(line, syntaxes()) {
                Ok(ranges) => tokens(&ranges, base),
                Err(_) => {
                    // Parse state is unknown from here on; keep the text.
                    failed = true;
                    plain(text, base)
                }
            }
        })
        .collect()
}

fn plain(text: &str, base: Style) -> Vec<Token> {
    tokens(&[(base, text)], base)
}

/// Converts styled ranges into tokens, blending translucent colours onto the
/// theme background and joining neighbours of the same look.
fn tokens(ranges: &[(Style, &str)], base: Style) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(ranges.len());
    for (style, text) in ranges {
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            continue;
        }
        let fg = blend(style.foreground, base.background);
        let bold = style.font_style.contains(FontStyle::BOLD);
        let italic = style.font_style.contains(FontStyle::ITALIC);
        match out.last_mut() {
            Some(t) if t.fg == fg && t.bold == bold && t.italic == italic => t.text.push_str(text),
            _ => out.push(Token {
                text: text.to_string(),
                fg,
                bold,
                italic,
            }),
        }
    }
    out
}

fn blend(fg: Color, bg: Color) -> Rgb {
    let a = u16::from(fg.a);
    let mix = |f: u8, b: u8| ((u16::from(f) * a + u16::from(b) * (255 - a)) / 255) as u8;
    Rgb(mix(fg.r, bg.r), mix(fg.g, bg.g), mix(fg.b, bg.b))
}

#[cfg(test)]
mod tests;
