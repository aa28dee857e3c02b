//! One worker thread: take the oldest job, run it, repeat until shutdown.

use std::time::Instant;

use super::{Shared, WorkItem, WorkerCtx};
use crate::trace::{EventKind, LaneId, LaneRole};

pub(super) fn run(shared: &Shared, lane: LaneId, name: String) {
    let tracer = &shared.tracer;
    let control = &shared.control;
    tracer.emit(
        lane,
        EventKind::LaneUp {
            name,
            pid: None,
            role: LaneRole::Worker,
        },
    );
    while let Some(item) = next(shared) {
        let WorkItem { unit, future, run } = item;
        if control.all_interrupted() {
            // KeyboardInterrupt: what is still queued ends cancelled.
            if future.cancel_if_pending() {
                tracer.emit(lane, EventKind::Cancelled { unit });
            }
            continue;
        }
        if !future.start() {
            continue; // cancelled while queued; already reported
        }
        // An interrupt aimed at this lane while it was idle is stale.
        control.clear_lane(lane);
        // One instant for the start and for asking for the GIL: a job that
        // must wait is never drawn running before its wait.
        let asked = Instant::now();
        tracer.emit_at(
            WorkerCtx::stamp(tracer, asked),
            lane,
            EventKind::Started { unit },
        );
        let ctx = WorkerCtx::new(lane, unit, tracer, control, shared.gil.as_deref());
        ctx.acquire_gil(asked);
        run(&ctx);
        ctx.release_gil();
        control.clear_lane(lane);
    }
    tracer.emit(
        lane,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
}

/// The next job, or `None` once the pool is shut down and drained.
fn next(shared: &Shared) -> Option<WorkItem> {
    let mut q = shared.lock();
    loop {
        if let Some(item) = q.items.pop_front() {
            return Some(item);
        }
        if q.shutdown {
            return None;
        }
        q = shared
            .work
            .wait(q)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
}
