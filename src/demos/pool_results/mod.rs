//! `ThreadPoolExecutor`'s two ways of giving results back, and the
//! exception a pool hides.
//!
//! - `map`: results in the order the jobs were submitted; the first
//!   exception is re-raised in the main thread when its result is reached.
//! - `as-completed`: `submit` each job, then `as_completed`: results as
//!   the jobs finish; the exception comes up when its job has finished.
//! - `hidden-exception`: the notes' alert, a function that takes no
//!   argument submitted with one. Each call raises `TypeError` inside its
//!   future, and nobody asks: the program ends as if all went well.
//! - `result`: the same, then `futures[0].result()` re-raises it.

use std::time::Duration;

use serde::Serialize;

use super::thread_start::thread::{MainThread, POLL, Process};
use super::{Example, Modes, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::{
    Control, FutureError, Interrupted, JobResult, PyFuture, ThreadPool, WorkerCtx,
};
use crate::trace::{BlockOn, Tracer};

crate::modes! {
    /// How the results are asked for.
    pub enum Mode {
        Map = "map": "executor.map: results in submission order, an exception re-raised when reached",
        AsCompleted = "as-completed": "submit + as_completed: results as the jobs finish",
        HiddenException = "hidden-exception": "submit(task, i) to a task() that takes no argument; nobody asks",
        Result = "result": "the same, then futures[0].result() asks and re-raises",
    }
}

crate::options! {
    /// Options of `pool-results`.
    pub struct PoolResultsOptions {
        workers: usize = "workers", "5", OptKind::Int { min: 1, max: 8 },
            "max_workers of the pool", keys('-', '+', Step::Add(1));
        jobs: usize = "jobs", "5", OptKind::Int { min: 1, max: 8 },
            "jobs submitted: job i sleeps (jobs - i) x step-ms, so job 0 is the slowest";
        step_ms: u64 = "step-ms", "300", OptKind::Int { min: 0, max: 5_000 },
            "how much longer each job sleeps than the next one";
        fail: i64 = "fail", "-1", OptKind::Int { min: -1, max: 7 },
            "the job that raises ValueError after its sleep (-1: none)";
    }
}

/// `ThreadPoolExecutor`: map, `as_completed`, hidden exceptions.
pub struct PoolResults;

impl Example for PoolResults {
    type Mode = Mode;
    type Options = PoolResultsOptions;
    type Output = PoolResultsOutput;
    const NAME: &'static str = "pool-results";
    const TITLE: &'static str = "ThreadPoolExecutor: map, as_completed";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Lanes
    }

    fn start(mode: Mode, options: PoolResultsOptions, ctx: RunCtx) -> Work<PoolResultsOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// An exception that reached the main thread.
#[derive(Debug, Clone, Serialize)]
pub struct Raised {
    pub error: String,
    /// Results the main thread had printed before it.
    pub after_results: usize,
    /// The job whose exception it was, when a job raised it.
    pub job: Option<usize>,
}

/// What the main thread printed, what it raised, what stayed hidden.
#[derive(Debug, Clone, Serialize)]
pub struct PoolResultsOutput {
    pub mode: &'static str,
    /// The results, in the order the main thread printed them.
    pub printed: Vec<String>,
    pub raised: Option<Raised>,
    /// Exceptions still sitting in futures nobody asked, one per future.
    pub hidden: Vec<String>,
}

impl super::Output for PoolResultsOutput {
    fn summary(&self) -> String {
        let results = match self.printed.len() {
            1 => "1 result".to_string(),
            n => format!("{n} results"),
        };
        match (&self.raised, self.hidden.len()) {
            (Some(r), _) => format!("{results}, then main raised {}", r.error),
            (None, 0) => format!("{results}, no exception"),
            (None, n) => format!("{n} exceptions in futures, never asked: {}", self.hidden[0]),
        }
    }
}

impl PoolResultsOutput {
    /// Job `job`'s exception reached the main thread.
    fn raise(&mut self, error: String, job: usize) {
        self.raised = Some(Raised {
            error,
            after_results: self.printed.len(),
            job: Some(job),
        });
    }
}

/// The text CPython gives the notes' mistake.
pub const TYPE_ERROR: &str = "TypeError: task() takes 0 positional arguments but 1 was given";

/// `job(i)`: sleeps `(jobs - i) × step`, raises if `i == fail`, returns
/// `"result of job i"`.
fn job(ctx: &WorkerCtx, i: usize, o: &PoolResultsOptions) -> JobResult<String> {
    let steps = u32::try_from(o.jobs - i).unwrap_or(u32::MAX);
    ctx.sleep(Duration::from_millis(o.step_ms) * steps)?;
    if i64::try_from(i).is_ok_and(|i| i == o.fail) {
        return Err(format!("ValueError: job {i} failed").into());
    }
    Ok(format!("result of job {i}"))
}

/// Runs the example in `mode`.
pub fn run(
    mode: Mode,
    options: &PoolResultsOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<PoolResultsOutput> {
    let p = Process::new(tracer, control);
    let mut main = MainThread::start(tracer, control, &p.out);
    let mut out = PoolResultsOutput {
        mode: mode.name(),
        printed: Vec::new(),
        raised: None,
        hidden: Vec::new(),
    };
    // `with ThreadPoolExecutor(max_workers) as executor:`
    let mut pool = ThreadPool::builder(options.workers).build(tracer, control);
    let futures = match mode {
        Mode::Map => map(&pool, &mut main, options, &mut out),
        Mode::AsCompleted => as_completed(&pool, &mut main, options, &mut out),
        Mode::HiddenException | Mode::Result => Ok(hidden(&pool, options)),
    };
    // Leaving the `with` block: shutdown(wait=True), even on an exception.
    main.wait(BlockOn::other("shutdown"), || pool.shutdown(true, false));
    let Ok(futures) = futures else {
        main.cancel();
        return Err(Interrupted.into());
    };
    if control.all_interrupted() {
        main.cancel();
        return Err(Interrupted.into());
    }
    if matches!(mode, Mode::HiddenException | Mode::Result) {
        main.print("Main: all done");
        if mode == Mode::Result {
            // `futures[0].result()`
            let first = &futures[0];
            let r = main.wait(
                BlockOn::Task {
                    name: "result()".into(),
                },
                || first.result(),
            );
            if let Err(FutureError::Exception(e)) = r {
                out.raise(e, 0);
            }
        }
        let asked = usize::from(out.raised.is_some());
        out.hidden = futures
            .iter()
            .skip(asked)
            .filter_map(|f| f.exception().ok().flatten())
            .collect();
    }
    // An exception that reached the main thread ends it, uncaught.
    if let Some(r) = &out.raised {
        main.print(r.error.clone());
        main.raise(&r.error);
    }
    main.exit();
    Ok(out)
}

type Futures = Vec<PyFuture<String>>;

/// `for r in executor.map(job, range(jobs)): print(r)`.
fn map(
    pool: &ThreadPool,
    main: &mut MainThread,
    o: &PoolResultsOptions,
    out: &mut PoolResultsOutput,
) -> Result<Futures, Interrupted> {
    let opts = o.clone();
    let mut results = pool.map(
        |i| format!("job {i}"),
        0..o.jobs,
        move |ctx, i| job(ctx, i, &opts),
    );
    let futures: Futures = results.futures().cloned().collect();
    let mut i = 0;
    loop {
        let Some(next) = results.futures().next().map(|f| f.label().to_string()) else {
            break;
        };
        // Drawn as `waiting: job 0`: the result the main thread waits on.
        let on = BlockOn::Task { name: next };
        let f = results.futures().next().cloned();
        let next = || {
            if let Some(f) = &f {
                wait_ticking(f, main);
            }
            results.next()
        };
        match main.wait(on, next) {
            Some(Ok(v)) => {
                main.print(v.clone());
                out.printed.push(v);
            }
            Some(Err(FutureError::Exception(e))) => {
                out.raise(e, i);
                break;
            }
            Some(Err(_)) => return Err(Interrupted),
            None => break,
        }
        i += 1;
    }
    Ok(futures)
}

/// `futures = [executor.submit(job, i) for i in range(jobs)]`, then
/// `for f in as_completed(futures): print(f.result())`.
fn as_completed(
    pool: &ThreadPool,
    main: &mut MainThread,
    o: &PoolResultsOptions,
    out: &mut PoolResultsOutput,
) -> Result<Futures, Interrupted> {
    let futures: Futures = (0..o.jobs)
        .map(|i| {
            let opts = o.clone();
            pool.submit(format!("job {i}"), move |ctx| job(ctx, i, &opts))
        })
        .collect();
    let mut left: Vec<(usize, PyFuture<String>)> = futures.iter().cloned().enumerate().collect();
    while !left.is_empty() {
        let on = BlockOn::Task {
            name: "any job".into(),
        };
        let (i, f) = main.wait(on, || next_done(&mut left, main))?;
        match f.result() {
            Ok(v) => {
                main.print(v.clone());
                out.printed.push(v);
            }
            Err(FutureError::Exception(e)) => {
                out.raise(e, i);
                break;
            }
            Err(_) => return Err(Interrupted),
        }
    }
    Ok(futures)
}

/// Waits for `f` to be done, keeping the main thread's clock ticking.
fn wait_ticking(f: &PyFuture<String>, main: &MainThread) {
    while !f.wait(Some(POLL)) {
        main.tick();
    }
}

/// The next future of `left` to be done, taken out of it: what
/// `as_completed` yields. Looks every few milliseconds, and for an
/// interrupt of the main thread.
fn next_done(
    left: &mut Vec<(usize, PyFuture<String>)>,
    main: &MainThread,
) -> Result<(usize, PyFuture<String>), Interrupted> {
    loop {
        if let Some(k) = left.iter().position(|(_, f)| f.done()) {
            return Ok(left.remove(k));
        }
        if main.interrupted() {
            return Err(Interrupted);
        }
        main.tick();
        if let Some((_, f)) = left.first() {
            f.wait(Some(Duration::from_millis(2)));
        }
    }
}

/// The notes' mistake: `executor.submit(task, i)` where `task()` takes no
/// argument. Rust would not compile the call, so each job raises the
/// `TypeError` CPython raises when it makes it.
fn hidden(pool: &ThreadPool, o: &PoolResultsOptions) -> Futures {
    (0..o.jobs)
        .map(|i| {
            pool.submit(
                format!("task({i})"),
                |_ctx: &WorkerCtx| -> JobResult<String> { Err(TYPE_ERROR.into()) },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests;
