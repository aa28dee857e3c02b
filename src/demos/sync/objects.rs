//! `threading`'s synchronisation objects on real threads: `Lock`,
//! `Semaphore`, `Event`, `Barrier`, each a mutex and a condition variable.
//!
//! Every wait is a loop of short condition-variable waits that passes a
//! checkpoint of the run's [`Control`] each time round: a waiting thread
//! parks while the run is paused and leaves at once when its lane (or the
//! whole run) is interrupted, so no thread outlives `x`, `X` or a quit,
//! not even one blocked forever on an empty queue or at a barrier.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::runtime::{Control, Interrupted};
use crate::trace::LaneId;

/// How long one wait lasts before the loop looks at the control again.
pub const SLICE: Duration = Duration::from_millis(10);

/// A value behind a mutex, with a condition variable to wait for it.
#[derive(Debug, Default)]
pub struct Guarded<T> {
    value: Mutex<T>,
    changed: Condvar,
}

impl<T> Guarded<T> {
    /// `value`, guarded.
    pub fn new(value: T) -> Guarded<T> {
        Guarded {
            value: Mutex::new(value),
            changed: Condvar::new(),
        }
    }

    /// Locks the value (a thread that panicked holding it does not poison
    /// it for the others).
    pub fn lock(&self) -> MutexGuard<'_, T> {
        self.value.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wakes every waiter: the value changed.
    pub fn notify(&self) {
        self.changed.notify_all();
    }

    /// Waits until `ready` holds (or `deadline` passes), honouring pause
    /// and interrupts of `lane`; returns the guard with `ready` checked
    /// last (it may not hold when the deadline passed).
    pub fn wait_until(
        &self,
        control: &Control,
        lane: LaneId,
        deadline: Option<Instant>,
        mut ready: impl FnMut(&mut T) -> bool,
    ) -> Result<MutexGuard<'_, T>, Interrupted> {
        let mut guard = self.lock();
        loop {
            if ready(&mut guard) || deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(guard);
            }
            if control.is_paused() || control.is_interrupted(lane) {
                drop(guard);
                control.checkpoint(lane)?;
                guard = self.lock();
                continue;
            }
            let slice = deadline.map_or(SLICE, |d| {
                d.saturating_duration_since(Instant::now()).min(SLICE)
            });
            guard = self
                .changed
                .wait_timeout(guard, slice)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// `threading.Lock`: held or free, and (unlike a Rust `Mutex`) any thread
/// may release it, which the pipeline's two locks rely on.
#[derive(Debug, Default)]
pub struct PyLock {
    held: Guarded<bool>,
}

impl PyLock {
    /// A lock, held from the start when `held`.
    pub fn new(held: bool) -> PyLock {
        PyLock {
            held: Guarded::new(held),
        }
    }

    /// Whether the lock is free now, without waiting.
    pub fn is_free(&self) -> bool {
        !*self.held.lock()
    }

    /// `acquire(blocking=False)`: takes the lock if it is free.
    pub fn try_acquire(&self) -> bool {
        let mut held = self.held.lock();
        let was_free = !*held;
        *held = true;
        was_free
    }

    /// `acquire()`: waits until the lock is free, then holds it.
    pub fn acquire(&self, control: &Control, lane: LaneId) -> Result<(), Interrupted> {
        let mut held = self.held.wait_until(control, lane, None, |h| !*h)?;
        *held = true;
        Ok(())
    }

    /// `release()`.
    pub fn release(&self) {
        *self.held.lock() = false;
        self.held.notify();
    }
}

/// `threading.Semaphore(value)`: a count of permits.
#[derive(Debug)]
pub struct PySemaphore {
    free: Guarded<usize>,
}

impl PySemaphore {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> PySemaphore {
        PySemaphore {
            free: Guarded::new(permits),
        }
    }

    /// Permits free now.
    #[cfg(test)]
    pub fn free(&self) -> usize {
        *self.free.lock()
    }

    /// Takes a permit without waiting, if one is free.
    pub fn try_acquire(&self) -> bool {
        let mut free = self.free.lock();
        let ok = *free > 0;
        if ok {
            *free -= 1;
        }
        ok
    }

    /// `acquire()`: waits for a permit and takes it.
    pub fn acquire(&self, control: &Control, lane: LaneId) -> Result<(), Interrupted> {
        let mut free = self.free.wait_until(control, lane, None, |f| *f > 0)?;
        *free -= 1;
        Ok(())
    }

    /// `release()`: gives a permit back.
    pub fn release(&self) {
        *self.free.lock() += 1;
        self.free.notify();
    }
}

/// `threading.Event`: a flag threads wait for.
#[derive(Debug, Default)]
pub struct PyEvent {
    flag: Guarded<bool>,
}

impl PyEvent {
    /// A cleared event.
    pub fn new() -> PyEvent {
        PyEvent::default()
    }

    /// `set()`: every waiter wakes.
    pub fn set(&self) {
        *self.flag.lock() = true;
        self.flag.notify();
    }

    /// `is_set()`.
    pub fn is_set(&self) -> bool {
        *self.flag.lock()
    }

    /// `wait(timeout)`: returns whether the event is set.
    pub fn wait(
        &self,
        control: &Control,
        lane: LaneId,
        timeout: Option<Duration>,
    ) -> Result<bool, Interrupted> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let flag = self.flag.wait_until(control, lane, deadline, |f| *f)?;
        Ok(*flag)
    }
}

/// Why a barrier's `wait()` did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BarrierError {
    /// Another party left (`abort()`): `threading.BrokenBarrierError`.
    #[error("BrokenBarrierError")]
    Broken,
    /// This thread was interrupted while waiting.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

#[derive(Debug, Default)]
struct BarrierState {
    arrived: usize,
    generation: u64,
    broken: bool,
}

/// `threading.Barrier(parties)`: `wait()` returns once `parties` threads
/// are waiting, for all of them at once; then it can be used again.
#[derive(Debug)]
pub struct PyBarrier {
    parties: usize,
    state: Guarded<BarrierState>,
}

impl PyBarrier {
    /// A barrier for `parties` threads.
    pub fn new(parties: usize) -> PyBarrier {
        PyBarrier {
            parties: parties.max(1),
            state: Guarded::new(BarrierState::default()),
        }
    }

    /// Threads waiting now (`n_waiting`).
    #[cfg(test)]
    pub fn n_waiting(&self) -> usize {
        self.state.lock().arrived
    }

    /// `wait()`: returns this thread's arrival index (0 for the first);
    /// the last to arrive releases everyone. An interrupted waiter breaks
    /// the barrier, as `abort()` does, so the others do not wait forever.
    pub fn wait(&self, control: &Control, lane: LaneId) -> Result<usize, BarrierError> {
        let mut s = self.state.lock();
        if s.broken {
            return Err(BarrierError::Broken);
        }
        let index = s.arrived;
        let generation = s.generation;
        s.arrived += 1;
        if s.arrived == self.parties {
            s.arrived = 0;
            s.generation += 1;
            drop(s);
            self.state.notify();
            return Ok(index);
        }
        drop(s);
        let waited = self.state.wait_until(control, lane, None, |s| {
            s.broken || s.generation != generation
        });
        match waited {
            Ok(s) if s.generation != generation => Ok(index),
            Ok(_) => Err(BarrierError::Broken),
            Err(i) => {
                self.abort();
                Err(i.into())
            }
        }
    }

    /// `abort()`: the barrier is broken; every waiter gets
    /// `BrokenBarrierError`.
    pub fn abort(&self) {
        self.state.lock().broken = true;
        self.state.notify();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_lock_released_by_another_thread_lets_the_waiter_in() {
        let (lock, control) = (Arc::new(PyLock::new(true)), Control::new());
        let (l, c) = (lock.clone(), control.clone());
        let waiter = std::thread::spawn(move || l.acquire(&c, 1));
        std::thread::sleep(Duration::from_millis(20));
        assert!(!waiter.is_finished(), "held: the waiter waits");
        lock.release();
        assert_eq!(waiter.join().unwrap(), Ok(()));
        assert!(!lock.is_free(), "the waiter holds it now");
    }

    #[test]
    fn an_interrupt_ends_a_wait_that_would_last_forever() {
        let (event, control) = (Arc::new(PyEvent::new()), Control::new());
        let (e, c) = (event.clone(), control.clone());
        let waiter = std::thread::spawn(move || e.wait(&c, 2, None));
        std::thread::sleep(Duration::from_millis(20));
        control.interrupt_lane(2);
        assert_eq!(waiter.join().unwrap(), Err(Interrupted));
        assert!(!event.is_set());
    }

    #[test]
    fn a_semaphore_never_hands_out_more_permits_than_it_has() {
        let s = PySemaphore::new(2);
        assert!(s.try_acquire() && s.try_acquire());
        assert!(!s.try_acquire());
        s.release();
        assert_eq!(s.free(), 1);
    }

    #[test]
    fn a_barrier_releases_all_parties_and_an_interrupt_breaks_it() {
        let (b, control) = (Arc::new(PyBarrier::new(3)), Control::new());
        let waiters: Vec<_> = (1..=3)
            .map(|lane| {
                let (b, c) = (b.clone(), control.clone());
                std::thread::spawn(move || b.wait(&c, lane))
            })
            .collect();
        let mut indices: Vec<usize> = waiters
            .into_iter()
            .map(|w| w.join().unwrap().unwrap())
            .collect();
        indices.sort_unstable();
        assert_eq!(indices, [0, 1, 2]);

        let (b2, c2) = (b.clone(), control.clone());
        let first = std::thread::spawn(move || b2.wait(&c2, 1));
        let (b3, c3) = (b.clone(), control.clone());
        let second = std::thread::spawn(move || b3.wait(&c3, 2));
        while b.n_waiting() < 2 {
            std::thread::sleep(Duration::from_millis(2));
        }
        control.interrupt_lane(1);
        assert_eq!(
            first.join().unwrap(),
            Err(BarrierError::Interrupted(Interrupted))
        );
        assert_eq!(second.join().unwrap(), Err(BarrierError::Broken));
    }
}
