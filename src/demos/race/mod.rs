//! The race on a shared counter, on real threads: each thread adds 1 to
//! one counter `increments` times.
//!
//! - `unlocked`: an atomic load, then a separate store of the value + 1.
//!   Both are atomic, the pair is not: on two cores another thread's
//!   update lands between them and is overwritten.
//! - `locked`: `*counter.lock() += 1` under a `Mutex`.
//! - `atomic`: one `fetch_add(1)`: the read, the add and the write are one
//!   indivisible step.
//! - `sleep`: the notes' `FakeDatabase.update`: read the value, sleep,
//!   write the value + 1 back. Every thread reads before any writes.
//! - `sleep-locked`: the same inside `with lock:`; the others wait.
//!
//! Lanes `thread-1`… are the threads; `State` events carry `counter` (its
//! latest value), `expected` (increments done so far) and, in the sleep
//! modes, each thread's last step (`thread-1 step`: `read 0`, …).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

use super::lane::LaneThread;
use super::{Example, Modes, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, LaneId, Micros, Tracer};

crate::modes! {
    /// How the threads update the counter.
    pub enum Mode {
        Unlocked = "unlocked": "an atomic load, then a separate store of value + 1: updates get lost",
        Locked = "locked": "counter += 1 under a Mutex",
        Atomic = "atomic": "one fetch_add(1): read, add and write in one step",
        Sleep = "sleep": "read, sleep, write value + 1 back (the notes' FakeDatabase)",
        SleepLocked = "sleep-locked": "the same inside with lock:",
    }
}

impl Mode {
    fn sleeps(self) -> bool {
        matches!(self, Mode::Sleep | Mode::SleepLocked)
    }
}

crate::options! {
    /// Options of `race`.
    pub struct RaceOptions {
        threads: usize = "threads", "2", OptKind::Int { min: 1, max: 8 },
            "threads updating the counter", keys('-', '+', Step::Add(1));
        increments: u64 = "increments", "1000000", OptKind::Int { min: 1, max: 100_000_000 },
            "increments per thread (the sleep modes do at most 20)";
        sleep_ms: u64 = "sleep-ms", "100", OptKind::Int { min: 0, max: 5_000 },
            "the sleep between the read and the write (sleep modes)";
    }
}

/// The most increments a thread does in the sleep modes.
pub const SLEEP_MAX: u64 = 20;

/// Increments between two reports (and two looks at the controls).
const CHUNK: u64 = 1 << 14;

/// A shared counter, updated with or without a lock.
pub struct Race;

impl Example for Race {
    type Mode = Mode;
    type Options = RaceOptions;
    type Output = RaceOutput;
    const NAME: &'static str = "race";
    const TITLE: &'static str = "A shared counter: lost updates";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Race
    }

    fn start(mode: Mode, options: RaceOptions, ctx: RunCtx) -> Work<RaceOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// The counter's final value against the increments the threads made.
#[derive(Debug, Clone, Serialize)]
pub struct RaceOutput {
    pub mode: &'static str,
    pub threads: usize,
    /// Increments each thread made (all of them unless interrupted).
    pub per_thread: Vec<u64>,
    /// The sum of those: what the counter should read.
    pub expected: u64,
    /// What it reads.
    pub got: u64,
    /// `expected - got`: updates overwritten by another thread.
    pub lost: u64,
    pub interrupted: bool,
}

impl super::Output for RaceOutput {
    fn summary(&self) -> String {
        let lost = if self.lost == 0 {
            "nothing lost".to_string()
        } else {
            format!("lost {}", group(self.lost))
        };
        let cut = if self.interrupted {
            " (interrupted)"
        } else {
            ""
        };
        format!(
            "expected {}, got {}: {lost}{cut}",
            group(self.expected),
            group(self.got)
        )
    }
}

/// `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What the threads share.
struct Shared<'a> {
    mode: Mode,
    counter: AtomicU64,
    /// The lock of `locked` (guarding `counted`) and of `sleep-locked`.
    lock: Mutex<u64>,
    /// Increments done, over all threads (the `expected` figure).
    done: AtomicU64,
    start: Barrier,
    tracer: &'a Tracer,
    control: &'a Control,
    sleep: Duration,
}

impl Shared<'_> {
    fn value(&self) -> u64 {
        match self.mode {
            Mode::Locked => *self.lock.lock().unwrap_or_else(PoisonError::into_inner),
            _ => self.counter.load(Ordering::SeqCst),
        }
    }

    /// Reports the counter and the increments done so far.
    fn report(&self, t: &LaneThread) {
        t.state("counter", group(self.value()));
        t.state("expected", group(self.done.load(Ordering::SeqCst)));
    }
}

/// Starts the threads at one barrier, lets each do its increments, joins
/// them and reads the counter.
pub fn run(
    mode: Mode,
    o: &RaceOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<RaceOutput> {
    let increments = if mode.sleeps() {
        o.increments.min(SLEEP_MAX)
    } else {
        o.increments
    };
    let shared = Shared {
        mode,
        counter: AtomicU64::new(0),
        lock: Mutex::new(0),
        done: AtomicU64::new(0),
        start: Barrier::new(o.threads),
        tracer,
        control,
        sleep: Duration::from_millis(o.sleep_ms),
    };
    let per_thread: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..=o.threads)
            .map(|n| {
                let shared = &shared;
                s.spawn(move || thread(shared, n, increments))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
    });
    let expected = per_thread.iter().sum();
    let got = shared.value();
    tracer.emit(
        0,
        crate::trace::EventKind::State {
            key: "counter".into(),
            value: group(got),
        },
    );
    Ok(RaceOutput {
        mode: mode.name(),
        threads: o.threads,
        expected,
        got,
        lost: expected.saturating_sub(got),
        interrupted: per_thread.iter().any(|&d| d < increments),
        per_thread,
    })
}

/// One thread: its increments, in chunks between which it reports and
/// looks at the controls. Returns how many it made.
fn thread(sh: &Shared, n: usize, increments: u64) -> u64 {
    let lane = LaneId::try_from(n).unwrap_or(LaneId::MAX);
    let label = if sh.mode.sleeps() {
        format!("update() ×{increments}")
    } else {
        format!("counter += 1 ×{}", group(increments))
    };
    let t = LaneThread::up(sh.tracer, lane, &format!("thread-{n}"), &label);
    // Everyone starts together, so the threads overlap however quick the
    // loop is.
    sh.start.wait();
    sh.report(&t);
    let mut done = 0;
    let result = if sh.mode.sleeps() {
        sleepy(sh, &t, increments, &mut done)
    } else {
        counting(sh, &t, increments, &mut done)
    };
    sh.report(&t);
    t.end(result.map(|()| done.to_string()));
    done
}

/// The counting modes: `increments` updates as fast as they go.
fn counting(
    sh: &Shared,
    t: &LaneThread,
    increments: u64,
    done: &mut u64,
) -> Result<(), Interrupted> {
    while *done < increments {
        sh.control.checkpoint(t.lane)?;
        let chunk = CHUNK.min(increments - *done);
        match sh.mode {
            Mode::Unlocked => {
                for _ in 0..chunk {
                    // Two atomic steps, not one: another thread's store can
                    // land between them, and this one overwrites it.
                    let v = sh.counter.load(Ordering::Relaxed);
                    sh.counter.store(v + 1, Ordering::Relaxed);
                }
            }
            Mode::Atomic => {
                for _ in 0..chunk {
                    sh.counter.fetch_add(1, Ordering::Relaxed);
                }
            }
            _ => {
                for _ in 0..chunk {
                    *lock(sh, t, "counter") += 1;
                }
            }
        }
        *done += chunk;
        sh.done.fetch_add(chunk, Ordering::SeqCst);
        t.progress(*done);
        sh.report(t);
    }
    Ok(())
}

/// Waits a contended lock drawn as such when the wait was long enough to
/// see (a few hundred µs); the many sub-µs waits of a tight loop are not.
fn lock<'a>(sh: &'a Shared, t: &LaneThread, name: &str) -> std::sync::MutexGuard<'a, u64> {
    if let Ok(g) = sh.lock.try_lock() {
        return g;
    }
    let since = t.now();
    let g = sh.lock.lock().unwrap_or_else(PoisonError::into_inner);
    if t.now().saturating_sub(since) >= Micros::from_us(300) {
        t.blocked_at(since, BlockOn::Lock { name: name.into() });
        t.woken();
    }
    g
}

/// The sleep modes: read, sleep, write back, with or without the lock.
fn sleepy(sh: &Shared, t: &LaneThread, increments: u64, done: &mut u64) -> Result<(), Interrupted> {
    let step = format!("{} step", t.name);
    while *done < increments {
        sh.control.checkpoint(t.lane)?;
        let guard = if sh.mode == Mode::SleepLocked {
            t.state(&step, "waits for the lock");
            Some(lock(sh, t, "db"))
        } else {
            None
        };
        let local = sh.counter.load(Ordering::SeqCst);
        t.state(&step, format!("read {local}"));
        t.blocked(BlockOn::Sleep);
        let slept = sh.control.sleep(t.lane, sh.sleep);
        t.woken();
        slept?;
        sh.counter.store(local + 1, Ordering::SeqCst);
        *done += 1;
        sh.done.fetch_add(1, Ordering::SeqCst);
        t.state(&step, format!("read {local}, wrote {}", local + 1));
        t.progress(*done);
        drop(guard);
        sh.report(t);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
