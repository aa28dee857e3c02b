//! Instrumented runtimes: a thread pool, an async event loop and a process
//! pool that run real work and report every step to the trace.
//!
//! All three speak Python's vocabulary and report through one [`Tracer`]
//! (lanes and events: see each module's documentation), and all three obey
//! one [`Control`] (pause at safe points, time scale for sleeps, interrupt a
//! lane or everything, which ends units `Cancelled`).
//!
//! Jobs and tasks return [`JobResult`]: `Err(JobError::Exception(text))` is
//! a Python exception (held in the future until asked), and
//! `Err(JobError::Interrupted)` (what `?` makes of [`Interrupted`]) ends the
//! unit cancelled.
//!
//! **Threads** (`concurrent.futures.ThreadPoolExecutor`), optionally under a
//! simulated [`Gil`]:
//! ```
//! use std::time::Duration;
//! use racecourse::runtime::{Control, Gil, ThreadPool};
//! use racecourse::trace::Tracer;
//!
//! let (tracer, _events) = Tracer::new();
//! let control = Control::new();
//! let pool = ThreadPool::builder(2).gil(Gil::new()).build(&tracer, &control);
//! let squares: Vec<_> = pool
//!     .map(|x| format!("square({x})"), [1u64, 2, 3], |ctx, x| {
//!         ctx.sleep(Duration::from_millis(1))?; // releases the GIL
//!         ctx.cpu_tick(1)?;                     // CPU loops call this per batch
//!         Ok(x * x)
//!     })
//!     .collect::<Result<_, _>>()
//!     .unwrap();
//! assert_eq!(squares, [1, 4, 9]);
//! let f = pool.submit("oops", |_| -> racecourse::runtime::JobResult<()> {
//!     Err("ValueError: nope".into())
//! });
//! assert_eq!(f.exception(), Ok(Some("ValueError: nope".into())));
//! ```
//!
//! **Tasks** (`asyncio`), see [`aio`] for what they can await:
//! ```
//! use std::time::Duration;
//! use racecourse::runtime::{Control, EventLoop, aio};
//! use racecourse::trace::Tracer;
//!
//! let (tracer, _events) = Tracer::new();
//! let lp = EventLoop::new(&tracer, &Control::new()).unwrap();
//! let names = lp.block_on(async {
//!     let limit = aio::Semaphore::new("limit", 2);
//!     let tasks = (1..=3).map(|i| {
//!         let limit = limit.clone();
//!         aio::create_task(format!("fetch {i}"), async move {
//!             let _permit = limit.acquire().await?;
//!             aio::io(format!("/pokemon/{i}"), aio::sleep(Duration::from_millis(1))).await?;
//!             Ok(format!("pokemon {i}"))
//!         })
//!     });
//!     aio::gather(tasks).await.map_err(aio::reraise)
//! });
//! assert_eq!(names.unwrap(), ["pokemon 1", "pokemon 2", "pokemon 3"]);
//! ```
//!
//! **Processes** (`multiprocessing.Pool`), running named [`Job`]s in
//! `racecourse __worker` children:
//! ```no_run
//! use racecourse::runtime::{Control, Job, ProcessPool};
//! use racecourse::trace::Tracer;
//!
//! let (tracer, _events) = Tracer::new();
//! let mut pool = ProcessPool::new(3, &tracer, &Control::new()).unwrap();
//! let squares = pool.map((1..=3).map(|x| Job::Square { x })).unwrap();
//! assert_eq!(squares, [1, 4, 9]);
//! let r = pool.apply_async(Job::Spin { hashes: 1_000_000 });
//! pool.close();
//! pool.join().unwrap();
//! assert_eq!(r.result().unwrap(), 1_000_000);
//! ```
//!
//! [`Tracer`]: crate::trace::Tracer

pub mod aio;
mod control;
pub mod event_loop;
mod future;
pub mod gil;
pub mod jobs;
mod outcome;
pub mod process;
pub mod process_pool;
pub mod thread_pool;

pub use control::{Control, Interrupted};
pub use event_loop::{EventLoop, TaskError, TaskHandle};
pub use future::{FutureError, FutureState, JobError, JobResult, PyFuture};
pub use gil::Gil;
pub use jobs::Job;
pub use process_pool::{PoolStatus, ProcessPool};
pub use thread_pool::{ThreadPool, ThreadPoolBuilder, WorkerCtx};

/// The lane of a pool's `index`-th worker (from 0), the first on `first`.
/// Pools have a handful of workers; past `LaneId::MAX` the ids saturate.
pub(crate) fn worker_lane(first: crate::trace::LaneId, index: usize) -> crate::trace::LaneId {
    crate::trace::LaneId::try_from(index)
        .map_or(crate::trace::LaneId::MAX, |i| first.saturating_add(i))
}

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
