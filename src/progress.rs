#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! What the learner has seen, saved between sessions.
//!
//! One JSON file under the user's data folder (`$XDG_DATA_HOME/racecourse`),
//! replaced atomically. A corrupt file is moved aside with a warning.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// Sections seen and where the learner was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Chapter id and section index the learner was last on.
    pub last: Option<(String, usize)>,
    /// Section indices seen, per chapter id.
    pub seen: BTreeMap<String, BTreeSet<usize>>,
}

impl Progress {
    /// Records that a section is on screen.
    pub fn visit(&mut self, chapter: &str, section: usize) {
        self.last = Some((chapter.to_string(), section));
        self.seen
            .entry(chapter.to_string())
            .or_default()
            .insert(section);
    }

    /// How many of a chapter's `total` sections were seen.
    pub fn seen_count(&self, chapter: &str, total: usize) -> usize {
        self.seen
            .get(chapter)
            .map(|s| s.iter().filter(|&&i| i < total).count())
            .unwrap_or(0)
    }

    /// Whether every section of the chapter was seen.
    pub fn finished(&self, chapter: &str, total: usize) -> bool {
        total > 0 && self.seen_count(chapter, total) == total
    }
}

/// Where progress lives on disk.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

/// Progress as read, with a warning to show when the file was unusable.
#[derive(Debug)]
pub struct Loaded {
    pub progress: Progress,
    pub warning: Option<String>,
}

impl Store {
    /// The default store: `$RACECOURSE_DATA_DIR`, else the XDG data folder.
    pub fn default_location() -> Option<Store> {
        if let Some(dir) = std::env::var_os("RACECOURSE_DATA_DIR") {
            return Some(Store::at(PathBuf::from(dir).join("progress.json")));
        }
        directories::ProjectDirs::from("", "", "racecourse")
            .map(|d| Store::at(d.data_dir().join("progress.json")))
    }

    /// A store at an explicit file path.
    pub fn at(path: PathBuf) -> Store {
        Store { path }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads progress; a missing file is a fresh start, a corrupt one is
    /// moved aside and reported, never fatal.
    pub fn load(&self) -> Loaded {
        let text = match fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    progress: Progress::default(),
                    warning: None,
                };
            }
            Err(e) => {
                return Loaded {
                    progress: Progress::default(),
                    warning: Some(format!(
                        "could not read progress from {}: {e}; starting fresh",
                        self.path.display()
                    )),
                };
            }
        };
        match serde_json::from_str(&text) {
            Ok(progress) => Loaded {
                progress,
                warning: None,
            },
            Err(e) => {
                let aside = self.path.with_extension(format!(
                    "json.corrupt-{}",
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_secs())
                        .unwrap_or(0)
                ));
                let moved = fs::rename(&self.path, &aside).is_ok();
                let warning = if moved {
                    format!(
                        "progress file was corrupt ({e}); moved it to {} and started fresh",
                        aside.display()
                    )
                } else {
                    format!("progress file was corrupt ({e}); starting fresh")
                };
                Loaded {
                    progress: Progress::default(),
                    warning: Some(warning),
                }
            }
        }
    }

    /// Writes progress atomically: a temporary file, flushed, then renamed.
    pub fn save(&self, progress: &Progress) -> anyhow::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let tmp = self.path.with_extension("json.tmp");
        let json = serde_json::to_vec_pretty(progress)?;
        let mut f = fs::File::create(&tmp).with_context(|| format!("writing {}", tmp.display()))?;
        f.write_all(&json)?;
        f.sync_all()?;
        fs::rename(&tmp, &self.path)
            .with_context(|| format!("replacing {}", self.path.display()))?;
        Ok(())
    }

    /// Forgets everything (`--reset-progress`).
    pub fn reset(&self) -> anyhow::Result<()> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("removing {}", self.path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_store(name: &str) -> Store {
        let dir =
            std::env::temp_dir().join(format!("racecourse-progress-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        Store::at(dir.join("progress.json"))
    }

    #[test]
    fn round_trips_and_counts() {
        let store = temp_store("rt");
        let mut p = Progress::default();
        p.visit("intro", 0);
        p.visit("intro", 2);
        p.visit("intro", 1);
        store.save(&p).unwrap();
        let back = store.load();
        assert!(back.warning.is_none());
        assert_eq!(back.progress, p);
        assert_eq!(back.progress.last, Some(("intro".into(), 1)));
        assert!(back.progress.finished("intro", 3));
        assert!(!back.progress.finished("intro", 4));
        store.reset().unwrap();
        assert_eq!(store.load().progress, Progress::default());
    }

    #[test]
    fn corrupt_file_is_moved_aside() {
        let store = temp_store("corrupt");
        fs::create_dir_all(store.path().parent().unwrap()).unwrap();
        fs::write(store.path(), "{ not json").unwrap();
        let loaded = store.load();
        let w = loaded.warning.expect("a warning");
        assert!(w.contains("corrupt"), "{w}");
        assert_eq!(loaded.progress, Progress::default());
        assert!(!store.path().exists());
        let dir = store.path().parent().unwrap();
        let aside = fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().contains("corrupt-"));
        assert!(aside, "the corrupt file is kept beside");
    }
}
