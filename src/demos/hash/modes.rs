//! The four ways the notes run the search: one loop, threads with and
//! without the GIL, processes.

use std::thread;
use std::time::Instant;

use super::race::{Found, Job, Shared, work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, LaneId, Tracer};

/// How the search is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One loop on one thread, as the notes' `challenge()`.
    Sequential,
    /// Threads sharing a simulated GIL, as CPython.
    ThreadsGil,
    /// Threads without a GIL, as Rust or free-threaded Python.
    Threads,
    /// A pool of OS processes, as `multiprocessing`.
    Processes,
}

impl Mode {
    /// The mode named as in the example's spec.
    pub fn from_name(name: &str) -> Option<Mode> {
        match name {
            "sequential" => Some(Mode::Sequential),
            "threads-gil" => Some(Mode::ThreadsGil),
            "threads" => Some(Mode::Threads),
            "processes" => Some(Mode::Processes),
            _ => None,
        }
    }

    /// The spec's name of the mode.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Sequential => "sequential",
            Mode::ThreadsGil => "threads-gil",
            Mode::Threads => "threads",
            Mode::Processes => "processes",
        }
    }

    /// What a worker is called in this mode ("thread", "process").
    pub fn worker_noun(self) -> &'static str {
        match self {
            Mode::Sequential | Mode::ThreadsGil | Mode::Threads => "thread",
            Mode::Processes => "process",
        }
    }
}

/// Why a search ended without an answer.
#[derive(Debug, thiserror::Error)]
pub enum RaceError {
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
    #[error("cannot start worker thread {lane}: {source}")]
    Spawn {
        lane: LaneId,
        source: std::io::Error,
    },
    #[error("worker thread {0} panicked")]
    Panicked(LaneId),
    #[error("mode `{0}` is not available: {1}")]
    Unavailable(&'static str, &'static str),
}

/// Runs `job` in `mode` on `workers` workers (one for sequential); lanes
/// are numbered from 0.
pub fn search(
    mode: Mode,
    job: &Job,
    workers: usize,
    tracer: &Tracer,
    control: &Control,
) -> Result<Found, RaceError> {
    let shared = Shared::new(job, tracer, control);
    let start = Instant::now();
    let hashes = match mode {
        Mode::Sequential => {
            lane_up(tracer, 0, "MainThread");
            let r = work(&shared, 0, &mut |_| Ok(()));
            lane_down(tracer, 0, &r);
            r?
        }
        Mode::Threads => on_threads(&shared, workers.max(1))?,
        Mode::ThreadsGil => {
            return Err(RaceError::Unavailable(
                mode.name(),
                "the simulated GIL comes with the runtime",
            ));
        }
        Mode::Processes => {
            return Err(RaceError::Unavailable(
                mode.name(),
                "the process pool comes with the runtime",
            ));
        }
    };
    Ok(shared.found(hashes, start))
}

/// Plain OS threads, one per worker, sharing nothing but the dispenser.
fn on_threads(shared: &Shared, workers: usize) -> Result<u64, RaceError> {
    thread::scope(|s| {
        let mut handles = Vec::with_capacity(workers);
        for k in 0..workers {
            let lane = k as LaneId;
            let name = format!("worker-{}", k + 1);
            let spawned = thread::Builder::new()
                .name(name.clone())
                .spawn_scoped(s, move || {
                    lane_up(shared.tracer, lane, &name);
                    let r = work(shared, lane, &mut |_| Ok(()));
                    lane_down(shared.tracer, lane, &r);
                    r
                });
            match spawned {
                Ok(h) => handles.push((lane, h)),
                Err(source) => {
                    // The threads already running must not search alone.
                    shared.control.interrupt_all();
                    return Err(RaceError::Spawn { lane, source });
                }
            }
        }
        let mut total = 0;
        let mut failure = None;
        for (lane, h) in handles {
            match h.join() {
                Ok(Ok(n)) => total += n,
                Ok(Err(e)) => failure = failure.or(Some(RaceError::from(e))),
                Err(_) => failure = failure.or(Some(RaceError::Panicked(lane))),
            }
        }
        failure.map_or(Ok(total), Err)
    })
}

fn lane_up(tracer: &Tracer, lane: LaneId, name: &str) {
    let name = name.to_string();
    tracer.emit(lane, EventKind::LaneUp { name, pid: None });
}

fn lane_down(tracer: &Tracer, lane: LaneId, r: &Result<u64, Interrupted>) {
    let reason = match r {
        Ok(_) => "shutdown".to_string(),
        Err(e) => e.to_string(),
    };
    tracer.emit(lane, EventKind::LaneDown { reason });
}
