//! Figures a pane works out from a whole run's state, kept until the state
//! changes: a frame drawn with no new event since the last one reuses them
//! instead of walking 10,000 units again.

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// What tells one version of a state from another: the events folded in,
/// and, should a field be changed by hand, the units and the latest time.
pub type Stamp = (u64, usize, u64);

type Slot = (TypeId, Stamp, Arc<dyn Any + Send + Sync>);

/// One value of each type, with the stamp of the state it was worked out
/// from.
#[derive(Default)]
pub struct Memo {
    slots: Mutex<Vec<Slot>>,
}

impl Memo {
    /// The `T` worked out for `stamp`, or `make()`'s, kept for next time.
    /// `make` runs without the lock held, so it may ask for another type.
    pub fn get<T: Any + Send + Sync>(&self, stamp: Stamp, make: impl FnOnce() -> T) -> Arc<T> {
        let id = TypeId::of::<T>();
        let kept = {
            let slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots
                .iter()
                .find(|(t, s, _)| *t == id && *s == stamp)
                .map(|(_, _, v)| Arc::clone(v))
        };
        if let Some(v) = kept.and_then(|v| v.downcast::<T>().ok()) {
            return v;
        }
        let value = Arc::new(make());
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.retain(|(t, ..)| *t != id);
        slots.push((id, stamp, Arc::clone(&value) as Arc<dyn Any + Send + Sync>));
        value
    }
}

/// A copy of a state works its figures out afresh.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl fmt::Debug for Memo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.slots.lock().map_or(0, |s| s.len());
        write!(f, "Memo({n} kept)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn kept_for_one_stamp_worked_out_again_for_the_next() {
        let memo = Memo::default();
        let runs = Cell::new(0);
        let make = |v: u32| {
            runs.set(runs.get() + 1);
            v
        };
        assert_eq!(*memo.get((1, 0, 0), || make(10)), 10);
        assert_eq!(*memo.get((1, 0, 0), || make(11)), 10);
        assert_eq!(runs.get(), 1);
        assert_eq!(*memo.get((2, 0, 0), || make(12)), 12);
        assert_eq!(runs.get(), 2);
        // Another type has a slot of its own.
        assert_eq!(*memo.get((2, 0, 0), || "text"), "text");
        assert_eq!(*memo.get((2, 0, 0), || make(13)), 12);
        assert_eq!(runs.get(), 2);
        // A clone keeps nothing.
        assert_eq!(*memo.clone().get((2, 0, 0), || make(14)), 14);
    }
}
