//! The notes' "threading objects" on real threads: a `Semaphore` that lets
//! at most K of N workers in, a `Timer` that runs a function after a delay
//! unless cancelled, a `Barrier` that releases N threads together, and an
//! `Event` that several threads wait for.
//!
//! Lanes: 0 is `MainThread`, then `Thread-1..N` (the timer's one thread is
//! `Thread-1`). States the queue pane draws: `buffer` (who holds a permit,
//! who waits at the barrier), `buffer.name`, `buffer.size`, `gate` (the
//! event's or the timer's state), `gate.deadline` (when the timer fires, in
//! µs), `marks` (release times, µs, for the time-line's vertical lines).

pub(crate) mod objects;
mod run;
pub use run::run;
#[cfg(test)]
mod tests;
pub(crate) mod thread;

use serde::Serialize;

use super::{Example, Live, OptKind, PaneKind, RunCtx, Step, Work};

crate::modes! {
    /// Which object the threads meet at.
    pub enum Mode {
        Semaphore = "semaphore": "N workers, Semaphore(permits): at most permits inside at once",
        Timer = "timer": "Timer(delay, hello): hello() on a new thread after the delay, unless cancelled (e)",
        Barrier = "barrier": "N threads, work of different lengths, then barrier.wait(): released together",
        Event = "event": "N threads wait for one Event; main sets it after delay-ms (or e)",
    }
}

crate::options! {
    /// Options of `sync`.
    pub struct SyncOptions {
        workers: usize = "workers", "4", OptKind::Int { min: 1, max: 8 },
            "threads (semaphore, barrier, event)", keys('-', '+', Step::Add(1)), modes("semaphore", "barrier", "event");
        permits: usize = "permits", "2", OptKind::Int { min: 1, max: 8 },
            "the semaphore's permits", keys('[', ']', Step::Add(1)), modes("semaphore");
        work_ms: u64 = "work-ms", "300", OptKind::Int { min: 0, max: 10_000 },
            "time of one piece of work (barrier: thread i works i times this)", modes("semaphore", "barrier", "event");
        rounds: usize = "rounds", "2", OptKind::Int { min: 1, max: 5 },
            "jobs per worker (semaphore), barrier.wait() calls per thread (barrier)", modes("semaphore", "barrier");
        delay_ms: u64 = "delay-ms", "3000", OptKind::Int { min: 0, max: 60_000 },
            "timer: its interval; event: main sets the event after this long", modes("timer", "event");
        cancel_ms: i64 = "cancel-ms", "-1", OptKind::Int { min: -1, max: 60_000 },
            "timer: main calls cancel() after this long (-1: never; e cancels now)", modes("timer");
        signal: Live = "signal", "0", OptKind::Int { min: 0, max: 1_000_000 },
            "e: main sets the event (event) or cancels the timer (timer) now", keys('e', 'e', Step::Add(1)), modes("timer", "event");
    }
}

/// `Semaphore`, `Timer`, `Barrier` and `Event` on real threads.
pub struct SyncObjects;

impl Example for SyncObjects {
    type Mode = Mode;
    type Options = SyncOptions;
    type Output = SyncOutput;
    const NAME: &'static str = "sync";
    const TITLE: &'static str = "Semaphore, Timer, Barrier, Event";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Queue
    }

    fn start(mode: Mode, options: SyncOptions, ctx: RunCtx) -> Work<SyncOutput> {
        Work::Thread(Box::new(move || {
            run::run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What the threads did at the object.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncOutput {
    pub mode: &'static str,
    pub workers: usize,
    /// Semaphore: its permits, and the most threads ever inside at once.
    pub permits: usize,
    pub max_inside: usize,
    /// Barrier and event: for each release, when each thread went on (ms
    /// since the start), in the order they woke.
    pub releases_ms: Vec<Vec<f64>>,
    /// The widest gap between the first and the last thread of a release.
    pub spread_ms: f64,
    /// Timer: whether its function ran, or it was cancelled first.
    pub fired: bool,
    pub cancelled: bool,
    /// Threads that ended another way than by returning.
    pub broken: Vec<String>,
    pub interrupted: bool,
}

impl super::Output for SyncOutput {
    fn summary(&self) -> String {
        let stopped = if self.interrupted { " (stopped)" } else { "" };
        match self.mode {
            "semaphore" => format!(
                "{} workers, {} permits: at most {} inside at once{stopped}",
                self.workers, self.permits, self.max_inside
            ),
            "timer" if self.fired => format!("the timer fired: hello() ran{stopped}"),
            "timer" if self.cancelled => "cancel() came first: hello() never ran".to_string(),
            "timer" => format!("the timer neither fired nor was cancelled{stopped}"),
            _ if !self.broken.is_empty() => {
                format!("{}: {}{stopped}", self.broken.len(), self.broken[0])
            }
            _ => format!(
                "{} release(s) of {} threads, each within {:.2} ms of the first{stopped}",
                self.releases_ms.len(),
                self.workers,
                self.spread_ms
            ),
        }
    }
}
