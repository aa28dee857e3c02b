//! Python's `threading.Thread` and its `MainThread`, on real OS threads,
//! each on a lane of its own.
//!
//! Lanes and events:
//! - lane 0 is `MainThread` ([`LaneRole::Main`]): the run's own thread,
//!   its work as units (`main()`, then the interpreter's exit);
//! - a [`PyThread`] is lane `spec.lane`: `LaneUp`, its target as one unit
//!   (`Spawned`, `Started`, `Blocked { Sleep }` / `Woken` around sleeps,
//!   then `Finished` or `Cancelled`), then `LaneDown` with the reason:
//!   `returned`, `interrupted`, or `killed at exit (daemon)`.
//!
//! Every line printed goes through one [`Stdout`], so the order of the
//! `Output` events is the order of the lines.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, EventKind, LaneId, LaneRole, Tracer, UnitId};

/// The main thread's lane.
pub const MAIN: LaneId = 0;

/// How often a waiting main thread looks for an interrupt.
pub const POLL: Duration = Duration::from_millis(20);

/// How often a waiting main thread reports that time goes on.
const TICK: Duration = Duration::from_millis(50);

/// The program's standard output: lines in the order they were printed.
#[derive(Clone)]
pub struct Stdout {
    tracer: Tracer,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Stdout {
    /// An empty output reporting to `tracer`.
    pub fn new(tracer: &Tracer) -> Stdout {
        Stdout {
            tracer: tracer.clone(),
            lines: Arc::default(),
        }
    }

    /// `print(text)` on `lane`.
    pub fn print(&self, lane: LaneId, text: impl Into<String>) {
        let text = text.into();
        // The event is sent under the lock so that events and lines agree.
        let mut lines = self
            .lines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.tracer
            .emit(lane, EventKind::Output { text: text.clone() });
        lines.push(text);
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// The example's main thread: lane 0, one unit at a time.
pub struct MainThread {
    tracer: Tracer,
    control: Control,
    out: Stdout,
    unit: Option<UnitId>,
    ticked: Cell<Instant>,
}

impl MainThread {
    /// Opens lane 0 and begins the unit `main()`.
    pub fn start(tracer: &Tracer, control: &Control, out: &Stdout) -> MainThread {
        tracer.emit(
            MAIN,
            EventKind::LaneUp {
                name: "MainThread".into(),
                pid: None,
                role: LaneRole::Main,
            },
        );
        let mut main = MainThread {
            tracer: tracer.clone(),
            control: control.clone(),
            out: out.clone(),
            unit: None,
            ticked: Cell::new(Instant::now()),
        };
        main.begin("main()");
        main
    }

    /// Ends the current unit (if any) as returned and begins `label`.
    pub fn begin(&mut self, label: &str) {
        self.end(EventKind::Finished {
            unit: 0,
            value: "None".into(),
        });
        let unit = self.tracer.next_unit();
        let label = label.to_string();
        self.tracer.emit(MAIN, EventKind::Spawned { unit, label });
        self.tracer.emit(MAIN, EventKind::Started { unit });
        self.unit = Some(unit);
    }

    /// `print(text)` on the main thread.
    pub fn print(&self, text: impl Into<String>) {
        self.out.print(MAIN, text);
    }

    /// Runs a blocking wait, drawn as `Blocked { on }` then `Woken`.
    pub fn wait<R>(&self, on: BlockOn, f: impl FnOnce() -> R) -> R {
        let Some(unit) = self.unit else { return f() };
        self.tracer.emit(MAIN, EventKind::Blocked { unit, on });
        let r = f();
        self.tracer.emit(MAIN, EventKind::Woken { unit });
        r
    }

    /// Called while waiting: every 50 ms (unless paused) a `Progress`
    /// event that reports nothing done, so that panes, which draw time up
    /// to the latest event, see the clock go on while every thread sleeps.
    pub fn tick(&self) {
        let Some(unit) = self.unit else { return };
        if self.ticked.get().elapsed() < TICK || self.control.is_paused() {
            return;
        }
        self.ticked.set(Instant::now());
        self.tracer
            .emit(MAIN, EventKind::Progress { unit, done: 0 });
    }

    /// Whether the learner interrupted the main thread (or everything).
    pub fn interrupted(&self) -> bool {
        self.control.is_interrupted(MAIN)
    }

    /// The current unit raised `error` (an uncaught exception).
    pub fn raise(&mut self, error: &str) {
        self.end(EventKind::Failed {
            unit: 0,
            error: error.to_string(),
        });
    }

    /// The current unit stopped on an interrupt.
    pub fn cancel(&mut self) {
        self.end(EventKind::Cancelled { unit: 0 });
    }

    /// Ends the current unit and the lane: the interpreter has exited.
    pub fn exit(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        self.end(EventKind::Finished {
            unit: 0,
            value: "None".into(),
        });
        self.tracer.emit(
            MAIN,
            EventKind::LaneDown {
                reason: "exited".into(),
            },
        );
    }

    /// Sends `kind` (whose unit is replaced by the current one) if a unit
    /// is open.
    fn end(&mut self, kind: EventKind) {
        let Some(unit) = self.unit.take() else { return };
        let kind = match kind {
            EventKind::Finished { value, .. } => EventKind::Finished { unit, value },
            EventKind::Failed { error, .. } => EventKind::Failed { unit, error },
            _ => EventKind::Cancelled { unit },
        };
        self.tracer.emit(MAIN, kind);
    }
}

/// What a thread's target sees: its lane, the output, the clock.
pub struct ThreadCtx<'a> {
    lane: LaneId,
    unit: UnitId,
    tracer: &'a Tracer,
    control: &'a Control,
    out: &'a Stdout,
}

impl ThreadCtx<'_> {
    /// `print(text)` on this thread.
    pub fn print(&self, text: impl Into<String>) {
        self.out.print(self.lane, text);
    }

    /// `time.sleep(d)`: scaled, pausable, interruptible.
    pub fn sleep(&self, d: Duration) -> Result<(), Interrupted> {
        let unit = self.unit;
        let on = BlockOn::Sleep;
        self.tracer.emit(self.lane, EventKind::Blocked { unit, on });
        self.control.sleep(self.lane, d)?;
        self.tracer.emit(self.lane, EventKind::Woken { unit });
        Ok(())
    }
}

/// How a thread ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Its target returned.
    Returned,
    /// The learner interrupted it.
    Interrupted,
    /// A daemon thread still running when the interpreter exited.
    KilledAtExit,
}

/// `threading.Thread(target=…, args=…, daemon=…)`.
pub struct ThreadSpec {
    pub lane: LaneId,
    /// Python's name for it: `Thread-1`.
    pub name: String,
    /// What it runs: `thread_function(1)`.
    pub label: String,
    pub daemon: bool,
    /// Whether the lane goes down when the thread ends; false when the
    /// next run's thread of the same number takes the lane over (the fold
    /// keeps a lane's epitaph once it has gone down).
    pub lane_down: bool,
}

/// What a run's threads share: the output and the interpreter's state.
#[derive(Clone)]
pub struct Process {
    pub tracer: Tracer,
    pub control: Control,
    pub out: Stdout,
    /// Set when the interpreter exits: daemon threads stop where they are.
    exiting: Arc<AtomicBool>,
}

impl Process {
    /// A fresh process whose output goes to `tracer`.
    pub fn new(tracer: &Tracer, control: &Control) -> Process {
        Process {
            tracer: tracer.clone(),
            control: control.clone(),
            out: Stdout::new(tracer),
            exiting: Arc::default(),
        }
    }
}

/// A started thread. Dropping it interrupts and joins it: no thread
/// outlives its run.
pub struct PyThread {
    pub lane: LaneId,
    pub daemon: bool,
    control: Control,
    exiting: Arc<AtomicBool>,
    alive: mpsc::Receiver<()>,
    handle: Option<JoinHandle<End>>,
}

impl PyThread {
    /// `Thread(...).start()`: returns once the new thread runs, as
    /// Python's `start()` does.
    pub fn start<F>(spec: ThreadSpec, p: &Process, target: F) -> anyhow::Result<PyThread>
    where
        F: FnOnce(&ThreadCtx) -> Result<(), Interrupted> + Send + 'static,
    {
        let (alive_tx, alive) = mpsc::channel::<()>();
        let (started_tx, started) = mpsc::channel::<()>();
        let (lane, p2) = (spec.lane, p.clone());
        let label = spec.label;
        let lane_name = spec.name.clone();
        let lane_down = spec.lane_down;
        let handle = std::thread::Builder::new()
            .name(spec.name.clone())
            .spawn(move || {
                let _alive = alive_tx;
                let Process {
                    tracer,
                    control,
                    out,
                    exiting,
                } = &p2;
                let role = LaneRole::Worker;
                let up = EventKind::LaneUp {
                    name: lane_name,
                    pid: None,
                    role,
                };
                tracer.emit(lane, up);
                let unit = tracer.next_unit();
                tracer.emit(lane, EventKind::Spawned { unit, label });
                tracer.emit(lane, EventKind::Started { unit });
                let _ = started_tx.send(());
                let ctx = ThreadCtx {
                    lane,
                    unit,
                    tracer,
                    control,
                    out,
                };
                let (end, kind, reason) = match target(&ctx) {
                    Ok(()) => {
                        let value = "None".into();
                        let kind = EventKind::Finished { unit, value };
                        (End::Returned, kind, "returned")
                    }
                    Err(Interrupted) if exiting.load(Ordering::SeqCst) => (
                        End::KilledAtExit,
                        EventKind::Cancelled { unit },
                        "killed at exit (daemon)",
                    ),
                    Err(Interrupted) => (
                        End::Interrupted,
                        EventKind::Cancelled { unit },
                        "interrupted",
                    ),
                };
                tracer.emit(lane, kind);
                if lane_down {
                    let reason = reason.into();
                    tracer.emit(lane, EventKind::LaneDown { reason });
                }
                end
            })?;
        // The thread signals once it runs; a thread that died first has
        // dropped its sender, which ends the wait as well.
        let _ = started.recv();
        Ok(PyThread {
            lane,
            daemon: spec.daemon,
            control: p.control.clone(),
            exiting: p.exiting.clone(),
            alive,
            handle: Some(handle),
        })
    }

    /// `join()`: waits for the thread to end, calling `on_poll` every
    /// [`POLL`]; an interrupt of the main thread stops the wait
    /// (`KeyboardInterrupt`).
    pub fn join(&mut self, on_poll: &dyn Fn()) -> Result<End, Interrupted> {
        loop {
            on_poll();
            match self.alive.recv_timeout(POLL) {
                Err(RecvTimeoutError::Timeout) if self.control.is_interrupted(MAIN) => {
                    return Err(Interrupted);
                }
                Err(RecvTimeoutError::Timeout) | Ok(()) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        Ok(self.reap())
    }

    /// The interpreter exits under a running daemon thread: it stops where
    /// it stands (within one sleep slice) and its remaining lines never
    /// print.
    pub fn kill_at_exit(&mut self) -> End {
        self.exiting.store(true, Ordering::SeqCst);
        self.control.interrupt_lane(self.lane);
        self.reap()
    }

    fn reap(&mut self) -> End {
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(end)) => end,
            Some(Err(_)) | None => End::Interrupted,
        }
    }
}

impl Drop for PyThread {
    fn drop(&mut self) {
        if self.handle.is_some() {
            self.control.interrupt_lane(self.lane);
            self.reap();
        }
    }
}
