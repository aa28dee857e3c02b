//! Terminal input read on its own thread and stamped on arrival.
//!
//! The stamp is what lets the button pane say how late a click landed even
//! when the UI thread was frozen by a blocking search: the key is stamped
//! when it arrives, not when the UI gets round to it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use tokio::sync::mpsc;

/// A terminal event and when it arrived.
pub type Stamped = (Instant, Event);

/// The reader thread; told to stop on drop.
///
/// It is not joined: on a terminal that has hung up, crossterm's poll can
/// keep the thread busy, and quitting must never wait for it. It ends with
/// the process a moment later.
pub struct Input {
    pub rx: mpsc::UnboundedReceiver<std::io::Result<Stamped>>,
    stop: Arc<AtomicBool>,
}

impl Input {
    /// Starts reading.
    pub fn start() -> Input {
        // The first poll sets up crossterm's reader and its SIGWINCH handler;
        // doing it here, before the first frame, means no resize is missed.
        let _ = event::poll(Duration::ZERO);
        let (tx, rx) = mpsc::unbounded_channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let _ = std::thread::Builder::new()
            .name("input".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    // Polling with a timeout lets the thread notice `stop`;
                    // ten wake-ups a second cost nothing measurable when idle.
                    match event::poll(Duration::from_millis(100)) {
                        Ok(false) => continue,
                        Ok(true) => {
                            let ev = event::read().map(|e| (Instant::now(), e));
                            let failed = ev.is_err();
                            if tx.send(ev).is_err() || failed {
                                break;
                            }
                        }
                        Err(e) => {
                            let _ = tx.send(Err(e));
                            break;
                        }
                    }
                }
            })
            .ok();
        Input { rx, stop }
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
