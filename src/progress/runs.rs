//! The learner's honest runs, kept with progress so that later chapters
//! (the choosing recap) can show their own figures.

use serde::{Deserialize, Serialize};

use super::Progress;
use crate::demos::DemoRequest;

/// Runs kept in all; the oldest go first.
pub const MAX_RUNS: usize = 200;
/// Runs kept per kind (example, mode, main knob, setting): the latest few.
pub const PER_KIND: usize = 5;

/// One run that finished on its own, never paused, at real-time speed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedRun {
    pub example: String,
    pub mode: String,
    /// The main knob and its value (`workers=10`), if the example has one.
    #[serde(default)]
    pub knob: Option<String>,
    /// Every other option as `name=value`, one a line: runs compare only
    /// with runs of the same setting.
    #[serde(default)]
    pub setting: String,
    /// Wall time in µs, pauses excluded.
    pub wall_us: u64,
    /// Units of work done (hashes, bytes, jobs), for the rate.
    #[serde(default)]
    pub done: u64,
    /// When it ended, in ms since the Unix epoch.
    #[serde(default)]
    pub at_ms: u64,
}

/// The option that names a run beside its mode.
pub const MAIN_KNOB: &str = "workers";

impl SavedRun {
    /// A run of `request` that took `wall_us` (pauses excluded) for `done`
    /// units, ended at `at_ms`.
    pub fn of_request(request: &DemoRequest, wall_us: u64, done: u64, at_ms: u64) -> SavedRun {
        let values = request.values();
        let knob = values
            .iter()
            .find(|(k, _)| *k == MAIN_KNOB)
            .map(|(k, v)| format!("{k}={v}"));
        let setting = values
            .iter()
            .filter(|(k, _)| *k != MAIN_KNOB)
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("\n");
        SavedRun {
            example: request.name().to_string(),
            mode: request.mode().to_string(),
            knob,
            setting,
            wall_us,
            done,
            at_ms,
        }
    }

    /// Wall time in seconds.
    pub fn wall_s(&self) -> f64 {
        self.wall_us as f64 / 1e6
    }

    /// Units of work per second.
    pub fn rate(&self) -> f64 {
        self.done as f64 / self.wall_s().max(1e-9)
    }

    /// The value of option `name` in the run's setting or main knob.
    pub fn option(&self, name: &str) -> Option<&str> {
        self.setting
            .split('\n')
            .chain(self.knob.as_deref())
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
    }

    fn kind(&self) -> (&str, &str, Option<&str>, &str) {
        (
            &self.example,
            &self.mode,
            self.knob.as_deref(),
            &self.setting,
        )
    }
}

impl Progress {
    /// Keeps an honest run (see [`SavedRun`]).
    pub fn record_run(&mut self, run: SavedRun) {
        self.runs.push(run);
        bound(&mut self.runs);
    }

    /// Runs of `example` in `mode`, newest last.
    pub fn runs_of<'a>(
        &'a self,
        example: &'a str,
        mode: &'a str,
    ) -> impl Iterator<Item = &'a SavedRun> + 'a {
        self.runs
            .iter()
            .filter(move |r| r.example == example && r.mode == mode)
    }
}

/// Takes in another instance's runs: the union, in time order, bounded.
pub(super) fn merge(into: &mut Vec<SavedRun>, other: &[SavedRun]) {
    for r in other {
        if !into.contains(r) {
            into.push(r.clone());
        }
    }
    bound(into);
}

/// Keeps the latest [`PER_KIND`] runs of each kind and [`MAX_RUNS`] in all,
/// in time order.
pub(super) fn bound(runs: &mut Vec<SavedRun>) {
    runs.sort_by_key(|r| r.at_ms);
    let mut keep = vec![true; runs.len()];
    for i in (0..runs.len()).rev() {
        let later = runs[i + 1..]
            .iter()
            .zip(&keep[i + 1..])
            .filter(|(r, k)| **k && r.kind() == runs[i].kind())
            .count();
        keep[i] = later < PER_KIND;
    }
    let mut k = keep.into_iter();
    runs.retain(|_| k.next().unwrap_or(false));
    let extra = runs.len().saturating_sub(MAX_RUNS);
    runs.drain(..extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn run(
        example: &str,
        mode: &str,
        workers: u32,
        wall_ms: u64,
        at_ms: u64,
    ) -> SavedRun {
        SavedRun {
            example: example.into(),
            mode: mode.into(),
            knob: Some(format!("workers={workers}")),
            setting: "prefix=000000".into(),
            wall_us: wall_ms * 1000,
            done: 1000,
            at_ms,
        }
    }

    #[test]
    fn only_the_latest_of_a_kind_are_kept() {
        let mut p = Progress::default();
        for i in 0..(PER_KIND as u64 + 3) {
            p.record_run(run("hash", "threads", 2, 100 + i, i));
        }
        p.record_run(run("hash", "threads", 4, 50, 1));
        assert_eq!(p.runs.len(), PER_KIND + 1);
        let walls: Vec<u64> = p
            .runs_of("hash", "threads")
            .map(|r| r.wall_us / 1000)
            .collect();
        assert_eq!(walls[0], 50, "time order: the ×4 run came second");
        assert_eq!(*walls.last().unwrap(), 100 + PER_KIND as u64 + 2);
        assert_eq!(p.runs[1].option("workers"), Some("2"));
        assert_eq!(p.runs[1].option("prefix"), Some("000000"));
        assert_eq!(p.runs[1].option("pre"), None);
    }

    #[test]
    fn the_total_is_bounded_and_merging_is_a_union() {
        let mut a = Vec::new();
        for i in 0..(MAX_RUNS as u64 + 20) {
            a.push(run(&format!("ex{i}"), "m", 1, 10, i));
        }
        bound(&mut a);
        assert_eq!(a.len(), MAX_RUNS);
        assert_eq!(a[0].example, "ex20", "the oldest went first");
        let mut b = vec![run("hash", "threads", 2, 10, 5)];
        merge(
            &mut b,
            &[
                run("hash", "threads", 2, 10, 5),
                run("hash", "sequential", 1, 20, 3),
            ],
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].mode, "sequential");
    }
}
