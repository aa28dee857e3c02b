//! The four ways the notes run the search: one loop, threads with and
//! without the GIL, processes.
//!
//! Lanes: 0 is the main thread (it runs the sequential loop, or hands
//! ranges to the pool); pool workers are lanes 1 to N.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::pools::{on_processes, on_threads};
use super::race::{Found, Job, Race, Stop};
use crate::runtime::{Control, Gil, Interrupted};
use crate::trace::{EventKind, LaneId, Tracer};

/// Least time between two progress events of the sequential loop.
const PROGRESS_EVERY: Duration = Duration::from_millis(25);

/// The main thread's lane.
const MAIN: LaneId = 0;

crate::modes! {
    /// How the search is run.
    pub enum Mode {
        /// One loop on one thread, as the notes' `challenge()`.
        Sequential = "sequential": "one loop, as the notes' challenge()",
        /// Threads sharing a simulated GIL, as CPython.
        ThreadsGil = "threads-gil": "threads sharing a simulated GIL, as CPython",
        /// Threads without a GIL, as Rust or free-threaded Python.
        Threads = "threads": "threads without a GIL, as Rust or free-threaded Python",
        /// A pool of OS processes, as `multiprocessing`.
        Processes = "processes": "a pool of OS processes, as multiprocessing",
        /// Threads sharing the GIL, hashing 4 KiB inputs: CPython's hashlib
        /// lets go of the GIL while it hashes 2048 bytes or more.
        ThreadsGil4k = "threads-gil-4k": "threads sharing the GIL on 4 KiB inputs: hashlib lets the GIL go while it hashes",
    }
}

impl Mode {
    /// `n` workers as the notes would say it: "1 thread", "2 processes".
    pub fn workers(self, n: usize) -> String {
        let noun = match (self, n) {
            (Mode::Processes, 1) => "process",
            (Mode::Processes, _) => "processes",
            (_, 1) => "thread",
            _ => "threads",
        };
        format!("{n} {noun}")
    }
}

/// Why a search ended without an answer.
#[derive(Debug, thiserror::Error)]
pub enum RaceError {
    /// Ctrl-C, or the pane's interrupt-all: `KeyboardInterrupt`.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
    /// A job raised (a panic, a crashed process, a wrong answer).
    #[error("a search job failed: {0}")]
    JobFailed(String),
    /// The process pool could not find our own program.
    #[error("cannot start worker processes: {0}")]
    Spawn(#[source] std::io::Error),
}

/// Runs `job` in `mode` on `workers` workers (one for sequential).
pub fn search(
    mode: Mode,
    job: &Job,
    workers: usize,
    tracer: &Tracer,
    control: &Control,
) -> Result<Found, RaceError> {
    let race = Arc::new(Race::new(job));
    let start = Instant::now();
    // The process pool announces lane 0 itself, with its state.
    let main_lane = mode != Mode::Processes;
    if main_lane {
        let name = "MainThread".to_string();
        let role = crate::trace::LaneRole::Main;
        tracer.emit(
            MAIN,
            EventKind::LaneUp {
                name,
                pid: None,
                role,
            },
        );
    }
    let r = match mode {
        Mode::Sequential => sequential(&race, tracer, control),
        Mode::Threads => on_threads(&race, workers, None, tracer, control),
        Mode::ThreadsGil | Mode::ThreadsGil4k => {
            on_threads(&race, workers, Some(Gil::new()), tracer, control)
        }
        Mode::Processes => on_processes(&race, job, workers, tracer, control),
    };
    if main_lane {
        let reason = match &r {
            Ok(()) => "shutdown".to_string(),
            Err(e) => e.to_string(),
        };
        tracer.emit(MAIN, EventKind::LaneDown { reason });
    }
    r?;
    Ok(Found {
        nonce: race.dispenser.best(),
        hashes: race.hashes(),
        elapsed: start.elapsed(),
    })
}

/// The notes' `challenge()`: one loop on the main thread, range by range.
fn sequential(race: &Race, tracer: &Tracer, control: &Control) -> Result<(), RaceError> {
    while let Some(range) = race.dispenser.take() {
        let unit = tracer.next_unit();
        let label = format!("search({}..{})", range.start, range.end);
        tracer.emit(MAIN, EventKind::Spawned { unit, label });
        tracer.emit(MAIN, EventKind::Started { unit });
        let mut last = Instant::now();
        let end = race.search_range(range, &mut |done| {
            if last.elapsed() >= PROGRESS_EVERY {
                last = Instant::now();
                tracer.emit(MAIN, EventKind::Progress { unit, done });
            }
            control.checkpoint(MAIN)
        });
        let done = end.hashes;
        tracer.emit(MAIN, EventKind::Progress { unit, done });
        match end.result {
            Ok(hit) => {
                let value = format!("{hit:?}");
                tracer.emit(MAIN, EventKind::Finished { unit, value });
            }
            Err(stop) => {
                tracer.emit(MAIN, EventKind::Cancelled { unit });
                if stop == Stop::Interrupted {
                    if control.all_interrupted() {
                        return Err(Interrupted.into());
                    }
                    control.clear_lane(MAIN);
                }
            }
        }
    }
    Ok(())
}
