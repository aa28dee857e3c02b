//! One value per thread for the length of a run: the Rust face of the
//! notes' `threading.local()` session.

use std::collections::HashMap;
use std::sync::Mutex;
use std::thread::ThreadId;

/// Values made lazily, one per calling thread, dropped with the run (unlike
/// `thread_local!`, which would outlive it on pooled threads).
pub struct PerThread<T> {
    values: Mutex<HashMap<ThreadId, T>>,
}

impl<T: Clone> PerThread<T> {
    /// Nothing made yet.
    pub fn new() -> PerThread<T> {
        PerThread {
            values: Mutex::new(HashMap::new()),
        }
    }

    /// This thread's value, made by `make` the first time.
    pub fn get_or_try_init<E>(&self, make: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        let id = std::thread::current().id();
        let mut values = self.values.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = values.get(&id) {
            return Ok(v.clone());
        }
        let v = make()?;
        values.insert(id, v.clone());
        Ok(v)
    }

    /// How many threads have their own value.
    pub fn len(&self) -> usize {
        self.values.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no thread has made its value yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: Clone> Default for PerThread<T> {
    fn default() -> Self {
        PerThread::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn each_thread_makes_its_value_once() {
        let made = Arc::new(AtomicUsize::new(0));
        let pt = Arc::new(PerThread::new());
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let (pt, made) = (pt.clone(), made.clone());
                std::thread::spawn(move || {
                    for _ in 0..5 {
                        let v: Result<usize, ()> =
                            pt.get_or_try_init(|| Ok(made.fetch_add(1, Ordering::SeqCst)));
                        v.unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(made.load(Ordering::SeqCst), 3);
        assert_eq!(pt.len(), 3);
    }
}
