//! How the examples draw a request's phases on the trace: from a blocking
//! caller on its own lane, or from a task on the event loop.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::net::client::{Marks, Phase};
use crate::runtime::aio;
use crate::trace::{BlockOn, EventKind, LaneId, Tracer, UnitId};

/// Draws one request of a blocking caller (the sync loop, a pool thread) on
/// its lane: each phase a `Blocked { on: Io { phase, target: url } }`
/// event, the bytes as `Progress`.
pub struct LaneMarks {
    tracer: Tracer,
    lane: LaneId,
    unit: UnitId,
    url: Arc<str>,
    last: Option<Phase>,
}

impl LaneMarks {
    /// Marks for `unit` on `lane`; `url` is shown (without query).
    pub fn new(tracer: &Tracer, lane: LaneId, unit: UnitId, url: &str) -> LaneMarks {
        LaneMarks {
            tracer: tracer.clone(),
            lane,
            unit,
            url: url.into(),
            last: None,
        }
    }
}

impl Marks for LaneMarks {
    fn stage<F: Future>(&mut self, phase: Phase, fut: F) -> impl Future<Output = F::Output> {
        if self.last != Some(phase) {
            self.last = Some(phase);
            let on = BlockOn::io(phase, self.url.to_string());
            self.tracer.emit(
                self.lane,
                EventKind::Blocked {
                    unit: self.unit,
                    on,
                },
            );
        }
        fut
    }

    fn bytes(&mut self, total: u64) {
        let kind = EventKind::Progress {
            unit: self.unit,
            done: total,
        };
        self.tracer.emit(self.lane, kind);
    }
}

/// Draws one request of a task on the event loop. The loop itself reports
/// `Blocked { on }` whenever the task parks; these marks make `on` say the
/// request's phase at that moment.
pub struct TaskMarks {
    url: Arc<str>,
}

impl TaskMarks {
    /// Marks for the task being polled; `url` is shown (without query).
    pub fn new(_tracer: &Tracer, url: &str) -> TaskMarks {
        TaskMarks { url: url.into() }
    }
}

impl Marks for TaskMarks {
    fn stage<F: Future>(&mut self, phase: Phase, fut: F) -> impl Future<Output = F::Output> {
        PhaseMarked {
            inner: Box::pin(fut),
            phase,
            url: self.url.clone(),
        }
    }

    fn bytes(&mut self, total: u64) {
        aio::progress(total);
    }
}

/// A stage of a request that, when it parks, says what the task waits on.
struct PhaseMarked<F> {
    inner: Pin<Box<F>>,
    phase: Phase,
    url: Arc<str>,
}

impl<F: Future> Future for PhaseMarked<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        match this.inner.as_mut().poll(cx) {
            Poll::Ready(v) => Poll::Ready(v),
            Poll::Pending => {
                let on = BlockOn::io(this.phase, this.url.to_string());
                // A mark around a future that is never ready records what the
                // task waits on; the real waker is already registered above.
                let mut mark = aio::wait_on(on, std::future::pending::<()>());
                let _ = Pin::new(&mut mark).poll(cx);
                Poll::Pending
            }
        }
    }
}
