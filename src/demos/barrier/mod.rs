//! `racecourse run barrier`: the `sync` example's `barrier` mode under a
//! name of its own, with what a release has to prove: N threads doing work
//! of different lengths wait at `barrier.wait()` and go on together, every
//! thread of a release within one frame (1/60 s) of the first.
//!
//! The threads, lanes and states are those of [`super::sync`]; this folder
//! adds only the check of the release against a frame.

use serde::Serialize;

use super::sync::{self, SyncOptions};
use super::{Example, Modes, OptKind, PaneKind, RunCtx, Step, Work};

/// One frame at 60 Hz, in ms: a release drawn as one vertical line must
/// have all its threads within it.
pub const FRAME_MS: f64 = 1000.0 / 60.0;

crate::modes! {
    /// The one way to meet at a barrier.
    pub enum Mode {
        Wait = "wait": "N threads, thread i works i times work-ms, then barrier.wait(): released together",
    }
}

crate::options! {
    /// Options of `barrier`.
    pub struct BarrierOptions {
        workers: usize = "workers", "4", OptKind::Int { min: 1, max: 8 },
            "threads that meet at the barrier (its parties)", keys('-', '+', Step::Add(1));
        work_ms: u64 = "work-ms", "300", OptKind::Int { min: 0, max: 10_000 },
            "thread i works i times this before each barrier.wait()";
        rounds: usize = "rounds", "2", OptKind::Int { min: 1, max: 5 },
            "barrier.wait() calls per thread";
    }
}

/// `threading.Barrier(n)` on real threads.
pub struct Barrier;

impl Example for Barrier {
    type Mode = Mode;
    type Options = BarrierOptions;
    type Output = BarrierOutput;
    const NAME: &'static str = "barrier";
    const TITLE: &'static str = "Barrier: N threads released together";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Queue
    }

    fn start(_: Mode, o: BarrierOptions, ctx: RunCtx) -> Work<BarrierOutput> {
        Work::Thread(Box::new(move || {
            let s = SyncOptions {
                workers: o.workers,
                work_ms: o.work_ms,
                rounds: o.rounds,
                ..SyncOptions::default()
            };
            let out = sync::run(sync::Mode::Barrier, &s, &ctx.tracer, &ctx.control)?;
            Ok(BarrierOutput::from(out))
        }))
    }
}

/// Each release and how far apart its threads went on.
#[derive(Debug, Clone, Serialize)]
pub struct BarrierOutput {
    pub mode: &'static str,
    pub workers: usize,
    /// For each release, when each thread went on (ms since the start), in
    /// the order they woke.
    pub releases_ms: Vec<Vec<f64>>,
    /// The widest gap between the first and the last thread of a release.
    pub spread_ms: f64,
    /// One frame at 60 Hz, and whether every release fits in one.
    pub frame_ms: f64,
    pub within_one_frame: bool,
    /// Threads that ended another way than by returning
    /// (`BrokenBarrierError` when one of them was interrupted).
    pub broken: Vec<String>,
    pub interrupted: bool,
}

impl From<sync::SyncOutput> for BarrierOutput {
    fn from(o: sync::SyncOutput) -> BarrierOutput {
        BarrierOutput {
            mode: Mode::Wait.name(),
            workers: o.workers,
            within_one_frame: !o.releases_ms.is_empty()
                && o.broken.is_empty()
                && o.spread_ms <= FRAME_MS,
            releases_ms: o.releases_ms,
            spread_ms: o.spread_ms,
            frame_ms: FRAME_MS,
            broken: o.broken,
            interrupted: o.interrupted,
        }
    }
}

impl super::Output for BarrierOutput {
    fn summary(&self) -> String {
        let stopped = if self.interrupted { " (stopped)" } else { "" };
        if let Some(first) = self.broken.first() {
            return format!("{} thread(s): {first}{stopped}", self.broken.len());
        }
        let verdict = if self.within_one_frame {
            "within one frame"
        } else {
            "not within one frame"
        };
        format!(
            "{} release(s) of {} threads, each within {:.2} ms of the first: {verdict} \
             ({FRAME_MS:.1} ms){stopped}",
            self.releases_ms.len(),
            self.workers,
            self.spread_ms
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::demos::{DemoRequest, run_json};
    use crate::runtime::Control;
    use crate::runtime::testing::drain;
    use crate::trace::{EventKind, Tracer, check_stream};

    #[test]
    fn every_release_is_within_one_frame_and_in_arrival_then_release_order() {
        let mut r = DemoRequest::new("barrier").unwrap();
        for (k, v) in [("workers", "5"), ("work-ms", "40"), ("rounds", "2")] {
            r.set(k, v).unwrap();
        }
        let control = Control::new();
        control.set_scale_pct(50);
        let (tracer, mut rx) = Tracer::new();
        let out = run_json(&r, &tracer, &control).unwrap();
        let events = drain(&mut rx);
        check_stream(&events).unwrap();
        let releases = out["releases_ms"].as_array().unwrap();
        assert_eq!(releases.len(), 2);
        assert!(releases.iter().all(|r| r.as_array().unwrap().len() == 5));
        assert_eq!(out["within_one_frame"], true, "{out}");
        // The last thread of round 1 (thread-5, the longest work) arrives
        // before anyone is woken: no Woken on a worker lane comes before
        // every worker has blocked once.
        let first_woken = events
            .iter()
            .position(|e| e.lane != 0 && matches!(e.kind, EventKind::Woken { .. }))
            .unwrap();
        let blocked_before: std::collections::BTreeSet<_> = events[..first_woken]
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Blocked { .. }))
            .map(|e| e.lane)
            .filter(|&l| l != 0)
            .collect();
        assert_eq!(blocked_before.len(), 5, "{blocked_before:?}");
    }
}
