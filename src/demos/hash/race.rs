//! The search split over workers: ranges from a shared [`Dispenser`], the
//! smallest nonce wins, every step reported to the trace.

use std::ops::Range;
use std::time::{Duration, Instant};

use super::dispenser::Dispenser;
use super::search::{BATCH, COUNTERS, Challenge, Prefix};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, LaneId, Tracer};

/// Least time between two progress events of one lane.
const PROGRESS_EVERY: Duration = Duration::from_millis(25);

/// One search to run: what to hash and how to split it.
#[derive(Debug, Clone)]
pub struct Job {
    pub message: String,
    pub prefix: Prefix,
    /// Counters handed out at a time.
    pub chunk: u64,
    /// Counters to search (the notes' `range(2**32-1)` by default).
    pub range: Range<u64>,
}

impl Job {
    /// The notes' challenge over all its counters.
    pub fn new(message: &str, prefix: Prefix, chunk: u64) -> Job {
        Job {
            message: message.to_string(),
            prefix,
            chunk,
            range: 0..COUNTERS,
        }
    }
}

/// What a search over all workers found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// The smallest matching counter, if the range held one.
    pub nonce: Option<u64>,
    /// Hashes computed by all workers together.
    pub hashes: u64,
    /// Wall time of the search.
    pub elapsed: Duration,
}

impl Found {
    /// Hashes per second over the whole search.
    pub fn rate_hps(&self) -> f64 {
        self.hashes as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Everything a worker shares with the others.
pub(super) struct Shared<'a> {
    pub challenge: Challenge,
    pub job: &'a Job,
    pub dispenser: Dispenser,
    pub tracer: &'a Tracer,
    pub control: &'a Control,
}

impl<'a> Shared<'a> {
    /// The shared state of a fresh search.
    pub fn new(job: &'a Job, tracer: &'a Tracer, control: &'a Control) -> Shared<'a> {
        Shared {
            challenge: Challenge::new(job.message.as_bytes()),
            job,
            dispenser: Dispenser::new(job.range.clone(), job.chunk),
            tracer,
            control,
        }
    }

    /// The search's result once every worker is done.
    pub fn found(&self, hashes: u64, start: Instant) -> Found {
        Found {
            nonce: self.dispenser.best(),
            hashes,
            elapsed: start.elapsed(),
        }
    }
}

/// One worker's loop: takes ranges until none is left below the best
/// nonce, searching each in order; returns the hashes it computed.
///
/// `pace` runs after every batch with the hashes of that batch: the GIL's
/// hand-over in `threads-gil` mode, nothing otherwise. Interrupting the
/// lane alone cancels its current range and gives the rest back; an
/// interrupt of everything ends the worker with [`Interrupted`].
pub(super) fn work(
    shared: &Shared,
    lane: LaneId,
    pace: &mut dyn FnMut(u64) -> Result<(), Interrupted>,
) -> Result<u64, Interrupted> {
    let Shared {
        challenge,
        job,
        dispenser,
        tracer,
        control,
    } = shared;
    let mut total = 0;
    while let Some(range) = dispenser.take() {
        let unit = tracer.next_unit();
        let label = format!("{}..{}", range.start, range.end);
        tracer.emit(lane, EventKind::Spawned { unit, label });
        tracer.emit(lane, EventKind::Started { unit });
        let mut stop: Result<(), Interrupted> = Ok(());
        let mut last = Instant::now();
        let r = challenge.search(&job.prefix, range.clone(), &mut |done| {
            if dispenser.beaten(range.start) {
                return false;
            }
            if let Err(e) = pace(BATCH).and_then(|()| control.checkpoint(lane)) {
                stop = Err(e);
                return false;
            }
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                tracer.emit(lane, EventKind::Progress { unit, done });
            }
            true
        });
        total += r.hashes;
        tracer.emit(
            lane,
            EventKind::Progress {
                unit,
                done: r.hashes,
            },
        );
        if let Some(n) = r.found {
            dispenser.offer(n);
            let value = n.to_string();
            tracer.emit(lane, EventKind::Finished { unit, value });
            continue;
        }
        if !r.stopped {
            let value = "none".to_string();
            tracer.emit(lane, EventKind::Finished { unit, value });
            continue;
        }
        tracer.emit(lane, EventKind::Cancelled { unit });
        if stop.is_err() {
            // Whatever this lane leaves undone someone must still search.
            dispenser.give_back(range.start + r.hashes..range.end);
            if control.all_interrupted() {
                return Err(Interrupted);
            }
            control.clear_lane(lane);
        }
    }
    Ok(total)
}
