//! One thread of an example on a lane of its own, running one unit of work:
//! the events every thread of the thread-safety examples sends.
//!
//! `LaneUp`, then `Spawned` + `Started` of its unit; `Blocked`/`Woken`
//! around waits, `Progress`, `State`; at the end `Finished` or `Cancelled`
//! and `LaneDown` with the reason.

use crate::runtime::Interrupted;
use crate::trace::{BlockOn, EventKind, LaneId, LaneRole, Micros, Tracer, UnitId};

/// A thread's lane and its one unit.
pub struct LaneThread {
    pub lane: LaneId,
    pub name: String,
    unit: UnitId,
    tracer: Tracer,
}

impl LaneThread {
    /// Opens lane `lane` named `name` and starts the unit `label` on it.
    pub fn up(tracer: &Tracer, lane: LaneId, name: &str, label: &str) -> LaneThread {
        tracer.emit(
            lane,
            EventKind::LaneUp {
                name: name.to_string(),
                pid: None,
                role: LaneRole::Worker,
            },
        );
        let unit = tracer.next_unit();
        let label = label.to_string();
        tracer.emit(lane, EventKind::Spawned { unit, label });
        tracer.emit(lane, EventKind::Started { unit });
        LaneThread {
            lane,
            name: name.to_string(),
            unit,
            tracer: tracer.clone(),
        }
    }

    /// The thread waits for `on` (from now until [`LaneThread::woken`]).
    pub fn blocked(&self, on: BlockOn) {
        self.blocked_at(self.tracer.now(), on);
    }

    /// The thread has been waiting for `on` since `t` (nothing else was
    /// sent on this lane since then).
    pub fn blocked_at(&self, t: Micros, on: BlockOn) {
        let unit = self.unit;
        self.tracer
            .emit_at(t, self.lane, EventKind::Blocked { unit, on });
    }

    /// The wait is over; the thread runs again.
    pub fn woken(&self) {
        let unit = self.unit;
        self.tracer.emit(self.lane, EventKind::Woken { unit });
    }

    /// Units of work done so far.
    pub fn progress(&self, done: u64) {
        let unit = self.unit;
        self.tracer
            .emit(self.lane, EventKind::Progress { unit, done });
    }

    /// A piece of state took a new value (empty removes it).
    pub fn state(&self, key: impl Into<String>, value: impl Into<String>) {
        let (key, value) = (key.into(), value.into());
        self.tracer.emit(self.lane, EventKind::State { key, value });
    }

    /// The time since the run began.
    pub fn now(&self) -> Micros {
        self.tracer.now()
    }

    /// Ends the unit (finished with `value`, or cancelled by an
    /// interrupt) and the lane.
    pub fn end(self, result: Result<String, Interrupted>) {
        match result {
            Ok(value) => self.end_as(Some(value), "returned"),
            Err(Interrupted) => self.end_as(None, "interrupted"),
        }
    }

    /// Ends the unit, finished with `value` or (with `None`) cancelled,
    /// and the lane, with `reason` as its epitaph.
    pub fn end_as(self, value: Option<String>, reason: &str) {
        let unit = self.unit;
        let kind = match value {
            Some(value) => EventKind::Finished { unit, value },
            None => EventKind::Cancelled { unit },
        };
        self.tracer.emit(self.lane, kind);
        let reason = reason.to_string();
        self.tracer.emit(self.lane, EventKind::LaneDown { reason });
    }
}
