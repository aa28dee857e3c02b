//! `asyncio.TaskGroup` (Python 3.11), after trio's nursery: no task
//! outlives the block; the first failure cancels the others, and every
//! failure comes back together as an `ExceptionGroup`.

use std::fmt::Debug;
use std::future::Future;

use crate::runtime::{JobResult, TaskError, TaskHandle, aio};
use crate::trace::BlockOn;

/// The failures of a task group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionGroup {
    pub exceptions: Vec<String>,
}

impl std::fmt::Display for ExceptionGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.exceptions.len();
        let s = if n == 1 { "" } else { "s" };
        write!(
            f,
            "ExceptionGroup: unhandled errors in a TaskGroup ({n} sub-exception{s})"
        )
    }
}

/// `async with asyncio.TaskGroup() as tg:`.
pub struct TaskGroup<T> {
    tasks: Vec<TaskHandle<T>>,
}

impl<T: Debug + 'static> TaskGroup<T> {
    pub fn new() -> TaskGroup<T> {
        TaskGroup { tasks: Vec::new() }
    }

    /// `tg.create_task(coro)`.
    pub fn create_task(&mut self, label: &str, fut: impl Future<Output = JobResult<T>> + 'static) {
        self.tasks.push(aio::create_task(label, fut));
    }

    /// The end of the `async with` block: waits for every task; at the
    /// first exception cancels the rest, waits for them to end, and raises
    /// the exceptions together.
    pub async fn join(self) -> Result<(), ExceptionGroup> {
        let mut left = self.tasks;
        let mut exceptions = Vec::new();
        while !left.is_empty() {
            let on = BlockOn::Task {
                name: "TaskGroup".into(),
            };
            let (r, _, rest) = aio::wait_on(on, futures::future::select_all(left)).await;
            left = rest;
            if let Err(TaskError::Exception(e)) = r {
                exceptions.push(e);
                for t in &left {
                    t.cancel();
                }
            }
        }
        if exceptions.is_empty() {
            Ok(())
        } else {
            Err(ExceptionGroup { exceptions })
        }
    }
}
