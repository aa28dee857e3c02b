//! A ticket lock: each thread that asks takes the next number and waits
//! until that number is served, so the lock goes to the threads in the
//! order they asked (first come, first served).
//!
//! Waits are timed slices that look at the controls, so an interrupted
//! thread can leave the line; its number is skipped when its turn comes.

use std::collections::BTreeSet;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::runtime::{Control, Interrupted};
use crate::trace::LaneId;

/// One timed wait before the thread looks at the controls.
const SLICE: Duration = Duration::from_millis(20);

#[derive(Default)]
struct Tickets {
    next: u64,
    serving: u64,
    /// Numbers whose threads left the line.
    abandoned: BTreeSet<u64>,
}

/// A fair lock.
#[derive(Default)]
pub struct TicketLock {
    tickets: Mutex<Tickets>,
    turn: Condvar,
}

/// The lock, held; dropping it serves the next number.
pub struct TicketGuard<'a>(&'a TicketLock);

impl Drop for TicketGuard<'_> {
    fn drop(&mut self) {
        self.0.serve_next();
    }
}

impl TicketLock {
    fn tickets(&self) -> MutexGuard<'_, Tickets> {
        self.tickets.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes a number; returns it and whether someone is ahead of it.
    pub fn take_number(&self) -> (u64, bool) {
        let mut t = self.tickets();
        let mine = t.next;
        t.next += 1;
        (mine, t.serving != mine)
    }

    /// Waits until number `mine` is served; an interrupt of `lane` leaves
    /// the line.
    pub fn wait_turn(
        &self,
        mine: u64,
        lane: LaneId,
        control: &Control,
    ) -> Result<TicketGuard<'_>, Interrupted> {
        let mut t = self.tickets();
        while t.serving != mine {
            t = self
                .turn
                .wait_timeout(t, SLICE)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
            if t.serving != mine && control.is_interrupted(lane) {
                t.abandoned.insert(mine);
                return Err(Interrupted);
            }
        }
        Ok(TicketGuard(self))
    }

    fn serve_next(&self) {
        let mut t = self.tickets();
        t.serving += 1;
        loop {
            let serving = t.serving;
            if !t.abandoned.remove(&serving) {
                break;
            }
            t.serving += 1;
        }
        drop(t);
        self.turn.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_served_in_order_and_a_leaver_is_skipped() {
        let lock = TicketLock::default();
        let control = Control::new();
        let (first, waits) = lock.take_number();
        assert!(!waits);
        let held = lock.wait_turn(first, 1, &control).unwrap();
        let (second, waits) = lock.take_number();
        assert!(waits);
        let (third, _) = lock.take_number();
        control.interrupt_lane(2);
        assert!(lock.wait_turn(second, 2, &control).is_err(), "2 leaves");
        drop(held);
        // The leaver's number is skipped: the third is served at once.
        let g = lock.wait_turn(third, 3, &control).unwrap();
        drop(g);
        assert_eq!(lock.tickets().serving, 3);
    }
}
