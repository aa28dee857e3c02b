//! Who is running on this thread: the loop (during `block_on`) and the task
//! being polled, so that `aio` helpers know their unit and lane.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use tokio::task::AbortHandle;

use super::TaskStats;
use crate::runtime::Control;
use crate::trace::{BlockOn, LaneId, Tracer, UnitId};

/// The state one event loop shares with its tasks (single-threaded).
pub(crate) struct LoopShared {
    pub(crate) tracer: Tracer,
    pub(crate) control: Control,
    /// The loop's own lane (0).
    pub(crate) lane: LaneId,
    next_lane: Cell<LaneId>,
    pub(crate) slow_poll: Cell<Duration>,
    /// Tasks not yet ended, for cancellation by interrupt.
    live: RefCell<HashMap<UnitId, (LaneId, AbortHandle)>>,
    pub(crate) stats: RefCell<Vec<TaskStats>>,
}

impl LoopShared {
    pub(crate) fn new(tracer: Tracer, control: Control) -> LoopShared {
        LoopShared {
            tracer,
            control,
            lane: 0,
            next_lane: Cell::new(1),
            slow_poll: Cell::new(Duration::from_millis(100)),
            live: RefCell::new(HashMap::new()),
            stats: RefCell::new(Vec::new()),
        }
    }

    /// A lane for a new task.
    pub(crate) fn new_lane(&self) -> LaneId {
        let lane = self.next_lane.get();
        self.next_lane.set(lane + 1);
        lane
    }

    /// Records a new task's statistics row; returns its index.
    pub(crate) fn add_stats(&self, unit: UnitId, lane: LaneId, label: &str) -> usize {
        let mut stats = self.stats.borrow_mut();
        stats.push(TaskStats::new(unit, lane, label, Instant::now()));
        stats.len() - 1
    }

    pub(crate) fn register(&self, unit: UnitId, lane: LaneId, abort: AbortHandle) {
        self.live.borrow_mut().insert(unit, (lane, abort));
    }

    pub(crate) fn unregister(&self, unit: UnitId) {
        self.live.borrow_mut().remove(&unit);
    }

    /// Cancels the tasks whose lane (or everything) was interrupted.
    pub(crate) fn cancel_interrupted(&self) {
        let all = self.control.all_interrupted();
        for (lane, abort) in self.live.borrow().values() {
            if all || self.control.is_interrupted(*lane) {
                abort.abort();
                if !all {
                    self.control.clear_lane(*lane);
                }
            }
        }
    }

    /// Cancels every task still alive (the loop is closing).
    pub(crate) fn cancel_all(&self) {
        for (_, abort) in self.live.borrow().values() {
            abort.abort();
        }
    }
}

/// What the task being polled tells its wrapper about why it returned
/// `Pending`.
pub(crate) struct PollCtx {
    pub(crate) unit: UnitId,
    pub(crate) lane: LaneId,
    /// Set by `aio` helpers when they return `Pending`; the last one wins.
    pub(crate) wait: Option<BlockOn>,
    /// Set by `aio::yield_now`: Pending by choice, ready again at once.
    pub(crate) yielded: bool,
}

thread_local! {
    static LOOP: RefCell<Option<Rc<LoopShared>>> = const { RefCell::new(None) };
    static POLL: RefCell<Option<PollCtx>> = const { RefCell::new(None) };
}

/// Makes `shared` this thread's loop until the guard drops.
pub(crate) fn enter_loop(shared: Rc<LoopShared>) -> LoopGuard {
    let prev = LOOP.with(|l| l.borrow_mut().replace(shared));
    LoopGuard { prev }
}

/// Restores the previous loop (normally none) on drop.
pub(crate) struct LoopGuard {
    prev: Option<Rc<LoopShared>>,
}

impl Drop for LoopGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        LOOP.with(|l| *l.borrow_mut() = prev);
    }
}

/// The loop running on this thread, if any.
pub(crate) fn current_loop() -> Option<Rc<LoopShared>> {
    LOOP.with(|l| l.borrow().clone())
}

/// Marks `ctx` as the task being polled; returns what was there before.
pub(crate) fn enter_poll(ctx: PollCtx) -> Option<PollCtx> {
    POLL.with(|p| p.borrow_mut().replace(ctx))
}

/// Ends a poll, putting `prev` back; returns what the poll recorded.
pub(crate) fn leave_poll(prev: Option<PollCtx>) -> Option<PollCtx> {
    POLL.with(|p| std::mem::replace(&mut *p.borrow_mut(), prev))
}

/// Runs `f` on the task being polled, if any.
pub(crate) fn with_poll<R>(f: impl FnOnce(&mut PollCtx) -> R) -> Option<R> {
    POLL.with(|p| p.borrow_mut().as_mut().map(f))
}
