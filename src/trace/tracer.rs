//! A cheap, cloneable handle that stamps and sends events.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use tokio::sync::mpsc;

use super::{Event, EventKind, LaneId, Micros, UnitId};

/// The receiving end: the UI folds it into pane state, `run` prints it.
pub type TraceRx = mpsc::UnboundedReceiver<Event>;

/// Stamps events with the time since the run began and sends them on.
///
/// Sending never blocks and never fails loudly: when nobody listens any more
/// (the pane was closed), events are dropped.
#[derive(Clone)]
pub struct Tracer {
    inner: Arc<Inner>,
}

struct Inner {
    start: Instant,
    tx: mpsc::UnboundedSender<Event>,
    next_unit: AtomicU64,
}

impl Tracer {
    /// A tracer and the receiver of its events; time zero is now.
    pub fn new() -> (Tracer, TraceRx) {
        Self::starting_at(Instant::now())
    }

    /// A tracer whose time zero is `start`.
    pub fn starting_at(start: Instant) -> (Tracer, TraceRx) {
        let (tx, rx) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            start,
            tx,
            next_unit: AtomicU64::new(1),
        });
        (Tracer { inner }, rx)
    }

    /// When the run began.
    pub fn start(&self) -> Instant {
        self.inner.start
    }

    /// The time since the run began.
    pub fn now(&self) -> Micros {
        Micros::since(self.inner.start)
    }

    /// A fresh unit id, unique within this run.
    pub fn next_unit(&self) -> UnitId {
        self.inner.next_unit.fetch_add(1, Ordering::Relaxed)
    }

    /// Sends one event stamped now.
    pub fn emit(&self, lane: LaneId, kind: EventKind) {
        let _ = self.inner.tx.send(Event {
            t_us: self.now(),
            lane,
            kind,
        });
    }

    /// Sends an event with a time taken elsewhere (a child process's clock
    /// translated to ours, for instance).
    pub fn emit_at(&self, t_us: Micros, lane: LaneId, kind: EventKind) {
        let _ = self.inner.tx.send(Event { t_us, lane, kind });
    }

    /// Whether anyone still listens.
    pub fn is_listening(&self) -> bool {
        !self.inner.tx.is_closed()
    }
}
