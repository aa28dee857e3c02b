//! The wrapper every task runs in: it traces each poll, each `Pending`, each
//! wake-up and the end, and times polls to catch a blocked loop.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use super::current::{self, LoopShared, PollCtx};
use super::{TaskError, TaskState};
use crate::runtime::outcome::{JobError, JobResult, panic_text, value_text};
use crate::trace::{BlockOn, EventKind, LaneId, Tracer, UnitId};

/// Where a task stands between polls, as its waker sees it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Polling,
    /// Woken while being polled: ready again as soon as the poll ends.
    WokenInPoll,
    Waiting,
    Woken,
    Ended,
}

struct Shared {
    waker: Option<Waker>,
    phase: Phase,
}

/// Wraps the runtime's waker to report `Woken` when a waiting task is woken.
/// Every event of a task's own life is sent under this lock, so a wake-up
/// from another thread can never be traced after the task's end or out of
/// time order.
struct TaskWaker {
    shared: Mutex<Shared>,
    tracer: Tracer,
    unit: UnitId,
    lane: LaneId,
}

impl TaskWaker {
    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let waker = {
            let mut s = self.lock();
            match s.phase {
                Phase::Waiting => {
                    s.phase = Phase::Woken;
                    self.tracer
                        .emit(self.lane, EventKind::Woken { unit: self.unit });
                }
                Phase::Polling => s.phase = Phase::WokenInPoll,
                Phase::WokenInPoll | Phase::Woken | Phase::Ended => {}
            }
            s.waker.clone()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

/// A task's future, traced.
pub(crate) struct Traced<F> {
    inner: Pin<Box<F>>,
    shared: Rc<LoopShared>,
    unit: UnitId,
    lane: LaneId,
    label: Rc<str>,
    row: usize,
    task_waker: Arc<TaskWaker>,
    waker: Waker,
    ended: bool,
}

impl<F> Traced<F> {
    pub(crate) fn new(
        inner: F,
        shared: Rc<LoopShared>,
        unit: UnitId,
        lane: LaneId,
        label: Rc<str>,
    ) -> Traced<F> {
        let row = shared.add_stats(unit, lane, &label);
        let task_waker = Arc::new(TaskWaker {
            shared: Mutex::new(Shared {
                waker: None,
                phase: Phase::Woken,
            }),
            tracer: shared.tracer.clone(),
            unit,
            lane,
        });
        let waker = Waker::from(task_waker.clone());
        Traced {
            inner: Box::pin(inner),
            shared,
            unit,
            lane,
            label,
            row,
            task_waker,
            waker,
            ended: false,
        }
    }

    fn emit(&self, kind: EventKind) {
        self.shared.tracer.emit(self.lane, kind);
    }

    /// Warns when one poll held the loop longer than the run allows.
    fn warn_if_slow(&self, took: Duration) {
        if took >= self.shared.slow_poll.get() {
            let text = format!(
                "task {} blocked the event loop for {} ms",
                self.label,
                took.as_millis()
            );
            self.shared
                .tracer
                .emit(self.shared.lane, EventKind::Warning { text });
        }
    }

    fn end(&mut self, kind: EventKind, state: TaskState) {
        self.ended = true;
        {
            let mut s = self.task_waker.lock();
            s.phase = Phase::Ended;
            s.waker = None;
            self.emit(kind);
        }
        self.shared.unregister(self.unit);
        let mut rows = self.shared.stats.borrow_mut();
        if let Some(row) = rows.get_mut(self.row) {
            row.state = state;
            row.ended_at = Some(Instant::now());
        }
    }
}

impl<T: std::fmt::Debug, F: Future<Output = JobResult<T>>> Future for Traced<F> {
    type Output = Result<T, TaskError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.ended {
            return Poll::Pending;
        }
        {
            let mut s = this.task_waker.lock();
            if !s.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                s.waker = Some(cx.waker().clone());
            }
            s.phase = Phase::Polling;
            this.emit(EventKind::Started { unit: this.unit });
        }
        if let Some(row) = this.shared.stats.borrow_mut().get_mut(this.row) {
            row.polls += 1;
            row.state = TaskState::Running;
        }
        let prev = current::enter_poll(PollCtx {
            unit: this.unit,
            lane: this.lane,
            wait: None,
            yielded: false,
        });
        // The runtime's clock: real time, unless a test paused it.
        let t0 = tokio::time::Instant::now();
        let mut inner_cx = Context::from_waker(&this.waker);
        let out = catch_unwind(AssertUnwindSafe(|| this.inner.as_mut().poll(&mut inner_cx)));
        let took = t0.elapsed();
        let polled = current::leave_poll(prev);
        if let Some(row) = this.shared.stats.borrow_mut().get_mut(this.row) {
            row.busy += took;
        }
        this.warn_if_slow(took);
        let unit = this.unit;
        match out {
            Ok(Poll::Ready(Ok(v))) => {
                let value = value_text(&v);
                this.end(EventKind::Finished { unit, value }, TaskState::Finished);
                Poll::Ready(Ok(v))
            }
            Ok(Poll::Ready(Err(JobError::Exception(error)))) => {
                this.end(
                    EventKind::Failed {
                        unit,
                        error: error.clone(),
                    },
                    TaskState::Failed(error.clone()),
                );
                Poll::Ready(Err(TaskError::Exception(error)))
            }
            Ok(Poll::Ready(Err(JobError::Interrupted))) => {
                this.end(EventKind::Cancelled { unit }, TaskState::Cancelled);
                Poll::Ready(Err(TaskError::Cancelled))
            }
            Err(panic) => {
                let error = panic_text(&*panic);
                this.end(
                    EventKind::Failed {
                        unit,
                        error: error.clone(),
                    },
                    TaskState::Failed(error.clone()),
                );
                Poll::Ready(Err(TaskError::Exception(error)))
            }
            Ok(Poll::Pending) => {
                let (wait, yielded) = polled.map_or((None, false), |p| (p.wait, p.yielded));
                let mut st = this.task_waker.lock();
                let state = if yielded {
                    st.phase = Phase::Woken;
                    this.emit(EventKind::Yielded { unit });
                    TaskState::Ready
                } else {
                    let on = wait.unwrap_or_else(|| BlockOn::other("await"));
                    this.emit(EventKind::Blocked {
                        unit,
                        on: on.clone(),
                    });
                    if st.phase == Phase::WokenInPoll {
                        // Woken during the poll: ready again already.
                        st.phase = Phase::Woken;
                        this.emit(EventKind::Woken { unit });
                        TaskState::Ready
                    } else {
                        st.phase = Phase::Waiting;
                        TaskState::Waiting(on)
                    }
                };
                drop(st);
                this.set_state(state);
                Poll::Pending
            }
        }
    }
}

impl<F> Traced<F> {
    fn set_state(&self, state: TaskState) {
        if let Some(row) = self.shared.stats.borrow_mut().get_mut(self.row) {
            row.state = state;
        }
    }
}

impl<F> Drop for Traced<F> {
    fn drop(&mut self) {
        // Dropped before its end: cancelled at the await it was parked on
        // (task.cancel(), an interrupt, or the loop closing).
        if !self.ended {
            let unit = self.unit;
            self.end(EventKind::Cancelled { unit }, TaskState::Cancelled);
        }
    }
}
