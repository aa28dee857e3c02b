//! What a task awaits, traced: Python's `asyncio` functions for code running
//! on an [`EventLoop`](super::event_loop::EventLoop).
//!
//! Each helper tells the task's wrapper what it waits on when it returns
//! `Pending`, so the pane can say "waiting on sleep" or "waiting on I/O
//! http://…". Outside a loop they still work, untraced.
//!
//! ```no_run
//! use std::time::Duration;
//! use racecourse::runtime::{aio, Control, EventLoop, JobResult};
//! use racecourse::trace::Tracer;
//!
//! async fn upload_files() -> JobResult<()> {
//!     aio::print("Preparing files...");
//!     aio::sleep(Duration::from_secs(1)).await?;
//!     aio::print("Files prepared.");
//!     Ok(())
//! }
//!
//! let (tracer, _rx) = Tracer::new();
//! let lp = EventLoop::new(&tracer, &Control::new()).unwrap();
//! lp.block_on(async {
//!     let a = aio::create_task("upload_files", upload_files());
//!     aio::gather([a]).await.map_err(aio::reraise)?;
//!     Ok(())
//! }).unwrap();
//! ```

mod sync;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use super::event_loop::{TaskError, TaskHandle, create_task, gather, gather_settled};
pub use sync::{Queue, Semaphore, SemaphorePermit};

use super::Interrupted;
use super::event_loop::{current_loop, with_poll};
use super::future::JobError;
use crate::trace::{BlockOn, EventKind, IoPhase, LaneId, UnitId};

/// A future that, whenever it returns `Pending`, records what it waits on.
pub struct Marked<F> {
    on: BlockOn,
    inner: Pin<Box<F>>,
}

impl<F: Future> Marked<F> {
    /// Wraps `inner`, waiting on `on`.
    pub fn new(on: BlockOn, inner: F) -> Marked<F> {
        Marked {
            on,
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for Marked<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let r = self.inner.as_mut().poll(cx);
        if r.is_pending() {
            let on = self.on.clone();
            with_poll(|p| p.wait = Some(on));
        }
        r
    }
}

/// Awaits `fut`, drawn as waiting on `on` (a lock, an event, anything).
pub fn wait_on<F: Future>(on: BlockOn, fut: F) -> Marked<F> {
    Marked::new(on, fut)
}

/// Awaits `fut`, drawn as waiting for the answer of I/O (`what`: a URL, a
/// file).
pub fn io<F: Future>(what: impl Into<String>, fut: F) -> Marked<F> {
    Marked::new(BlockOn::io(IoPhase::Response, what), fut)
}

/// `asyncio.sleep`: an example-world duration (scaled by the time scale),
/// paused with the run, ended early by an interrupt.
pub async fn sleep(d: Duration) -> Result<(), Interrupted> {
    if let (Some((lane, _)), Some(shared)) = (current(), current_loop()) {
        let control = shared.control.clone();
        return wait_on(BlockOn::Sleep, control.sleep_async(lane, d)).await;
    }
    tokio::time::sleep(d).await;
    Ok(())
}

/// `await asyncio.sleep(0)`: gives the loop to the other ready tasks and
/// comes back at once (traced as `Yielded`).
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future of [`yield_now`].
pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        with_poll(|p| p.yielded = true);
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A safe point for CPU-bound tasks: waits while the run is paused (without
/// blocking the loop) and reports an interrupt of this task or of all.
pub async fn checkpoint() -> Result<(), Interrupted> {
    let (Some((lane, _)), Some(shared)) = (current(), current_loop()) else {
        return Ok(());
    };
    let control = shared.control.clone();
    wait_on(BlockOn::other("paused"), control.checkpoint_async(lane)).await
}

/// `print(...)` from a task: an `Output` event on its lane.
pub fn print(text: impl Into<String>) {
    emit(EventKind::Output { text: text.into() });
}

/// Reports the task's own progress (cumulative units done).
pub fn progress(done: u64) {
    if let Some((_, unit)) = current() {
        emit(EventKind::Progress { unit, done });
    }
}

/// The lane and unit of the task being polled, if any.
pub fn current() -> Option<(LaneId, UnitId)> {
    with_poll(|p| (p.lane, p.unit))
}

/// Turns a task error back into a job error, to re-raise it with `?`
/// (`CancelledError` stays a cancellation).
pub fn reraise(e: TaskError) -> JobError {
    match e {
        TaskError::Exception(e) => JobError::Exception(e),
        TaskError::Cancelled => JobError::Interrupted,
    }
}

fn emit(kind: EventKind) {
    if let (Some((lane, _)), Some(shared)) = (current(), current_loop()) {
        shared.tracer.emit(lane, kind);
    }
}
