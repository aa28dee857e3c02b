//! A simulated global interpreter lock, as in CPython.
//!
//! One lock per run. A "Python" thread holds it while it runs; CPU work
//! calls [`Gil::should_switch`] once per batch and, when the switch interval
//! has passed and someone waits, hands the lock to the longest waiter and
//! queues behind it (CPython's forced switching, made strictly fair). I/O and
//! sleeps release it. The thread pool's `WorkerCtx` does all of this and
//! emits the `Blocked { on: Gil }` / `Woken` events; jobs never touch the
//! lock directly.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::trace::LaneId;

/// CPython's default switch interval (`sys.getswitchinterval()`).
pub const DEFAULT_SWITCH_INTERVAL: Duration = Duration::from_millis(5);

/// The lock itself; share it with `Arc` between the pools of one run.
pub struct Gil {
    state: Mutex<State>,
    turn: Condvar,
    /// Threads in the queue; read without the mutex on the hot path.
    waiting: AtomicUsize,
    switches: AtomicU64,
    interval: Duration,
}

struct State {
    holder: Option<LaneId>,
    queue: VecDeque<LaneId>,
    /// When the holder got the lock: the instant of the hand-over for a
    /// waiter, so that one lane's turn ends exactly where the next begins.
    held_since: Instant,
    /// The last release: by whom and when.
    released: Option<(LaneId, Instant)>,
}

/// How a lane got the lock, from [`Gil::take`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// It queued and slept until the lock was handed over.
    pub waited: bool,
    /// Another lane held the lock at some moment since the lane asked for
    /// it (it waited, or a turn began and ended just before it asked).
    pub held_meanwhile: bool,
    /// When the lane became the holder (the hand-over, for a waiter).
    pub at: Instant,
}

impl Gil {
    /// A free GIL with CPython's 5 ms switch interval.
    pub fn new() -> Arc<Gil> {
        Gil::with_interval(DEFAULT_SWITCH_INTERVAL)
    }

    /// A free GIL with another switch interval (at least 50 µs).
    pub fn with_interval(interval: Duration) -> Arc<Gil> {
        Arc::new(Gil {
            state: Mutex::new(State {
                holder: None,
                queue: VecDeque::new(),
                held_since: Instant::now(),
                released: None,
            }),
            turn: Condvar::new(),
            waiting: AtomicUsize::new(0),
            switches: AtomicU64::new(0),
            interval: interval.max(Duration::from_micros(50)),
        })
    }

    /// The switch interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// How many times the lock changed hands while someone waited.
    pub fn switches(&self) -> u64 {
        self.switches.load(Ordering::Relaxed)
    }

    /// The lane holding the lock now.
    pub fn holder(&self) -> Option<LaneId> {
        self.lock().holder
    }

    /// Threads waiting for the lock now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the lock for `lane`, queueing behind earlier waiters.
    /// `on_wait` runs once, before sleeping, only when the lane must wait
    /// (the caller emits `Blocked { on: Gil }` there). Returns whether it
    /// waited.
    pub fn acquire(&self, lane: LaneId, on_wait: impl FnOnce()) -> bool {
        self.take(lane, Instant::now(), on_wait).waited
    }

    /// Takes the lock for `lane`, which has wanted it since `asked`; says
    /// when it got it, so the trace can stamp the turn where it began and
    /// not when the woken thread was next scheduled. `on_wait` runs once,
    /// under the lock's mutex, only when the lane must queue.
    pub fn take(&self, lane: LaneId, asked: Instant, on_wait: impl FnOnce()) -> Taken {
        let mut s = self.lock();
        if s.holder.is_none() && s.queue.is_empty() {
            let at = Instant::now();
            s.holder = Some(lane);
            s.held_since = at;
            let held_meanwhile = matches!(s.released, Some((l, t)) if l != lane && t > asked);
            return Taken {
                waited: false,
                held_meanwhile,
                at,
            };
        }
        s.queue.push_back(lane);
        self.waiting.fetch_add(1, Ordering::Relaxed);
        on_wait();
        while s.holder != Some(lane) {
            s = self.turn.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        self.waiting.fetch_sub(1, Ordering::Relaxed);
        Taken {
            waited: true,
            held_meanwhile: true,
            at: s.held_since,
        }
    }

    /// Gives the lock up; the longest waiter owns it at once.
    pub fn release(&self, lane: LaneId) {
        self.give_up(lane);
    }

    /// Gives the lock up and says when (`None` if `lane` did not hold it);
    /// the longest waiter owns it from that same instant.
    pub fn give_up(&self, lane: LaneId) -> Option<Instant> {
        let mut s = self.lock();
        if s.holder != Some(lane) {
            return None;
        }
        let at = Instant::now();
        s.released = Some((lane, at));
        s.holder = s.queue.pop_front();
        if s.holder.is_some() {
            s.held_since = at;
            self.switches.fetch_add(1, Ordering::Relaxed);
            drop(s);
            self.turn.notify_all();
        }
        Some(at)
    }

    /// Whether a holder that took the lock at `since` must hand it over now:
    /// the interval passed and another thread waits. Cheap: one atomic load,
    /// and a clock read only when someone waits.
    #[inline]
    pub fn should_switch(&self, since: Instant) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0 && since.elapsed() >= self.interval
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_over_goes_to_the_longest_waiter() {
        let gil = Gil::new();
        assert!(!gil.acquire(1, || {}));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut threads = Vec::new();
        for lane in [2, 3] {
            let (g, o) = (gil.clone(), order.clone());
            threads.push(std::thread::spawn(move || {
                g.acquire(lane, || {});
                o.lock().unwrap().push(lane);
                g.release(lane);
            }));
            // Let lane 2 queue before lane 3.
            while gil.waiting() < (lane - 1) as usize {
                std::thread::yield_now();
            }
        }
        assert!(
            gil.should_switch(
                Instant::now()
                    .checked_sub(Duration::from_millis(10))
                    .unwrap()
            )
        );
        // A hold that began in the future has not lasted the interval, however
        // long this thread is kept off the CPU.
        assert!(!gil.should_switch(Instant::now() + Duration::from_hours(1)));
        gil.release(1);
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![2, 3]);
        assert_eq!(gil.holder(), None);
        assert_eq!(gil.switches(), 2);
    }

    #[test]
    fn releasing_a_lock_you_do_not_hold_does_nothing() {
        let gil = Gil::new();
        gil.acquire(1, || {});
        gil.release(2);
        assert_eq!(gil.holder(), Some(1));
    }
}
