//! One workload (I/O-like waits or CPU work) on threads, tasks and processes.
//!
//! The same jobs run on the thread pool (with or without the simulated
//! GIL), as tasks on one event loop, or on the process pool. Each job prints
//! when it is done, as the notes' examples do; the result gives the wall
//! time, when each job finished, and for CPU work the total hash rate.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::Serialize;

use super::{Example, Modes, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::jobs::{self, Job};
use crate::runtime::{
    Control, EventLoop, FutureError, Gil, JobError, JobResult, ProcessPool, TaskError, ThreadPool,
    aio,
};
use crate::trace::{EventKind, Micros, Tracer};

crate::modes! {
    /// The three ways to run many things.
    pub enum Mode {
        Threads = "threads": "pre-emptive: a thread pool, the OS switches",
        Async = "async": "cooperative: tasks on one event loop",
        Processes = "processes": "parallel: a pool of OS processes",
    }
}

crate::options! {
    /// Options of `three-ways`.
    pub struct ThreeWaysOptions {
        workload: String = "workload", "io", OptKind::OneOf(&["io", "cpu"]),
            "io (waits) or cpu (hashing)";
        tasks: usize = "tasks", "8", OptKind::Int { min: 1, max: 64 }, "how many jobs";
        workers: usize = "workers", "4", OptKind::Int { min: 1, max: 32 },
            "threads or processes in the pool", keys('-', '+', Step::Add(1)),
            modes("threads", "processes");
        wait_ms: u64 = "wait-ms", "500", OptKind::Int { min: 1, max: 10_000 }, "I/O wait per job";
        hashes: u64 = "hashes", "2000000", OptKind::Int { min: 1_000, max: 100_000_000 },
            "SHA-256 hashes per CPU job";
        gil: bool = "gil", "true", OptKind::Bool, "threads hold a simulated GIL, as CPython",
            modes("threads");
        yield_every: u64 = "yield-every", "65536", OptKind::Int { min: 0, max: 100_000_000 },
            "async CPU tasks yield every N hashes (0: never, the loop blocks)", modes("async");
    }
}

/// One workload on threads, tasks and processes.
pub struct ThreeWays;

impl Example for ThreeWays {
    type Mode = Mode;
    type Options = ThreeWaysOptions;
    type Output = ThreeWaysOutput;
    const NAME: &'static str = "three-ways";
    const TITLE: &'static str = "Threads, tasks and processes on one workload";

    fn pane(mode: Mode) -> PaneKind {
        match mode {
            Mode::Async => PaneKind::Tasks,
            Mode::Threads | Mode::Processes => PaneKind::Lanes,
        }
    }

    fn start(mode: Mode, options: ThreeWaysOptions, ctx: RunCtx) -> Work<ThreeWaysOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// How the jobs went.
#[derive(Debug, Clone, Serialize)]
pub struct ThreeWaysOutput {
    pub mode: &'static str,
    pub workload: &'static str,
    pub jobs: usize,
    /// Jobs cancelled by an interrupt of their lane alone (`x`).
    pub cancelled: usize,
    pub workers: usize,
    pub wall_ms: f64,
    pub done_at_ms: Vec<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gil: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hashes_per_s: Option<f64>,
}

impl super::Output for ThreeWaysOutput {
    fn summary(&self) -> String {
        let ran = match self.cancelled {
            0 => self.jobs.to_string(),
            n => format!("{}/{}", self.jobs - n, self.jobs),
        };
        let mut line = format!(
            "{ran} {} jobs in {:.2} s on {} {}",
            self.workload,
            self.wall_ms / 1000.0,
            self.workers,
            if self.mode == "async" {
                "event loop"
            } else if self.workers == 1 {
                "worker"
            } else {
                "workers"
            }
        );
        if let Some(r) = self.hashes_per_s {
            let _ = write!(line, ", {:.2} M hashes/s", r / 1e6);
        }
        if self.cancelled > 0 {
            let _ = write!(line, "; {} cancelled by x", self.cancelled);
        }
        line
    }
}

/// The work of one job.
#[derive(Debug, Clone, Copy)]
enum Workload {
    Io { wait: Duration },
    Cpu { hashes: u64, yield_every: u64 },
}

impl Workload {
    fn from(options: &ThreeWaysOptions) -> Workload {
        match options.workload.as_str() {
            "cpu" => Workload::Cpu {
                hashes: options.hashes,
                yield_every: options.yield_every,
            },
            _ => Workload::Io {
                wait: Duration::from_millis(options.wait_ms),
            },
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Workload::Io { .. } => "io",
            Workload::Cpu { .. } => "cpu",
        }
    }

    fn job(&self) -> Job {
        match *self {
            Workload::Io { wait } => Job::Sleep {
                ms: Micros::from_duration(wait).as_whole_ms(),
            },
            Workload::Cpu { hashes, .. } => Job::Spin { hashes },
        }
    }
}

/// Runs the workload in the chosen mode.
pub fn run(
    mode: Mode,
    options: &ThreeWaysOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ThreeWaysOutput> {
    let work = Workload::from(options);
    let jobs = options.tasks.max(1);
    let workers = options.workers.max(1);
    let gil = options.gil;
    let start = Instant::now();
    let ((done_at, cancelled), how) = match mode {
        Mode::Threads => (
            on_threads(work, jobs, workers, gil, start, tracer, control)?,
            format!(
                "{workers} threads{}",
                if gil { " (GIL)" } else { " (no GIL)" }
            ),
        ),
        Mode::Async => (
            on_event_loop(work, jobs, start, tracer, control)?,
            "tasks on one event loop".to_string(),
        ),
        Mode::Processes => (
            on_processes(work, jobs, workers, start, tracer, control)?,
            format!("{workers} processes"),
        ),
    };
    let wall = start.elapsed();
    let ran = jobs - cancelled;
    let but = match cancelled {
        0 => String::new(),
        n => format!(" ({n} cancelled)"),
    };
    tracer.emit(
        0,
        EventKind::Output {
            text: format!(
                "Ran {ran} {} jobs on {how} in {:.2} s{but}",
                work.name(),
                wall.as_secs_f64()
            ),
        },
    );
    let hashes_per_s = match work {
        Workload::Cpu { hashes, .. } => {
            Some(((hashes * ran as u64) as f64 / wall.as_secs_f64().max(1e-9)).round())
        }
        Workload::Io { .. } => None,
    };
    Ok(ThreeWaysOutput {
        mode: Modes::name(mode),
        workload: work.name(),
        jobs,
        cancelled,
        workers: if mode == Mode::Async { 1 } else { workers },
        wall_ms: ms(wall),
        done_at_ms: done_at.iter().map(|d| ms(*d)).collect(),
        gil: (mode == Mode::Threads).then_some(gil),
        hashes_per_s,
    })
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

/// When a job finished, as its future's value: shown in panes as a person
/// reads it, not as a `Duration`'s `Debug`.
#[derive(Clone, Copy)]
struct DoneAt(Duration);

impl std::fmt::Debug for DoneAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "done at {:.2} s", self.0.as_secs_f64())
    }
}

fn done_line(i: usize, at: Duration) -> String {
    format!("job {i} done at {:.2} s", at.as_secs_f64())
}

/// When the jobs that ended ended, and how many one lane's interrupt
/// (`x`) cancelled.
type Ended = (Vec<Duration>, usize);

/// `ThreadPoolExecutor(max_workers)`: one `submit` per job, then each
/// future's result in turn. Unlike `map`, whose first exception ends the
/// iteration and cancels the queued jobs, a job cancelled by `x` on its
/// lane leaves the others running.
fn on_threads(
    work: Workload,
    jobs: usize,
    workers: usize,
    gil: bool,
    start: Instant,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Ended> {
    let pool = ThreadPool::builder(workers)
        .maybe_gil(gil.then(Gil::new))
        .build(tracer, control);
    let futures: Vec<_> = (0..jobs)
        .map(|i| {
            pool.submit(format!("job {i}"), move |ctx| {
                let mut io = ctx;
                work.job().run(&mut io)?;
                let at = start.elapsed();
                ctx.print(done_line(i, at));
                Ok(DoneAt(at))
            })
        })
        .collect();
    let mut ended = (Vec::new(), 0);
    for f in &futures {
        match f.result() {
            Ok(d) => ended.0.push(d.0),
            Err(FutureError::Cancelled) if !control.all_interrupted() => ended.1 += 1,
            Err(e) => {
                for f in &futures {
                    f.cancel();
                }
                return Err(interrupted_or(e));
            }
        }
    }
    Ok(ended)
}

/// `asyncio.gather(*(job(i) for i in range(jobs)))`.
fn on_event_loop(
    work: Workload,
    jobs: usize,
    start: Instant,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Ended> {
    let lp = EventLoop::new(tracer, control).context("could not start the event loop")?;
    let ctl = control.clone();
    let r = lp.block_on(async move {
        let tasks: Vec<_> = (0..jobs)
            .map(|i| {
                let ctl = ctl.clone();
                aio::create_task(format!("job {i}"), async move {
                    match work {
                        Workload::Io { wait } => aio::sleep(wait).await?,
                        Workload::Cpu {
                            hashes,
                            yield_every,
                        } => hash_cooperatively(hashes, yield_every, &ctl).await?,
                    }
                    let at = start.elapsed();
                    aio::print(done_line(i, at));
                    Ok(DoneAt(at))
                })
            })
            .collect();
        // `return_exceptions=True`: a task cancelled by `x` on its lane
        // does not end the gather, the others run on.
        Ok(aio::gather_settled(tasks).await)
    });
    let all = r.map_err(|e| match e {
        TaskError::Cancelled => anyhow::anyhow!("interrupted (KeyboardInterrupt)"),
        TaskError::Exception(e) => anyhow::anyhow!(e),
    })?;
    let mut ended = (Vec::new(), 0);
    for one in all {
        match one {
            Ok(d) => ended.0.push(d.0),
            Err(TaskError::Cancelled) if !control.all_interrupted() => ended.1 += 1,
            Err(TaskError::Cancelled) => anyhow::bail!("interrupted (KeyboardInterrupt)"),
            Err(TaskError::Exception(e)) => anyhow::bail!(e),
        }
    }
    Ok(ended)
}

/// CPU work as a task: hashes in slices of `yield_every`, giving the loop
/// back between slices; with 0 it never yields and the loop is blocked
/// (still stoppable by Ctrl-C, as CPython checks signals between bytecodes).
async fn hash_cooperatively(hashes: u64, yield_every: u64, control: &Control) -> JobResult<()> {
    let mut done = 0;
    let mut sent = Instant::now();
    while done < hashes {
        let slice = match yield_every {
            0 => hashes - done,
            n => n.min(hashes - done),
        };
        let (n, stopped) = jobs::spin(slice, &mut |n| {
            if sent.elapsed() >= Duration::from_millis(10) {
                sent = Instant::now();
                aio::progress(done + n);
            }
            !control.all_interrupted()
        });
        done += n;
        if stopped {
            return Err(JobError::Interrupted);
        }
        aio::progress(done);
        if yield_every > 0 {
            aio::checkpoint().await?;
            aio::yield_now().await;
        }
    }
    Ok(())
}

/// `Pool(processes).map_async(job, range(jobs))`.
fn on_processes(
    work: Workload,
    jobs: usize,
    workers: usize,
    start: Instant,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Ended> {
    let mut pool =
        ProcessPool::new(workers, tracer, control).context("could not find our own program")?;
    // Worker processes do not see the time scale: send scaled waits.
    let job = match work {
        Workload::Io { wait } => Job::Sleep {
            ms: Micros::from_duration(control.scaled(wait)).as_whole_ms(),
        },
        Workload::Cpu { .. } => work.job(),
    };
    let futures = pool.map_async((0..jobs).map(|_| job.clone()));
    let mut done_at = vec![None; jobs];
    let mut cancelled = vec![false; jobs];
    // Note each job's end as it happens, whatever the order.
    while (0..jobs).any(|i| done_at[i].is_none() && !cancelled[i]) {
        for (i, f) in futures.iter().enumerate() {
            if done_at[i].is_none() && !cancelled[i] && f.wait(Some(Duration::from_millis(1))) {
                match f.result() {
                    Ok(_) => {}
                    // `x` killed its process: the pool replaced it, the
                    // other jobs go on.
                    Err(FutureError::Cancelled) if !control.all_interrupted() => {
                        cancelled[i] = true;
                        continue;
                    }
                    Err(e) => return Err(interrupted_or(e)),
                }
                let at = start.elapsed();
                tracer.emit(
                    0,
                    EventKind::Output {
                        text: done_line(i, at),
                    },
                );
                done_at[i] = Some(at);
            }
        }
    }
    pool.close();
    pool.join()?;
    let n = cancelled.iter().filter(|&&c| c).count();
    Ok((done_at.into_iter().flatten().collect(), n))
}

fn interrupted_or(e: FutureError) -> anyhow::Error {
    match e {
        FutureError::Cancelled => anyhow::anyhow!("interrupted (KeyboardInterrupt)"),
        other => anyhow::anyhow!(other),
    }
}

#[cfg(test)]
mod tests;
