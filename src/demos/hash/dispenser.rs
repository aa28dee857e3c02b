//! Hands out counter ranges to workers and keeps the smallest nonce found.
//!
//! The rule that keeps the answer equal to the sequential one: a worker
//! that finds nonce `n` lowers the best; workers on ranges starting above
//! the best stop, but a range starting below it must still be searched to
//! its end (or to the best), since it may hold a smaller nonce.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// No nonce found yet.
const NONE: u64 = u64::MAX;

/// A shared counter of ranges plus the best nonce so far.
#[derive(Debug)]
pub struct Dispenser {
    pending: Mutex<Pending>,
    best: AtomicU64,
}

#[derive(Debug)]
struct Pending {
    next: u64,
    end: u64,
    chunk: u64,
    /// Ranges given back unfinished (a lane interrupted alone).
    returned: Vec<Range<u64>>,
}

impl Dispenser {
    /// Ranges of `chunk` counters (at least 1) covering `range`.
    pub fn new(range: Range<u64>, chunk: u64) -> Dispenser {
        Dispenser {
            pending: Mutex::new(Pending {
                next: range.start,
                end: range.end,
                chunk: chunk.max(1),
                returned: Vec::new(),
            }),
            best: AtomicU64::new(NONE),
        }
    }

    /// The next range to search, lowest first; `None` once every counter
    /// below the best nonce has been handed out.
    ///
    /// A range never reaches past the best nonce known when it is taken.
    pub fn take(&self) -> Option<Range<u64>> {
        let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        let best = self.best.load(Ordering::SeqCst);
        p.returned.retain(|r| r.start < best);
        let lowest = (0..p.returned.len()).min_by_key(|&i| p.returned[i].start);
        if let Some(i) = lowest {
            let r = p.returned.swap_remove(i);
            return Some(r.start..r.end.min(best));
        }
        let stop = p.end.min(best);
        if p.next >= stop {
            return None;
        }
        let start = p.next;
        let end = start.saturating_add(p.chunk).min(stop);
        p.next = end;
        Some(start..end)
    }

    /// Records a nonce; the smallest one offered wins.
    pub fn offer(&self, nonce: u64) {
        self.best.fetch_min(nonce, Ordering::SeqCst);
    }

    /// The smallest nonce offered so far.
    pub fn best(&self) -> Option<u64> {
        match self.best.load(Ordering::SeqCst) {
            NONE => None,
            n => Some(n),
        }
    }

    /// Whether a range starting at `start` can stop: a smaller nonce than
    /// any it holds is known.
    #[inline]
    pub fn beaten(&self, start: u64) -> bool {
        self.best.load(Ordering::Relaxed) < start
    }

    /// Puts back the unsearched rest of a range so that another worker (or
    /// the same one) searches it.
    pub fn give_back(&self, rest: Range<u64>) {
        if !rest.is_empty() {
            let mut p = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            p.returned.push(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hands_out_chunks_in_order_until_the_end() {
        let d = Dispenser::new(10..35, 10);
        assert_eq!(d.take(), Some(10..20));
        assert_eq!(d.take(), Some(20..30));
        assert_eq!(d.take(), Some(30..35));
        assert_eq!(d.take(), None);
        assert_eq!(d.best(), None);
    }

    #[test]
    fn a_later_chunk_finding_first_does_not_stop_an_earlier_one() {
        let d = Dispenser::new(0..100, 10);
        let a = d.take().unwrap(); // 0..10, still running
        let b = d.take().unwrap(); // 10..20
        let c = d.take().unwrap(); // 20..30
        // The worker on 10..20 finds 14 first.
        d.offer(14);
        assert!(!d.beaten(a.start), "0..10 may hold a smaller nonce");
        assert!(!d.beaten(b.start));
        assert!(d.beaten(c.start), "20..30 cannot beat 14");
        // Nothing above 14 is handed out any more.
        assert_eq!(d.take(), None);
        // The earlier chunk then finds 7: it wins, as sequentially.
        d.offer(7);
        d.offer(9);
        assert_eq!(d.best(), Some(7));
    }

    #[test]
    fn a_chunk_taken_after_a_find_stops_at_the_best() {
        let d = Dispenser::new(0..100, 10);
        let _ = d.take();
        d.offer(15);
        assert_eq!(d.take(), Some(10..15));
    }

    #[test]
    fn given_back_ranges_come_first_and_lowest_first() {
        let d = Dispenser::new(0..100, 10);
        let _ = (d.take(), d.take(), d.take());
        d.give_back(25..30);
        d.give_back(3..10);
        d.give_back(7..7);
        assert_eq!(d.take(), Some(3..10));
        assert_eq!(d.take(), Some(25..30));
        assert_eq!(d.take(), Some(30..40));
        d.give_back(50..60);
        d.offer(45);
        // A returned range above the best is dropped.
        assert_eq!(d.take(), Some(40..45));
        assert_eq!(d.take(), None);
    }
}
