//! The wrapper every task runs in: it traces each poll, each `Pending`, each
//! wake-up and the end, and times polls to catch a blocked loop.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

use super::current::{self, LoopShared, PollCtx};
use super::{TaskError, TaskState};
use crate::runtime::future::{JobError, JobResult, panic_text, value_text};
use crate::trace::{BlockOn, EventKind, LaneId, Tracer, UnitId};

const POLLING: u8 = 0;
const WAITING: u8 = 1;
const WOKEN: u8 = 2;

/// Wraps the runtime's waker to report `Woken` when a waiting task is woken.
struct TaskWaker {
    inner: Mutex<Option<Waker>>,
    state: AtomicU8,
    tracer: Tracer,
    unit: UnitId,
    lane: LaneId,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.state.swap(WOKEN, Ordering::AcqRel) == WAITING {
            // Sent before the real wake-up so the next `Started` is later.
            self.tracer
                .emit(self.lane, EventKind::Woken { unit: self.unit });
        }
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(w) = inner.as_ref() {
            w.wake_by_ref();
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
            inner: Mutex::new(None),
            state: AtomicU8::new(WOKEN),
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

    fn end(&mut self, kind: EventKind, state: TaskState) {
        self.ended = true;
        self.emit(kind);
        self.shared.unregister(self.unit);
        let mut stats = self.shared.stats.borrow_mut();
        if let Some(row) = stats.get_mut(self.row) {
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
            let mut inner = this
                .task_waker
                .inner
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if !inner.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *inner = Some(cx.waker().clone());
            }
        }
        this.task_waker.state.store(POLLING, Ordering::Release);
        this.emit(EventKind::Started { unit: this.unit });
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
        let t0 = Instant::now();
        let mut inner_cx = Context::from_waker(&this.waker);
        let out = catch_unwind(AssertUnwindSafe(|| this.inner.as_mut().poll(&mut inner_cx)));
        let took = t0.elapsed();
        let polled = current::leave_poll(prev);
        if let Some(row) = this.shared.stats.borrow_mut().get_mut(this.row) {
            row.busy += took;
        }
        if took >= this.shared.slow_poll.get() {
            this.shared.tracer.emit(
                this.shared.lane,
                EventKind::Warning {
                    text: format!(
                        "task {} blocked the event loop for {} ms",
                        this.label,
                        took.as_millis()
                    ),
                },
            );
        }
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
                if yielded {
                    this.task_waker.state.store(WOKEN, Ordering::Release);
                    this.emit(EventKind::Yielded { unit });
                    this.set_state(TaskState::Ready);
                } else {
                    let on = wait.unwrap_or_else(|| BlockOn::Other("await".into()));
                    this.emit(EventKind::Blocked {
                        unit,
                        on: on.clone(),
                    });
                    this.set_state(TaskState::Waiting(on));
                    // A wake-up that came during the poll: ready again now.
                    if this
                        .task_waker
                        .state
                        .compare_exchange(POLLING, WAITING, Ordering::AcqRel, Ordering::Acquire)
                        .is_err()
                    {
                        this.emit(EventKind::Woken { unit });
                        this.set_state(TaskState::Ready);
                    }
                }
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
