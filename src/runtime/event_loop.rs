//! The asyncio analog: one thread, tokio's current-thread runtime, every task
//! wrapped so that each poll, each `Pending`, each wake-up and its end are
//! traced.
//!
//! Lanes and events (what the event-loop pane folds):
//! - Lane 0 is the loop itself: `LaneUp { name: "event loop", pid }` when
//!   `block_on` starts, `Warning { "task X blocked the event loop for N ms" }`
//!   after a poll longer than the threshold (100 ms, asyncio's debug mode;
//!   polls are timed on the runtime's clock, which tests may pause),
//!   `LaneDown { reason: "closed" }` when `block_on` returns.
//! - Every task has its own lane (1, 2, … in creation order; `main` is the
//!   first). It has no `LaneUp`: its `Spawned { label }` opens it and its
//!   terminal event closes it.
//! - Per task: `Spawned` + `Queued` at `create_task` (state: ready);
//!   `Started` at the beginning of EVERY poll (state: running; at most one
//!   task runs at a time, which is the loop lane's "now"; polls = number of
//!   `Started`); when the poll returns `Pending`: `Blocked { on }` (state:
//!   waiting on X: `Sleep`, `Io(url)`, `Queue(name)`, `Other("task X")`,
//!   `Other("gather")`, `Other("semaphore …")`, or `Other("await")` for an
//!   untraced future) or `Yielded` (`aio::yield_now`: ready again at once);
//!   `Woken` when its waker fires (state: ready, in the ready queue); then
//!   exactly one of `Finished { value }`, `Failed { error }`, `Cancelled`
//!   (`task.cancel()`, an interrupt, or the loop closing with it unfinished).
//! - Busy time = sum of Started→(Blocked|Yielded|end) spans; idle = the rest
//!   of its life. [`EventLoop::task_stats`] gives the same figures.
//!
//! Cancellation arrives at the next await: a cancelled task's future is
//! dropped where it is parked. `Control::interrupt_all` cancels every task
//! (main included); `interrupt_lane(l)` cancels the task on lane `l`.

mod current;
mod task;
mod traced;

use std::fmt::Debug;
use std::future::Future;
use std::rc::Rc;
use std::time::{Duration, Instant};

pub use task::{TaskError, TaskHandle, create_task, gather, gather_settled};

use current::LoopShared;
pub(crate) use current::{current_loop, with_poll};

use super::Control;
use super::future::JobResult;
use crate::trace::{BlockOn, EventKind, LaneId, Tracer, UnitId};

/// Where a task stands, as tokio-console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskState {
    /// Scheduled: waiting in the ready queue for its next poll.
    Ready,
    /// Being polled now.
    Running,
    /// Parked until something happens.
    Waiting(BlockOn),
    /// Returned a value.
    Finished,
    /// Raised an exception.
    Failed(String),
    /// Was cancelled.
    Cancelled,
}

/// One task's figures (tokio-console's task table).
#[derive(Debug, Clone)]
pub struct TaskStats {
    pub unit: UnitId,
    pub lane: LaneId,
    pub label: String,
    /// Times it was polled.
    pub polls: u64,
    /// Time spent inside its polls.
    pub busy: Duration,
    pub spawned_at: Instant,
    pub ended_at: Option<Instant>,
    pub state: TaskState,
}

impl TaskStats {
    pub(crate) fn new(unit: UnitId, lane: LaneId, label: &str, now: Instant) -> TaskStats {
        TaskStats {
            unit,
            lane,
            label: label.to_string(),
            polls: 0,
            busy: Duration::ZERO,
            spawned_at: now,
            ended_at: None,
            state: TaskState::Ready,
        }
    }

    /// Time alive but not being polled.
    pub fn idle(&self) -> Duration {
        let end = self.ended_at.unwrap_or_else(Instant::now);
        end.saturating_duration_since(self.spawned_at)
            .saturating_sub(self.busy)
    }
}

/// An event loop (`asyncio.run`'s loop) on the calling thread.
pub struct EventLoop {
    rt: tokio::runtime::Runtime,
    shared: Rc<LoopShared>,
}

impl EventLoop {
    /// A loop reporting to `tracer`, steered by `control`.
    pub fn new(tracer: &Tracer, control: &Control) -> std::io::Result<EventLoop> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(EventLoop::on(rt, tracer, control))
    }

    /// A loop whose clock is paused: sleeps end as soon as nothing else can
    /// run, and time moves only by timers and `tokio::time::advance`, so that
    /// tests assert on durations that no busy machine can stretch.
    #[cfg(test)]
    pub(crate) fn with_paused_clock(
        tracer: &Tracer,
        control: &Control,
    ) -> std::io::Result<EventLoop> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()?;
        Ok(EventLoop::on(rt, tracer, control))
    }

    fn on(rt: tokio::runtime::Runtime, tracer: &Tracer, control: &Control) -> EventLoop {
        let shared = LoopShared::new(tracer.clone(), control.clone());
        if let Some(d) = control.slow_poll_threshold() {
            shared.slow_poll.set(d);
        }
        EventLoop {
            rt,
            shared: Rc::new(shared),
        }
    }

    /// Sets how long a poll may take before it is reported as blocking the
    /// loop (default 100 ms, or the run's [`Control::set_slow_poll_threshold`]).
    pub fn set_slow_poll_threshold(&self, d: Duration) {
        self.shared.slow_poll.set(d);
    }

    /// `asyncio.run(main())`: runs `main` as the task "main" until it ends,
    /// then cancels the tasks still pending and closes the loop.
    pub fn block_on<T, F>(&self, main: F) -> Result<T, TaskError>
    where
        T: Debug + 'static,
        F: Future<Output = JobResult<T>> + 'static,
    {
        let _guard = current::enter_loop(self.shared.clone());
        let shared = self.shared.clone();
        shared.tracer.emit(
            shared.lane,
            EventKind::LaneUp {
                name: "event loop".into(),
                pid: Some(std::process::id()),
                role: crate::trace::LaneRole::EventLoop,
            },
        );
        let local = tokio::task::LocalSet::new();
        let result = local.block_on(&self.rt, async {
            let main = task::spawn_on(&shared, "main".into(), main);
            tokio::select! {
                r = main => r,
                never = watch_interrupts(shared.clone()) => match never {},
            }
        });
        // Like asyncio.run: what is left is cancelled at its await point.
        shared.cancel_all();
        drop(local);
        shared.tracer.emit(
            shared.lane,
            EventKind::LaneDown {
                reason: "closed".into(),
            },
        );
        result
    }

    /// Every task this loop ran, in creation order.
    pub fn task_stats(&self) -> Vec<TaskStats> {
        self.shared.stats.borrow().clone()
    }
}

/// Cancels interrupted tasks as soon as `Control` says so.
async fn watch_interrupts(shared: Rc<LoopShared>) -> std::convert::Infallible {
    loop {
        let notified = shared.control.changes().notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        shared.cancel_interrupted();
        // The wait is bounded so that tasks created after an interrupt of
        // everything are cancelled too.
        let _ = tokio::time::timeout(Duration::from_millis(100), notified).await;
    }
}

#[cfg(test)]
mod tests;
