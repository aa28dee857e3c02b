//! The notes' `Pool(processes=3)` with three `apply_async(do_math, …)`
//! calls, corrected (`args=(0, 100)`), then `close()` + `join()`; or the
//! same calls in `with Pool(3) as pool:`, whose exit terminates the
//! workers before the work is done. `do_math(start, end)` is the sum of
//! `i * i` over `range(start, end)`, after `work-ms` of CPU.

use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::jobs::{Computed, Job};
use crate::runtime::{Control, ProcessPool};
use crate::trace::{EventKind, Tracer};

crate::modes! {
    /// How the pool is let go.
    pub enum Mode {
        CloseJoin = "close-join": "close() then join(): the workers finish the queue, then exit",
        WithTerminate = "with-terminate": "with Pool(...) as pool: the block ends, __exit__ calls terminate()",
    }
}

crate::options! {
    /// Options of `apply-async`.
    pub struct ApplyAsyncOptions {
        processes: usize = "processes", "3", OptKind::Int { min: 1, max: 16 },
            "worker processes in the pool", keys('-', '+', Step::Add(1));
        ranges: String = "ranges", "0-100 101-200 201-300", OptKind::Text { max_len: 200 },
            "do_math's (start, end) pairs as START-END, space-separated";
        work_ms: u64 = "work-ms", "500", OptKind::Int { min: 0, max: 10_000 },
            "CPU time each do_math call spends before it answers";
    }
}

/// `apply_async` + `close` + `join`, or `with Pool` and its `terminate`.
pub struct ApplyAsync;

impl Example for ApplyAsync {
    type Mode = Mode;
    type Options = ApplyAsyncOptions;
    type Output = ApplyAsyncOutput;
    const NAME: &'static str = "apply-async";
    const TITLE: &'static str = "Pool(3).apply_async(do_math, …), close, join";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(mode: Mode, options: ApplyAsyncOptions, ctx: RunCtx) -> Work<ApplyAsyncOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// Each call's sum, if it arrived.
#[derive(Debug, Clone, Serialize)]
pub struct ApplyAsyncOutput {
    pub ranges: Vec<(i64, i64)>,
    /// `r.get()` per call; `None` for a result that never arrived.
    pub sums: Vec<Option<i64>>,
    /// Time until the pool was done with (join returned, or terminate).
    pub pool_ms: f64,
}

impl super::Output for ApplyAsyncOutput {
    fn summary(&self) -> String {
        let got = self.sums.iter().flatten().count();
        let sums: Vec<String> = self
            .sums
            .iter()
            .map(|s| s.map_or_else(|| "lost".into(), |v| v.to_string()))
            .collect();
        format!(
            "{got}/{} results [{}] after {:.2} s",
            self.sums.len(),
            sums.join(", "),
            self.pool_ms / 1000.0
        )
    }
}

/// Reads `"0-100 101-200"` into pairs.
fn parse_ranges(text: &str) -> anyhow::Result<Vec<(i64, i64)>> {
    text.split_whitespace()
        .map(|pair| {
            let bad = || anyhow::anyhow!("ranges: `{pair}` is not START-END");
            let (a, b) = pair.split_once('-').ok_or_else(bad)?;
            Ok((a.parse().map_err(|_| bad())?, b.parse().map_err(|_| bad())?))
        })
        .collect()
}

fn run(
    mode: Mode,
    options: &ApplyAsyncOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ApplyAsyncOutput> {
    let ranges = parse_ranges(&options.ranges)?;
    let t0 = Instant::now();
    let say = |text: String| {
        let text = format!("{:5.2} s  {text}", t0.elapsed().as_secs_f64());
        tracer.emit(0, EventKind::Output { text });
    };
    let mut pool = ProcessPool::new(options.processes, tracer, control)
        .context("could not find our own program")?;
    say(format!("pool = Pool(processes={})", options.processes));
    let futures: Vec<_> = ranges
        .iter()
        .map(|&(start, end)| {
            say(format!("pool.apply_async(do_math, args=({start}, {end}))"));
            pool.apply_async(Job::DoMath {
                start,
                end,
                busy_ms: options.work_ms,
            })
        })
        .collect();
    match mode {
        Mode::CloseJoin => {
            say("pool.close(); pool.join()  # waits".into());
            pool.close();
            pool.join()?;
        }
        Mode::WithTerminate => {
            say("end of with: pool.terminate()".into());
            pool.terminate();
        }
    }
    let pool_ms = t0.elapsed().as_secs_f64() * 1000.0;
    if control.all_interrupted() {
        anyhow::bail!("interrupted (KeyboardInterrupt)");
    }
    let sums: Vec<Option<i64>> = futures
        .iter()
        .map(|f| {
            f.peek()
                .and_then(Result::ok)
                .and_then(|v| serde_json::from_value::<Computed>(v).ok())
                .map(|c| c.value)
        })
        .collect();
    for (&(a, b), s) in ranges.iter().zip(&sums) {
        match s {
            Some(v) => say(format!("do_math({a}, {b}).get() = {v}")),
            None => say(format!("do_math({a}, {b}): no result (terminated)")),
        }
    }
    Ok(ApplyAsyncOutput {
        ranges,
        sums,
        pool_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_pairs() {
        assert_eq!(
            parse_ranges("0-100 201-200").unwrap(),
            [(0, 100), (201, 200)]
        );
        let e = parse_ranges("0,100").unwrap_err().to_string();
        assert_eq!(e, "ranges: `0,100` is not START-END");
    }
}
