//! Saving off the key path: a thread takes snapshots of progress and
//! writes the latest, so a keypress never waits for the disk or the lock.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use super::{Progress, Store};

/// The saving thread; dropping it (or [`Saver::finish`]) waits for the last
/// snapshot to be written.
pub struct Saver {
    tx: Option<mpsc::Sender<Progress>>,
    thread: Option<JoinHandle<()>>,
    error: Arc<Mutex<Option<String>>>,
}

impl Saver {
    /// Starts the thread for `store`.
    pub fn start(store: Store) -> Saver {
        let (tx, rx) = mpsc::channel::<Progress>();
        let error = Arc::new(Mutex::new(None));
        let report = error.clone();
        let thread = std::thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                while let Ok(mut latest) = rx.recv() {
                    // Only the newest snapshot matters: each one holds all.
                    while let Ok(newer) = rx.try_recv() {
                        latest = newer;
                    }
                    let outcome = store.save(&latest).err().map(|e| format!("{e:#}"));
                    if let Ok(mut slot) = report.lock() {
                        *slot = outcome;
                    }
                }
            })
            .ok();
        Saver {
            tx: Some(tx),
            thread,
            error,
        }
    }

    /// Asks for `progress` to be saved; returns at once.
    pub fn submit(&self, progress: Progress) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(progress);
        }
    }

    /// The last save's error, if it failed.
    pub fn last_error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    /// Waits for every snapshot to be written; returns the last error.
    pub fn finish(mut self) -> Option<String> {
        self.join();
        self.last_error()
    }

    fn join(&mut self) {
        self.tx = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        self.join();
    }
}
