//! The ticking clock beside the button: a task on the event loop that
//! measures how late each tick lands, the headless stand-in for "the
//! screen froze".

use std::time::Duration;

use serde::Serialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::trace::{EventKind, LaneId, Micros, Tracer};

/// Time between two ticks.
pub const TICK: Duration = Duration::from_millis(100);

/// A tick later than this is reported as a line of output.
const REPORT_LATE: Duration = Duration::from_millis(50);

/// A clock ticking on the current tokio event loop.
pub struct Clock {
    stop: oneshot::Sender<()>,
    task: JoinHandle<Vec<Duration>>,
}

/// How late the ticks landed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Lateness {
    /// Ticks that landed.
    pub ticks: usize,
    /// Median lateness.
    pub p50_ms: f64,
    /// 99th percentile of the lateness.
    pub p99_ms: f64,
    /// The latest tick: after a freeze, about the freeze's length.
    pub max_ms: f64,
}

impl Lateness {
    /// Percentiles (nearest rank) of the lateness of each tick.
    pub fn of(mut late: Vec<Duration>) -> Lateness {
        late.sort_unstable();
        // The nearest rank of the `pct`th percentile: ceil(pct% of n), from 1.
        let rank = |pct: usize| {
            let i = (pct * late.len()).div_ceil(100).clamp(1, late.len().max(1)) - 1;
            late.get(i).map_or(0.0, |&d| ms(d))
        };
        Lateness {
            ticks: late.len(),
            p50_ms: rank(50),
            p99_ms: rank(99),
            max_ms: late.last().map_or(0.0, |&d| ms(d)),
        }
    }
}

/// Milliseconds to the microsecond.
fn ms(d: Duration) -> f64 {
    Micros::from_duration(d).as_ms_f64()
}

impl Clock {
    /// Starts ticking every [`TICK`] on the current runtime; late ticks
    /// are told on `lane`. Must be called inside a tokio runtime.
    pub fn start(tracer: Tracer, lane: LaneId) -> Clock {
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut delays = Vec::new();
            let mut next = Instant::now() + TICK;
            loop {
                tokio::select! {
                    () = tokio::time::sleep_until(next) => {}
                    _ = &mut stopped => break,
                }
                let now = Instant::now();
                let by = now - next;
                delays.push(by);
                if by > REPORT_LATE {
                    let text = format!(
                        "the clock ticked {:.0} ms late: the event loop was busy",
                        Micros::from_duration(by).as_ms_f64()
                    );
                    tracer.emit(lane, EventKind::Output { text });
                }
                // Ticks missed during a freeze are not owed afterwards.
                while next <= now {
                    next += TICK;
                }
            }
            delays
        });
        Clock { stop, task }
    }

    /// Stops the clock and tells how late its ticks were.
    pub async fn stop(self) -> Lateness {
        let _ = self.stop.send(());
        Lateness::of(self.task.await.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let ms = Duration::from_millis;
        let l = Lateness::of((1..=100).map(ms).collect());
        assert_eq!(
            (l.ticks, l.p50_ms, l.p99_ms, l.max_ms),
            (100, 50.0, 99.0, 100.0)
        );
        let l = Lateness::of(vec![ms(3)]);
        assert_eq!((l.p50_ms, l.p99_ms, l.max_ms), (3.0, 3.0, 3.0));
        assert_eq!(Lateness::of(Vec::new()), Lateness::default());
    }
}
