//! The layers hold by test, not by convention: the core folders import
//! neither the examples nor the UI, and only the UI (and the frame bench)
//! knows the terminal crates.

use std::path::{Path, PathBuf};

/// Folders (or files) and the crate paths they must not name.
const RULES: &[(&str, &[&str])] = &[
    ("src/runtime", &["crate::demos", "crate::ui"]),
    ("src/trace", &["crate::demos", "crate::ui"]),
    ("src/net", &["crate::demos", "crate::ui"]),
    ("src/sha.rs", &["crate::demos", "crate::ui"]),
    (
        "src/lesson",
        &["crate::demos", "crate::ui", "crate::course"],
    ),
    ("src/course", &["crate::ui", "ratatui", "crossterm"]),
    ("src/demos", &["crate::ui", "ratatui", "crossterm"]),
];

/// Edges that still exist, each with why; a new one fails the test.
const KNOWN: &[(&str, &str)] = &[];

fn files(root: &Path) -> Vec<PathBuf> {
    if root.is_file() {
        return vec![root.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

fn is_code(line: &str) -> bool {
    let t = line.trim_start();
    !(t.starts_with("//") || t.starts_with("//!") || t.starts_with("///"))
}

#[test]
fn core_folders_do_not_import_examples_or_ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut bad = Vec::new();
    for (folder, forbidden) in RULES {
        for file in files(&root.join(folder)) {
            let rel = file.strip_prefix(root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            for (n, line) in text.lines().enumerate() {
                for f in *forbidden {
                    let hit = is_code(line)
                        && (line.contains(&format!("{f}::"))
                            || line.contains(&format!("use {f}"))
                            || line.contains(&format!("{f};")));
                    if hit && !KNOWN.contains(&(rel.as_str(), f)) {
                        bad.push(format!("{rel}:{}: names `{f}`: {}", n + 1, line.trim()));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "forbidden edges:\n{}", bad.join("\n"));
}

#[test]
fn only_the_ui_knows_the_terminal() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut bad = Vec::new();
    for file in files(&root.join("src")) {
        let rel = file.strip_prefix(root).unwrap().display().to_string();
        if rel.starts_with("src/ui/") || rel == "src/bench/frame.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if is_code(line) && (line.contains("ratatui::") || line.contains("crossterm::")) {
                bad.push(format!("{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "terminal crates outside ui/:\n{}",
        bad.join("\n")
    );
}
