//! A named lock that reports who holds it and who waits for it, and whose
//! waits can be ended: `lock.acquire(timeout=…)` in a loop that looks at
//! the controls between two timeouts, so that a deadlocked thread can
//! always be stopped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use super::graph::{WaitFor, holder_key, wants_key};
use crate::demos::lane::LaneThread;
use crate::runtime::Control;
use crate::trace::BlockOn;

/// How long one timed wait lasts before the thread looks at the controls.
const SLICE: Duration = Duration::from_millis(20);

/// Why a thread stopped waiting without the lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The learner interrupted it (`x`, `X`, quit).
    Interrupted,
    /// The main thread saw a deadlock and gave up on the threads.
    GaveUp,
}

/// The graph every lock of a run reports to, and the main thread reads.
#[derive(Default)]
pub struct Graph {
    now: Mutex<WaitFor>,
}

impl Graph {
    /// The graph as it stands.
    pub fn snapshot(&self) -> WaitFor {
        self.now
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Changes the graph and sends the change, under one lock so that
    /// the trace and the graph agree.
    fn set(&self, t: &LaneThread, key: String, value: &str, f: impl FnOnce(&mut WaitFor)) {
        let mut g = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut g);
        t.state(key, value);
    }
}

/// `threading.Lock()`, named, reporting to a [`Graph`].
pub struct Lock {
    /// `lock a`.
    pub name: String,
    owner: Mutex<Option<String>>,
    freed: Condvar,
}

/// A held lock: dropping it releases it.
pub struct Held<'a> {
    lock: &'a Lock,
    graph: &'a Graph,
    thread: &'a LaneThread,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        let (lock, t) = (self.lock, self.thread);
        let mut owner = lock.owner.lock().unwrap_or_else(PoisonError::into_inner);
        *owner = None;
        self.graph.set(t, holder_key(&lock.name), "", |g| {
            g.holders.remove(&lock.name);
        });
        drop(owner);
        lock.freed.notify_all();
    }
}

impl Lock {
    /// A free lock called `lock NAME`.
    pub fn new(name: &str) -> Lock {
        Lock {
            name: format!("lock {name}"),
            owner: Mutex::new(None),
            freed: Condvar::new(),
        }
    }

    /// Takes the lock for `t`, waiting as long as it takes unless the
    /// learner interrupts `t` or `give_up` is set.
    pub fn acquire<'a>(
        &'a self,
        t: &'a LaneThread,
        graph: &'a Graph,
        control: &Control,
        give_up: &AtomicBool,
    ) -> Result<Held<'a>, Stop> {
        let mut owner = self.owner.lock().unwrap_or_else(PoisonError::into_inner);
        if owner.is_some() {
            let short = self.name.trim_start_matches("lock ").to_string();
            t.blocked(BlockOn::Lock { name: short });
            graph.set(t, wants_key(&t.name), &self.name, |g| {
                g.wants.insert(t.name.clone(), self.name.clone());
            });
            while owner.is_some() {
                owner = self
                    .freed
                    .wait_timeout(owner, SLICE)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
                let stop = if control.is_interrupted(t.lane) {
                    Some(Stop::Interrupted)
                } else if give_up.load(Ordering::SeqCst) {
                    Some(Stop::GaveUp)
                } else {
                    None
                };
                if let Some(stop) = stop {
                    graph.set(t, wants_key(&t.name), "", |g| {
                        g.wants.remove(&t.name);
                    });
                    t.woken();
                    return Err(stop);
                }
            }
            graph.set(t, wants_key(&t.name), "", |g| {
                g.wants.remove(&t.name);
            });
            t.woken();
        }
        *owner = Some(t.name.clone());
        graph.set(t, holder_key(&self.name), &t.name, |g| {
            g.holders.insert(self.name.clone(), t.name.clone());
        });
        Ok(Held {
            lock: self,
            graph,
            thread: t,
        })
    }
}
