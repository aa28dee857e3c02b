//! The long search beside the button, in the three ways the chapter runs
//! it: to the end on the caller's thread (blocking, or a worker thread),
//! or as a task that yields to its event loop every K hashes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::demos::hash::{COUNTERS, Challenge, Prefix};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, LaneId, Tracer, UnitId};

/// Least time between two progress events.
const PROGRESS_EVERY: Duration = Duration::from_millis(25);

/// Bounds of the `yield-every` knob.
const YIELD_MIN: u64 = 1;
const YIELD_MAX: u64 = 10_000_000;

/// How a search ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchEnd {
    /// The smallest matching counter among those tried.
    pub nonce: Option<u64>,
    /// Hashes computed.
    pub hashes: u64,
    /// Wall time from the first hash to the last.
    pub elapsed: Duration,
    /// False when a budget stopped it before a nonce was found.
    pub complete: bool,
    /// Times the search gave control back to its loop (cooperative only).
    pub yields: u64,
}

impl SearchEnd {
    /// Hashes per second.
    pub fn rate_hps(&self) -> f64 {
        self.hashes as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// One search of the notes' challenge, traced as one unit on one lane.
pub struct ButtonSearch {
    challenge: Challenge,
    prefix: Prefix,
    tracer: Tracer,
    lane: LaneId,
    unit: UnitId,
}

impl ButtonSearch {
    /// A search of `message` for `prefix`, announced on `lane`.
    pub fn new(message: &str, prefix: Prefix, tracer: &Tracer, lane: LaneId) -> ButtonSearch {
        let unit = tracer.next_unit();
        let label = format!("challenge({message:?}, {:?})", prefix.hex());
        tracer.emit(lane, EventKind::Spawned { unit, label });
        ButtonSearch {
            challenge: Challenge::new(message.as_bytes()),
            prefix,
            tracer: tracer.clone(),
            lane,
            unit,
        }
    }

    /// The lane the search reports on.
    pub fn lane(&self) -> LaneId {
        self.lane
    }

    /// Searches without ever giving the thread back, up to `budget` hashes:
    /// on a worker thread (budget [`COUNTERS`]) or, to show the freeze, on
    /// the UI's own thread. Pause and interrupt are honoured between batches.
    pub fn run_to_end(&self, budget: u64, control: &Control) -> Result<SearchEnd, Interrupted> {
        let (lane, unit) = (self.lane, self.unit);
        self.tracer.emit(lane, EventKind::Started { unit });
        let start = Instant::now();
        let mut last = start;
        let mut stop = Ok(());
        let end = budget.min(COUNTERS);
        let r = self.challenge.search(&self.prefix, 0..end, &mut |done| {
            if let Err(e) = control.checkpoint(lane) {
                stop = Err(e);
                return false;
            }
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                self.tracer.emit(lane, EventKind::Progress { unit, done });
            }
            true
        });
        let ended = SearchEnd {
            nonce: r.found,
            hashes: r.hashes,
            elapsed: start.elapsed(),
            complete: r.found.is_some() || end == COUNTERS,
            yields: 0,
        };
        self.finish(ended, stop)
    }

    /// Searches as a task on an event loop: `yield_every` hashes (read
    /// again at every yield, so the learner can change it live), then an
    /// `await` that lets the loop run everything else. Pause and interrupt
    /// are seen at the yields, as a cancellation at an `await`.
    pub async fn run_cooperative(
        &self,
        yield_every: &AtomicU64,
        control: &Control,
    ) -> Result<SearchEnd, Interrupted> {
        let (lane, unit) = (self.lane, self.unit);
        self.tracer.emit(lane, EventKind::Started { unit });
        let start = Instant::now();
        let mut last = start;
        let (mut next, mut yields) = (0u64, 0u64);
        let mut found = None;
        while next < COUNTERS {
            let k = yield_every
                .load(Ordering::Relaxed)
                .clamp(YIELD_MIN, YIELD_MAX);
            let end = (next + k).min(COUNTERS);
            let r = self
                .challenge
                .search(&self.prefix, next..end, &mut |_| true);
            if let Some(n) = r.found {
                found = Some(n);
                next = n + 1;
                break;
            }
            next = end;
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                self.tracer
                    .emit(lane, EventKind::Progress { unit, done: next });
            }
            yields += 1;
            tokio::task::yield_now().await;
            if let Err(e) = control.checkpoint_async(lane).await {
                let ended = Self::ended(None, next, start, yields);
                return self.finish(ended, Err(e));
            }
        }
        let ended = Self::ended(found, next, start, yields);
        self.finish(ended, Ok(()))
    }

    fn ended(nonce: Option<u64>, hashes: u64, start: Instant, yields: u64) -> SearchEnd {
        SearchEnd {
            nonce,
            hashes,
            elapsed: start.elapsed(),
            complete: true,
            yields,
        }
    }

    fn finish(
        &self,
        ended: SearchEnd,
        stop: Result<(), Interrupted>,
    ) -> Result<SearchEnd, Interrupted> {
        let (lane, unit) = (self.lane, self.unit);
        let done = ended.hashes;
        self.tracer.emit(lane, EventKind::Progress { unit, done });
        if let Err(e) = stop {
            self.tracer.emit(lane, EventKind::Cancelled { unit });
            Err(e)
        } else {
            let value = ended.nonce.map_or("None".to_string(), |n| n.to_string());
            self.tracer.emit(lane, EventKind::Finished { unit, value });
            Ok(ended)
        }
    }
}
