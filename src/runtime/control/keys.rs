//! Keys the learner sends to a running example: the gate of an example that
//! waits for the learner (the scheduler, where a key picks which thread takes
//! its next step).
//!
//! The inbox is closed unless the app opens it: a headless run (`run`,
//! `check --run`) has nobody at the keyboard, so an example that asks for
//! the next key there hears at once that none will come.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use super::{Control, Interrupted};
use crate::trace::LaneId;

/// Posted keys, and whether anyone can post more.
#[derive(Default)]
pub(super) struct Inbox {
    state: Mutex<Keys>,
    posted: Condvar,
}

#[derive(Default)]
struct Keys {
    queue: VecDeque<char>,
    open: bool,
}

/// At most this many keys wait unread; more are dropped (a held-down key).
const QUEUE_MAX: usize = 64;

impl Inbox {
    fn with<T>(&self, f: impl FnOnce(&mut Keys) -> T) -> T {
        let mut keys = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let out = f(&mut keys);
        drop(keys);
        self.posted.notify_all();
        out
    }
}

impl Control {
    /// Someone is at the keyboard: keys may be posted to the run.
    pub fn open_keys(&self) {
        self.inner.keys.with(|k| k.open = true);
    }

    /// Nobody will post keys any more; keys already posted are still read.
    pub fn close_keys(&self) {
        self.inner.keys.with(|k| k.open = false);
    }

    /// Whether keys may still come.
    pub fn keys_open(&self) -> bool {
        self.inner.keys.with(|k| k.open)
    }

    /// Posts a key to the run; false when the inbox is closed or full.
    pub fn post_key(&self, key: char) -> bool {
        self.inner.keys.with(|k| {
            let ok = k.open && k.queue.len() < QUEUE_MAX;
            if ok {
                k.queue.push_back(key);
            }
            ok
        })
    }

    /// The next key posted to the run, waiting for one while the inbox is
    /// open; `None` once it is closed and empty. A pause holds the key back;
    /// an interrupt of `lane` ends the wait.
    pub fn next_key(&self, lane: LaneId) -> Result<Option<char>, Interrupted> {
        let inbox = &self.inner.keys;
        loop {
            self.checkpoint(lane)?;
            let keys = inbox.state.lock().unwrap_or_else(PoisonError::into_inner);
            let (mut keys, _) = inbox
                .posted
                .wait_timeout_while(keys, Duration::from_millis(50), |k| {
                    k.open && k.queue.is_empty()
                })
                .unwrap_or_else(PoisonError::into_inner);
            if self.is_interrupted(lane) {
                return Err(Interrupted);
            }
            if self.is_paused() {
                continue;
            }
            if let Some(key) = keys.queue.pop_front() {
                return Ok(Some(key));
            }
            if !keys.open {
                return Ok(None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_inbox_says_no_key_will_come() {
        let c = Control::new();
        assert!(!c.post_key('1'), "closed by default: a headless run");
        assert_eq!(c.next_key(1), Ok(None));
    }

    #[test]
    fn posted_keys_arrive_in_order_then_closing_ends_the_wait() {
        let c = Control::new();
        c.open_keys();
        assert!(c.post_key('1') && c.post_key('2'));
        assert_eq!(c.next_key(1), Ok(Some('1')));
        let c2 = c.clone();
        let reader = std::thread::spawn(move || {
            let first = c2.next_key(1);
            (first, c2.next_key(1))
        });
        c.close_keys();
        assert_eq!(reader.join().unwrap(), (Ok(Some('2')), Ok(None)));
    }

    #[test]
    fn an_interrupt_ends_a_wait_for_a_key() {
        let c = Control::new();
        c.open_keys();
        let c2 = c.clone();
        let reader = std::thread::spawn(move || c2.next_key(1));
        std::thread::sleep(Duration::from_millis(20));
        c.interrupt_all();
        assert_eq!(reader.join().unwrap(), Err(Interrupted));
    }
}
