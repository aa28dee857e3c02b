//! Two threads, two locks, on real threads.
//!
//! - `opposite`: thread-1 takes lock a then lock b, thread-2 takes lock b
//!   then lock a. Each holds its first lock while it works, then reaches
//!   for the other's: the wait-for graph closes a cycle, a deadlock.
//! - `ordered`: both take lock a, then lock b (one global order); one
//!   waits for the other, and both finish.
//!
//! The threads wait with timeouts (see [`lock`]), so an interrupt always
//! ends them. The main thread watches the graph: once a cycle has stood for
//! `hold-ms` it gives up on both threads, as a watchdog would (with
//! `hold-ms` 0 it waits for `X`). Lanes `thread-1`, `thread-2`; the graph
//! travels as `State` events ([`graph`]), the cycle as `deadlock`.

pub mod graph;
pub mod lock;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::Serialize;

use super::lane::LaneThread;
use super::{Example, Modes, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, EventKind, Tracer};
use graph::cycle_text;
use lock::{Graph, Lock, Stop};

crate::modes! {
    /// The order in which each thread takes the two locks.
    pub enum Mode {
        Opposite = "opposite": "thread-1 takes a then b, thread-2 takes b then a",
        Ordered = "ordered": "both take a, then b: one global lock order",
    }
}

crate::options! {
    /// Options of `deadlock`.
    pub struct DeadlockOptions {
        rounds: u32 = "rounds", "3", OptKind::Int { min: 1, max: 100 },
            "times each thread takes both locks";
        work_ms: u64 = "work-ms", "200", OptKind::Int { min: 0, max: 5_000 },
            "how long a thread works with its first lock, then with both, then rests";
        hold_ms: u64 = "hold-ms", "3000", OptKind::Int { min: 0, max: 60_000 },
            "how long the main thread watches a deadlock before giving up (0: until X)";
    }
}

/// How often the main thread looks at the graph.
const WATCH: Duration = Duration::from_millis(10);

/// Two threads taking two locks.
pub struct Deadlock;

impl Example for Deadlock {
    type Mode = Mode;
    type Options = DeadlockOptions;
    type Output = DeadlockOutput;
    const NAME: &'static str = "deadlock";
    const TITLE: &'static str = "Two threads, two locks";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Locks
    }

    fn start(mode: Mode, options: DeadlockOptions, ctx: RunCtx) -> Work<DeadlockOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// How one thread ended.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadEnd {
    pub name: String,
    /// Rounds it completed (both locks taken and released).
    pub rounds: u32,
    /// `completed`, `gave up` or `interrupted`.
    pub ended: &'static str,
}

/// Whether the threads deadlocked, on which cycle, and how they ended.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlockOutput {
    pub mode: &'static str,
    pub deadlocked: bool,
    /// `[thread, lock it waits for, thread holding it, lock, …]`.
    pub cycle: Vec<String>,
    /// When the cycle closed.
    pub deadlock_ms: Option<f64>,
    /// Whether every thread did all its rounds.
    pub completed: bool,
    pub threads: Vec<ThreadEnd>,
}

impl super::Output for DeadlockOutput {
    fn summary(&self) -> String {
        if self.deadlocked {
            let ends: Vec<String> = self
                .threads
                .iter()
                .map(|t| format!("{} {}", t.name, t.ended))
                .collect();
            format!("deadlock: {}; {}", cycle_text(&self.cycle), ends.join(", "))
        } else if self.completed {
            let rounds = self.threads.first().map_or(0, |t| t.rounds);
            format!("no deadlock: both threads completed {rounds} rounds")
        } else {
            "interrupted before the end, no deadlock".to_string()
        }
    }
}

/// What the threads share.
struct Shared<'a> {
    locks: [Lock; 2],
    graph: Graph,
    give_up: AtomicBool,
    tracer: &'a Tracer,
    control: &'a Control,
    work: Duration,
}

/// Starts both threads and watches the graph until they end.
pub fn run(
    mode: Mode,
    o: &DeadlockOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<DeadlockOutput> {
    let sh = Shared {
        locks: [Lock::new("a"), Lock::new("b")],
        graph: Graph::default(),
        give_up: AtomicBool::new(false),
        tracer,
        control,
        work: Duration::from_millis(o.work_ms),
    };
    let orders: [[usize; 2]; 2] = match mode {
        Mode::Opposite => [[0, 1], [1, 0]],
        Mode::Ordered => [[0, 1], [0, 1]],
    };
    let mut deadlock: Option<(Vec<String>, f64)> = None;
    let threads = std::thread::scope(|s| {
        let handles: Vec<_> = orders
            .iter()
            .enumerate()
            .map(|(i, order)| {
                let sh = &sh;
                s.spawn(move || worker(sh, i + 1, *order, o.rounds))
            })
            .collect();
        let hold = control.scaled(Duration::from_millis(o.hold_ms));
        let mut watched = Duration::ZERO;
        while !handles
            .iter()
            .all(std::thread::ScopedJoinHandle::is_finished)
        {
            std::thread::sleep(WATCH);
            if let Some(cycle) = sh.graph.snapshot().cycle() {
                if deadlock.is_none() {
                    let text = cycle_text(&cycle);
                    tracer.emit(0, state("deadlock", &text));
                    deadlock = Some((cycle, tracer.now().as_ms_f64()));
                }
                if !control.is_paused() {
                    watched += WATCH;
                    // Nothing else happens while the cycle stands: these
                    // keep the pane's clock (and its waits) going.
                    if (watched.as_millis() % 100) < WATCH.as_millis() {
                        let secs = watched.as_secs_f64();
                        tracer.emit(0, state("deadlock for", &format!("{secs:.1} s")));
                    }
                }
                if o.hold_ms > 0 && watched >= hold && !sh.give_up.swap(true, Ordering::SeqCst) {
                    let secs = hold.as_secs_f64();
                    let note = format!("the main thread gave up after {secs:.1} s");
                    tracer.emit(0, state("deadlock end", &note));
                }
            }
        }
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| ThreadEnd::lost()))
            .collect::<Vec<_>>()
    });
    let completed = threads.iter().all(|t| t.ended == "completed");
    if control.all_interrupted() && deadlock.is_none() {
        return Err(Interrupted.into());
    }
    let (cycle, deadlock_ms) = match deadlock {
        Some((c, at)) => (c, Some(at)),
        None => (Vec::new(), None),
    };
    Ok(DeadlockOutput {
        mode: mode.name(),
        deadlocked: deadlock_ms.is_some(),
        cycle,
        deadlock_ms,
        completed,
        threads,
    })
}

fn state(key: &str, value: &str) -> EventKind {
    EventKind::State {
        key: key.into(),
        value: value.into(),
    }
}

impl ThreadEnd {
    fn lost() -> ThreadEnd {
        ThreadEnd {
            name: "?".into(),
            rounds: 0,
            ended: "interrupted",
        }
    }
}

/// One thread: `rounds` times, take the first lock, work, take the
/// second, work, release both, rest.
fn worker(sh: &Shared, n: usize, order: [usize; 2], rounds: u32) -> ThreadEnd {
    let lane = crate::trace::LaneId::try_from(n).unwrap_or(1);
    let [first, second] = order.map(|i| &sh.locks[i]);
    let name = format!("thread-{n}");
    let label = format!("with {}: with {}:", first.name, second.name);
    let t = LaneThread::up(sh.tracer, lane, &name, &label);
    let mut done = 0;
    let result = (|| {
        for _ in 0..rounds {
            let stop = |_: Interrupted| Stop::Interrupted;
            sh.control.checkpoint(lane).map_err(stop)?;
            let a = first.acquire(&t, &sh.graph, sh.control, &sh.give_up)?;
            work(sh, &t).map_err(stop)?;
            let b = second.acquire(&t, &sh.graph, sh.control, &sh.give_up)?;
            work(sh, &t).map_err(stop)?;
            drop(b);
            drop(a);
            done += 1;
            t.progress(u64::from(done));
            work(sh, &t).map_err(stop)?;
        }
        Ok(())
    })();
    let ended = match result {
        Ok(()) => "completed",
        Err(Stop::GaveUp) => "gave up",
        Err(Stop::Interrupted) => "interrupted",
    };
    let value = result.is_ok().then(|| format!("{done} rounds"));
    t.end_as(value, ended);
    ThreadEnd {
        name,
        rounds: done,
        ended,
    }
}

/// `time.sleep(work)`: the work done with (or between) the locks.
fn work(sh: &Shared, t: &LaneThread) -> Result<(), Interrupted> {
    t.blocked(BlockOn::Sleep);
    let r = sh.control.sleep(t.lane, sh.work);
    t.woken();
    r
}

#[cfg(test)]
mod tests;
