//! The notes' first multiprocessing example: `Pool(5).map(f, [1, 2, 3])`
//! squares three numbers on real worker processes; five processes start,
//! three get work and two stay idle.

use std::time::Duration;

use anyhow::Context;
use serde::Serialize;

use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::jobs::{Computed, Job};
use crate::runtime::{Control, FutureError, ProcessPool};
use crate::trace::{EventKind, Tracer};

crate::modes! {
    /// How the pool is asked.
    pub enum Mode {
        Map = "map": "Pool.map: blocks until every result is in, in input order",
    }
}

crate::options! {
    /// Options of `pool-map`.
    pub struct PoolMapOptions {
        processes: usize = "processes", "5", OptKind::Int { min: 1, max: 32 },
            "worker processes in the pool", keys('-', '+', Step::Add(1));
        items: String = "items", "1,2,3", OptKind::Text { max_len: 200 },
            "the numbers to square, comma-separated";
        work_ms: u64 = "work-ms", "400", OptKind::Int { min: 0, max: 10_000 },
            "CPU time f spends on each item before it answers (0: the notes' bare x*x)";
        crash: i64 = "crash", "0", OptKind::Int { min: 0, max: 1_000_000 },
            "the item whose worker process dies (abort) instead of answering (0: none)";
    }
}

/// `Pool(5).map(f, [1, 2, 3])` on real processes.
pub struct PoolMap;

impl Example for PoolMap {
    type Mode = Mode;
    type Options = PoolMapOptions;
    type Output = PoolMapOutput;
    const NAME: &'static str = "pool-map";
    const TITLE: &'static str = "Pool(5).map(f, [1, 2, 3]) on worker processes";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(_: Mode, options: PoolMapOptions, ctx: RunCtx) -> Work<PoolMapOutput> {
        Work::Thread(Box::new(move || run(&options, &ctx.tracer, &ctx.control)))
    }
}

/// The squares, in input order, and who computed them.
#[derive(Debug, Clone, Serialize)]
pub struct PoolMapOutput {
    pub results: Vec<i64>,
    /// Per item: who computed it (PID, that process's CPU time then).
    pub by: Vec<Computed>,
    /// PIDs of the worker processes that ran at least one item.
    pub pids: Vec<u32>,
    /// Processes in the pool.
    pub processes: usize,
    /// The pool's parent: this process.
    pub parent_pid: u32,
}

impl super::Output for PoolMapOutput {
    fn summary(&self) -> String {
        let pids: Vec<String> = self.pids.iter().map(u32::to_string).collect();
        format!(
            "{:?} from {} of {} processes (PIDs {}; parent {})",
            self.results,
            self.pids.len(),
            self.processes,
            pids.join(", "),
            self.parent_pid
        )
    }
}

/// Reads `"1, 2, 3"` into numbers.
fn parse_items(text: &str) -> anyhow::Result<Vec<i64>> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse()
                .map_err(|_| anyhow::anyhow!("items: `{t}` is not a whole number"))
        })
        .collect()
}

/// `with Pool(processes) as p: print(p.map(f, items))`.
pub fn run(
    options: &PoolMapOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<PoolMapOutput> {
    let items = parse_items(&options.items)?;
    let say = |text: String| tracer.emit(0, EventKind::Output { text });
    let mut pool = ProcessPool::new(options.processes, tracer, control)
        .context("could not find our own program")?;
    say(format!("parent pid {}", std::process::id()));
    let jobs = items.iter().map(|&x| {
        if options.crash != 0 && x == options.crash {
            Job::Crash
        } else {
            Job::SquareIn {
                x,
                busy_ms: options.work_ms,
                fail: false,
            }
        }
    });
    let by: Vec<Computed> = pool.map_as(jobs).map_err(|e| match e {
        FutureError::Cancelled => anyhow::anyhow!("interrupted (KeyboardInterrupt)"),
        other => anyhow::anyhow!(other),
    })?;
    let stats = pool.stats();
    pool.close();
    pool.join()?;
    let lane_of = |pid: u32| {
        stats
            .iter()
            .position(|s| s.pid == Some(pid))
            .map_or_else(|| "worker-?".to_string(), |i| format!("worker-{}", i + 1))
    };
    for (x, c) in items.iter().zip(&by) {
        say(format!(
            "f({x}) = {} in {} (pid {}, cpu {:.2} s)",
            c.value,
            lane_of(c.pid),
            c.pid,
            Duration::from_micros(c.cpu_us).as_secs_f64()
        ));
    }
    let results: Vec<i64> = by.iter().map(|c| c.value).collect();
    say(format!("{results:?}"));
    let mut pids: Vec<u32> = by.iter().map(|c| c.pid).collect();
    pids.sort_unstable();
    pids.dedup();
    Ok(PoolMapOutput {
        pids,
        processes: options.processes,
        results,
        by,
        parent_pid: std::process::id(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_read_as_numbers() {
        assert_eq!(parse_items("1, 2,3").unwrap(), [1, 2, 3]);
        assert_eq!(parse_items("").unwrap(), Vec::<i64>::new());
        let e = parse_items("1, two").unwrap_err().to_string();
        assert_eq!(e, "items: `two` is not a whole number");
    }
}
