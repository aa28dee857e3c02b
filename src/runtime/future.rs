//! Python's `concurrent.futures.Future`: a result that arrives later, shared
//! by the thread pool and the process pool.
//!
//! An exception raised by a job is captured here and stays invisible until
//! someone calls [`PyFuture::result`] or [`PyFuture::exception`], exactly as
//! in Python (the pane still shows it, from the `Failed` event).

use std::fmt::{self, Debug};

pub use super::outcome::{JobError, JobResult};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use crate::trace::UnitId;

/// Why [`PyFuture::result`] gave no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FutureError {
    /// The job raised this exception (re-raised here, as in Python).
    #[error("{0}")]
    Exception(String),
    /// The job was cancelled (`CancelledError`).
    #[error("CancelledError")]
    Cancelled,
    /// `result_timeout` ran out first (`TimeoutError`).
    #[error("TimeoutError")]
    Timeout,
}

/// Where a future stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FutureState {
    /// Waiting in the queue: can still be cancelled.
    Pending,
    /// A worker runs it.
    Running,
    /// It returned a value.
    Finished,
    /// It raised an exception.
    Failed,
    /// It was cancelled before or while running.
    Cancelled,
}

enum Slot<T> {
    Pending,
    Running,
    Value(T),
    Error(String),
    Cancelled,
}

/// The shared half a pool writes into.
pub(crate) struct Core<T> {
    slot: Mutex<Slot<T>>,
    done: Condvar,
}

impl<T> Core<T> {
    fn lock(&self) -> MutexGuard<'_, Slot<T>> {
        self.slot.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Moves a queued future to running; false when it was cancelled first.
    pub(crate) fn set_running(&self) -> bool {
        let mut s = self.lock();
        match *s {
            Slot::Pending => {
                *s = Slot::Running;
                true
            }
            _ => false,
        }
    }

    /// Stores the outcome; `Err(None)` means cancelled. Returns false when
    /// the future was already settled.
    pub(crate) fn settle(&self, outcome: Result<T, Option<String>>) -> bool {
        let mut s = self.lock();
        if matches!(*s, Slot::Value(_) | Slot::Error(_) | Slot::Cancelled) {
            return false;
        }
        *s = match outcome {
            Ok(v) => Slot::Value(v),
            Err(Some(e)) => Slot::Error(e),
            Err(None) => Slot::Cancelled,
        };
        drop(s);
        self.done.notify_all();
        true
    }

    /// Cancels only while still queued.
    pub(crate) fn cancel_if_pending(&self) -> bool {
        let mut s = self.lock();
        if matches!(*s, Slot::Pending) {
            *s = Slot::Cancelled;
            drop(s);
            self.done.notify_all();
            true
        } else {
            false
        }
    }

    pub(crate) fn state(&self) -> FutureState {
        match *self.lock() {
            Slot::Pending => FutureState::Pending,
            Slot::Running => FutureState::Running,
            Slot::Value(_) => FutureState::Finished,
            Slot::Error(_) => FutureState::Failed,
            Slot::Cancelled => FutureState::Cancelled,
        }
    }
}

/// The queue's view of a future, whatever its value type.
pub(crate) trait Queued: Send + Sync {
    /// Moves it to running; false when it was cancelled while queued.
    fn start(&self) -> bool;
    /// Cancels if still queued; true when it did.
    fn cancel_if_pending(&self) -> bool;
}

impl<T: Send> Queued for Core<T> {
    fn start(&self) -> bool {
        self.set_running()
    }
    fn cancel_if_pending(&self) -> bool {
        Core::cancel_if_pending(self)
    }
}

/// A result that arrives later (`concurrent.futures.Future`).
///
/// Clones share the same result. [`PyFuture::cancel`] only works while the
/// job waits in the queue; the pool emits `Cancelled` when its worker skips it.
pub struct PyFuture<T> {
    core: Arc<Core<T>>,
    unit: UnitId,
    label: Arc<str>,
    on_cancel: Option<Arc<dyn Fn(UnitId) + Send + Sync>>,
}

impl<T> Clone for PyFuture<T> {
    fn clone(&self) -> Self {
        PyFuture {
            core: self.core.clone(),
            unit: self.unit,
            label: self.label.clone(),
            on_cancel: self.on_cancel.clone(),
        }
    }
}

impl<T> Debug for PyFuture<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Future {} {:?}>", self.label, self.core.state())
    }
}

impl<T> PyFuture<T> {
    /// A pending future; `on_cancel` runs (once) when `cancel` succeeds, so
    /// the pool can report it.
    pub(crate) fn pending(
        unit: UnitId,
        label: &str,
        on_cancel: Option<Arc<dyn Fn(UnitId) + Send + Sync>>,
    ) -> PyFuture<T> {
        PyFuture {
            core: Arc::new(Core {
                slot: Mutex::new(Slot::Pending),
                done: Condvar::new(),
            }),
            unit,
            label: label.into(),
            on_cancel,
        }
    }

    pub(crate) fn core(&self) -> &Arc<Core<T>> {
        &self.core
    }

    /// The unit id its events carry.
    pub fn unit(&self) -> UnitId {
        self.unit
    }

    /// The label given at submit time.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Where it stands now.
    pub fn state(&self) -> FutureState {
        self.core.state()
    }

    /// Whether it finished, failed or was cancelled.
    pub fn done(&self) -> bool {
        matches!(
            self.state(),
            FutureState::Finished | FutureState::Failed | FutureState::Cancelled
        )
    }

    /// Whether a worker runs it now.
    pub fn running(&self) -> bool {
        self.state() == FutureState::Running
    }

    /// Whether it was cancelled.
    pub fn cancelled(&self) -> bool {
        self.state() == FutureState::Cancelled
    }

    /// Cancels the job if it is still queued; false once it runs or ended
    /// (cancelling a cancelled future is true, as in Python).
    pub fn cancel(&self) -> bool {
        if self.core.cancel_if_pending() {
            if let Some(f) = &self.on_cancel {
                f(self.unit);
            }
            return true;
        }
        self.cancelled()
    }

    /// Blocks until done, up to `timeout` (None: forever); false on timeout.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut s = self.core.lock();
        loop {
            if matches!(*s, Slot::Value(_) | Slot::Error(_) | Slot::Cancelled) {
                return true;
            }
            match deadline {
                None => {
                    s = self
                        .core
                        .done
                        .wait(s)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    s = self
                        .core
                        .done
                        .wait_timeout(s, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                }
            }
        }
    }

    /// The exception it raised, if any, blocking until done
    /// (`Err(Cancelled)` when cancelled, as Python raises `CancelledError`).
    pub fn exception(&self) -> Result<Option<String>, FutureError> {
        self.wait(None);
        match &*self.core.lock() {
            Slot::Error(e) => Ok(Some(e.clone())),
            Slot::Cancelled => Err(FutureError::Cancelled),
            _ => Ok(None),
        }
    }
}

impl<T: Clone> PyFuture<T> {
    /// Blocks until done; the value, or the job's exception re-raised.
    pub fn result(&self) -> Result<T, FutureError> {
        self.wait(None);
        self.peek().unwrap_or(Err(FutureError::Timeout))
    }

    /// As [`PyFuture::result`], giving up after `timeout`.
    pub fn result_timeout(&self, timeout: Duration) -> Result<T, FutureError> {
        if !self.wait(Some(timeout)) {
            return Err(FutureError::Timeout);
        }
        self.peek().unwrap_or(Err(FutureError::Timeout))
    }

    /// The outcome if done, without blocking.
    pub fn peek(&self) -> Option<Result<T, FutureError>> {
        match &*self.core.lock() {
            Slot::Value(v) => Some(Ok(v.clone())),
            Slot::Error(e) => Some(Err(FutureError::Exception(e.clone()))),
            Slot::Cancelled => Some(Err(FutureError::Cancelled)),
            Slot::Pending | Slot::Running => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_future_holds_its_exception_until_asked() {
        let f: PyFuture<u32> = PyFuture::pending(1, "job", None);
        assert!(!f.done());
        assert!(f.core().set_running());
        assert!(!f.cancel(), "running work cannot be cancelled");
        f.core().settle(Err(Some("ValueError: bad".into())));
        assert!(f.done());
        assert_eq!(f.exception(), Ok(Some("ValueError: bad".into())));
        assert_eq!(
            f.result(),
            Err(FutureError::Exception("ValueError: bad".into()))
        );
    }

    #[test]
    fn cancel_works_while_queued_and_reports_once() {
        let hits = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let h = hits.clone();
        let f: PyFuture<u32> = PyFuture::pending(
            7,
            "job",
            Some(Arc::new(move |_| {
                h.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            })),
        );
        assert!(f.cancel());
        assert!(f.cancel());
        assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert!(!f.core().set_running());
        assert_eq!(f.result(), Err(FutureError::Cancelled));
        assert_eq!(f.exception(), Err(FutureError::Cancelled));
    }

    #[test]
    fn result_timeout_gives_up() {
        let f: PyFuture<u32> = PyFuture::pending(1, "job", None);
        assert_eq!(
            f.result_timeout(Duration::from_millis(5)),
            Err(FutureError::Timeout)
        );
        f.core().settle(Ok(3));
        assert_eq!(f.result_timeout(Duration::from_millis(5)), Ok(3));
    }
}
