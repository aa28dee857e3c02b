//! The notes' `upload_files` and `send_emails` (seed 002): awaited one
//! after the other they take 1 + 4 + 3 = 8 time units; gathered, 5, the
//! longer of the two; with `send_emails` made a task before `upload_files`
//! is awaited, 5 as well, and the task starts only when `main` yields.

pub mod units;

use anyhow::Context;
use serde::Serialize;

use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, EventLoop, JobResult, aio};
use crate::trace::Tracer;
use units::{Printed, Took, Units, clock, loop_error, round2};

crate::modes! {
    /// How `main` runs the two coroutines.
    pub enum Mode {
        Sequential = "sequential": "await upload_files(), then await send_emails(): one after the other",
        Gather = "gather": "await asyncio.gather(upload_files(), send_emails()): both at once",
        CreateTask = "create-task": "task = create_task(send_emails()); await upload_files(); await task",
    }
}

crate::options! {
    /// Options of `gather`.
    pub struct GatherOptions {
        unit_ms: u64 = "unit-ms", "1000", OptKind::Int { min: 1, max: 10_000 },
            "one time unit (the notes' second), in ms";
    }
}

/// `upload_files` and `send_emails` on one event loop.
pub struct Gather;

impl Example for Gather {
    type Mode = Mode;
    type Options = GatherOptions;
    type Output = GatherOutput;
    const NAME: &'static str = "gather";
    const TITLE: &'static str = "upload_files and send_emails: await, gather, create_task";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Tasks
    }

    fn start(mode: Mode, options: GatherOptions, ctx: RunCtx) -> Work<GatherOutput> {
        Work::Thread(Box::new(move || {
            run(mode, options.unit_ms, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What the program printed and how long it took.
#[derive(Debug, Clone, Serialize)]
pub struct GatherOutput {
    pub mode: &'static str,
    pub unit_ms: u64,
    /// From `STARTED AT` to `FINISHED`, in time units.
    pub total_units: f64,
    /// Every line printed, with when.
    pub lines: Vec<Printed>,
}

impl super::Output for GatherOutput {
    fn summary(&self) -> String {
        format!(
            "{}: FINISHED {:.1} units after STARTED AT ({} ms a unit)",
            self.mode, self.total_units, self.unit_ms
        )
    }
}

/// The notes' `upload_files`, with `asyncio.sleep` for the work.
pub async fn upload_files(t: Units) -> JobResult<()> {
    t.print("Preparing files...");
    t.sleep(1.0).await?;
    t.print("Files prepared.");
    t.sleep(4.0).await?;
    t.print("Files uploaded.");
    Ok(())
}

/// The notes' `send_emails`.
pub async fn send_emails(t: Units) -> JobResult<()> {
    t.print("Sending emails...");
    t.sleep(3.0).await?;
    t.print("Emails sent...");
    Ok(())
}

/// `asyncio.run(main())` in `mode`.
pub fn run(
    mode: Mode,
    unit_ms: u64,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<GatherOutput> {
    let lp = EventLoop::new(tracer, control).context("could not start the event loop")?;
    run_on(&lp, mode, unit_ms, tracer, control)
}

/// [`run`] on a given loop (tests give one with a paused clock).
pub(crate) fn run_on(
    lp: &EventLoop,
    mode: Mode,
    unit_ms: u64,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<GatherOutput> {
    let (tracer2, control2) = (tracer.clone(), control.clone());
    let log = units::Log::default();
    let log2 = log.clone();
    let total = lp
        .block_on(async move {
            let t = Units::start(unit_ms, &control2, &tracer2).logging(&log2);
            t.print(format!("STARTED AT {}", clock()));
            match mode {
                Mode::Sequential => {
                    // Awaiting a coroutine runs it inside main: no task.
                    upload_files(t.clone()).await?;
                    send_emails(t.clone()).await?;
                }
                Mode::Gather => {
                    // gather() wraps each coroutine in a task.
                    let up = aio::create_task("upload_files", upload_files(t.clone()));
                    let mail = aio::create_task("send_emails", send_emails(t.clone()));
                    aio::gather([up, mail]).await.map_err(aio::reraise)?;
                }
                Mode::CreateTask => {
                    let task = aio::create_task("send_emails", send_emails(t.clone()));
                    t.print("task created; send_emails has not started");
                    upload_files(t.clone()).await?;
                    task.await.map_err(aio::reraise)?;
                }
            }
            let total = t.now();
            t.print(format!("FINISHED {}", clock()));
            Ok(Took(total))
        })
        .map_err(|e| loop_error(e, control))?;
    Ok(GatherOutput {
        mode: super::Modes::name(mode),
        unit_ms,
        total_units: round2(total.0),
        lines: log.lines(),
    })
}

#[cfg(test)]
mod tests;
