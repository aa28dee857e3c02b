//! What a job sees of the worker running it: its lane and unit, the trace,
//! the run's controls and the (simulated) GIL.

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::{Duration, Instant};

use crate::runtime::gil::Gil;
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, EventKind, IoPhase, LaneId, Micros, Tracer, UnitId};

/// Progress events are sent at most this often per job, so hashing loops can
/// report every batch for free.
pub(super) const PROGRESS_EVERY: Duration = Duration::from_millis(10);

thread_local! {
    /// `threading.local()` of each worker thread: one value per type.
    static LOCALS: RefCell<HashMap<TypeId, Rc<dyn Any>>> = RefCell::new(HashMap::new());
}

/// The worker's side of a running job.
///
/// CPU loops call [`WorkerCtx::cpu_tick`] once per batch (about 4096 hashes);
/// waits go through [`WorkerCtx::io`], [`WorkerCtx::blocking`] or
/// [`WorkerCtx::sleep`] so that the GIL is released and the wait is drawn.
pub struct WorkerCtx<'a> {
    lane: LaneId,
    unit: UnitId,
    tracer: &'a Tracer,
    control: &'a Control,
    gil: Option<&'a Gil>,
    /// When this thread took the GIL; `None` while it does not hold it.
    gil_since: Cell<Option<Instant>>,
    done: Cell<u64>,
    sent_done: Cell<u64>,
    sent_at: Cell<Instant>,
}

impl<'a> WorkerCtx<'a> {
    pub(crate) fn new(
        lane: LaneId,
        unit: UnitId,
        tracer: &'a Tracer,
        control: &'a Control,
        gil: Option<&'a Gil>,
    ) -> WorkerCtx<'a> {
        WorkerCtx {
            lane,
            unit,
            tracer,
            control,
            gil,
            gil_since: Cell::new(None),
            done: Cell::new(0),
            sent_done: Cell::new(0),
            sent_at: Cell::new(Instant::now()),
        }
    }

    /// The worker's lane.
    pub fn lane(&self) -> LaneId {
        self.lane
    }

    /// The job's unit id.
    pub fn unit(&self) -> UnitId {
        self.unit
    }

    /// The run's tracer (for events of your own).
    pub fn tracer(&self) -> &Tracer {
        self.tracer
    }

    /// The run's controls.
    pub fn control(&self) -> &Control {
        self.control
    }

    /// Whether this run simulates a GIL.
    pub fn has_gil(&self) -> bool {
        self.gil.is_some()
    }

    /// Whether this thread holds the GIL now.
    pub fn gil_held(&self) -> bool {
        self.gil_since.get().is_some()
    }

    /// Emits an event on this worker's lane.
    pub fn emit(&self, kind: EventKind) {
        self.tracer.emit(self.lane, kind);
    }

    /// A line the Python example would print.
    pub fn print(&self, text: impl Into<String>) {
        self.emit(EventKind::Output { text: text.into() });
    }

    /// Python's `threading.local()`: this worker thread's own `T`, made by
    /// `init` the first time the thread asks (the notes' one HTTP session
    /// per thread). Dropped when the worker thread ends.
    pub fn local<T: 'static>(&self, init: impl FnOnce() -> T) -> Rc<T> {
        let key = TypeId::of::<T>();
        let found = LOCALS.with(|m| m.borrow().get(&key).cloned());
        if let Some(v) = found.and_then(|v| v.downcast::<T>().ok()) {
            return v;
        }
        let v = Rc::new(init());
        LOCALS.with(|m| m.borrow_mut().insert(key, v.clone()));
        v
    }

    /// Reports progress now (cumulative units done), unbatched.
    pub fn progress(&self, done: u64) {
        self.done.set(done);
        self.send_progress(Instant::now());
    }

    /// A safe point: parks while paused (letting the GIL go meanwhile) and
    /// says whether the job must stop.
    pub fn checkpoint(&self) -> Result<(), Interrupted> {
        if self.gil_held() && self.control.is_paused() {
            // Drawn as a pause, not as a turn: the GIL is free meanwhile.
            if let Some(at) = self.release_gil() {
                self.emit_at(
                    at,
                    EventKind::Blocked {
                        unit: self.unit,
                        on: BlockOn::other("pause"),
                    },
                );
            }
            let r = self.control.checkpoint(self.lane);
            self.take_gil(Instant::now(), true);
            r
        } else {
            self.control.checkpoint(self.lane)
        }
    }

    /// Called by CPU loops once per batch with the units done so far: sends
    /// batched `Progress`, hands the GIL over when its switch interval passed
    /// and another thread waits, and is a checkpoint.
    #[inline]
    pub fn cpu_tick(&self, done: u64) -> Result<(), Interrupted> {
        self.done.set(done);
        let now = Instant::now();
        if now.duration_since(self.sent_at.get()) >= PROGRESS_EVERY {
            self.send_progress(now);
        }
        if let (Some(gil), Some(since)) = (self.gil, self.gil_since.get())
            && gil.should_switch(since)
            && let Some(released) = self.release_gil()
        {
            // Waiting from the instant of the hand-over, not from whenever
            // this thread next runs: the two turns never overlap.
            self.take_gil(released, false);
        }
        self.checkpoint()
    }

    /// Runs a blocking wait for I/O (`what`: a URL, a file) with the GIL
    /// released, drawn as `Blocked { Io }` then `Woken`.
    pub fn io<R>(&self, what: impl Into<String>, f: impl FnOnce() -> R) -> R {
        self.blocking(BlockOn::io(IoPhase::Response, what), f)
    }

    /// Runs any blocking wait (a lock, a queue, an event) with the GIL
    /// released, drawn as `Blocked { on }` then `Woken`.
    pub fn blocking<R>(&self, on: BlockOn, f: impl FnOnce() -> R) -> R {
        self.emit(EventKind::Blocked {
            unit: self.unit,
            on,
        });
        let held = self.release_gil().is_some();
        let r = f();
        if held {
            // Drawn waiting for the GIL, then running from the hand-over.
            self.take_gil(Instant::now(), true);
        } else {
            self.emit(EventKind::Woken { unit: self.unit });
        }
        r
    }

    /// `time.sleep`: an example-world duration (scaled by the time scale),
    /// the GIL released, interruptible.
    pub fn sleep(&self, d: Duration) -> Result<(), Interrupted> {
        self.blocking(BlockOn::Sleep, || self.control.sleep(self.lane, d))
    }

    /// Takes the GIL if this run has one, drawing the wait when contended;
    /// the lane has asked for it since `asked` (the instant its `Started`
    /// was stamped at, so a wait begins where the job did).
    pub(crate) fn acquire_gil(&self, asked: Instant) {
        self.take_gil(asked, false);
    }

    /// The run's time of `at`, as events are stamped.
    pub(crate) fn stamp(tracer: &Tracer, at: Instant) -> Micros {
        Micros::from_duration(at.saturating_duration_since(tracer.start()))
    }

    /// Takes the GIL for a lane that has wanted it since `asked`. When
    /// another lane held it meanwhile, the lane is drawn waiting (`Blocked {
    /// Gil }`) from `asked` and running (`Woken`) from the instant it got
    /// the lock; `woken` also draws it running when it did not wait (it was
    /// drawn blocked on something else).
    fn take_gil(&self, asked: Instant, woken: bool) {
        let Some(gil) = self.gil.filter(|_| !self.gil_held()) else {
            if woken {
                self.emit(EventKind::Woken { unit: self.unit });
            }
            return;
        };
        let blocked = EventKind::Blocked {
            unit: self.unit,
            on: BlockOn::Gil,
        };
        let taken = gil.take(self.lane, asked, || self.emit_at(asked, blocked.clone()));
        if taken.held_meanwhile && !taken.waited {
            self.emit_at(asked, blocked);
        }
        if taken.held_meanwhile || woken {
            self.emit_at(taken.at, EventKind::Woken { unit: self.unit });
        }
        self.gil_since.set(Some(taken.at));
    }

    /// Lets the GIL go if held; says when.
    pub(crate) fn release_gil(&self) -> Option<Instant> {
        let (gil, _) = self.gil.zip(self.gil_since.take())?;
        gil.give_up(self.lane)
    }

    /// Emits an event stamped at `at` (an instant of this run) instead of
    /// now.
    fn emit_at(&self, at: Instant, kind: EventKind) {
        self.tracer
            .emit_at(Self::stamp(self.tracer, at), self.lane, kind);
    }

    /// Sends the last progress if it changed since the last event.
    pub(crate) fn flush_progress(&self) {
        if self.done.get() != self.sent_done.get() {
            self.send_progress(Instant::now());
        }
    }

    fn send_progress(&self, now: Instant) {
        let done = self.done.get();
        self.sent_done.set(done);
        self.sent_at.set(now);
        self.emit(EventKind::Progress {
            unit: self.unit,
            done,
        });
    }
}
