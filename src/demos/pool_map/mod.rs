//! The notes' first multiprocessing example: `Pool(5).map(f, [1, 2, 3])`
//! squares three numbers on real worker processes; five processes start,
//! three get work and two stay idle.

use anyhow::Context;
use serde::Serialize;

use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::jobs::Job;
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
        PaneKind::Lanes
    }

    fn start(_: Mode, options: PoolMapOptions, ctx: RunCtx) -> Work<PoolMapOutput> {
        Work::Thread(Box::new(move || run(&options, &ctx.tracer, &ctx.control)))
    }
}

/// The squares, in input order, and who computed them.
#[derive(Debug, Clone, Serialize)]
pub struct PoolMapOutput {
    pub results: Vec<i64>,
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
    let jobs = items.iter().map(|&x| Job::Square { x });
    let results: Vec<i64> = pool.map_as(jobs).map_err(|e| match e {
        FutureError::Cancelled => anyhow::anyhow!("interrupted (KeyboardInterrupt)"),
        other => anyhow::anyhow!(other),
    })?;
    let stats = pool.stats();
    pool.close();
    pool.join()?;
    say(format!("{results:?}"));
    let worked = |s: &&crate::runtime::process_pool::ProcStats| s.sent > 0;
    Ok(PoolMapOutput {
        pids: stats.iter().filter(worked).filter_map(|s| s.pid).collect(),
        processes: options.processes,
        results,
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
