//! The notes' embedded example as a specification: a green LED blinks
//! slowly; a temperature is watched; above a threshold an alarm sounds
//! periodically and a red LED blinks fast.
//!
//! Two implementations run it: one hand-written loop (`spec/loop_*.rs`)
//! and one tokio task per line of the spec (`spec/tasks_*.rs`), each in
//! three versions as the spec changes (`base`, `ack`, `two-sensors`). They
//! read the same inputs and record what they did on a board; the schedule
//! of changes is the run's result.

pub mod board;
mod spec;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use serde::Serialize;

use super::{Example, Live, OptKind, PaneKind, RunCtx, Step, Work};
use crate::trace::EventKind;
use board::{Clock, Inputs, Io, Stop, Thermo};

/// The green LED toggles every half second: it blinks once a second.
pub const SLOW_MS: u64 = 500;
/// The red LED toggles every 100 ms.
pub const FAST_MS: u64 = 100;
/// The alarm sounds once a second while it is hot.
pub const ALARM_MS: u64 = 1000;
/// An acknowledgement silences the alarm this long.
pub const SILENCE_MS: u64 = 10_000;

crate::modes! {
    /// Which implementation runs.
    pub enum Mode {
        Loop = "loop": "one hand-written loop with timestamps and flags",
        Tasks = "tasks": "one tokio task per line of the spec",
        Both = "both": "both implementations at once, on the same inputs",
    }
}

/// The versions of the spec.
pub const SPECS: &[&str] = &["base", "ack", "two-sensors"];
/// Where temperatures come from.
pub const SOURCES: &[&str] = &["script", "keys", "thermal"];

crate::options! {
    /// Options of `led`.
    pub struct LedOptions {
        spec: String = "spec", "base", OptKind::OneOf(SPECS),
            "the spec's version: base; ack (a key silences the alarm 10 s); two-sensors";
        source: String = "source", "script", OptKind::OneOf(SOURCES),
            "temperatures from the scripts, from keys, or from /sys/class/thermal";
        temps: String = "temps", "40,40,90,90,40", OptKind::Text { max_len: 400 },
            "sensor 1, one reading a second (degrees)";
        temps2: String = "temps2", "40,40,40,90,90", OptKind::Text { max_len: 400 },
            "sensor 2, one reading a second (two-sensors)";
        acks: String = "acks", "", OptKind::Text { max_len: 200 },
            "seconds at which the acknowledge key is pressed, as 2.5,14 (ack, two-sensors)";
        temp: Live = "temp", "40", OptKind::Int { min: 0, max: 150 },
            "sensor 1 when the source is keys", keys('-', '+', Step::Add(10));
        temp2: Live = "temp2", "40", OptKind::Int { min: 0, max: 150 },
            "sensor 2 when the source is keys", keys('[', ']', Step::Add(10));
        threshold: i64 = "threshold", "80", OptKind::Int { min: 0, max: 150 },
            "above this many degrees it is hot";
        seconds: u64 = "seconds", "30", OptKind::Int { min: 1, max: 600 },
            "how long a run from keys or a thermal zone lasts";
        second_ms: u64 = "second-ms", "1000", OptKind::Int { min: 10, max: 10_000 },
            "real milliseconds per second of the spec (lower runs faster)";
        bell: bool = "bell", "false", OptKind::Bool,
            "ring the terminal bell at each alarm (in the app)";
    }
}

/// One change of a board: when (spec ms from the start) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub at_ms: u64,
    pub what: String,
}

/// The LED spec run by a loop, by tasks, or by both.
pub struct LedSpec;

impl Example for LedSpec {
    type Mode = Mode;
    type Options = LedOptions;
    type Output = LedOutput;
    const NAME: &'static str = "led";
    const TITLE: &'static str = "The LED spec: a loop against tasks";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::LedBoards
    }

    fn start(mode: Mode, options: LedOptions, ctx: RunCtx) -> Work<LedOutput> {
        Work::EventLoop(Box::pin(async move { run(mode, &options, &ctx).await }))
    }
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct LedOutput {
    pub spec: String,
    /// Where the temperatures came from (after any fallback).
    pub source: String,
    /// The boards that ran: `loop`, `tasks`, or both.
    pub boards: Vec<&'static str>,
    /// The first board's changes, instant by instant.
    pub schedule: Vec<Entry>,
    /// With both boards: whether their schedules are the same.
    pub agree: Option<bool>,
    pub alarms: usize,
}

impl super::Output for LedOutput {
    fn summary(&self) -> String {
        // The verdict first, so that a narrow pane wraps the details.
        let agree = match self.agree {
            Some(true) => "loop and tasks agree: ",
            Some(false) => "loop and tasks DIFFER: ",
            None => "",
        };
        format!(
            "{agree}{} changes, {} alarms ({} spec, {})",
            self.schedule.len(),
            self.alarms,
            self.spec,
            self.source
        )
    }
}

/// Reads `"40, 90"` into whole numbers.
fn parse_temps(name: &str, text: &str) -> anyhow::Result<Vec<i64>> {
    let v: Vec<i64> = text
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse()
                .map_err(|_| anyhow::anyhow!("{name}: `{t}` is not a whole number of degrees"))
        })
        .collect::<anyhow::Result<_>>()?;
    if v.is_empty() {
        anyhow::bail!("{name}: give at least one reading, as 40,90");
    }
    Ok(v)
}

/// Reads `"2.5, 14"` (seconds) into spec milliseconds.
fn parse_acks(text: &str) -> anyhow::Result<Vec<u64>> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| match t.parse::<f64>() {
            Ok(s) if (0.0..=3600.0).contains(&s) => {
                // In range, so the cast is exact.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok((s * 1000.0).round() as u64)
            }
            _ => Err(anyhow::anyhow!("acks: `{t}` is not a number of seconds")),
        })
        .collect()
}

/// Waits for every task; an interrupted one makes the whole interrupted.
async fn all<const N: usize>(
    tasks: [tokio::task::JoinHandle<Result<(), Stop>>; N],
) -> Result<(), Stop> {
    let mut end = Ok(());
    for t in tasks {
        match t.await {
            Ok(Err(Stop::Interrupted)) | Err(_) => end = Err(Stop::Interrupted),
            Ok(_) => {}
        }
    }
    end
}

/// Runs board `io` with the implementation `which` (`loop`/`tasks`) of `spec`.
async fn drive(io: Arc<Io>, spec: &str) -> Result<(), Stop> {
    let end = match (io.name(), spec) {
        ("loop", "ack") => spec::loop_ack::run(&io).await,
        ("loop", "two-sensors") => spec::loop_two::run(&io).await,
        ("loop", _) => spec::loop_base::run(&io).await,
        (_, "ack") => spec::tasks_ack::run(io).await,
        (_, "two-sensors") => spec::tasks_two::run(io).await,
        _ => spec::tasks_base::run(io).await,
    };
    match end {
        Err(Stop::Interrupted) => Err(Stop::Interrupted),
        _ => Ok(()),
    }
}

/// The sensors the options ask for (thermal zones from the folder
/// `thermal`), the source's name, and the run's length in spec ms.
fn sensors(
    o: &LedOptions,
    thermal: &std::path::Path,
) -> anyhow::Result<(Vec<Thermo>, String, u64)> {
    let two = o.spec == "two-sensors";
    let scripts = || -> anyhow::Result<(Vec<Thermo>, u64)> {
        let a = parse_temps("temps", &o.temps)?;
        let b = parse_temps("temps2", &o.temps2)?;
        let len = if two { a.len().max(b.len()) } else { a.len() };
        let mut s = vec![Thermo::Script(a)];
        if two {
            s.push(Thermo::Script(b));
        }
        Ok((s, len as u64 * 1000))
    };
    let secs = o.seconds * 1000;
    Ok(match o.source.as_str() {
        "keys" => {
            let mut s = vec![Thermo::Keys(o.temp.clone())];
            if two {
                s.push(Thermo::Keys(o.temp2.clone()));
            }
            (s, "keys".into(), secs)
        }
        "thermal" => {
            let Some(zone) = board::first_zone(thermal) else {
                anyhow::bail!(
                    "no thermal zone in {}; use source script or keys",
                    thermal.display()
                );
            };
            let s = vec![Thermo::Zone(zone.clone()); if two { 2 } else { 1 }];
            (s, format!("thermal {}", zone.display()), secs)
        }
        _ => {
            let (s, len) = scripts()?;
            (s, "script".into(), len)
        }
    })
}

/// Runs the spec in `mode`; both boards, when both run, share the clock
/// and the inputs.
pub async fn run(mode: Mode, o: &LedOptions, ctx: &RunCtx) -> anyhow::Result<LedOutput> {
    let (thermos, source, end_ms) = sensors(o, &board::thermal_dir())?;
    let acks = parse_acks(&o.acks)?;
    let acks = if o.spec == "base" { Vec::new() } else { acks };
    let n = thermos.len();
    let inputs = Arc::new(Inputs::new(thermos, acks, o.threshold, &ctx.control));
    let clock = Arc::new(Clock::new(&ctx.control, o.second_ms, end_ms));
    let names: &[&'static str] = match mode {
        Mode::Loop => &["loop"],
        Mode::Tasks => &["tasks"],
        Mode::Both => &["loop", "tasks"],
    };
    let tracer = &ctx.tracer;
    let set = |key: &str, value: String| {
        tracer.emit(
            0,
            EventKind::State {
                key: key.into(),
                value,
            },
        );
    };
    set("led.spec", o.spec.clone());
    set("led.boards", names.join(","));
    set("led.sensors", n.to_string());
    set("led.threshold", o.threshold.to_string());
    set("led.bell", o.bell.to_string());
    let boards: Vec<Arc<Io>> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let io = Io::new(name, clock.clone(), inputs.clone(), tracer.clone());
            Arc::new(io.ringing(o.bell && i == 0))
        })
        .collect();
    let temps = tokio::spawn(show_temps(boards[0].clone(), n));
    let runs = boards.iter().map(|b| drive(b.clone(), &o.spec));
    let ends = futures::future::join_all(runs).await;
    temps.abort();
    if ends.iter().any(Result::is_err) {
        anyhow::bail!("interrupted (KeyboardInterrupt)");
    }
    let schedules: Vec<Vec<Entry>> = boards.iter().map(|b| b.schedule()).collect();
    let agree = (schedules.len() == 2).then(|| schedules[0] == schedules[1]);
    let schedule = schedules.into_iter().next().unwrap_or_default();
    let alarms = schedule.iter().filter(|e| e.what == "ALARM").count();
    Ok(LedOutput {
        spec: o.spec.clone(),
        source,
        boards: names.to_vec(),
        schedule,
        agree,
        alarms,
    })
}

/// Puts each second's readings on the board, for the pane.
async fn show_temps(io: Arc<Io>, sensors: usize) -> Result<(), Stop> {
    let mut t = 0;
    loop {
        let now = io.clock.until(t).await?;
        io.show_temps(sensors, now);
        t = now + 1000;
    }
}
