//! The iterator `executor.map` returns.

use std::collections::VecDeque;

use crate::runtime::future::{FutureError, PyFuture};

/// Results of [`super::ThreadPool::map`] in input order, each blocking until
/// ready.
///
/// As Python's generator: the first exception ends the iteration (it is
/// yielded as `Err`), and once iteration has begun, ending it early (an
/// error, or dropping the iterator) cancels the jobs still queued. An
/// iterator never advanced cancels nothing: its jobs run and their
/// exceptions stay hidden, the trap the notes warn about.
pub struct MapIter<T> {
    futures: VecDeque<PyFuture<T>>,
    started: bool,
    ended: bool,
}

impl<T> MapIter<T> {
    pub(super) fn new(futures: VecDeque<PyFuture<T>>) -> MapIter<T> {
        MapIter {
            futures,
            started: false,
            ended: false,
        }
    }

    /// The futures not yet returned, in order.
    pub fn futures(&self) -> impl Iterator<Item = &PyFuture<T>> {
        self.futures.iter()
    }

    fn cancel_rest(&mut self) {
        for f in self.futures.drain(..) {
            f.cancel();
        }
    }
}

impl<T: Clone> Iterator for MapIter<T> {
    type Item = Result<T, FutureError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ended {
            return None;
        }
        self.started = true;
        let Some(f) = self.futures.pop_front() else {
            self.ended = true;
            return None;
        };
        let r = f.result();
        if r.is_err() {
            self.ended = true;
            self.cancel_rest();
        }
        Some(r)
    }
}

impl<T> Drop for MapIter<T> {
    fn drop(&mut self) {
        if self.started {
            self.cancel_rest();
        }
    }
}
