//! What a run went through that makes its timing not comparable: pauses
//! (and how long they lasted) and the time scales it ran at.

use std::sync::{MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::Control;

/// Pauses and time scales seen by one run's control.
#[derive(Debug, Default)]
pub(super) struct Record {
    paused_since: Option<Instant>,
    paused_total: Duration,
    ever_paused: bool,
    /// The slowest and the fastest scale set, in percent (none: real time).
    scales: Option<(u32, u32)>,
    /// The learner interrupted a lane or everything (`x`, `X`); the
    /// program's own interrupts (a daemon killed at exit, a pool that
    /// stops its workers after a failure) do not count.
    pub(super) by_learner: bool,
}

impl Record {
    pub(super) fn paused(&mut self, paused: bool, at: Instant) {
        match (paused, self.paused_since) {
            (true, None) => {
                self.paused_since = Some(at);
                self.ever_paused = true;
            }
            (false, Some(since)) => {
                self.paused_total += at.saturating_duration_since(since);
                self.paused_since = None;
            }
            _ => {}
        }
    }

    pub(super) fn scaled(&mut self, pct: u32) {
        self.scales = Some(match self.scales {
            Some((lo, hi)) => (lo.min(pct), hi.max(pct)),
            None => (pct, pct),
        });
    }
}

impl Control {
    pub(super) fn record(&self) -> MutexGuard<'_, Record> {
        self.inner
            .record
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Time spent paused up to `at` (a pause still going counts up to `at`).
    pub fn paused_for(&self, at: Instant) -> Duration {
        let r = self.record();
        r.paused_total
            + r.paused_since
                .map_or(Duration::ZERO, |s| at.saturating_duration_since(s))
    }

    /// Whether the learner ever interrupted the run: one lane, every lane,
    /// Ctrl-C.
    pub fn was_interrupted(&self) -> bool {
        self.keyboard_interrupted() || self.record().by_learner
    }

    /// The learner's `x`: interrupts `lane` and marks the run.
    pub fn learner_interrupt_lane(&self, lane: crate::trace::LaneId) {
        self.record().by_learner = true;
        self.interrupt_lane(lane);
    }

    /// The learner's `X`: interrupts everything and marks the run.
    pub fn learner_interrupt_all(&self) {
        self.record().by_learner = true;
        self.interrupt_all();
    }

    /// Whether the run was ever paused.
    pub fn was_paused(&self) -> bool {
        self.record().ever_paused
    }

    /// The lowest and highest time scale (percent) the run was set to;
    /// `(100, 100)` for a run that was never rescaled.
    pub fn scales(&self) -> (u32, u32) {
        self.record().scales.unwrap_or((100, 100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_add_up_and_scales_span() {
        let c = Control::new();
        let t0 = Instant::now();
        assert!(!c.was_paused());
        assert_eq!(c.scales(), (100, 100));
        c.record().paused(true, t0);
        c.record().paused(true, t0 + Duration::from_millis(5));
        assert_eq!(
            c.paused_for(t0 + Duration::from_millis(30)),
            Duration::from_millis(30)
        );
        c.record().paused(false, t0 + Duration::from_millis(40));
        c.record().paused(true, t0 + Duration::from_millis(100));
        c.record().paused(false, t0 + Duration::from_millis(110));
        assert_eq!(
            c.paused_for(t0 + Duration::from_secs(9)),
            Duration::from_millis(50)
        );
        assert!(c.was_paused());
        c.set_scale_pct(100);
        c.set_scale_pct(400);
        c.set_scale_pct(50);
        assert_eq!(c.scales(), (50, 400));
        assert!(!c.was_interrupted());
        c.interrupt_lane(2);
        assert!(
            !c.was_interrupted(),
            "the program's own interrupt (a daemon killed at exit) does not mark the run"
        );
        c.learner_interrupt_lane(3);
        c.clear_lane(3);
        assert!(
            c.was_interrupted(),
            "a lane's interrupt is remembered once cleared"
        );
    }
}
