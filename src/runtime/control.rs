//! Live steering shared by a run and the keys: pause, time scale, interrupt.
//!
//! Workers call [`Control::checkpoint`] at safe points (between hash
//! batches, between requests, before a sleep); it parks them while paused and
//! tells them when they have been interrupted.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::trace::LaneId;

mod keys;
mod record;

/// The main thread's lane in every runtime.
pub const MAIN_LANE: LaneId = 0;

/// Why a worker must stop: the Rust face of Python's `KeyboardInterrupt`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted (KeyboardInterrupt)")]
pub struct Interrupted;

/// Pause, slow-motion and interrupt switches for one run.
#[derive(Clone, Default)]
pub struct Control {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    paused: Mutex<bool>,
    resumed: Condvar,
    notify: tokio::sync::Notify,
    /// Time scale in percent: 100 is real time, 400 is four times slower.
    scale_pct: AtomicU32,
    all_interrupted: AtomicBool,
    lanes_interrupted: Mutex<HashSet<LaneId>>,
    /// Ctrl-C arrived (`KeyboardInterrupt`).
    keyboard: AtomicBool,
    /// The run delivers Ctrl-C to the main thread only, as CPython does for
    /// a program whose other threads are a thread pool's workers.
    keyboard_to_main_only: AtomicBool,
    /// Overrides the event loops' slow-poll threshold (asyncio's
    /// `slow_callback_duration`), so that tests decide what counts as slow.
    slow_poll: Mutex<Option<Duration>>,
    /// Keys posted to the run ([`Control::post_key`]).
    keys: keys::Inbox,
    /// Presses of the key that reaches a running example (`next()`, a
    /// poll, an acknowledgement), counted.
    presses: AtomicU64,
    /// Pauses and time scales the run went through, for honest timing.
    record: Mutex<record::Record>,
}

impl Control {
    /// A control in the running state at real-time speed.
    pub fn new() -> Control {
        let c = Control::default();
        c.inner.scale_pct.store(100, Ordering::Relaxed);
        c
    }

    /// The learner pressed the example's key (`b`): examples that step by
    /// key (a generator's `next()`, an acknowledgement) count presses.
    pub fn press(&self) {
        self.inner.presses.fetch_add(1, Ordering::Relaxed);
        self.inner.notify.notify_waiters();
    }

    /// Presses so far.
    pub fn presses(&self) -> u64 {
        self.inner.presses.load(Ordering::Relaxed)
    }

    /// Pauses or resumes; workers stop at their next checkpoint.
    pub fn set_paused(&self, paused: bool) {
        *self
            .inner
            .paused
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = paused;
        self.record().paused(paused, Instant::now());
        if !paused {
            self.inner.resumed.notify_all();
            self.inner.notify.notify_waiters();
        }
    }

    /// Whether the run is paused.
    pub fn is_paused(&self) -> bool {
        *self
            .inner
            .paused
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Time scale in percent (100 = real time, 200 = half speed).
    pub fn scale_pct(&self) -> u32 {
        self.inner.scale_pct.load(Ordering::Relaxed).max(1)
    }

    /// Sets the time scale, clamped to 10 %..=2000 %.
    pub fn set_scale_pct(&self, pct: u32) {
        self.inner
            .scale_pct
            .store(pct.clamp(10, 2000), Ordering::Relaxed);
        self.record().scaled(pct.clamp(10, 2000));
    }

    /// Sets how long a task's poll may take, on the event loops of this run,
    /// before it is reported as blocking the loop (default 100 ms).
    pub fn set_slow_poll_threshold(&self, d: Duration) {
        *self
            .inner
            .slow_poll
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(d);
    }

    /// The threshold set by [`Control::set_slow_poll_threshold`], if any.
    pub(crate) fn slow_poll_threshold(&self) -> Option<Duration> {
        *self
            .inner
            .slow_poll
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// A duration of the example's world (a sleep, a latency) in real time.
    pub fn scaled(&self, d: Duration) -> Duration {
        d * self.scale_pct() / 100
    }

    /// Interrupts every lane: the Ctrl-C of the example.
    pub fn interrupt_all(&self) {
        self.inner.all_interrupted.store(true, Ordering::SeqCst);
        self.set_paused(false);
        self.inner.notify.notify_waiters();
    }

    /// Ctrl-C, delivered as CPython delivers it: `KeyboardInterrupt` is
    /// raised in the main thread (lane 0). Where the run said so
    /// ([`Control::deliver_keyboard_to_main_only`]), the other threads go
    /// on: a `ThreadPoolExecutor`'s workers finish the queue, because leaving
    /// its `with` block calls `shutdown(wait=True)`. Everywhere else — an
    /// event loop (`asyncio.run` cancels every task), worker processes (the
    /// terminal sends SIGINT to the whole process group) — everything stops.
    pub fn keyboard_interrupt(&self) {
        self.inner.keyboard.store(true, Ordering::SeqCst);
        if self.inner.keyboard_to_main_only.load(Ordering::SeqCst) {
            self.interrupt_lane(MAIN_LANE);
        } else {
            self.interrupt_all();
        }
    }

    /// The run's other threads are pool workers that CPython's Ctrl-C does
    /// not stop: only the main thread (lane 0) sees it.
    pub fn deliver_keyboard_to_main_only(&self) {
        self.inner
            .keyboard_to_main_only
            .store(true, Ordering::SeqCst);
    }

    /// Whether Ctrl-C arrived.
    pub fn keyboard_interrupted(&self) -> bool {
        self.inner.keyboard.load(Ordering::SeqCst)
    }

    /// Whether the main thread must stop: Ctrl-C, an interrupt of every
    /// lane, or of lane 0.
    pub fn main_interrupted(&self) -> bool {
        self.is_interrupted(MAIN_LANE)
    }

    /// Interrupts one lane only.
    pub fn interrupt_lane(&self, lane: LaneId) {
        self.inner
            .lanes_interrupted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(lane);
        self.inner.resumed.notify_all();
        self.inner.notify.notify_waiters();
    }

    /// Whether everything was interrupted.
    pub fn all_interrupted(&self) -> bool {
        self.inner.all_interrupted.load(Ordering::Relaxed)
    }

    /// Whether this lane (or everything) was interrupted.
    pub fn is_interrupted(&self, lane: LaneId) -> bool {
        self.all_interrupted()
            || self
                .inner
                .lanes_interrupted
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(&lane)
    }

    /// Clears a lane's interrupt once the lane has acted on it.
    pub fn clear_lane(&self, lane: LaneId) {
        self.inner
            .lanes_interrupted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&lane);
    }

    /// Notified (`notify_waiters`) at every resume and interrupt, for loops
    /// that must react at once.
    pub(crate) fn changes(&self) -> &tokio::sync::Notify {
        &self.inner.notify
    }

    /// A safe point for a blocking worker: waits while paused, then reports
    /// whether the lane must stop.
    pub fn checkpoint(&self, lane: LaneId) -> Result<(), Interrupted> {
        let mut paused = self
            .inner
            .paused
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while *paused && !self.is_interrupted(lane) {
            paused = self
                .inner
                .resumed
                .wait_timeout(paused, Duration::from_millis(50))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        drop(paused);
        if self.is_interrupted(lane) {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }

    /// The async safe point: waits while paused without blocking the loop.
    pub async fn checkpoint_async(&self, lane: LaneId) -> Result<(), Interrupted> {
        while self.is_paused() && !self.is_interrupted(lane) {
            let notified = self.inner.notify.notified();
            if !self.is_paused() || self.is_interrupted(lane) {
                break;
            }
            let _ = tokio::time::timeout(Duration::from_millis(50), notified).await;
        }
        if self.is_interrupted(lane) {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }

    /// Sleeps for an example-world duration in small slices, honouring pause,
    /// time scale and interrupts.
    pub fn sleep(&self, lane: LaneId, d: Duration) -> Result<(), Interrupted> {
        let mut left = self.scaled(d);
        while !left.is_zero() {
            self.checkpoint(lane)?;
            let step = left.min(Duration::from_millis(20));
            std::thread::sleep(step);
            left = left.saturating_sub(step);
        }
        self.checkpoint(lane)
    }

    /// The async sleep: one timer, woken early by an interrupt.
    pub async fn sleep_async(&self, lane: LaneId, d: Duration) -> Result<(), Interrupted> {
        let deadline = tokio::time::Instant::now() + self.scaled(d);
        loop {
            self.checkpoint_async(lane).await?;
            let notified = self.inner.notify.notified();
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => break,
                () = notified => {}
            }
        }
        self.checkpoint_async(lane).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn interrupt_wakes_a_paused_worker() {
        let c = Control::new();
        c.set_paused(true);
        let c2 = c.clone();
        let h = std::thread::spawn(move || c2.checkpoint(1));
        std::thread::sleep(Duration::from_millis(30));
        c.interrupt_lane(1);
        assert_eq!(h.join().unwrap(), Err(Interrupted));
        c.set_paused(false);
        assert_eq!(c.checkpoint(2), Ok(()));
    }

    #[test]
    fn scale_slows_sleeps() {
        let c = Control::new();
        c.set_scale_pct(300);
        assert_eq!(
            c.scaled(Duration::from_millis(10)),
            Duration::from_millis(30)
        );
        let t = Instant::now();
        c.sleep(0, Duration::from_millis(10)).unwrap();
        assert!(t.elapsed() >= Duration::from_millis(30));
    }

    #[test]
    fn ctrl_c_reaches_the_main_thread_only_where_cpython_would() {
        let pool = Control::new();
        pool.deliver_keyboard_to_main_only();
        pool.keyboard_interrupt();
        assert!(pool.keyboard_interrupted() && pool.main_interrupted());
        assert!(!pool.all_interrupted());
        assert!(pool.checkpoint(1).is_ok(), "a worker goes on");
        assert!(pool.checkpoint(MAIN_LANE).is_err());

        let other = Control::new();
        other.keyboard_interrupt();
        assert!(other.all_interrupted());
        assert!(other.checkpoint(1).is_err());
    }
}
