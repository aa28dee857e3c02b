//! What both implementations of the LED spec share: the clock they wait on,
//! the inputs they read (thermometers, the acknowledge key) and the board
//! they drive, which records every change.
//!
//! Times are the spec's own milliseconds from the start of the run. Every
//! change is stamped with the deadline it was due at, not with the moment a
//! thread happened to wake, so two implementations that mean the same thing
//! record the same schedule on a real clock as on a paused one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::runtime::Control;
use crate::trace::{EventKind, LaneId, Tracer};

/// The run has one lane: the event loop the boards run on.
const MAIN_LANE: LaneId = 0;

/// Why an implementation stops waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The run's time is up.
    End,
    /// The learner interrupted the run.
    Interrupted,
}

/// The spec's time, on a real (or, in tests, paused) tokio clock, scaled and
/// stretched by pauses.
pub struct Clock {
    control: Control,
    origin: tokio::time::Instant,
    /// Real microseconds per spec millisecond.
    unit_us: u64,
    /// Spec time at which the run ends.
    pub end_ms: u64,
    paused: Mutex<PauseBook>,
}

#[derive(Default)]
struct PauseBook {
    since: Option<tokio::time::Instant>,
    total: Duration,
}

impl Clock {
    /// A clock starting now; one spec second lasts `second_ms` real
    /// milliseconds, times the control's time scale.
    pub fn new(control: &Control, second_ms: u64, end_ms: u64) -> Clock {
        let scaled = control.scaled(Duration::from_millis(second_ms.max(1)));
        Clock {
            control: control.clone(),
            origin: tokio::time::Instant::now(),
            unit_us: (u64::try_from(scaled.as_micros()).unwrap_or(u64::MAX) / 1000).max(1),
            end_ms,
            paused: Mutex::new(PauseBook::default()),
        }
    }

    /// Waits until spec time `t_ms` and returns it; stops at the end of the
    /// run or on an interrupt. A pause holds the spec's time still.
    pub async fn until(&self, t_ms: u64) -> Result<u64, Stop> {
        if t_ms >= self.end_ms {
            return Err(Stop::End);
        }
        loop {
            self.book_pause();
            if self.control.checkpoint_async(MAIN_LANE).await.is_err() {
                return Err(Stop::Interrupted);
            }
            self.book_pause();
            let deadline = self.deadline(t_ms);
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(t_ms);
            }
            // Short slices: a pause or an interrupt is seen within 50 ms.
            tokio::time::sleep_until(deadline.min(now + Duration::from_millis(50))).await;
        }
    }

    fn deadline(&self, t_ms: u64) -> tokio::time::Instant {
        let total = self.book().total;
        self.origin + total + Duration::from_micros(t_ms * self.unit_us)
    }

    fn book(&self) -> std::sync::MutexGuard<'_, PauseBook> {
        self.paused
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts paused time once, whichever task notices the resume first.
    fn book_pause(&self) {
        let now = tokio::time::Instant::now();
        let mut book = self.book();
        if self.control.is_paused() {
            book.since.get_or_insert(now);
        } else if let Some(since) = book.since.take() {
            book.total += now - since;
        }
    }
}

/// Where the temperature comes from.
#[derive(Clone)]
pub enum Thermo {
    /// One value a second, from a script.
    Script(Vec<i64>),
    /// The learner's keys (a live cell).
    Keys(crate::demos::Live),
    /// A real thermal zone of this machine, in millidegrees.
    Zone(std::path::PathBuf),
}

impl Thermo {
    fn sample(&self, second: usize) -> i64 {
        match self {
            Thermo::Script(v) => v.get(second).or(v.last()).copied().unwrap_or(0),
            Thermo::Keys(live) => i64::try_from(live.get()).unwrap_or(i64::MAX),
            Thermo::Zone(path) => read_zone(path).unwrap_or(0),
        }
    }
}

/// Degrees Celsius from a `/sys/class/thermal/thermal_zone*/temp` file.
pub fn read_zone(path: &std::path::Path) -> Option<i64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.trim().parse::<i64>().ok().map(|m| m / 1000)
}

/// Where Linux lists thermal zones; `RACECOURSE_THERMAL_DIR` points
/// elsewhere (tests give a folder with a fake zone).
pub fn thermal_dir() -> std::path::PathBuf {
    std::env::var_os("RACECOURSE_THERMAL_DIR")
        .map_or_else(|| "/sys/class/thermal".into(), Into::into)
}

/// The first thermal zone in `dir` (`thermal_zone*/temp`) that reads, if any.
pub fn first_zone(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let dir = std::fs::read_dir(dir).ok()?;
    let mut zones: Vec<_> = dir
        .filter_map(Result::ok)
        .map(|e| e.path().join("temp"))
        .filter(|p| read_zone(p).is_some())
        .collect();
    zones.sort();
    zones.into_iter().next()
}

/// The inputs: thermometers that give one reading a second (both
/// implementations see the same reading for the same second) and the
/// acknowledge key.
pub struct Inputs {
    sensors: Vec<Thermo>,
    /// Readings taken so far, per sensor, one a second.
    readings: Mutex<Vec<Vec<i64>>>,
    /// Scripted acknowledgements, in spec ms.
    scripted_acks: Vec<u64>,
    control: Control,
    /// Presses of the key before the run started (they do not count).
    presses_before: u64,
    pub threshold: i64,
}

impl Inputs {
    pub fn new(sensors: Vec<Thermo>, acks: Vec<u64>, threshold: i64, control: &Control) -> Inputs {
        let n = sensors.len();
        Inputs {
            sensors,
            readings: Mutex::new(vec![Vec::new(); n]),
            scripted_acks: acks,
            presses_before: control.presses(),
            control: control.clone(),
            threshold,
        }
    }

    /// How many sensors there are.
    pub fn sensors(&self) -> usize {
        self.sensors.len()
    }

    /// Sensor `i`'s reading at spec time `t_ms` (the reading of that second).
    pub fn temp(&self, i: usize, t_ms: u64) -> i64 {
        let second = usize::try_from(t_ms / 1000).unwrap_or(usize::MAX);
        let mut all = self
            .readings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(seen) = all.get_mut(i) else {
            return 0;
        };
        while seen.len() <= second {
            let v = self.sensors[i].sample(seen.len());
            seen.push(v);
        }
        seen[second]
    }

    /// Acknowledgements so far at `t_ms`: scripted ones due by then, and
    /// key presses since the run started.
    fn acks(&self, t_ms: u64) -> u64 {
        let scripted = self.scripted_acks.iter().filter(|&&a| a <= t_ms).count() as u64;
        scripted + self.control.presses().saturating_sub(self.presses_before)
    }
}

/// An LED of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Led {
    Green,
    /// The red LED of sensor `n` (0 is the first).
    Red(usize),
}

impl Led {
    pub fn name(self) -> String {
        match self {
            Led::Green => "green".into(),
            Led::Red(0) => "red".into(),
            Led::Red(n) => format!("red{}", n + 1),
        }
    }
}

/// One thing that happened on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Set(Led, bool),
    Alarm,
}

/// What an implementation sees and drives: the clock, the inputs, its board.
pub struct Io {
    pub clock: Arc<Clock>,
    pub inputs: Arc<Inputs>,
    board: Board,
}

struct Board {
    name: &'static str,
    tracer: Tracer,
    log: Mutex<Vec<(u64, Change)>>,
    /// Acknowledgements this board has taken in.
    acks_seen: AtomicU64,
    /// Ring the terminal's bell at each alarm (one board rings, not both).
    bell: bool,
}

impl Io {
    pub fn new(name: &'static str, clock: Arc<Clock>, inputs: Arc<Inputs>, tracer: Tracer) -> Self {
        Io {
            clock,
            inputs,
            board: Board {
                name,
                tracer,
                log: Mutex::new(Vec::new()),
                acks_seen: AtomicU64::new(0),
                bell: false,
            },
        }
    }

    /// This board rings the terminal bell at each alarm.
    #[must_use]
    pub fn ringing(mut self, bell: bool) -> Self {
        self.board.bell = bell;
        self
    }

    /// Whether the acknowledge key was pressed since this board last asked.
    pub fn pressed(&self, t_ms: u64) -> bool {
        let acks = self.inputs.acks(t_ms);
        self.board.acks_seen.swap(acks, Ordering::Relaxed) < acks
    }

    /// Whether sensor `i` reads above the threshold at `t_ms`.
    pub fn hot(&self, i: usize, t_ms: u64) -> bool {
        self.inputs.temp(i, t_ms) > self.inputs.threshold
    }

    /// Turns `led` on or off at `t_ms`.
    pub fn led(&self, led: Led, on: bool, t_ms: u64) {
        self.record(t_ms, Change::Set(led, on));
    }

    /// Sounds the alarm once at `t_ms`.
    pub fn alarm(&self, t_ms: u64) {
        self.record(t_ms, Change::Alarm);
    }

    fn record(&self, t_ms: u64, change: Change) {
        let b = &self.board;
        let mut log = b
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        log.push((t_ms, change));
        let alarms = log.iter().filter(|(_, c)| *c == Change::Alarm).count();
        drop(log);
        let (key, value, what) = match change {
            Change::Set(led, on) => {
                let v = if on { "on" } else { "off" };
                (
                    format!("{}.{}", b.name, led.name()),
                    v.to_string(),
                    format!("{} {v}", led.name()),
                )
            }
            Change::Alarm => (
                format!("{}.alarm", b.name),
                alarms.to_string(),
                "ALARM".into(),
            ),
        };
        b.tracer.emit(MAIN_LANE, EventKind::State { key, value });
        if b.bell && change == Change::Alarm {
            let (key, value) = ("bell".to_string(), alarms.to_string());
            b.tracer.emit(MAIN_LANE, EventKind::State { key, value });
        }
        let text = format!("{} {:>7.3} s  {what}", b.name, t_ms as f64 / 1000.0);
        b.tracer.emit(MAIN_LANE, EventKind::Output { text });
    }

    /// Shows the readings of second `t_ms` on the board.
    pub fn show_temps(&self, sensors: usize, t_ms: u64) {
        for i in 0..sensors {
            let key = format!("led.temp{}", i + 1);
            let value = self.inputs.temp(i, t_ms).to_string();
            self.board
                .tracer
                .emit(MAIN_LANE, EventKind::State { key, value });
        }
    }

    /// The board's name (`loop`, `tasks`).
    pub fn name(&self) -> &'static str {
        self.board.name
    }

    /// The board's changes as a schedule (see [`schedule`]).
    pub fn schedule(&self) -> Vec<super::Entry> {
        let log = self
            .board
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        schedule(&log)
    }
}

/// What a board did, instant by instant: at each time, each LED whose state
/// differs from the instant before, and each alarm. Changes at one instant
/// have no order between tasks, so within an instant an LED counts by its
/// state after the instant and entries are sorted by what changed.
pub fn schedule(log: &[(u64, Change)]) -> Vec<super::Entry> {
    let mut log = log.to_vec();
    log.sort_by_key(|(t, _)| *t);
    let mut state: std::collections::BTreeMap<Led, bool> = std::collections::BTreeMap::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < log.len() {
        let t = log[i].0;
        let mut after = state.clone();
        let mut at_t = Vec::new();
        while i < log.len() && log[i].0 == t {
            match log[i].1 {
                Change::Set(led, on) => {
                    after.insert(led, on);
                }
                Change::Alarm => at_t.push("ALARM".to_string()),
            }
            i += 1;
        }
        for (led, on) in &after {
            if state.get(led).copied().unwrap_or(false) != *on {
                at_t.push(format!("{} {}", led.name(), if *on { "on" } else { "off" }));
            }
        }
        at_t.sort();
        out.extend(at_t.into_iter().map(|what| super::Entry { at_ms: t, what }));
        state = after;
    }
    out
}
