//! The trace: events flow from runtimes to panes, `run --json` and tests.

mod check;
mod event;
pub mod fold;
mod micros;
mod state_memo;
mod tracer;

pub use check::check_stream;
pub use event::{BlockOn, Event, EventKind, IoPhase, LaneId, LaneRole, PoolState, UnitId};
pub use fold::RunState;
pub use micros::Micros;
pub use tracer::{TraceRx, Tracer};
