//! Blocking the loop: a coroutine that calls `time.sleep` holds the one
//! thread, so every other task freezes (the ticker's ticks stop, asyncio's
//! slow-callback warning fires); `await asyncio.to_thread(time.sleep, n)`
//! (tokio's `spawn_blocking`) moves the wait to a worker thread.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use super::gather::units::{Log, Printed, Took, Units, loop_error, round2};
use super::{Example, OptKind, PaneKind, RunCtx, Work};

use crate::runtime::{Control, EventLoop, Interrupted, JobError, JobResult, aio};
use crate::trace::{BlockOn, LaneId, Tracer};

crate::modes! {
    /// How `compress_files` waits.
    pub enum Mode {
        TimeSleep = "time-sleep": "time.sleep(2) inside the coroutine: the loop's one thread is held",
        ToThread = "to-thread": "await asyncio.to_thread(time.sleep, 2): the wait runs on a worker thread",
    }
}

crate::options! {
    /// Options of `blocked-loop`.
    pub struct BlockedOptions {
        unit_ms: u64 = "unit-ms", "1000", OptKind::Int { min: 1, max: 10_000 },
            "one time unit, in ms";
    }
}

/// A ticker beside a task that blocks, or does not.
pub struct BlockedLoop;

impl Example for BlockedLoop {
    type Mode = Mode;
    type Options = BlockedOptions;
    type Output = BlockedOutput;
    const NAME: &'static str = "blocked-loop";
    const TITLE: &'static str = "time.sleep in a coroutine, and asyncio.to_thread";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Tasks
    }

    fn start(mode: Mode, options: BlockedOptions, ctx: RunCtx) -> Work<BlockedOutput> {
        Work::Thread(Box::new(move || {
            let lp = EventLoop::new(&ctx.tracer, &ctx.control)
                .context("could not start the event loop")?;
            run_on(&lp, mode, options.unit_ms, &ctx.tracer, &ctx.control)
        }))
    }
}

/// How regular the ticks were.
#[derive(Debug, Clone, Serialize)]
pub struct BlockedOutput {
    pub mode: &'static str,
    /// When each tick was printed, in units.
    pub ticks_at: Vec<f64>,
    /// The longest time between two ticks (they are due every half unit).
    pub longest_gap_units: f64,
    pub total_units: f64,
    pub lines: Vec<Printed>,
}

impl super::Output for BlockedOutput {
    fn summary(&self) -> String {
        format!(
            "{}: ticks due every 0.5 units, longest gap {:.1} units; {:.1} units in all",
            self.mode, self.longest_gap_units, self.total_units
        )
    }
}

const TICKS: usize = 8;

/// When the ticks came, as the task table shows the ticker's value.
struct Ticks(Vec<f64>);

impl std::fmt::Debug for Ticks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at: Vec<String> = self.0.iter().map(|t| format!("{t:.1}")).collect();
        write!(f, "ticks at {}", at.join(" "))
    }
}

/// Prints `tick N` every half unit.
async fn ticker(t: Units) -> JobResult<Ticks> {
    let mut at = Vec::new();
    for n in 1..=TICKS {
        t.sleep(0.5).await?;
        at.push(round2(t.now()));
        t.print(format!("tick {n}"));
    }
    Ok(Ticks(at))
}

/// Waits two units, by `mode`, between two prints.
async fn compress_files(mode: Mode, t: Units, control: Control) -> JobResult<()> {
    t.sleep(0.5).await?;
    t.print("Compressing files...");
    let lane = aio::current().map_or(0, |(lane, _)| lane);
    let d = t.of(2.0);
    match mode {
        // time.sleep: the poll itself lasts two units (still stoppable, as
        // CPython checks for Ctrl-C between bytecodes).
        Mode::TimeSleep => time_sleep(&control, lane, d)?,
        Mode::ToThread => {
            let job = tokio::task::spawn_blocking(move || time_sleep(&control, lane, d));
            let on = BlockOn::Task {
                name: "to_thread".into(),
            };
            aio::wait_on(on, job)
                .await
                .map_err(|e| JobError::exception(format!("worker thread: {e}")))??;
        }
    }
    t.print("Files compressed.");
    Ok(())
}

/// `time.sleep(d)` (`d` in the example's world): blocks this thread to a
/// deadline, in short slices that see pause and interrupts, so that the
/// slices' oversleeping does not add up on a busy machine.
fn time_sleep(control: &Control, lane: LaneId, d: Duration) -> Result<(), Interrupted> {
    let deadline = Instant::now() + control.scaled(d);
    loop {
        control.checkpoint(lane)?;
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        std::thread::sleep(left.min(Duration::from_millis(20)));
    }
}

/// Runs the ticker and `compress_files` on `lp`.
pub(crate) fn run_on(
    lp: &EventLoop,
    mode: Mode,
    unit_ms: u64,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<BlockedOutput> {
    let (tracer2, control2, log) = (tracer.clone(), control.clone(), Log::default());
    let log2 = log.clone();
    let ticks = Rc::new(RefCell::new(Vec::new()));
    let ticks2 = ticks.clone();
    let took = lp
        .block_on(async move {
            let t = Units::start(unit_ms, &control2, &tracer2).logging(&log2);
            let ticker = aio::create_task("ticker", ticker(t.clone()));
            let work = compress_files(mode, t.clone(), control2);
            aio::create_task("compress_files", work)
                .await
                .map_err(aio::reraise)?;
            *ticks2.borrow_mut() = ticker.await.map_err(aio::reraise)?.0;
            Ok(Took(t.now()))
        })
        .map_err(|e| loop_error(e, control))?;
    let ticks_at = ticks.take();
    let longest = ticks_at
        .iter()
        .scan(0.0, |prev, &at| {
            let gap = at - *prev;
            *prev = at;
            Some(gap)
        })
        .fold(0.0, f64::max);
    Ok(BlockedOutput {
        mode: super::Modes::name(mode),
        ticks_at,
        longest_gap_units: round2(longest),
        total_units: round2(took.0),
        lines: log.lines(),
    })
}

#[cfg(test)]
mod tests;
