//! A lock that parks its waiters, as `std::sync::Mutex::lock()` does, but
//! whose wait can be interrupted: a flag under a mutex and a condition
//! variable. Letting go clears the flag and wakes one waiter, which then
//! has to find the flag still clear; a holder that asks again at once
//! usually gets there first. Like std's, it promises no order.
//!
//! Waits are timed slices that look at the controls, so `x` on a waiting
//! thread takes it out of the wait within a slice, not when the lock
//! comes its way (std's `lock()` cannot be woken for anything else).

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::runtime::{Control, Interrupted};
use crate::trace::LaneId;

/// One timed wait before the thread looks at the controls.
const SLICE: Duration = Duration::from_millis(20);

/// An unfair lock with an interruptible wait.
#[derive(Default)]
pub struct ParkingLock {
    held: Mutex<bool>,
    freed: Condvar,
}

/// The lock, held; dropping it lets go and wakes one waiter.
pub struct ParkingGuard<'a>(&'a ParkingLock);

impl Drop for ParkingGuard<'_> {
    fn drop(&mut self) {
        *self.0.flag() = false;
        self.0.freed.notify_one();
    }
}

impl ParkingLock {
    fn flag(&self) -> MutexGuard<'_, bool> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the lock if it is free.
    pub fn try_lock(&self) -> Option<ParkingGuard<'_>> {
        let mut held = self.flag();
        if *held {
            return None;
        }
        *held = true;
        Some(ParkingGuard(self))
    }

    /// Parks until the lock is free and takes it; an interrupt of `lane`
    /// ends the wait.
    pub fn lock(&self, lane: LaneId, control: &Control) -> Result<ParkingGuard<'_>, Interrupted> {
        let mut held = self.flag();
        while *held {
            held = self
                .freed
                .wait_timeout(held, SLICE)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if *held && control.is_interrupted(lane) {
                return Err(Interrupted);
            }
        }
        *held = true;
        Ok(ParkingGuard(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parked_waiter_gets_the_lock_when_it_is_let_go() {
        let lock = ParkingLock::default();
        let control = Control::new();
        let held = lock.try_lock().unwrap();
        assert!(lock.try_lock().is_none());
        std::thread::scope(|s| {
            let waiter = s.spawn(|| lock.lock(2, &control).map(drop).is_ok());
            std::thread::sleep(Duration::from_millis(30));
            drop(held);
            assert!(waiter.join().unwrap());
        });
        assert!(lock.try_lock().is_some(), "the waiter let go");
    }

    #[test]
    fn an_interrupt_ends_the_wait_while_the_lock_is_still_held() {
        let lock = ParkingLock::default();
        let control = Control::new();
        let held = lock.try_lock().unwrap();
        let (lock, control) = (&lock, &control);
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel();
            s.spawn(move || {
                let r = lock.lock(2, control).map(drop);
                let _ = tx.send(r.is_err());
            });
            std::thread::sleep(Duration::from_millis(30));
            control.interrupt_lane(2);
            // The lock stays held until the waiter has answered: only the
            // interrupt can end its wait (a hang guard, not a timing).
            let interrupted = rx.recv_timeout(Duration::from_mins(1));
            drop(held);
            assert_eq!(interrupted, Ok(true));
        });
    }
}
