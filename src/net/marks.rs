//! How the examples draw a request's phases on the trace: from a blocking
//! caller on its own lane, or from a task on the event loop.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};

use crate::net::client::{Marks, Phase};
use crate::net::hold;
use crate::runtime::aio;
use crate::trace::{BlockOn, EventKind, LaneId, Tracer, UnitId};

/// Draws one request of a blocking caller (the sync loop, a pool thread) on
/// its lane: each phase a `Blocked { on: Io("<phase> <url>") }` event, the
/// bytes as `Progress`.
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

    fn on_held(&mut self) -> Option<hold::Hook> {
        let (tracer, lane, unit) = (self.tracer.clone(), self.lane, self.unit);
        let on = BlockOn::io(Phase::Response, self.url.to_string());
        Some(Box::new(move || {
            tracer.emit(lane, EventKind::Blocked { unit, on });
        }))
    }
}

/// Draws one request of a task on the event loop. The loop itself reports
/// `Blocked { on }` whenever the task parks; these marks make `on` say the
/// request's phase at that moment, and the demo server's hold signal moves
/// a parked task from `connect` to `wait` as it happens.
pub struct TaskMarks {
    tracer: Tracer,
    url: Arc<str>,
    phase: Arc<AtomicU8>,
}

impl TaskMarks {
    /// Marks for the task being polled; `url` is shown (without query).
    pub fn new(tracer: &Tracer, url: &str) -> TaskMarks {
        TaskMarks {
            tracer: tracer.clone(),
            url: url.into(),
            phase: Arc::new(AtomicU8::new(Phase::Connect as u8)),
        }
    }
}

fn phase_of(n: u8) -> Phase {
    match n {
        x if x == Phase::Response as u8 => Phase::Response,
        x if x == Phase::Read as u8 => Phase::Read,
        _ => Phase::Connect,
    }
}

impl Marks for TaskMarks {
    fn stage<F: Future>(&mut self, phase: Phase, fut: F) -> impl Future<Output = F::Output> {
        self.phase.store(phase as u8, Ordering::Release);
        PhaseMarked {
            inner: Box::pin(fut),
            phase: self.phase.clone(),
            url: self.url.clone(),
        }
    }

    fn bytes(&mut self, total: u64) {
        aio::progress(total);
    }

    fn on_held(&mut self) -> Option<hold::Hook> {
        let (lane, unit) = aio::current()?;
        let (tracer, phase) = (self.tracer.clone(), self.phase.clone());
        let on = BlockOn::io(Phase::Response, self.url.to_string());
        Some(Box::new(move || {
            phase.store(Phase::Response as u8, Ordering::Release);
            tracer.emit(lane, EventKind::Blocked { unit, on });
        }))
    }
}

/// A stage of a request whose "waiting on" is read when it parks, so that
/// it follows the phase as it changes.
struct PhaseMarked<F> {
    inner: Pin<Box<F>>,
    phase: Arc<AtomicU8>,
    url: Arc<str>,
}

impl<F: Future> Future for PhaseMarked<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        match this.inner.as_mut().poll(cx) {
            Poll::Ready(v) => Poll::Ready(v),
            Poll::Pending => {
                let phase = phase_of(this.phase.load(Ordering::Acquire));
                let on = BlockOn::io(phase, this.url.to_string());
                // A mark around a future that is never ready records what the
                // task waits on; the real waker is already registered above.
                let mut mark = aio::wait_on(on, std::future::pending::<()>());
                let _ = Pin::new(&mut mark).poll(cx);
                Poll::Pending
            }
        }
    }
}
