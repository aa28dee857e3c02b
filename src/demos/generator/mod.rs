//! Generators to coroutines, stepped by key: the notes' `yeild_test` and a
//! `countdown` with a local, one `next()` a press; then an `async fn`
//! polled by a hand-written executor, one poll a press.
//!
//! Every step is reported as CPython's `inspect` would see it: the line the
//! frame is suspended at, its locals, its state. The lines a headless run
//! prints match `lessons/python/generator_steps.py` under CPython.

pub mod coroutine;
pub mod pygen;
#[cfg(test)]
mod tests;

use std::task::Poll;
use std::time::Duration;

use serde::Serialize;

use super::{Example, Host, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, Tracer};
use pygen::{Countdown, PyGen, YeildTest};

crate::modes! {
    /// What is stepped.
    pub enum Mode {
        Notes = "notes": "the notes' generator, yield 1 then yield 2",
        Countdown = "countdown": "a generator whose local n lives across each yield",
        AsyncFn = "async-fn": "an async fn, polled by hand to each await",
    }
}

crate::options! {
    /// Options of `generator`.
    pub struct GeneratorOptions {
        pace_ms: u64 = "pace-ms", "0", OptKind::Int { min: 0, max: 10_000 },
            "ms between steps taken by themselves; 0: each press of b is one step (headless: at once)";
        steps: u32 = "steps", "0", OptKind::Int { min: 0, max: 100 },
            "stop after this many next() calls or polls, leaving it suspended; 0: to the end";
        n: i64 = "n", "3", OptKind::Int { min: 0, max: 20 },
            "countdown(n) starts from n", keys('-', '+', Step::Add(1)), modes("countdown");
    }
}

/// A generator or a coroutine, one step a key.
pub struct Generator;

impl Example for Generator {
    type Mode = Mode;
    type Options = GeneratorOptions;
    type Output = GeneratorOutput;
    const NAME: &'static str = "generator";
    const TITLE: &'static str = "next() and poll, one step a key";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Stepper
    }

    fn start(mode: Mode, options: GeneratorOptions, ctx: RunCtx) -> Work<GeneratorOutput> {
        Work::Thread(Box::new(move || run(mode, &options, &ctx)))
    }
}

/// What the stepping did.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratorOutput {
    pub mode: &'static str,
    /// `next()` calls or polls made, the last one included.
    pub steps: u32,
    /// Values yielded, in order (generators).
    pub values: Vec<i64>,
    /// The coroutine's return value (`async-fn`).
    pub returned: Option<String>,
    /// The run stopped at its `steps` with the generator still suspended.
    pub suspended: bool,
}

impl super::Output for GeneratorOutput {
    fn summary(&self) -> String {
        match &self.returned {
            _ if self.suspended => format!(
                "stopped after {} steps, still suspended (yielded {:?})",
                self.steps, self.values
            ),
            Some(v) => format!(
                "{} polls: Pending ×{}, then Ready({v:?})",
                self.steps,
                self.steps - 1
            ),
            None => format!(
                "{} next() calls: yielded {:?}, then StopIteration",
                self.steps, self.values
            ),
        }
    }
}

/// Waits for the next step: a press of the key in the app, a pace, or
/// nothing at all headless.
struct Pacer<'a> {
    control: &'a Control,
    /// Steps allowed, 0 for no limit.
    limit: u32,
    pace: Duration,
    by_key: bool,
    presses: u64,
}

impl Pacer<'_> {
    fn wait(&mut self) -> Result<(), Interrupted> {
        if !self.by_key {
            return self.control.sleep(0, self.pace);
        }
        while self.control.presses() <= self.presses {
            self.control.checkpoint(0)?;
            std::thread::sleep(Duration::from_millis(15));
        }
        self.presses += 1;
        self.control.checkpoint(0)
    }
}

fn state(tracer: &Tracer, key: &str, value: impl Into<String>) {
    let (key, value) = (key.into(), value.into());
    tracer.emit(0, EventKind::State { key, value });
}

fn say(tracer: &Tracer, text: String) {
    tracer.emit(0, EventKind::Output { text });
}

/// Steps the example in `mode` to its end.
pub fn run(mode: Mode, o: &GeneratorOptions, ctx: &RunCtx) -> anyhow::Result<GeneratorOutput> {
    let mut pacer = Pacer {
        control: &ctx.control,
        pace: Duration::from_millis(o.pace_ms),
        limit: o.steps,
        by_key: o.pace_ms == 0 && ctx.host == Host::Ui,
        // Each run has a control of its own: every press on it counts.
        presses: 0,
    };
    let interrupted = |_| anyhow::anyhow!("interrupted (KeyboardInterrupt)");
    let t = &ctx.tracer;
    state(t, "gen.key", if pacer.by_key { "b" } else { "" });
    match mode {
        Mode::Notes => step_generator(&mut YeildTest::new(), &mut pacer, t).map_err(interrupted),
        Mode::Countdown => {
            step_generator(&mut Countdown::new(o.n), &mut pacer, t).map_err(interrupted)
        }
        Mode::AsyncFn => step_coroutine(&mut pacer, t).map_err(interrupted),
    }
}

/// The `for` loop taken apart: `next()` until `StopIteration`.
fn step_generator(
    g: &mut dyn PyGen,
    pacer: &mut Pacer,
    t: &Tracer,
) -> Result<GeneratorOutput, Interrupted> {
    let show = |g: &dyn PyGen| {
        state(t, "gen.state", g.state());
        state(
            t,
            "gen.line",
            g.line().map(|l| l.to_string()).unwrap_or_default(),
        );
        let locals = g.locals();
        state(
            t,
            "gen.locals",
            if locals.is_empty() {
                "none".into()
            } else {
                locals.join(", ")
            },
        );
    };
    state(t, "gen.kind", "generator");
    state(t, "gen.source", g.source());
    say(t, format!("» {}: {}", g.name(), g.state()));
    show(g);
    let (mut steps, mut values, mut suspended) = (0, Vec::new(), false);
    loop {
        if pacer.limit > 0 && steps >= pacer.limit {
            suspended = true;
            break;
        }
        pacer.wait()?;
        steps += 1;
        state(t, "gen.step", format!("next() {steps}"));
        say(t, format!("» next() {steps}"));
        let value = g.resume(&mut |line| say(t, line));
        show(g);
        let Some(v) = value else {
            say(t, format!("» StopIteration: {}", g.state()));
            state(t, "gen.last", "StopIteration");
            break;
        };
        let line = g.line().unwrap_or(0);
        let locals = g.locals();
        let locals = if locals.is_empty() {
            "none".into()
        } else {
            locals.join(", ")
        };
        say(t, format!("» yielded {v} at line {line}, locals: {locals}"));
        state(t, "gen.last", format!("yielded {v}"));
        say(t, format!("Generated value: {v}"));
        values.push(v);
    }
    Ok(GeneratorOutput {
        mode: if g.name() == "countdown" {
            "countdown"
        } else {
            "notes"
        },
        steps,
        values,
        returned: None,
        suspended,
    })
}

/// The hand-written executor: poll, and poll again, until `Ready`.
fn step_coroutine(pacer: &mut Pacer, t: &Tracer) -> Result<GeneratorOutput, Interrupted> {
    let (source, first) = coroutine::source();
    let mut c = coroutine::Stepper::new();
    state(t, "gen.kind", "coroutine");
    state(t, "gen.source", source);
    state(t, "gen.state", "created");
    say(t, "» upload_files(): created, not yet polled".into());
    let mut suspended = false;
    loop {
        if pacer.limit > 0 && c.polls >= pacer.limit {
            suspended = true;
            break;
        }
        pacer.wait()?;
        let p = c.poll();
        state(t, "gen.step", format!("poll {}", c.polls));
        say(t, format!("» poll {}", c.polls));
        for line in c.printer.take() {
            say(t, line);
        }
        match p {
            Poll::Pending => {
                let line = c.printer.awaiting().map_or(0, |l| l + 1 - first);
                state(t, "gen.state", "suspended");
                state(t, "gen.line", line.to_string());
                state(t, "gen.last", "Pending");
                say(t, format!("» Pending: suspended at line {line}"));
            }
            Poll::Ready(v) => {
                state(t, "gen.state", "returned");
                state(t, "gen.line", "");
                state(t, "gen.last", format!("Ready({v:?})"));
                say(t, format!("» Ready({v:?})"));
                break;
            }
        }
    }
    Ok(GeneratorOutput {
        mode: "async-fn",
        steps: c.polls,
        values: Vec::new(),
        returned: c.result.map(str::to_string),
        suspended,
    })
}
