#![allow(clippy::pedantic)] // pedantic lints: this folder is being reworked in another branch; remove once it lands
//! What the learner has seen, saved between sessions.
//!
//! One compact JSON file under the user's data folder
//! (`$XDG_DATA_HOME/racecourse`). Several instances may run at once: each
//! save merges with what is on disk under an advisory lock, so none erases
//! another's progress (see `store`). Saving happens on its own thread, off
//! the key path (see `saver`).

pub mod recap;
mod runs;
mod saver;
mod store;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use runs::{MAX_RUNS, PER_KIND, SavedRun};
pub use saver::Saver;
pub use store::{Loaded, Store};

/// Sections seen and where the learner was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Chapter id and section index the learner was last on.
    pub last: Option<(String, usize)>,
    /// When `last` was visited, in ms since the Unix epoch (0 if unknown):
    /// merging keeps the latest place.
    #[serde(default)]
    pub last_at: u64,
    /// Section indices seen, per chapter id.
    pub seen: BTreeMap<String, BTreeSet<usize>>,
    /// Honest runs, the latest few of each kind (see [`SavedRun`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<SavedRun>,
}

impl Progress {
    /// Records that a section is on screen.
    pub fn visit(&mut self, chapter: &str, section: usize) {
        self.last = Some((chapter.to_string(), section));
        self.last_at = now_ms().max(self.last_at);
        self.seen
            .entry(chapter.to_string())
            .or_default()
            .insert(section);
    }

    /// Takes in what another instance saved: the union of sections seen
    /// and of runs, and whichever place was visited last.
    pub fn merge(&mut self, other: &Progress) {
        runs::merge(&mut self.runs, &other.runs);
        for (chapter, sections) in &other.seen {
            self.seen
                .entry(chapter.clone())
                .or_default()
                .extend(sections.iter().copied());
        }
        if other.last.is_some() && (self.last.is_none() || other.last_at > self.last_at) {
            self.last = other.last.clone();
            self.last_at = other.last_at;
        }
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

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_is_a_union_with_the_latest_place() {
        let mut a = Progress::default();
        a.visit("intro", 0);
        a.last_at = 10;
        let mut b = Progress::default();
        b.visit("intro", 2);
        b.visit("gil", 1);
        b.last_at = 20;
        a.merge(&b);
        assert_eq!(a.seen_count("intro", 3), 2);
        assert_eq!(a.seen_count("gil", 3), 1);
        assert_eq!(a.last, Some(("gil".into(), 1)));
        // An older place does not replace a newer one.
        let mut c = Progress::default();
        c.visit("intro", 1);
        c.last_at = 5;
        a.merge(&c);
        assert_eq!(a.last, Some(("gil".into(), 1)));
        assert_eq!(a.seen_count("intro", 3), 3);
    }
}
