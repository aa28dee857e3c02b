//! Coroutine, Task, Future (seed 004's "STILL A BIT CONFUSING"): a
//! coroutine object does nothing until it is awaited (and says so when it
//! is dropped unawaited); a Task is a Future that runs a coroutine;
//! `ensure_future` hands back any Future as it is and wraps a coroutine
//! in a new Task, which `create_task` does too.

mod objects;

use anyhow::Context;
use serde::Serialize;

use std::cell::RefCell;
use std::rc::Rc;

use super::gather::units::{Log, Printed, Took, Units, loop_error};
use super::gather::{send_emails, upload_files};
use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, EventLoop, JobResult, aio};
use crate::trace::Tracer;
use objects::{Awaitable, Coroutine, Kind, PyFuture, ensure_future};

crate::modes! {
    /// Which part of the story runs.
    pub enum Mode {
        NeverAwaited = "never-awaited": "send_emails() makes a coroutine object; dropped unawaited, it warns",
        EnsureFuture = "ensure-future": "ensure_future on a Task, a Future and a coroutine",
    }
}

crate::options! {
    /// Options of `coroutine`.
    pub struct CoroutineOptions {
        unit_ms: u64 = "unit-ms", "1000", OptKind::Int { min: 1, max: 10_000 },
            "one time unit (the notes' second), in ms";
    }
}

/// Coroutine objects, tasks and futures on one event loop.
pub struct CoroutineDemo;

impl Example for CoroutineDemo {
    type Mode = Mode;
    type Options = CoroutineOptions;
    type Output = CoroutineOutput;
    const NAME: &'static str = "coroutine";
    const TITLE: &'static str = "Coroutine, Task, Future";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Tasks
    }

    fn start(mode: Mode, options: CoroutineOptions, ctx: RunCtx) -> Work<CoroutineOutput> {
        Work::Thread(Box::new(move || {
            let lp = EventLoop::new(&ctx.tracer, &ctx.control)
                .context("could not start the event loop")?;
            run_on(&lp, mode, options.unit_ms, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What the program printed and found.
#[derive(Debug, Clone, Serialize)]
pub struct CoroutineOutput {
    pub mode: &'static str,
    /// The answers the program printed (`ensure_future(task) is task`, …).
    pub facts: Vec<(String, String)>,
    /// Every line printed, with when.
    pub lines: Vec<Printed>,
}

impl super::Output for CoroutineOutput {
    fn summary(&self) -> String {
        let facts: Vec<String> = self.facts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        format!("{}: {}", self.mode, facts.join(", "))
    }
}

/// Runs `mode` on `lp`.
pub(crate) fn run_on(
    lp: &EventLoop,
    mode: Mode,
    unit_ms: u64,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<CoroutineOutput> {
    let (tracer2, control2, log) = (tracer.clone(), control.clone(), Log::default());
    let log2 = log.clone();
    let slot = Rc::new(RefCell::new(Facts::new()));
    let slot2 = slot.clone();
    lp.block_on(async move {
        let t = Units::start(unit_ms, &control2, &tracer2).logging(&log2);
        let facts = match mode {
            Mode::NeverAwaited => never_awaited(t.clone(), &tracer2).await?,
            Mode::EnsureFuture => ensure_futures(t.clone()).await?,
        };
        *slot2.borrow_mut() = facts;
        Ok(Took(t.now()))
    })
    .map_err(|e| loop_error(e, control))?;
    Ok(CoroutineOutput {
        mode: super::Modes::name(mode),
        facts: slot.take(),
        lines: log.lines(),
    })
}

type Facts = Vec<(String, String)>;

/// ```python
/// coro = send_emails()   # nothing runs
/// print(coro)
/// del coro               # RuntimeWarning: … was never awaited
/// await send_emails()    # this one runs
/// ```
async fn never_awaited(t: Units, tracer: &Tracer) -> JobResult<Facts> {
    let coro = Coroutine::new("send_emails", send_emails(t.clone()), tracer);
    t.print(format!("coro = send_emails() -> {coro:?}"));
    t.sleep(1.0).await?;
    let ran = t.lines().iter().any(|l| l.text == "Sending emails...");
    t.print(format!("after 1 unit, send_emails has printed: {ran}"));
    drop(coro);
    t.print("await send_emails()");
    Coroutine::new("send_emails", send_emails(t.clone()), tracer).await?;
    let sent = t.lines().iter().any(|l| l.text == "Emails sent...");
    Ok(vec![
        ("ran unawaited".into(), ran.to_string()),
        ("ran awaited".into(), sent.to_string()),
    ])
}

/// ```python
/// task = asyncio.create_task(upload_files())
/// isinstance(task, asyncio.Future)      # True
/// asyncio.ensure_future(task) is task   # True
/// fut = loop.create_future()
/// asyncio.ensure_future(fut) is fut     # True
/// emails = asyncio.ensure_future(send_emails())   # a new Task
/// ```
async fn ensure_futures(t: Units) -> JobResult<Facts> {
    let mut facts = Facts::new();
    let task = aio::create_task("upload_files", upload_files(t.clone()));
    let task_id = task.unit();
    let task = ensure_future("upload_files", Awaitable::Task(task));
    let same = task.id() == (Kind::Task, task_id);
    facts.push(("task is task".into(), same.to_string()));

    let fut = PyFuture::new("quota");
    let fut_id = (Kind::Future, fut.id());
    let setter = fut.clone();
    let t2 = t.clone();
    let quota = aio::create_task("set_quota", async move {
        t2.sleep(2.0).await?;
        setter.set_result("quota ok".to_string());
        t2.print("fut.set_result('quota ok')");
        Ok(())
    });
    let fut = ensure_future("quota", Awaitable::Future(fut));
    let same = fut.id() == fut_id;
    facts.push(("fut is fut".into(), same.to_string()));

    let emails = ensure_future(
        "send_emails",
        Awaitable::Coroutine(Box::pin(send_emails(t.clone()))),
    );
    let kind = format!("{:?}", emails.id().0);
    facts.push(("coroutine became a".into(), kind));

    let value = fut.await?;
    t.print(format!("await fut: '{value}'"));
    facts.push(("await fut".into(), format!("'{value}'")));
    for f in [task, emails] {
        f.await?;
    }
    quota.await.map_err(aio::reraise)?;
    // The answers, printed last so that the pane's last lines show them.
    let said = [
        "ensure_future(task) is task",
        "ensure_future(fut) is fut",
        "ensure_future(send_emails()) is a",
    ];
    for (text, (_, v)) in said.iter().zip(&facts) {
        t.print(format!("{text}: {v}"));
    }
    Ok(facts)
}

#[cfg(test)]
mod tests;
