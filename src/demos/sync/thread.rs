//! The threads of the coordination examples: one lane each, one unit (the
//! thread's target), and what Python does with an exception nobody
//! catches: `threading.excepthook` prints it on standard error and the
//! thread dies, while every other thread goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, EventKind, LaneId, LaneRole, Tracer, UnitId};

/// How a thread's target ended early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// The learner interrupted it (`x`, `X`, a quit).
    Interrupted,
    /// It raised an exception nobody caught: the text CPython prints last.
    Raised(String),
}

impl From<Interrupted> for Exit {
    fn from(_: Interrupted) -> Exit {
        Exit::Interrupted
    }
}

/// What a thread's target sees: its lane and unit, the trace, the control.
pub struct Ctx {
    pub lane: LaneId,
    pub unit: UnitId,
    pub name: String,
    pub tracer: Tracer,
    pub control: Control,
    /// What the thread said it was doing last, for its epitaph.
    last: std::cell::RefCell<String>,
}

impl Ctx {
    /// Sends `kind` on this thread's lane.
    pub fn emit(&self, kind: EventKind) {
        self.tracer.emit(self.lane, kind);
    }

    /// Names a piece of state (empty `value` removes it).
    pub fn state(&self, key: &str, value: impl Into<String>) {
        self.emit(EventKind::State {
            key: key.into(),
            value: value.into(),
        });
    }

    /// What this thread is doing, for the pane's lane row.
    pub fn doing(&self, text: impl Into<String>) {
        let text = text.into();
        self.state(&format!("doing.{}", self.lane), text.clone());
        *self.last.borrow_mut() = text;
    }

    /// Runs a wait that blocks, drawn as `Blocked { on }` then `Woken`.
    pub fn blocked<R>(&self, on: BlockOn, wait: impl FnOnce() -> R) -> R {
        let unit = self.unit;
        self.emit(EventKind::Blocked { unit, on });
        let r = wait();
        self.emit(EventKind::Woken { unit });
        r
    }

    /// Work that takes `d` (a sleep standing for real work: drawn as
    /// running), scaled, pausable, interruptible.
    pub fn work(&self, d: Duration) -> Result<(), Interrupted> {
        self.control.sleep(self.lane, d)
    }

    /// `time.sleep(d)`, drawn as a sleep.
    pub fn sleep(&self, d: Duration) -> Result<(), Interrupted> {
        self.blocked(BlockOn::Sleep, || self.control.sleep(self.lane, d))
    }

    /// Units of work this thread has done so far.
    pub fn progress(&self, done: u64) {
        self.emit(EventKind::Progress {
            unit: self.unit,
            done,
        });
    }
}

/// A started thread. Dropping it interrupts and joins it: no thread
/// outlives its run.
pub struct Worker<T> {
    pub lane: LaneId,
    pub name: String,
    control: Control,
    done: Arc<AtomicBool>,
    handle: Option<JoinHandle<Result<T, Exit>>>,
}

impl<T: Send + 'static> Worker<T> {
    /// `threading.Thread(name=name, target=…).start()` on lane `lane`, its
    /// target shown as `label`.
    pub fn spawn<F>(
        lane: LaneId,
        name: &str,
        label: &str,
        tracer: &Tracer,
        control: &Control,
        target: F,
    ) -> anyhow::Result<Worker<T>>
    where
        F: FnOnce(&Ctx) -> Result<T, Exit> + Send + 'static,
    {
        let ctx = Ctx {
            lane,
            unit: tracer.next_unit(),
            name: name.to_string(),
            tracer: tracer.clone(),
            control: control.clone(),
            last: std::cell::RefCell::default(),
        };
        let (label, done) = (label.to_string(), Arc::new(AtomicBool::new(false)));
        let finished = done.clone();
        let handle = std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let unit = ctx.unit;
                ctx.emit(EventKind::LaneUp {
                    name: ctx.name.clone(),
                    pid: None,
                    role: LaneRole::Worker,
                });
                ctx.emit(EventKind::Spawned { unit, label });
                ctx.emit(EventKind::Started { unit });
                let r = target(&ctx);
                // What the lane row says once the thread is gone.
                let epitaph = match &r {
                    Ok(_) => String::new(),
                    Err(Exit::Interrupted) => format!("stopped in {}", ctx.last.borrow()),
                    Err(Exit::Raised(e)) => format!("died: {e}"),
                };
                ctx.state(&format!("doing.{}", ctx.lane), epitaph);
                let (kind, reason) = match &r {
                    Ok(_) => (
                        EventKind::Finished {
                            unit,
                            value: "None".into(),
                        },
                        "returned".to_string(),
                    ),
                    Err(Exit::Interrupted) => {
                        (EventKind::Cancelled { unit }, "interrupted".to_string())
                    }
                    Err(Exit::Raised(error)) => {
                        excepthook(&ctx, error);
                        let error = error.clone();
                        (EventKind::Failed { unit, error }, "raised".to_string())
                    }
                };
                ctx.emit(kind);
                ctx.emit(EventKind::LaneDown { reason });
                finished.store(true, Ordering::SeqCst);
                r
            })?;
        Ok(Worker {
            lane,
            name: name.to_string(),
            control: control.clone(),
            done,
            handle: Some(handle),
        })
    }

    /// Whether the thread's target has ended (`not is_alive()`).
    pub fn is_finished(&self) -> bool {
        self.done.load(Ordering::SeqCst)
    }

    /// Joins the thread (it has ended, or ends now) and returns how.
    pub fn join(mut self) -> Result<T, Exit> {
        self.reap()
    }

    fn reap(&mut self) -> Result<T, Exit> {
        match self.handle.take().map(JoinHandle::join) {
            Some(Ok(r)) => r,
            Some(Err(_)) | None => Err(Exit::Interrupted),
        }
    }
}

impl<T> Drop for Worker<T> {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            self.control.interrupt_lane(self.lane);
            let _ = h.join();
        }
    }
}

/// What `threading.excepthook` does with an uncaught exception: three
/// lines on standard error. The pane shows them as a warning.
fn excepthook(ctx: &Ctx, error: &str) {
    let lines = [
        format!("Exception in thread {}:", ctx.name),
        "Traceback (most recent call last):".to_string(),
        error.to_string(),
    ];
    for text in lines {
        ctx.emit(EventKind::Output {
            text: format!("stderr: {text}"),
        });
    }
    ctx.emit(EventKind::Warning {
        text: format!("stderr: Exception in thread {}: {error}", ctx.name),
    });
}
