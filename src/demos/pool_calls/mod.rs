//! `Pool.map`, `Pool.apply` and their async versions on the same three
//! items: which call blocks, in which order results come back, where the
//! exception of a failing item goes. Item `x` keeps its process busy
//! `(n + 1 - x) × step-ms` (the first item is the slowest), as in
//! `lessons/python/pool_calls.py`.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::jobs::{Computed, Job};
use crate::runtime::process_pool::ProcState;
use crate::runtime::{Control, FutureError, ProcessPool, PyFuture};
use crate::trace::{EventKind, Tracer};

crate::modes! {
    /// Which of the pool's four calls runs the items.
    pub enum Mode {
        Map = "map": "pool.map(f, items): one call, blocks until all are done",
        Apply = "apply": "pool.apply(f, (x,)) per item: each call blocks",
        MapAsync = "map-async": "pool.map_async(f, items) returns at once; .get() blocks",
        ApplyAsync = "apply-async": "pool.apply_async(f, (x,), callback) per item; .get() each",
    }
}

crate::options! {
    /// Options of `pool-calls`.
    pub struct PoolCallsOptions {
        processes: usize = "processes", "3", OptKind::Int { min: 1, max: 16 },
            "worker processes in the pool", keys('-', '+', Step::Add(1));
        items: usize = "items", "3", OptKind::Int { min: 1, max: 8 },
            "items 1..=N; item x keeps its process busy (N + 1 - x) x step-ms";
        step_ms: u64 = "step-ms", "300", OptKind::Int { min: 0, max: 5_000 },
            "CPU time per step";
        fail: i64 = "fail", "2", OptKind::Int { min: 0, max: 8 },
            "the item whose f raises ValueError (0: none)";
    }
}

/// The four ways to hand work to a `multiprocessing.Pool`.
pub struct PoolCalls;

impl Example for PoolCalls {
    type Mode = Mode;
    type Options = PoolCallsOptions;
    type Output = PoolCallsOutput;
    const NAME: &'static str = "pool-calls";
    const TITLE: &'static str = "Pool: map, apply, map_async, apply_async";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(mode: Mode, options: PoolCallsOptions, ctx: RunCtx) -> Work<PoolCallsOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What the caller saw: how long the call held it, the results it got in
/// the order it got them, and the exception.
#[derive(Debug, Clone, Serialize)]
pub struct PoolCallsOutput {
    pub mode: String,
    /// Time until the first call gave control back, in ms.
    pub returned_ms: f64,
    /// Whether that call waited for the work.
    pub blocked: bool,
    /// The values the caller got, in the order it got them.
    pub results: Vec<i64>,
    /// Whether `results` is the input order (for the values it has).
    pub input_order: bool,
    /// The exception the caller saw, and what it raised from.
    pub raised: Option<String>,
    /// Items whose value the caller never got.
    pub lost: usize,
}

impl super::Output for PoolCallsOutput {
    fn summary(&self) -> String {
        let blocks = if self.blocked {
            "blocks"
        } else {
            "returns at once"
        };
        let order = if self.input_order {
            "input order"
        } else {
            "completion order"
        };
        let raised = self.raised.as_deref().unwrap_or("nothing raised");
        format!(
            "{}: {blocks} ({:.2} s) · {} lost · {:?} {order} · {raised}",
            self.mode,
            self.returned_ms / 1000.0,
            self.lost,
            self.results,
        )
    }
}

/// The caller's clock and printer.
struct Caller<'a> {
    t0: Instant,
    tracer: &'a Tracer,
}

impl Caller<'_> {
    fn at(&self) -> f64 {
        self.t0.elapsed().as_secs_f64()
    }

    fn say(&self, text: &str) {
        let text = format!("{:5.2} s  {text}", self.at());
        self.tracer.emit(0, EventKind::Output { text });
    }
}

fn value(r: Result<serde_json::Value, FutureError>) -> Result<i64, String> {
    match r {
        Ok(v) => serde_json::from_value::<Computed>(v)
            .map(|c| c.value)
            .map_err(|e| format!("unexpected result: {e}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Waits for every future; the indices in the order they ended (a
/// `callback` sees them in this order). `None` when interrupted.
fn completion_order<T: Clone>(futures: &[PyFuture<T>], control: &Control) -> Option<Vec<usize>> {
    completion_order_with(futures, control, |_| {})
}

/// The same, calling `on_done` with each future's index as soon as it is
/// seen done (a callback runs as its item ends, not after the last one).
fn completion_order_with<T: Clone>(
    futures: &[PyFuture<T>],
    control: &Control,
    mut on_done: impl FnMut(usize),
) -> Option<Vec<usize>> {
    let mut order = Vec::new();
    while order.len() < futures.len() {
        if control.all_interrupted() {
            return None;
        }
        for (i, f) in futures.iter().enumerate() {
            if !order.contains(&i) && f.done() {
                order.push(i);
                on_done(i);
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    Some(order)
}

#[allow(clippy::too_many_lines)] // four modes, each a few lines of Python
fn run(
    mode: Mode,
    options: &PoolCallsOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<PoolCallsOutput> {
    let n = i64::try_from(options.items).unwrap_or(8);
    let items: Vec<i64> = (1..=n).collect();
    let job = |x: i64| Job::SquareIn {
        x,
        busy_ms: options.step_ms * u64::try_from(n + 1 - x).unwrap_or(0),
        fail: x == options.fail,
    };
    let mut pool = ProcessPool::new(options.processes, tracer, control)
        .context("could not find our own program")?;
    // Wait until every worker has said hello and waits for a job, so the
    // times below are the calls' and each item finds a worker free (a
    // worker still starting would leave its item to the first one done).
    let interrupted = || anyhow::anyhow!("interrupted (KeyboardInterrupt)");
    let up = Instant::now();
    let waiting = |pool: &ProcessPool| {
        pool.stats()
            .iter()
            .filter(|p| p.state == ProcState::Idle)
            .count()
    };
    while waiting(&pool) < options.processes && up.elapsed() < Duration::from_secs(10) {
        if control.all_interrupted() {
            return Err(interrupted());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let me = Caller {
        t0: Instant::now(),
        tracer,
    };
    let mut results = Vec::new();
    let mut raised = None;
    let returned_ms;
    let mut blocked = true;
    let mut input_order = true;
    match mode {
        Mode::Map => {
            me.say(&format!("pool.map(f, {items:?})"));
            let futures = pool.map_async(items.iter().map(|&x| job(x)));
            // CPython's MapResult waits for every item and keeps the first
            // exception to arrive.
            let order = completion_order(&futures, control).ok_or_else(interrupted)?;
            let outcomes: Vec<_> = futures.iter().map(|f| value(f.result())).collect();
            returned_ms = me.at() * 1000.0;
            if let Some(e) = order.iter().find_map(|&i| outcomes[i].clone().err()) {
                me.say(&format!("map raised {e}; no results"));
                raised = Some(format!("{e} raised by map()"));
            } else {
                results = outcomes.into_iter().flatten().collect();
                me.say(&format!("map returned {results:?}"));
            }
        }
        Mode::Apply => {
            let mut first = None;
            for &x in &items {
                me.say(&format!("pool.apply(f, ({x},))"));
                let f = pool.apply_async(job(x));
                completion_order(std::slice::from_ref(&f), control).ok_or_else(interrupted)?;
                first.get_or_insert(me.at() * 1000.0);
                match value(f.result()) {
                    Ok(v) => {
                        me.say(&format!("apply returned {v}"));
                        results.push(v);
                    }
                    Err(e) => {
                        me.say(&format!("apply raised {e}; the loop stops"));
                        raised = Some(format!("{e} raised by apply(f, ({x},))"));
                        break;
                    }
                }
            }
            returned_ms = first.unwrap_or_default();
        }
        Mode::MapAsync => {
            me.say(&format!("r = pool.map_async(f, {items:?})"));
            let futures = pool.map_async(items.iter().map(|&x| job(x)));
            returned_ms = me.at() * 1000.0;
            blocked = false;
            me.say("map_async returned; r.get() waits");
            let order = completion_order(&futures, control).ok_or_else(interrupted)?;
            let outcomes: Vec<_> = futures.iter().map(|f| value(f.result())).collect();
            if let Some(e) = order.iter().find_map(|&i| outcomes[i].clone().err()) {
                me.say(&format!("r.get() raised {e}; no results"));
                raised = Some(format!("{e} raised by r.get()"));
            } else {
                results = outcomes.into_iter().flatten().collect();
                me.say(&format!("r.get() returned {results:?}"));
            }
        }
        Mode::ApplyAsync => {
            me.say("rs = [pool.apply_async(f, (x,), callback) for x in items]");
            let futures: Vec<_> = items.iter().map(|&x| pool.apply_async(job(x))).collect();
            returned_ms = me.at() * 1000.0;
            blocked = false;
            me.say("apply_async returned; callbacks run as items end");
            let order =
                completion_order_with(&futures, control, |i| match value(futures[i].result()) {
                    Ok(v) => {
                        me.say(&format!("callback({v}) for f({})", items[i]));
                        results.push(v);
                    }
                    Err(e) => {
                        me.say(&format!("error_callback({e}) for f({})", items[i]));
                        raised = Some(format!("{e} at rs[{i}].get() only"));
                    }
                })
                .ok_or_else(interrupted)?;
            let kept: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| futures[i].peek().is_some_and(|r| r.is_ok()))
                .collect();
            input_order = kept.windows(2).all(|w| w[0] < w[1]);
        }
    }
    pool.close();
    pool.join()?;
    let lost = items.len() - results.len();
    Ok(PoolCallsOutput {
        mode: mode_name(mode).into(),
        returned_ms,
        blocked,
        results,
        input_order,
        raised,
        lost,
    })
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Map => "map",
        Mode::Apply => "apply",
        Mode::MapAsync => "map_async",
        Mode::ApplyAsync => "apply_async",
    }
}
