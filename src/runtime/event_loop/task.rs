//! Tasks: `create_task`, their handles, and `gather`.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use tokio::task::JoinHandle;

use super::current::{self, LoopShared};
use super::traced::Traced;
use crate::runtime::aio::Marked;
use crate::runtime::future::JobResult;
use crate::trace::{BlockOn, EventKind, LaneId, UnitId};

/// Why awaiting a task gave no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The task raised this exception.
    #[error("{0}")]
    Exception(String),
    /// The task was cancelled (`CancelledError`).
    #[error("CancelledError")]
    Cancelled,
}

/// A scheduled task (`asyncio.Task`): await it for its value, or cancel it.
pub struct TaskHandle<T> {
    unit: UnitId,
    lane: LaneId,
    label: Rc<str>,
    join: Option<JoinHandle<Result<T, TaskError>>>,
    /// Set when no loop ran (the task could not be created).
    error: Option<String>,
}

impl<T> TaskHandle<T> {
    /// The task's unit id.
    pub fn unit(&self) -> UnitId {
        self.unit
    }

    /// The task's lane.
    pub fn lane(&self) -> LaneId {
        self.lane
    }

    /// The label given to `create_task`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Whether it ended (any way).
    pub fn done(&self) -> bool {
        self.join
            .as_ref()
            .is_none_or(tokio::task::JoinHandle::is_finished)
    }

    /// `task.cancel()`: the task is dropped at the await it is parked on and
    /// ends `Cancelled`; false when it already ended.
    pub fn cancel(&self) -> bool {
        match &self.join {
            Some(j) if !j.is_finished() => {
                j.abort();
                true
            }
            _ => false,
        }
    }
}

impl<T> Future for TaskHandle<T> {
    type Output = Result<T, TaskError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(join) = this.join.as_mut() else {
            let e = this
                .error
                .take()
                .unwrap_or_else(|| "task already awaited".into());
            return Poll::Ready(Err(TaskError::Exception(e)));
        };
        match Pin::new(join).poll(cx) {
            Poll::Ready(r) => {
                this.join = None;
                this.error = Some("task already awaited".into());
                Poll::Ready(match r {
                    Ok(v) => v,
                    Err(e) if e.is_cancelled() => Err(TaskError::Cancelled),
                    Err(e) => Err(TaskError::Exception(format!("task failed: {e}"))),
                })
            }
            Poll::Pending => {
                let label = &this.label;
                current::with_poll(|p| {
                    p.wait = Some(BlockOn::Task {
                        name: format!("task {label}"),
                    });
                });
                Poll::Pending
            }
        }
    }
}

/// `asyncio.create_task`: schedules `fut` on the running loop and returns at
/// once. The task gets its own lane; its events: `Spawned` + `Queued` now,
/// then per poll `Started` … `Blocked`/`Yielded`, `Woken` when its waker
/// fires, and one of `Finished`, `Failed`, `Cancelled`.
///
/// Outside `EventLoop::block_on` there is no loop: the handle resolves to
/// Python's `RuntimeError: no running event loop`.
pub fn create_task<T, F>(label: impl Into<String>, fut: F) -> TaskHandle<T>
where
    T: Debug + 'static,
    F: Future<Output = JobResult<T>> + 'static,
{
    let label: Rc<str> = label.into().into();
    let Some(shared) = current::current_loop() else {
        return TaskHandle {
            unit: 0,
            lane: 0,
            label,
            join: None,
            error: Some("RuntimeError: no running event loop".into()),
        };
    };
    spawn_on(&shared, label, fut)
}

pub(crate) fn spawn_on<T, F>(shared: &Rc<LoopShared>, label: Rc<str>, fut: F) -> TaskHandle<T>
where
    T: Debug + 'static,
    F: Future<Output = JobResult<T>> + 'static,
{
    let unit = shared.tracer.next_unit();
    let lane = shared.new_lane();
    shared.tracer.emit(
        lane,
        EventKind::Spawned {
            unit,
            label: label.to_string(),
        },
    );
    shared.tracer.emit(lane, EventKind::Queued { unit });
    let traced = Traced::new(fut, shared.clone(), unit, lane, label.clone());
    let join = tokio::task::spawn_local(traced);
    shared.register(unit, lane, join.abort_handle());
    TaskHandle {
        unit,
        lane,
        label,
        join: Some(join),
        error: None,
    }
}

/// `asyncio.gather(*tasks)`: every value in order, or the first exception
/// (the other tasks keep running, as in Python).
pub async fn gather<T>(
    tasks: impl IntoIterator<Item = TaskHandle<T>>,
) -> Result<Vec<T>, TaskError> {
    let all = futures::future::try_join_all(tasks);
    Marked::new(
        BlockOn::Task {
            name: "gather".into(),
        },
        all,
    )
    .await
}

/// `asyncio.gather(*tasks, return_exceptions=True)`: every outcome in order.
pub async fn gather_settled<T>(
    tasks: impl IntoIterator<Item = TaskHandle<T>>,
) -> Vec<Result<T, TaskError>> {
    let all = futures::future::join_all(tasks);
    Marked::new(
        BlockOn::Task {
            name: "gather".into(),
        },
        all,
    )
    .await
}
