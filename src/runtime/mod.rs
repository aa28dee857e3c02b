//! Instrumented runtimes: a thread pool, an async event loop and a process
//! pool that run real work and report every step to the trace.

pub mod aio;
mod control;
pub mod event_loop;
mod future;
pub mod gil;
pub mod jobs;
pub mod process_pool;
pub mod thread_pool;

pub use control::{Control, Interrupted};
pub use event_loop::{EventLoop, TaskError, TaskHandle};
pub use future::{FutureError, FutureState, JobError, JobResult, PyFuture};
pub use gil::Gil;
pub use jobs::Job;
pub use process_pool::{PoolStatus, ProcessPool};
pub use thread_pool::{ThreadPool, ThreadPoolBuilder, WorkerCtx};

#[cfg(test)]
pub(crate) mod testing {
    use crate::trace::{Event, TraceRx};

    /// Every event sent so far.
    pub(crate) fn drain(rx: &mut TraceRx) -> Vec<Event> {
        let mut out = Vec::new();
        while let Ok(e) = rx.try_recv() {
            out.push(e);
        }
        out
    }
}
