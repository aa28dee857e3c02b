//! Highlight results kept across runs, so a start with a warm cache draws
//! highlighted code without compiling any grammar (the slow part of
//! syntect). The file is only a cache: a missing, stale or corrupt one is
//! ignored.

use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{CACHE, CACHE_LIMIT, CodeTheme, Entry, Rgb, Token, key, themes};

/// Bump when the file layout or the way colours are computed changes.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Saved {
    version: String,
    entries: Vec<SavedEntry>,
}

#[derive(Serialize, Deserialize)]
struct SavedEntry {
    lang: String,
    theme: String,
    code: String,
    /// Per line: (text, [r, g, b], 1 = bold | 2 = italic).
    lines: Vec<Vec<(String, [u8; 3], u8)>>,
}

/// Identifies the program and palettes that produced the colours.
fn version() -> String {
    let mut h = DefaultHasher::new();
    let t = themes();
    format!("{:?}{:?}{:?}", t.dark, t.light, t.contrast).hash(&mut h);
    format!("{}/{FORMAT}/{:016x}", env!("CARGO_PKG_VERSION"), h.finish())
}

fn theme_name(theme: CodeTheme) -> &'static str {
    match theme {
        CodeTheme::Dark => "dark",
        CodeTheme::Light => "light",
        CodeTheme::HighContrast => "high-contrast",
    }
}

fn theme_from(name: &str) -> Option<CodeTheme> {
    [CodeTheme::Dark, CodeTheme::Light, CodeTheme::HighContrast]
        .into_iter()
        .find(|t| theme_name(*t) == name)
}

/// Loads results saved by `save_cache`; returns how many were taken.
pub fn load_cache(path: &Path) -> usize {
    // Only a regular file, and a bounded one: a FIFO must not hang the start.
    let Ok(bytes) = crate::bounded::read_regular(path, MAX_CACHE_BYTES) else {
        return 0;
    };
    let Ok(saved) = serde_json::from_slice::<Saved>(&bytes) else {
        return 0;
    };
    if saved.version != version() {
        return 0;
    }
    let Ok(mut cache) = CACHE.lock() else {
        return 0;
    };
    let mut taken = 0;
    for e in saved.entries {
        let Some(theme) = theme_from(&e.theme) else {
            continue;
        };
        if cache.len() >= CACHE_LIMIT {
            break;
        }
        let lines = e
            .lines
            .into_iter()
            .map(|line| {
                line.into_iter()
                    .map(|(text, [r, g, b], flags)| Token {
                        text,
                        fg: Rgb(r, g, b),
                        bold: flags & 1 != 0,
                        italic: flags & 2 != 0,
                    })
                    .collect()
            })
            .collect();
        cache.insert(
            key(&e.code, &e.lang, theme),
            Entry {
                code: e.code,
                lines,
            },
        );
        taken += 1;
    }
    taken
}

/// Saves every result computed or loaded so far, atomically (a temporary
/// file renamed over `path`).
pub fn save_cache(path: &Path) -> io::Result<()> {
    let entries = {
        let cache = CACHE
            .lock()
            .map_err(|_| io::Error::other("highlight cache poisoned"))?;
        cache
            .iter()
            .map(|(k, e)| SavedEntry {
                lang: k.lang.clone(),
                theme: theme_name(k.theme).to_string(),
                code: e.code.clone(),
                lines: e
                    .lines
                    .iter()
                    .map(|line| {
                        line.iter()
                            .map(|t| {
                                let flags = u8::from(t.bold) | (u8::from(t.italic) << 1);
                                (t.text.clone(), [t.fg.0, t.fg.1, t.fg.2], flags)
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect()
    };
    let saved = Saved {
        version: version(),
        entries,
    };
    let json = serde_json::to_string(&saved).map_err(io::Error::other)?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    // A temporary file of this write's own: another instance may be saving.
    crate::bounded::write_atomic(path, json.as_bytes(), false)
}

/// The most of a cache file read: 512 entries of highlighted code.
const MAX_CACHE_BYTES: u64 = 32 << 20;
