//! The notes' time unit. Their asyncio examples sleep 1, 3 and 4 seconds;
//! here one unit lasts `unit-ms` (times the run's slow motion), so a lesson
//! can run them in real seconds or ten times faster, and every line a task
//! prints carries when, in units, it was printed.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::runtime::{Control, Interrupted, TaskError, aio};
use crate::trace::{EventKind, LaneId, Tracer};

/// One line a task printed, and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Printed {
    /// Time units since the program started.
    pub at_units: f64,
    pub text: String,
}

/// The lines printed, shared by the tasks and the code that reports them.
#[derive(Clone, Default)]
pub struct Log(Rc<RefCell<Vec<Printed>>>);

impl Log {
    /// Every line printed so far.
    pub fn lines(&self) -> Vec<Printed> {
        self.0.borrow().clone()
    }
}

/// The example's clock, in units, and its `print`. Clones share the log.
#[derive(Clone)]
pub struct Units {
    unit: Duration,
    start: tokio::time::Instant,
    control: Control,
    tracer: Tracer,
    log: Log,
}

impl Units {
    /// Starts the clock now. Called inside the event loop, it reads the
    /// loop's clock, which tests pause so that units come out exact.
    pub fn start(unit_ms: u64, control: &Control, tracer: &Tracer) -> Units {
        Units {
            unit: Duration::from_millis(unit_ms.max(1)),
            start: tokio::time::Instant::now(),
            control: control.clone(),
            tracer: tracer.clone(),
            log: Log::default(),
        }
    }

    /// The same clock, printing into `log`.
    #[must_use]
    pub fn logging(mut self, log: &Log) -> Units {
        self.log = log.clone();
        self
    }

    /// Units since the start, at the run's current speed.
    pub fn now(&self) -> f64 {
        let unit = self.control.scaled(self.unit).as_secs_f64().max(1e-9);
        self.start.elapsed().as_secs_f64() / unit
    }

    /// `n` units as a duration of the example's world (`aio::sleep` scales it).
    pub fn of(&self, n: f64) -> Duration {
        self.unit.mul_f64(n)
    }

    /// `n` units as real time now (for timers that `aio::sleep` does not
    /// make: `asyncio.timeout`, a blocking `time.sleep`).
    pub fn real(&self, n: f64) -> Duration {
        self.control.scaled(self.of(n))
    }

    /// `await asyncio.sleep(n)`.
    pub async fn sleep(&self, n: f64) -> Result<(), Interrupted> {
        aio::sleep(self.of(n)).await
    }

    /// `print(text)` from the task being polled, with the time in units.
    pub fn print(&self, text: impl Into<String>) {
        let (at, text) = (self.now(), text.into());
        aio::print(format!("{at:>4.1}  {text}"));
        self.log.0.borrow_mut().push(Printed {
            at_units: round2(at),
            text,
        });
    }

    /// Every line printed so far.
    pub fn lines(&self) -> Vec<Printed> {
        self.log.lines()
    }

    /// `print(text)` outside a poll (a task's clean-up as it is dropped),
    /// on `lane`.
    pub fn print_on(&self, lane: LaneId, text: impl Into<String>) {
        let (at, text) = (self.now(), text.into());
        let shown = format!("{at:>4.1}  {text}");
        self.tracer.emit(lane, EventKind::Output { text: shown });
        self.log.0.borrow_mut().push(Printed {
            at_units: round2(at),
            text,
        });
    }
}

/// Two decimals, for figures in `--json`.
pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `time.strftime('%X')`, in UTC.
pub fn clock() -> String {
    let s = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// How `asyncio.run` ending badly reads: Ctrl-C (or `X`), a
/// `CancelledError` that reached `main` (a task cancelled with `x`), or
/// the exception.
pub fn loop_error(e: TaskError, control: &Control) -> anyhow::Error {
    match e {
        TaskError::Cancelled if control.all_interrupted() || control.keyboard_interrupted() => {
            anyhow::anyhow!("interrupted (KeyboardInterrupt)")
        }
        TaskError::Cancelled => anyhow::anyhow!("CancelledError reached main"),
        TaskError::Exception(e) => anyhow::anyhow!(e),
    }
}

/// A task's result as `Debug` shows it in the task table: the units it
/// took.
#[derive(Clone, Copy)]
pub struct Took(pub f64);

impl std::fmt::Debug for Took {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1} units", self.0)
    }
}
