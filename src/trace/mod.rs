//! The trace: events flow from runtimes to panes, `run --json` and tests.

mod event;
mod tracer;

pub use event::{BlockOn, Event, EventKind, LaneId, UnitId};
pub use tracer::{TraceRx, Tracer};
