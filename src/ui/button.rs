//! The button pane's live side: clicks and their latency.

use std::time::{Duration, Instant};

use crate::demos;

/// How long the blocking mode may freeze the screen at most.
pub const FREEZE_LIMIT: Duration = demos::button::BLOCKING_LIMIT;
/// How long the button looks pressed after a click.
const PRESSED_FOR: Duration = Duration::from_millis(150);
/// How long after a click frames keep coming (the button's release, the clock).
const LIVELY_FOR: Duration = Duration::from_millis(1500);

/// Clicks and what the learner felt of them.
#[derive(Debug, Default)]
pub struct ButtonState {
    pub clicks: u64,
    /// Clicks taken into account but not yet on a frame: (arrived, counted).
    unshown: Vec<Instant>,
    /// Key-to-frame latency of every click of this run, in ms.
    pub latencies: Vec<f64>,
    pub last_click: Option<Instant>,
    /// After a blocking run: how long the screen froze.
    pub froze_for: Option<Duration>,
    /// This machine's one-core hash rate, once calibrated (see [`Self::poll_rate`]).
    pub rate: Option<f64>,
}

impl ButtonState {
    /// A click that arrived at `at`.
    pub fn press(&mut self, at: Instant) {
        self.clicks += 1;
        self.unshown.push(at);
        self.last_click = Some(at);
    }

    /// A frame showing every click so far is on screen now.
    pub fn frame_shown(&mut self, now: Instant) {
        for at in self.unshown.drain(..) {
            self.latencies
                .push(now.saturating_duration_since(at).as_secs_f64() * 1000.0);
        }
        if self.latencies.len() > 100_000 {
            self.latencies.drain(..50_000);
        }
    }

    /// Whether the button looks pressed at `now` (for a moment after a click).
    pub fn pressed_at(&self, now: Instant) -> bool {
        self.last_click
            .is_some_and(|t| now.saturating_duration_since(t) < PRESSED_FOR)
    }

    /// Whether a click was recent enough at `now` to keep frames coming.
    pub fn recent_click(&self, now: Instant) -> bool {
        self.last_click
            .is_some_and(|t| now.saturating_duration_since(t) < LIVELY_FOR)
    }

    /// Takes the calibrated hash rate once the helper thread has it.
    pub fn poll_rate(&mut self) {
        if self.rate.is_none() {
            self.rate = measured_rate();
        }
    }

    /// Whether clicks still wait for a frame.
    pub fn has_unshown(&self) -> bool {
        !self.unshown.is_empty()
    }

    /// Latency figures: last, p50, p99 and max in ms.
    pub fn stats(&self) -> Option<LatencyStats> {
        let last = *self.latencies.last()?;
        let mut v = self.latencies.clone();
        v.sort_by(f64::total_cmp);
        let pick = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        Some(LatencyStats {
            last,
            p50: pick(0.5),
            p99: pick(0.99),
            max: v[v.len() - 1],
            n: v.len(),
        })
    }

    /// Clears the figures for a new run, keeping the click count.
    pub fn new_run(&mut self) {
        self.latencies.clear();
        self.unshown.clear();
        self.froze_for = None;
    }
}

/// This machine's one-core hash rate, measured on a helper thread the first
/// time it is asked for (about 30 ms), so no frame ever waits for it. Called
/// from state updates only (`Pane::new`, ticks), never while drawing.
pub fn measured_rate() -> Option<f64> {
    static RATE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    static STARTED: std::sync::Once = std::sync::Once::new();
    if let Some(r) = RATE.get() {
        return Some(*r);
    }
    STARTED.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("calibrate".into())
            .spawn(|| {
                let _ = RATE.set(crate::demos::hash::calibrate());
            });
    });
    None
}

/// Summary of click latencies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyStats {
    pub last: f64,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub n: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_measured_from_arrival_to_frame() {
        let mut b = ButtonState::default();
        let t0 = Instant::now();
        b.press(t0);
        b.press(t0 + Duration::from_millis(5));
        b.frame_shown(t0 + Duration::from_millis(10));
        let s = b.stats().unwrap();
        assert_eq!(s.n, 2);
        assert!((s.max - 10.0).abs() < 0.01);
        assert!((s.last - 5.0).abs() < 0.01);
        assert_eq!(b.clicks, 2);
        assert!(!b.has_unshown());
        assert!(b.pressed_at(t0 + Duration::from_millis(100)));
        assert!(!b.pressed_at(t0 + Duration::from_millis(200)));
        assert!(b.recent_click(t0 + Duration::from_millis(200)));
        assert!(!b.recent_click(t0 + Duration::from_secs(2)));
    }
}
