//! Stopping tasks: `task.cancel()` (the task sees `CancelledError` at the
//! await it is parked on), `asyncio.timeout`, and `asyncio.TaskGroup`,
//! which cancels the siblings when one task fails and raises an
//! `ExceptionGroup`.

mod group;

use std::cell::Cell;
use std::rc::Rc;

use anyhow::Context;
use serde::Serialize;

use super::gather::send_emails;
use super::gather::units::{Log, Printed, Units, loop_error, round2};
use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::{Control, EventLoop, JobError, JobResult, TaskError, aio};
use crate::trace::Tracer;
use group::TaskGroup;

crate::modes! {
    /// How the tasks are stopped.
    pub enum Mode {
        Cancel = "cancel": "main cancels upload_files after 2 units: CancelledError at its await",
        Timeout = "timeout": "async with asyncio.timeout(2): await send_emails(), which needs 3",
        TaskGroup = "task-group": "a TaskGroup of three; check_quota fails at 2 units, the others are cancelled",
    }
}

crate::options! {
    /// Options of `cancel`.
    pub struct CancelOptions {
        unit_ms: u64 = "unit-ms", "1000", OptKind::Int { min: 1, max: 10_000 },
            "one time unit, in ms";
    }
}

/// Cancellation, timeouts and task groups.
pub struct Cancel;

impl Example for Cancel {
    type Mode = Mode;
    type Options = CancelOptions;
    type Output = CancelOutput;
    const NAME: &'static str = "cancel";
    const TITLE: &'static str = "task.cancel(), asyncio.timeout, TaskGroup";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Tasks
    }

    fn start(mode: Mode, options: CancelOptions, ctx: RunCtx) -> Work<CancelOutput> {
        Work::Thread(Box::new(move || {
            let lp = EventLoop::new(&ctx.tracer, &ctx.control)
                .context("could not start the event loop")?;
            run_on(&lp, mode, options.unit_ms, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What `main` caught.
#[derive(Debug, Clone, Serialize)]
pub struct CancelOutput {
    pub mode: &'static str,
    /// The exception `main` caught, as Python prints it.
    pub caught: String,
    pub total_units: f64,
    pub lines: Vec<Printed>,
}

impl super::Output for CancelOutput {
    fn summary(&self) -> String {
        format!(
            "{}: main caught {} after {:.1} units",
            self.mode, self.caught, self.total_units
        )
    }
}

/// What `main` caught, shown as its value in the task table.
struct Caught(String);

impl std::fmt::Debug for Caught {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Prints as it is dropped: Rust's `finally:`, since a cancelled future
/// is simply dropped where it waits.
struct Cleanup {
    t: Units,
    lane: u32,
    name: &'static str,
    done: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.done {
            self.t
                .print_on(self.lane, format!("{}: cancelled, cleaning up", self.name));
        }
    }
}

fn cleanup(t: &Units, name: &'static str) -> Cleanup {
    let lane = aio::current().map_or(0, |(lane, _)| lane);
    Cleanup {
        t: t.clone(),
        lane,
        name,
        done: false,
    }
}

/// The notes' `upload_files`, with a clean-up when cancelled.
async fn upload_files(t: Units) -> JobResult<()> {
    let mut guard = cleanup(&t, "upload_files");
    t.print("Preparing files...");
    t.sleep(1.0).await?;
    t.print("Files prepared.");
    t.sleep(4.0).await?;
    t.print("Files uploaded.");
    guard.done = true;
    Ok(())
}

/// Fails after two units.
async fn check_quota(t: Units) -> JobResult<()> {
    t.print("Checking quota...");
    t.sleep(2.0).await?;
    t.print("raise ValueError('quota exceeded')");
    Err(JobError::Exception("ValueError: quota exceeded".into()))
}

async fn cancel(t: &Units) -> JobResult<String> {
    let task = aio::create_task("upload_files", upload_files(t.clone()));
    t.sleep(2.0).await?;
    t.print("task.cancel()");
    task.cancel();
    match task.await {
        Err(TaskError::Cancelled) => Ok("CancelledError".into()),
        Err(TaskError::Exception(e)) => Err(JobError::Exception(e)),
        Ok(()) => Ok("nothing: the task ended first".into()),
    }
}

async fn timeout(t: &Units) -> JobResult<String> {
    let emails = async {
        let mut guard = cleanup(t, "send_emails");
        send_emails(t.clone()).await?;
        guard.done = true;
        Ok::<_, JobError>(())
    };
    match tokio::time::timeout(t.real(2.0), emails).await {
        Ok(r) => r.map(|()| "nothing: send_emails ended first".into()),
        Err(_) => Ok("TimeoutError".into()),
    }
}

async fn task_group(t: &Units) -> JobResult<String> {
    let mut tg = TaskGroup::new();
    tg.create_task("upload_files", upload_files(t.clone()));
    tg.create_task("send_emails", send_emails(t.clone()));
    tg.create_task("check_quota", check_quota(t.clone()));
    match tg.join().await {
        Ok(()) => Ok("nothing".into()),
        Err(group) => {
            for e in &group.exceptions {
                t.print(format!("except* ValueError as eg: {e}"));
            }
            Ok(group.to_string())
        }
    }
}

/// Runs `mode` on `lp`.
pub(crate) fn run_on(
    lp: &EventLoop,
    mode: Mode,
    unit_ms: u64,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<CancelOutput> {
    let (tracer2, control2, log) = (tracer.clone(), control.clone(), Log::default());
    let log2 = log.clone();
    let took = Rc::new(Cell::new(0.0));
    let took2 = took.clone();
    let Caught(caught) = lp
        .block_on(async move {
            let t = Units::start(unit_ms, &control2, &tracer2).logging(&log2);
            let caught = match mode {
                Mode::Cancel => cancel(&t).await?,
                Mode::Timeout => timeout(&t).await?,
                Mode::TaskGroup => task_group(&t).await?,
            };
            t.print(format!("main caught {caught}"));
            took2.set(t.now());
            Ok(Caught(caught))
        })
        .map_err(|e| loop_error(e, control))?;
    Ok(CancelOutput {
        mode: super::Modes::name(mode),
        caught,
        total_units: round2(took.get()),
        lines: log.lines(),
    })
}

#[cfg(test)]
mod tests;
