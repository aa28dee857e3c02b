//! Python's `multiprocessing.Pool`, with real OS processes: the racecourse
//! binary re-executed as `racecourse __worker`, one JSON line per message
//! over its stdin/stdout. Jobs are named ([`Job`]) since closures cannot
//! cross into another process.
//!
//! Lanes and events (what the process-pool pane folds):
//! - Lane 0 is the pool itself (`LaneUp { name: "pool", role: Supervisor,
//!   pid: <app pid> }`); `Pool { state }` reports each change of state; `LaneDown { reason: "joined" | "terminated" }` when it
//!   ends. Submitting a job emits `Spawned { label }` + `Queued` there; a job
//!   cancelled while queued (`future.cancel()`, terminate, interrupt) emits
//!   `Cancelled` there.
//! - Worker slot `i` is lane `i + 1`. Each process that runs in the slot
//!   opens it with `LaneUp { name: "worker-N", pid: Some(pid) }` and closes
//!   it with `LaneDown { reason }`, where reason starts with "exited",
//!   "terminated", "interrupted" or "crashed" and ends with the process's
//!   figures `(cpu 0.42 s, sent 3, received 17)`. A crashed or interrupted
//!   process is replaced at once: a new `LaneUp` with a new PID on the same
//!   lane. A crash also emits `Warning { "worker-N (pid P) died: …" }`.
//! - Per job on the worker lane: `Started` (when the worker acknowledges
//!   it), `Progress` (batched by the worker every 20 ms), then one of
//!   `Finished { value }` (the JSON value as text), `Failed { error }` (an
//!   exception, or the process died under it) or `Cancelled` (stopped,
//!   interrupted or terminated).
//! - Live figures: the PID comes from `LaneUp`; the slot thread reads its
//!   child's CPU time from `/proc` ([`procfs::cpu_time`]) and reports it as
//!   `Cpu { cpu_us }` at most every 100 ms; messages
//!   sent/received are counted in [`ProcessPool::stats`] and in each
//!   `LaneDown` reason. Every message received becomes at most one event.
//!
//! Interrupting everything (`Control::interrupt_all`, Ctrl-C) terminates the
//! pool: children are killed, queued and running jobs end cancelled.
//! Interrupting one lane kills that process only; its job is cancelled and
//! the slot gets a new process. Dropping the pool terminates it (as Python's
//! `with Pool() as p:`), killing and reaping every child. Children also die
//! with the app on SIGKILL (parent-death signal) and exit when their stdin
//! closes.

mod child;
mod demo;
pub mod procfs;
mod protocol;
mod shared;
mod slot;
mod worker;

use std::collections::{HashSet, VecDeque};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub use protocol::WORKER_ARG;
pub use shared::{set_worker_program, worker_program};
pub use worker::{die_with_parent, ignore_ctrl_c, worker_main};

use shared::{QueuedJob, Shared, State};

use super::Control;
use super::future::{FutureError, PyFuture};
use super::jobs::Job;
use crate::trace::{EventKind, LaneId, LaneRole, Tracer, UnitId};

/// The pool's life: `Running` → `Closed` (no new work) → `Joined`, or
/// `Terminated` at any time.
pub use crate::trace::PoolState as PoolStatus;

/// A misuse of the pool, as Python's `ValueError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    #[error("ValueError: Pool is still running (close() or terminate() first)")]
    StillRunning,
}

/// What one worker slot is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcState {
    /// Spawning, not yet said hello.
    Starting,
    /// Waiting for a job.
    Idle,
    /// Running a job.
    Busy,
    /// No process (ended, or could not start).
    Gone,
}

/// A snapshot of one worker slot.
#[derive(Debug, Clone)]
pub struct ProcStats {
    pub lane: LaneId,
    pub pid: Option<u32>,
    pub state: ProcState,
    /// Label of the job it runs.
    pub task: Option<String>,
    /// CPU time of the current (or last) process in this slot.
    pub cpu: Duration,
    /// Messages sent to / received from the current process.
    pub sent: u64,
    pub received: u64,
    /// Processes that replaced a crashed or interrupted one.
    pub restarts: u32,
}

/// A `multiprocessing.Pool` of real processes whose every step is traced.
pub struct ProcessPool {
    shared: Arc<Shared>,
    slots: Vec<JoinHandle<()>>,
    size: usize,
}

impl ProcessPool {
    /// `Pool(processes)`, workers being this very binary (or the program
    /// set by [`set_worker_program`]).
    pub fn new(
        processes: usize,
        tracer: &Tracer,
        control: &Control,
    ) -> std::io::Result<ProcessPool> {
        let program = worker_program()?;
        Ok(ProcessPool::with_program(
            program, processes, tracer, control,
        ))
    }

    /// A pool whose workers run `program __worker` (tests pass the built
    /// binary; inside unit tests `current_exe` is the test harness).
    pub fn with_program(
        program: impl Into<PathBuf>,
        processes: usize,
        tracer: &Tracer,
        control: &Control,
    ) -> ProcessPool {
        let size = processes.max(1);
        let procs = (0..size)
            .map(|i| ProcStats {
                lane: super::worker_lane(1, i),
                pid: None,
                state: ProcState::Starting,
                task: None,
                cpu: Duration::ZERO,
                sent: 0,
                received: 0,
                restarts: 0,
            })
            .collect();
        let shared = Arc::new(Shared {
            tracer: tracer.clone(),
            control: control.clone(),
            program: program.into(),
            state: Mutex::new(State {
                queue: VecDeque::new(),
                status: PoolStatus::Running,
                procs,
                stops: HashSet::new(),
            }),
            changed: Condvar::new(),
        });
        shared.tracer.emit(
            0,
            EventKind::LaneUp {
                name: "pool".into(),
                pid: Some(std::process::id()),
                role: LaneRole::Supervisor,
            },
        );
        shared.announce(PoolStatus::Running);
        let slots = (0..size)
            .filter_map(|i| {
                let s = shared.clone();
                std::thread::Builder::new()
                    .name(format!("pool-slot-{}", i + 1))
                    .spawn(move || slot::run(&s, i))
                    .ok()
            })
            .collect();
        ProcessPool {
            shared,
            slots,
            size,
        }
    }

    /// The worker lanes (1..=processes).
    pub fn lanes(&self) -> Range<LaneId> {
        1..super::worker_lane(1, self.size)
    }

    /// The pool's state now.
    pub fn status(&self) -> PoolStatus {
        self.shared.lock().status
    }

    /// `pool.apply_async(job)`: queues the job and returns its future. On a
    /// pool that is not running, the future fails with Python's
    /// `ValueError: Pool not running`.
    pub fn apply_async(&self, job: Job) -> PyFuture<serde_json::Value> {
        let tracer = &self.shared.tracer;
        let unit = tracer.next_unit();
        let label = job.label();
        let weak = Arc::downgrade(&self.shared);
        let on_cancel = Arc::new(move |unit| {
            if let Some(s) = weak.upgrade() {
                let _st = s.lock();
                s.tracer.emit(0, EventKind::Cancelled { unit });
            }
        });
        let future = PyFuture::pending(unit, &label, Some(on_cancel));
        let mut st = self.shared.lock();
        tracer.emit(0, EventKind::Spawned { unit, label });
        if st.status != PoolStatus::Running {
            let error = "ValueError: Pool not running".to_string();
            tracer.emit(
                0,
                EventKind::Failed {
                    unit,
                    error: error.clone(),
                },
            );
            future.core().settle(Err(Some(error)));
            return future;
        }
        tracer.emit(0, EventKind::Queued { unit });
        st.queue.push_back(QueuedJob {
            unit,
            job,
            core: future.core().clone(),
        });
        drop(st);
        self.shared.changed.notify_all();
        future
    }

    /// `pool.map`: one job each, all queued now; the values in input order,
    /// or the first exception in that order.
    pub fn map(
        &self,
        jobs: impl IntoIterator<Item = Job>,
    ) -> Result<Vec<serde_json::Value>, FutureError> {
        self.map_async(jobs).iter().map(PyFuture::result).collect()
    }

    /// As [`ProcessPool::map`], with each value read back from the wire as a
    /// `T`; a value of another shape is the job's exception.
    pub fn map_as<T: serde::de::DeserializeOwned>(
        &self,
        jobs: impl IntoIterator<Item = Job>,
    ) -> Result<Vec<T>, FutureError> {
        self.map(jobs)?
            .into_iter()
            .map(|v| {
                serde_json::from_value(v)
                    .map_err(|e| FutureError::Exception(format!("unexpected result: {e}")))
            })
            .collect()
    }

    /// `pool.map_async`: the futures, in input order.
    pub fn map_async(
        &self,
        jobs: impl IntoIterator<Item = Job>,
    ) -> Vec<PyFuture<serde_json::Value>> {
        jobs.into_iter().map(|j| self.apply_async(j)).collect()
    }

    /// Asks the worker running job `unit` to stop at its next safe point
    /// (the hash race stops the losers). A queued job is cancelled instead.
    pub fn stop_job(&self, unit: UnitId) {
        let mut st = self.shared.lock();
        if let Some(pos) = st.queue.iter().position(|q| q.unit == unit) {
            if let Some(q) = st.queue.remove(pos)
                && q.core.cancel_if_pending()
            {
                self.shared.tracer.emit(0, EventKind::Cancelled { unit });
            }
            return;
        }
        st.stops.insert(unit);
    }

    /// `pool.close()`: no new jobs; the workers finish the queue, then exit.
    pub fn close(&self) {
        let mut st = self.shared.lock();
        if st.status == PoolStatus::Running {
            st.status = PoolStatus::Closed;
            self.shared.announce(st.status);
        }
        drop(st);
        self.shared.changed.notify_all();
    }

    /// `pool.join()`: waits for every worker to exit; the pool must be
    /// closed or terminated first.
    pub fn join(&mut self) -> Result<(), PoolError> {
        if self.status() == PoolStatus::Running {
            return Err(PoolError::StillRunning);
        }
        if self.slots.is_empty() {
            return Ok(()); // joined already
        }
        for s in self.slots.drain(..) {
            let _ = s.join();
        }
        let mut st = self.shared.lock();
        if st.status == PoolStatus::Closed {
            st.status = PoolStatus::Joined;
            self.shared.announce(st.status);
        }
        let reason = st.status.as_str();
        self.shared.tracer.emit(
            0,
            EventKind::LaneDown {
                reason: reason.into(),
            },
        );
        Ok(())
    }

    /// `pool.terminate()`: kills every worker now; queued and running jobs
    /// end cancelled. Waits until the children are reaped.
    pub fn terminate(&mut self) {
        {
            let mut st = self.shared.lock();
            self.shared.terminate_locked(&mut st);
        }
        let _ = self.join();
    }

    /// PIDs of the worker processes alive now.
    pub fn pids(&self) -> Vec<u32> {
        self.shared
            .lock()
            .procs
            .iter()
            .filter_map(|p| p.pid)
            .collect()
    }

    /// A snapshot of every slot, CPU times read from `/proc` now.
    pub fn stats(&self) -> Vec<ProcStats> {
        let mut procs = self.shared.lock().procs.clone();
        for p in &mut procs {
            if let Some(cpu) = p.pid.and_then(procfs::cpu_time) {
                p.cpu = cpu;
            }
        }
        procs
    }
}

impl Drop for ProcessPool {
    fn drop(&mut self) {
        if !self.slots.is_empty() {
            self.terminate();
        }
    }
}
