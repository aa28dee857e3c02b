//! Python's `ThreadPoolExecutor`, instrumented: `max_workers` threads, a FIFO
//! queue, `submit` returning a [`PyFuture`], `map` in input order and
//! `shutdown(wait, cancel_futures)`.
//!
//! Lanes and events (what a pane folds):
//! - The submitting side is `submit_lane` (0 unless configured): each submit
//!   emits `Spawned { unit, label }` then `Queued { unit }` there; a future
//!   cancelled while queued emits `Cancelled` there too.
//! - Worker `i` (0-based) is lane `first_lane + i` (1, 2, … by default):
//!   `LaneUp { name: "worker-N" }` when its thread starts, `LaneDown {
//!   reason: "shutdown" }` when it ends. For each job: `Started`, then
//!   `Progress` (batched), `Blocked { on }` / `Woken` around waits (with a
//!   GIL: `Blocked { on: Gil }` while waiting for it), then exactly one of
//!   `Finished { value }`, `Failed { error }` (an exception or a caught
//!   panic, held in the future until asked) or `Cancelled` (interrupted at a
//!   checkpoint, or skipped after an interrupt of everything).
//!
//! Every worker thread is spawned up front (unlike CPython, which spawns
//! them lazily) so the pane shows all lanes at once. Dropping the pool is
//! `shutdown(wait = true)`: no thread outlives it.

mod ctx;
mod map;
mod worker;

use std::collections::VecDeque;
use std::fmt::Debug;
use std::ops::Range;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

pub use ctx::WorkerCtx;
pub use map::MapIter;

use super::Control;
use super::future::{PyFuture, Queued};
use super::gil::Gil;
use super::outcome::{JobError, JobResult, panic_text, value_text};
use crate::trace::{EventKind, LaneId, Tracer, UnitId};

/// How to build a [`ThreadPool`].
#[derive(Clone)]
pub struct ThreadPoolBuilder {
    max_workers: usize,
    gil: Option<Arc<Gil>>,
    first_lane: LaneId,
    submit_lane: LaneId,
    name: String,
}

impl ThreadPoolBuilder {
    /// Shares a simulated GIL between the workers (CPython threads).
    #[must_use]
    pub fn gil(mut self, gil: Arc<Gil>) -> Self {
        self.gil = Some(gil);
        self
    }

    /// Shares a GIL when `Some` (a run's `gil` switch).
    #[must_use]
    pub fn maybe_gil(mut self, gil: Option<Arc<Gil>>) -> Self {
        self.gil = gil;
        self
    }

    /// Lane of the first worker (default 1), to run two pools in one trace.
    #[must_use]
    pub fn first_lane(mut self, lane: LaneId) -> Self {
        self.first_lane = lane;
        self
    }

    /// Lane on which submits are reported (default 0, the main thread).
    #[must_use]
    pub fn submit_lane(mut self, lane: LaneId) -> Self {
        self.submit_lane = lane;
        self
    }

    /// Lane name prefix (default "worker": lanes "worker-1", "worker-2"…).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Starts the worker threads.
    pub fn build(self, tracer: &Tracer, control: &Control) -> ThreadPool {
        ThreadPool::start(self, tracer.clone(), control.clone())
    }
}

/// One queued job, its value type erased.
pub(crate) struct WorkItem {
    pub(crate) unit: UnitId,
    pub(crate) future: Arc<dyn Queued>,
    pub(crate) run: Box<dyn FnOnce(&WorkerCtx) + Send>,
}

pub(crate) struct QueueState {
    pub(crate) items: VecDeque<WorkItem>,
    pub(crate) shutdown: bool,
}

/// What the pool and its workers share.
pub(crate) struct Shared {
    pub(crate) tracer: Tracer,
    pub(crate) control: Control,
    pub(crate) gil: Option<Arc<Gil>>,
    pub(crate) queue: Mutex<QueueState>,
    pub(crate) work: Condvar,
    submit_lane: LaneId,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A `ThreadPoolExecutor` whose every step is traced.
pub struct ThreadPool {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    lanes: Range<LaneId>,
}

impl ThreadPool {
    /// A pool of `max_workers` threads (at least 1) without a GIL.
    pub fn new(max_workers: usize, tracer: &Tracer, control: &Control) -> ThreadPool {
        ThreadPool::builder(max_workers).build(tracer, control)
    }

    /// Options beyond the worker count: GIL, lanes, names.
    pub fn builder(max_workers: usize) -> ThreadPoolBuilder {
        ThreadPoolBuilder {
            max_workers: max_workers.max(1),
            gil: None,
            first_lane: 1,
            submit_lane: 0,
            name: "worker".into(),
        }
    }

    fn start(b: ThreadPoolBuilder, tracer: Tracer, control: Control) -> ThreadPool {
        let shared = Arc::new(Shared {
            tracer,
            control,
            gil: b.gil,
            queue: Mutex::new(QueueState {
                items: VecDeque::new(),
                shutdown: false,
            }),
            work: Condvar::new(),
            submit_lane: b.submit_lane,
        });
        let lanes = b.first_lane..super::worker_lane(b.first_lane, b.max_workers);
        let mut threads = Vec::with_capacity(b.max_workers);
        for (i, lane) in lanes.clone().enumerate() {
            let name = format!("{}-{}", b.name, i + 1);
            let s = shared.clone();
            let thread_name = name.clone();
            match std::thread::Builder::new()
                .name(name)
                .spawn(move || worker::run(&s, lane, thread_name))
            {
                Ok(t) => threads.push(t),
                Err(e) => shared.tracer.emit(
                    lane,
                    EventKind::Warning {
                        text: format!("could not start a worker thread: {e}"),
                    },
                ),
            }
        }
        ThreadPool {
            shared,
            threads,
            lanes,
        }
    }

    /// The worker lanes.
    pub fn lanes(&self) -> Range<LaneId> {
        self.lanes.clone()
    }

    /// Number of worker threads.
    pub fn max_workers(&self) -> usize {
        self.lanes.len()
    }

    /// Jobs waiting in the queue (cancelled ones included until skipped).
    pub fn queued(&self) -> usize {
        self.shared.lock().items.len()
    }

    /// Schedules `job` and returns its future at once.
    ///
    /// After `shutdown` the future is already failed with Python's
    /// `RuntimeError`, and the failure is traced.
    pub fn submit<T, F>(&self, label: impl Into<String>, job: F) -> PyFuture<T>
    where
        T: Send + Debug + 'static,
        F: FnOnce(&WorkerCtx) -> JobResult<T> + Send + 'static,
    {
        let label = label.into();
        let tracer = &self.shared.tracer;
        let unit = tracer.next_unit();
        let weak = Arc::downgrade(&self.shared);
        let on_cancel = Arc::new(move |unit| {
            if let Some(s) = weak.upgrade() {
                // Under the queue lock so lane events stay in time order.
                let _q = s.lock();
                s.tracer.emit(s.submit_lane, EventKind::Cancelled { unit });
            }
        });
        let future = PyFuture::pending(unit, &label, Some(on_cancel));
        let core = future.core().clone();
        let run = Box::new(move |ctx: &WorkerCtx| {
            let out = catch_unwind(AssertUnwindSafe(|| job(ctx)));
            ctx.flush_progress();
            let unit = ctx.unit();
            // The event goes out before the value so that whoever wakes on
            // the result finds the trace complete.
            match out {
                Ok(Ok(v)) => {
                    ctx.emit(EventKind::Finished {
                        unit,
                        value: value_text(&v),
                    });
                    core.settle(Ok(v));
                }
                Ok(Err(JobError::Exception(error))) => {
                    ctx.emit(EventKind::Failed {
                        unit,
                        error: error.clone(),
                    });
                    core.settle(Err(Some(error)));
                }
                Ok(Err(JobError::Interrupted)) => {
                    ctx.emit(EventKind::Cancelled { unit });
                    core.settle(Err(None));
                }
                Err(panic) => {
                    let error = panic_text(&*panic);
                    ctx.emit(EventKind::Failed {
                        unit,
                        error: error.clone(),
                    });
                    core.settle(Err(Some(error)));
                }
            }
        });
        let mut q = self.shared.lock();
        let lane = self.shared.submit_lane;
        tracer.emit(lane, EventKind::Spawned { unit, label });
        if q.shutdown {
            let error = "RuntimeError: cannot schedule new futures after shutdown".to_string();
            tracer.emit(
                lane,
                EventKind::Failed {
                    unit,
                    error: error.clone(),
                },
            );
            future.core().settle(Err(Some(error)));
            return future;
        }
        tracer.emit(lane, EventKind::Queued { unit });
        q.items.push_back(WorkItem {
            unit,
            future: future.core().clone(),
            run,
        });
        drop(q);
        self.shared.work.notify_one();
        future
    }

    /// `executor.map`: submits one job per item now and returns an iterator
    /// over the results in input order. An exception surfaces only when its
    /// result is reached; then the iteration ends and the jobs still queued
    /// are cancelled (as when Python's generator is closed).
    pub fn map<I, T, F, L>(
        &self,
        label: L,
        items: impl IntoIterator<Item = I>,
        job: F,
    ) -> MapIter<T>
    where
        I: Send + 'static,
        T: Send + Debug + 'static,
        F: Fn(&WorkerCtx, I) -> JobResult<T> + Send + Sync + 'static,
        L: Fn(&I) -> String,
    {
        let job = Arc::new(job);
        let futures = items
            .into_iter()
            .map(|item| {
                let job = job.clone();
                self.submit(label(&item), move |ctx: &WorkerCtx| job(ctx, item))
            })
            .collect();
        MapIter::new(futures)
    }

    /// `executor.shutdown`: no new work; with `cancel_futures`, jobs still
    /// queued are cancelled; with `wait`, blocks until every worker ended.
    pub fn shutdown(&mut self, wait: bool, cancel_futures: bool) {
        {
            let mut q = self.shared.lock();
            q.shutdown = true;
            if cancel_futures {
                for item in q.items.drain(..) {
                    if item.future.cancel_if_pending() {
                        self.shared.tracer.emit(
                            self.shared.submit_lane,
                            EventKind::Cancelled { unit: item.unit },
                        );
                    }
                }
            }
        }
        self.shared.work.notify_all();
        if wait {
            for t in self.threads.drain(..) {
                let _ = t.join();
            }
        }
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.shutdown(true, false);
    }
}

#[cfg(test)]
mod tests;
