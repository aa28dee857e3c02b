//! The learner as the scheduler, as in The Deadlock Empire but on real
//! threads: two threads run a small program whose every step waits at a
//! gate, and a key (in the app) or `--schedule` (headless) picks which
//! thread takes its next step. The goals: lose an update; with a lock, try
//! and fail to lose one; reach a deadlock.
//!
//! A step asked of a thread that cannot take one (blocked at an `acquire`
//! whose lock another thread holds, or finished) is refused and reported,
//! not an error: the run goes on, and its output lists every refused step.

pub mod program;
mod threads;

use serde::Serialize;
use serde_json::{Map, Value, json};

use self::program::{Goal, NAMES, Program, parse_schedule};
use self::threads::{Machine, Shared, Status};
use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, LaneId, LaneRole, Tracer};

/// The scheduler's own lane: the one that reads the keys.
const MAIN_LANE: LaneId = 0;

pub use self::program::PROGRAMS;
pub use self::threads::Status as ThreadStatus;

crate::modes! {
    /// How the threads are scheduled.
    pub enum Mode {
        Gates = "gates": "every step of every thread waits at a gate that a key (or --schedule) opens",
    }
}

crate::options! {
    /// Options of `scheduler`.
    pub struct SchedulerOptions {
        program: String = "program", "lost-update", OptKind::OneOf(NAMES),
            "the program the threads run (lost-update, locked, deadlock)";
        schedule: String = "schedule", "", OptKind::Text { max_len: 400 },
            "thread numbers that step, in order, as 1,2,1,2; a step a thread cannot take is refused and reported (in the app, keys 1 and 2 go on from there)";
    }
}

/// The learner picks which thread steps.
pub struct Scheduler;

impl Example for Scheduler {
    type Mode = Mode;
    type Options = SchedulerOptions;
    type Output = SchedulerOutput;
    const NAME: &'static str = "scheduler";
    const TITLE: &'static str = "You are the scheduler";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Scheduler
    }

    fn start(_: Mode, options: SchedulerOptions, ctx: RunCtx) -> Work<SchedulerOutput> {
        Work::Thread(Box::new(move || {
            let program = Program::named(&options.program)
                .ok_or_else(|| anyhow::anyhow!("no program `{}`", options.program))?;
            let schedule = parse_schedule(&options.schedule, program.thread_count())
                .map_err(anyhow::Error::msg)?;
            run(program, &schedule, &ctx.tracer, &ctx.control)
        }))
    }
}

/// A step that was asked for but not taken.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Refused {
    /// Its place in the schedule, from 1.
    pub step: usize,
    pub thread: usize,
    pub why: String,
}

/// Where one thread ended.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadEnd {
    pub thread: usize,
    /// The line it would run next (`None`: it finished).
    pub at: Option<&'static str>,
    /// `ready`, `blocked` or `done`.
    pub status: &'static str,
    /// What a blocked thread waits for: `b is held by thread 2`.
    pub waits: Option<String>,
    pub tmp: Option<i64>,
}

/// What a schedule did.
#[derive(Debug, Clone, Serialize)]
pub struct SchedulerOutput {
    pub program: &'static str,
    /// Every step asked for, in order (`--schedule`, then the keys).
    pub schedule: Vec<usize>,
    /// Steps the threads took.
    pub taken: usize,
    pub refused: Vec<Refused>,
    /// The shared variables: `counter` and each lock's holder (a thread
    /// number, or null when free).
    pub state: Value,
    pub threads: Vec<ThreadEnd>,
    pub goal: &'static str,
    pub goal_met: bool,
    /// No thread can step although not all have finished.
    pub deadlock: bool,
    /// The goal's outcome, in words.
    pub verdict: String,
}

impl super::Output for SchedulerOutput {
    fn summary(&self) -> String {
        let moves: Vec<String> = self.schedule.iter().map(usize::to_string).collect();
        let refused = match self.refused.len() {
            0 => String::new(),
            1 => ", 1 refused".into(),
            n => format!(", {n} refused"),
        };
        format!(
            "{} ({} steps{refused}: {})",
            self.verdict,
            self.taken,
            moves.join(",")
        )
    }
}

/// Plays `schedule`, then (while keys may come and a thread can step) the
/// keys `1`, `2`, … posted to `control`; reports each step as `State`
/// events and returns where the program ended.
pub fn run(
    program: &'static Program,
    schedule: &[usize],
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<SchedulerOutput> {
    let shared = Shared::new(program);
    // The scheduler's own lane comes first, so that `x` (interrupt the
    // selected lane) reaches the loop that waits for keys.
    tracer.emit(
        MAIN_LANE,
        EventKind::LaneUp {
            name: "scheduler".into(),
            pid: None,
            role: LaneRole::Main,
        },
    );
    std::thread::scope(|s| {
        let mut m = Machine::start(s, program, &shared, tracer)?;
        let mut play = Play {
            moves: Vec::new(),
            refused: Vec::new(),
            taken: 0,
        };
        publish(&m, &play, tracer);
        for &thread in schedule {
            stop_if_interrupted(control, program)?;
            play.step(&mut m, thread)?;
            publish(&m, &play, tracer);
        }
        while !m.over() {
            stop_if_interrupted(control, program)?;
            let Some(key) = control.next_key(MAIN_LANE)? else {
                break;
            };
            let Some(thread) = key.to_digit(10).and_then(|d| usize::try_from(d).ok()) else {
                continue;
            };
            if (1..=program.thread_count()).contains(&thread) {
                play.step(&mut m, thread)?;
                publish(&m, &play, tracer);
            }
        }
        let out = play.output(&m);
        m.stop();
        Ok(out)
    })
}

/// The state a pane draws after `schedule` (as `1,2,1`) of `program`: the
/// run's events folded, for pane tests and the frame benchmark.
pub fn folded(program: &str, schedule: &str) -> anyhow::Result<crate::trace::RunState> {
    let p = Program::named(program).ok_or_else(|| anyhow::anyhow!("no program `{program}`"))?;
    let moves = parse_schedule(schedule, p.thread_count()).map_err(anyhow::Error::msg)?;
    let (tracer, mut rx) = Tracer::new();
    run(p, &moves, &tracer, &Control::new())?;
    let mut state = crate::trace::RunState::new();
    while let Ok(ev) = rx.try_recv() {
        state.apply(&ev);
    }
    Ok(state)
}

/// An interrupt of any of the run's lanes (`x` on a thread, `X`) ends it.
fn stop_if_interrupted(control: &Control, program: &Program) -> Result<(), Interrupted> {
    let threads = 0..program.thread_count();
    let lanes = std::iter::once(MAIN_LANE).chain(threads.map(threads::lane_of));
    if lanes.into_iter().any(|lane| control.is_interrupted(lane)) {
        return Err(Interrupted);
    }
    control.checkpoint(MAIN_LANE)
}

/// The moves so far.
struct Play {
    moves: Vec<usize>,
    refused: Vec<Refused>,
    taken: usize,
}

impl Play {
    /// Thread `thread` (1-based) takes its next step, or the step is refused.
    fn step(&mut self, m: &mut Machine, thread: usize) -> anyhow::Result<()> {
        self.moves.push(thread);
        let i = thread - 1;
        let why = match m.status(i) {
            Status::Done => Some(format!("thread {thread} has finished")),
            Status::Blocked { .. } | Status::Ready => {
                if m.step(i)? {
                    None
                } else {
                    Some(blocked_text(m, i))
                }
            }
        };
        match why {
            None => self.taken += 1,
            Some(why) => self.refused.push(Refused {
                step: self.moves.len(),
                thread,
                why,
            }),
        }
        Ok(())
    }

    fn output(&self, m: &Machine) -> SchedulerOutput {
        let program = m.program;
        let mut state = Map::new();
        state.insert("counter".into(), json!(m.counter()));
        for (name, holder) in program.locks.iter().zip(&m.holders) {
            state.insert((*name).to_string(), json!(holder.map(|h| h + 1)));
        }
        let threads = (0..program.thread_count())
            .map(|i| ThreadEnd {
                thread: i + 1,
                at: m.next_line(i).map(|l| l.code),
                status: status_word(m.status(i)),
                waits: waits_text(m, i),
                tmp: m.views[i].tmp,
            })
            .collect();
        let (verdict, goal_met) = verdict(m);
        SchedulerOutput {
            program: program.name,
            schedule: self.moves.clone(),
            taken: self.taken,
            refused: self.refused.clone(),
            state: Value::Object(state),
            threads,
            goal: program.goal.text(),
            goal_met,
            deadlock: deadlocked(m),
            verdict,
        }
    }
}

fn status_word(s: Status) -> &'static str {
    match s {
        Status::Ready => "ready",
        Status::Blocked { .. } => "blocked",
        Status::Done => "done",
    }
}

/// `thread 2 is blocked: lock is held by thread 1`.
fn blocked_text(m: &Machine, i: usize) -> String {
    match m.status(i) {
        Status::Blocked { lock, holder } => format!(
            "thread {} is blocked: {} is held by thread {}",
            i + 1,
            m.program.locks[lock],
            holder + 1
        ),
        _ => format!("thread {} could not take its step", i + 1),
    }
}

/// `b is held by thread 2`, for a blocked thread.
fn waits_text(m: &Machine, i: usize) -> Option<String> {
    match m.status(i) {
        Status::Blocked { lock, holder } => Some(format!(
            "{} is held by thread {}",
            m.program.locks[lock],
            holder + 1
        )),
        _ => None,
    }
}

fn deadlocked(m: &Machine) -> bool {
    m.over() && (0..m.views.len()).any(|i| m.status(i) != Status::Done)
}

/// The goal's outcome in words, and whether it is met.
fn verdict(m: &Machine) -> (String, bool) {
    let counter = m.counter();
    let expected = m.program.expected();
    if deadlocked(m) {
        let met = m.program.goal == Goal::Deadlock;
        return ("deadlock: no thread can step".into(), met);
    }
    if !m.over() {
        return (format!("running: counter = {counter} so far"), false);
    }
    match m.program.goal {
        Goal::LoseUpdate if counter < expected => (
            format!("update lost: counter = {counter}, expected {expected}"),
            true,
        ),
        Goal::LoseUpdate => (
            format!("no update lost: counter = {counter}, expected {expected}"),
            false,
        ),
        Goal::Deadlock => (
            format!("no deadlock: both threads finished, counter = {counter}"),
            false,
        ),
    }
}

/// Sends the whole state as `State` events: `counter`, each lock, each
/// thread's `pc`, `tmp` and status, the moves and the verdict.
fn publish(m: &Machine, play: &Play, tracer: &Tracer) {
    let set = |key: &str, value: String| {
        let key = key.to_string();
        tracer.emit(MAIN_LANE, EventKind::State { key, value });
    };
    set("counter", m.counter().to_string());
    for (name, holder) in m.program.locks.iter().zip(&m.holders) {
        let v = holder.map_or_else(|| "free".into(), |h| format!("thread {}", h + 1));
        set(&format!("lock.{name}"), v);
    }
    for (i, view) in m.views.iter().enumerate() {
        let t = i + 1;
        set(&format!("thread.{t}.pc"), view.pc.to_string());
        set(
            &format!("thread.{t}.tmp"),
            view.tmp.map(|v| v.to_string()).unwrap_or_default(),
        );
        let status = m.status(i);
        set(&format!("thread.{t}.status"), status_word(status).into());
        set(
            &format!("thread.{t}.waits"),
            waits_text(m, i).unwrap_or_default(),
        );
    }
    let moves: Vec<String> = play.moves.iter().map(usize::to_string).collect();
    set("moves", moves.join(","));
    set("taken", play.taken.to_string());
    let last_refused = play
        .refused
        .last()
        .filter(|r| r.step == play.moves.len())
        .map(|r| r.why.clone())
        .unwrap_or_default();
    set("refused", last_refused);
    let (verdict, met) = verdict(m);
    let goal = if met {
        "met"
    } else if m.over() {
        "missed"
    } else {
        "open"
    };
    set("goal", goal.into());
    set("verdict", verdict);
}

#[cfg(test)]
mod tests;
