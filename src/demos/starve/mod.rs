//! Starvation: two threads run the same loop — take the lock, work while
//! holding it, let go, and straight away take it again — `rounds` times.
//!
//! - `polling`: `std::sync::Mutex`, and a thread that finds it taken
//!   tries again every millisecond (`try_lock` and a sleep). The thread
//!   that lets go asks again at once and finds the lock free; the other
//!   one only ever looks while it is held: it starves.
//! - `blocking`: a lock whose waiters park until the holder lets go and
//!   wakes one ([`parking`], built as std's `Mutex::lock()` but with a wait
//!   that an interrupt ends). It promises no order (the holder may take
//!   the lock back before the woken thread runs).
//! - `fair`: a ticket lock ([`ticket`]): the lock goes in the order the
//!   threads asked, so the turns alternate.
//!
//! Lanes `thread-1`, `thread-2`; each wait for the lock is a `Blocked {
//! Lock m }` stretch. `State` events: `turns` (whose turn each was, in
//! order: `1122…`), and the wait-for graph of [`super::deadlock::graph`].

pub mod parking;
pub mod ticket;

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

use super::deadlock::graph::{holder_key, wants_key};
use super::lane::LaneThread;
use super::{Example, Modes, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, LaneId, Micros, Tracer};
use parking::{ParkingGuard, ParkingLock};
use ticket::TicketLock;

crate::modes! {
    /// Which lock the threads share.
    pub enum Mode {
        Polling = "polling": "std Mutex, try_lock every 1 ms: whoever lets go takes it straight back",
        Blocking = "blocking": "lock(): the waiter parks until woken, no order promised",
        Fair = "fair": "a ticket lock: first come, first served",
    }
}

crate::options! {
    /// Options of `starve`.
    pub struct StarveOptions {
        rounds: u32 = "rounds", "10", OptKind::Int { min: 1, max: 200 },
            "times each thread takes the lock";
        hold_ms: u64 = "hold-ms", "50", OptKind::Int { min: 1, max: 2_000 },
            "how long a thread works holding the lock";
    }
}

/// How often a polling thread tries the lock again.
const POLL: Duration = Duration::from_millis(1);

/// The lock's name in the pane.
const LOCK: &str = "lock m";

/// Two threads, one lock, no rest between turns.
pub struct Starve;

impl Example for Starve {
    type Mode = Mode;
    type Options = StarveOptions;
    type Output = StarveOutput;
    const NAME: &'static str = "starve";
    const TITLE: &'static str = "Starvation: one lock, two greedy threads";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Locks
    }

    fn start(mode: Mode, options: StarveOptions, ctx: RunCtx) -> Work<StarveOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// One thread's waits.
#[derive(Debug, Clone, Serialize)]
pub struct Waits {
    pub name: String,
    pub turns: u32,
    /// Its longest wait for the lock.
    pub longest_wait_ms: f64,
    pub total_wait_ms: f64,
}

/// Whose turn each was, and how long each thread waited.
#[derive(Debug, Clone, Serialize)]
pub struct StarveOutput {
    pub mode: &'static str,
    /// The turns in order: `1` for thread-1, `2` for thread-2.
    pub order: String,
    /// The most turns one thread took in a row.
    pub longest_streak: usize,
    pub threads: Vec<Waits>,
    pub interrupted: bool,
}

impl super::Output for StarveOutput {
    fn summary(&self) -> String {
        let turns = if self.longest_streak == 1 {
            "turn"
        } else {
            "turns"
        };
        let longest = self
            .threads
            .iter()
            .max_by(|a, b| a.longest_wait_ms.total_cmp(&b.longest_wait_ms));
        let wait = longest.map_or(String::new(), |w| {
            format!(
                "; {:.2} s longest wait ({})",
                w.longest_wait_ms / 1000.0,
                w.name
            )
        });
        format!("at most {} {turns} in a row{wait}", self.longest_streak)
    }
}

/// The most equal characters in a row.
pub fn longest_streak(order: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    let mut prev = None;
    for c in order.chars() {
        run = if prev == Some(c) { run + 1 } else { 1 };
        prev = Some(c);
        best = best.max(run);
    }
    best
}

/// The lock of either mode.
enum Shared {
    Polling(Mutex<()>),
    Parking(ParkingLock),
    Fair(TicketLock),
}

/// What the threads share.
struct Ctx<'a> {
    lock: Shared,
    order: Mutex<String>,
    tracer: &'a Tracer,
    control: &'a Control,
    hold: Duration,
}

/// Runs both threads to the end of their rounds.
pub fn run(
    mode: Mode,
    o: &StarveOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<StarveOutput> {
    let lock = match mode {
        Mode::Polling => Shared::Polling(Mutex::new(())),
        Mode::Blocking => Shared::Parking(ParkingLock::default()),
        Mode::Fair => Shared::Fair(TicketLock::default()),
    };
    let ctx = Ctx {
        lock,
        order: Mutex::new(String::new()),
        tracer,
        control,
        hold: Duration::from_millis(o.hold_ms),
    };
    let results: Vec<(Waits, bool)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..=2)
            .map(|n| {
                let ctx = &ctx;
                s.spawn(move || thread(ctx, n, o.rounds))
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let order = ctx
        .order
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let interrupted = results.iter().any(|(_, ok)| !ok);
    if interrupted && control.all_interrupted() && order.is_empty() {
        return Err(Interrupted.into());
    }
    Ok(StarveOutput {
        mode: mode.name(),
        longest_streak: longest_streak(&order),
        order,
        threads: results.into_iter().map(|(w, _)| w).collect(),
        interrupted,
    })
}

/// One thread's rounds; returns its waits and whether it did them all.
fn thread(ctx: &Ctx, n: u32, rounds: u32) -> (Waits, bool) {
    let lane = LaneId::from(n);
    let name = format!("thread-{n}");
    let t = LaneThread::up(ctx.tracer, lane, &name, &format!("with {LOCK}: ×{rounds}"));
    let mut w = Waits {
        name: name.clone(),
        turns: 0,
        longest_wait_ms: 0.0,
        total_wait_ms: 0.0,
    };
    let result = (|| {
        for _ in 0..rounds {
            ctx.control.checkpoint(lane)?;
            let asked = t.now();
            let turn = Turn::take(ctx, &t)?;
            let waited = t.now().saturating_sub(asked).as_ms_f64();
            w.longest_wait_ms = w.longest_wait_ms.max(waited);
            w.total_wait_ms += waited;
            w.turns += 1;
            let order = {
                let mut order = ctx.order.lock().unwrap_or_else(PoisonError::into_inner);
                order.push_str(&n.to_string());
                order.clone()
            };
            t.state("turns", order);
            t.progress(u64::from(w.turns));
            t.blocked(BlockOn::Sleep);
            let slept = ctx.control.sleep(lane, ctx.hold);
            t.woken();
            drop(turn);
            slept?;
        }
        Ok(())
    })();
    let ok = result.is_ok();
    t.end(result.map(|()| format!("{} turns", w.turns)));
    (w, ok)
}

/// A held lock of either kind, kept for what its `Drop` does.
#[allow(dead_code, reason = "the guards are held only to be dropped")]
enum Guard<'a> {
    Std(std::sync::MutexGuard<'a, ()>),
    Parking(ParkingGuard<'a>),
    Fair(ticket::TicketGuard<'a>),
}

/// One turn with the lock, reported to the graph: dropping it lets go.
struct Turn<'a> {
    thread: &'a LaneThread,
    _guard: Guard<'a>,
}

impl<'a> Turn<'a> {
    /// Waits for the lock (drawn as `Blocked { Lock m }` when it is not
    /// free) and takes it.
    fn take(ctx: &'a Ctx, t: &'a LaneThread) -> Result<Turn<'a>, Interrupted> {
        let wait = |t: &LaneThread| {
            t.blocked(BlockOn::Lock { name: "m".into() });
            t.state(wants_key(&t.name), LOCK);
        };
        let guard = match &ctx.lock {
            Shared::Polling(m) => {
                let g = if let Ok(g) = m.try_lock() {
                    g
                } else {
                    wait(t);
                    let g = poll(m, t, ctx.control);
                    woken(t);
                    g?
                };
                Guard::Std(g)
            }
            Shared::Parking(lock) => {
                let g = if let Some(g) = lock.try_lock() {
                    g
                } else {
                    wait(t);
                    let g = lock.lock(t.lane, ctx.control);
                    woken(t);
                    g?
                };
                Guard::Parking(g)
            }
            Shared::Fair(lock) => {
                let (mine, behind) = lock.take_number();
                if behind {
                    wait(t);
                }
                let g = lock.wait_turn(mine, t.lane, ctx.control);
                if behind {
                    woken(t);
                }
                Guard::Fair(g?)
            }
        };
        t.state(holder_key(LOCK), t.name.clone());
        Ok(Turn {
            thread: t,
            _guard: guard,
        })
    }
}

/// `while not lock.acquire(blocking=False): time.sleep(0.001)`.
fn poll<'a>(
    m: &'a Mutex<()>,
    t: &LaneThread,
    control: &Control,
) -> Result<std::sync::MutexGuard<'a, ()>, Interrupted> {
    loop {
        match m.try_lock() {
            Ok(g) => return Ok(g),
            Err(std::sync::TryLockError::Poisoned(p)) => return Ok(p.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
        control.checkpoint(t.lane)?;
        std::thread::sleep(POLL);
    }
}

fn woken(t: &LaneThread) {
    t.state(wants_key(&t.name), "");
    t.woken();
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        // Sent before the guard lets go (fields drop after this), so that
        // the next holder's event comes after this one.
        self.thread.state(holder_key(LOCK), "");
    }
}

/// Longest stretch a lane spent waiting on a lock, the open one included.
pub fn longest_lock_wait(lane: &crate::trace::fold::Lane, now_us: u64) -> Micros {
    use crate::trace::fold::Activity;
    let closed = lane
        .segments
        .iter()
        .filter(|s| matches!(s.activity, Activity::Blocked(BlockOn::Lock { .. })))
        .map(crate::trace::fold::Segment::span)
        .max()
        .unwrap_or(Micros::ZERO);
    let open = if matches!(lane.activity, Activity::Blocked(BlockOn::Lock { .. })) {
        Micros::from_us(now_us.saturating_sub(lane.since_us))
    } else {
        Micros::ZERO
    };
    closed.max(open)
}

#[cfg(test)]
mod tests;
