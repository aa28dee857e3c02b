//! One search shared by every worker: the message prepared once, ranges
//! from a [`Dispenser`], the smallest nonce wins.

use std::fmt;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::dispenser::Dispenser;
use super::wide::Wide;
use crate::runtime::Interrupted;
use crate::sha::{COUNTERS, Challenge, Prefix};

/// One search to run: what to hash and how to split it.
#[derive(Debug, Clone)]
pub struct Job {
    /// The text hashed (its UTF-8 bytes, then the counter).
    pub message: String,
    /// What the hex digest must start with.
    pub prefix: Prefix,
    /// Counters handed out at a time.
    pub chunk: u64,
    /// Counters to search (the notes' `range(2**32-1)` by default).
    pub range: Range<u64>,
    /// Hash 4 KiB inputs (the message repeated, then the counter) in full
    /// instead of the message and the counter.
    pub wide: bool,
}

impl Job {
    /// The notes' challenge over all its counters.
    pub fn new(message: &str, prefix: Prefix, chunk: u64) -> Job {
        Job {
            message: message.to_string(),
            prefix,
            chunk,
            range: 0..COUNTERS,
            wide: false,
        }
    }

    /// The same search on 4 KiB inputs ([`Wide`]).
    #[must_use]
    pub fn wide(mut self, yes: bool) -> Job {
        self.wide = yes;
        self
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

/// A range's answer as a future shows it: the nonce, or Python's `None`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hit(pub Option<u64>);

impl fmt::Debug for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, "{n}"),
            None => f.write_str("None"),
        }
    }
}

/// Why a range stopped before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// A smaller nonce than any in the range is known.
    Beaten,
    /// The lane or the run was interrupted; the rest was given back.
    Interrupted,
}

/// How one range ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeEnd {
    pub hashes: u64,
    pub result: Result<Hit, Stop>,
}

/// The state every worker shares.
pub struct Race {
    pub challenge: Challenge,
    /// The 4 KiB inputs, when the job hashes those.
    pub wide: Option<Wide>,
    pub prefix: Prefix,
    pub dispenser: Dispenser,
    hashes: AtomicU64,
}

impl Race {
    /// A fresh search of `job`.
    pub fn new(job: &Job) -> Race {
        Race {
            challenge: Challenge::new(job.message.as_bytes()),
            wide: job.wide.then(|| Wide::new(job.message.as_bytes())),
            prefix: job.prefix.clone(),
            dispenser: Dispenser::new(job.range.clone(), job.chunk),
            hashes: AtomicU64::new(0),
        }
    }

    /// Hashes computed so far by every worker.
    pub fn hashes(&self) -> u64 {
        self.hashes.load(Ordering::Relaxed)
    }

    /// Counts hashes computed elsewhere (in a worker process).
    pub fn add_hashes(&self, n: u64) {
        self.hashes.fetch_add(n, Ordering::Relaxed);
    }

    /// Searches `range` in order, calling `tick(done)` after every batch
    /// (progress, GIL hand-over, pause and interrupt live there).
    ///
    /// Stops early when a smaller nonce is known; an interrupt gives the
    /// unsearched rest back to the dispenser so that the answer stays the
    /// smallest.
    pub fn search_range(
        &self,
        range: Range<u64>,
        tick: &mut dyn FnMut(u64) -> Result<(), Interrupted>,
    ) -> RangeEnd {
        if self.dispenser.beaten(range.start) {
            return RangeEnd {
                hashes: 0,
                result: Err(Stop::Beaten),
            };
        }
        let mut stop = Stop::Beaten;
        let mut on_batch = |done| {
            if self.dispenser.beaten(range.start) {
                return false;
            }
            if let Err(Interrupted) = tick(done) {
                stop = Stop::Interrupted;
                false
            } else {
                true
            }
        };
        let r = match &self.wide {
            Some(w) => w.search(&self.prefix, range.clone(), &mut on_batch),
            None => self
                .challenge
                .search(&self.prefix, range.clone(), &mut on_batch),
        };
        self.hashes.fetch_add(r.hashes, Ordering::Relaxed);
        let result = if let Some(n) = r.found {
            self.dispenser.offer(n);
            Ok(Hit(Some(n)))
        } else if !r.stopped {
            Ok(Hit(None))
        } else {
            if stop == Stop::Interrupted {
                self.dispenser.give_back(range.start + r.hashes..range.end);
            }
            Err(stop)
        };
        RangeEnd {
            hashes: r.hashes,
            result,
        }
    }
}
