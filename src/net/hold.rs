//! How the in-process demo server tells a client the moment it starts
//! holding a request, which is the moment connecting ended and waiting
//! began: reqwest does not report when a connection is established.
//!
//! The client registers a hook and sends its number in the
//! `x-racecourse-hold` header; the server, in the same process, calls the
//! hook when the request reaches it. Another process (a learner's curl, a
//! separate `racecourse serve`) simply finds no hook.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};

/// The request header carrying the hook's number.
pub const HEADER: &str = "x-racecourse-hold";

/// What the server calls (on its own thread) when it starts holding.
pub type Hook = Box<dyn FnOnce() + Send>;

fn hooks() -> &'static Mutex<HashMap<u64, Hook>> {
    static HOOKS: OnceLock<Mutex<HashMap<u64, Hook>>> = OnceLock::new();
    HOOKS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// A registered hook; dropping it unregisters a hook that never fired.
#[derive(Debug)]
pub struct Ticket {
    id: u64,
}

impl Ticket {
    /// The value of the header.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        hooks()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.id);
    }
}

/// Registers `hook` until the ticket is dropped.
pub fn register(hook: Hook) -> Ticket {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    hooks()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(id, hook);
    Ticket { id }
}

/// Calls and forgets the hook `id` names, if this process has one.
pub fn fire(id: u64) {
    let hook = hooks()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id);
    if let Some(h) = hook {
        h();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_hook_fires_once_and_a_dropped_ticket_never() {
        let n = Arc::new(AtomicUsize::new(0));
        let n1 = n.clone();
        let t = register(Box::new(move || {
            n1.fetch_add(1, Ordering::SeqCst);
        }));
        fire(t.id());
        fire(t.id());
        assert_eq!(n.load(Ordering::SeqCst), 1);
        let n2 = n.clone();
        let t2 = register(Box::new(move || {
            n2.fetch_add(10, Ordering::SeqCst);
        }));
        let id = t2.id();
        drop(t2);
        fire(id);
        assert_eq!(n.load(Ordering::SeqCst), 1);
    }
}
