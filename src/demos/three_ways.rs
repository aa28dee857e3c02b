//! One workload (I/O-like waits or CPU work) on threads, tasks and processes.
//!
//! The same jobs run on the thread pool (with or without the simulated
//! GIL), as tasks on one event loop, or on the process pool. Each job prints
//! when it is done, as the notes' examples do; the result gives the wall
//! time, when each job finished, and for CPU work the total hash rate.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::json;

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::jobs::{self, Job};
use crate::runtime::{
    Control, EventLoop, FutureError, Gil, JobError, JobResult, ProcessPool, TaskError, ThreadPool,
    aio,
};
use crate::trace::{EventKind, Tracer};

/// Modes and options of `three-ways`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "three-ways",
    title: "Threads, tasks and processes on one workload",
    pane: PaneKind::Compare,
    modes: &[
        Choice {
            name: "threads",
            help: "pre-emptive: a thread pool, the OS switches",
        },
        Choice {
            name: "async",
            help: "cooperative: tasks on one event loop",
        },
        Choice {
            name: "processes",
            help: "parallel: a pool of OS processes",
        },
    ],
    options: &[
        OptSpec {
            name: "workload",
            help: "io (waits) or cpu (hashing)",
            kind: OptKind::OneOf(&["io", "cpu"]),
            default: "io",
        },
        OptSpec {
            name: "tasks",
            help: "how many jobs",
            kind: OptKind::Int { min: 1, max: 64 },
            default: "8",
        },
        OptSpec {
            name: "workers",
            help: "threads or processes in the pool",
            kind: OptKind::Int { min: 1, max: 32 },
            default: "4",
        },
        OptSpec {
            name: "wait-ms",
            help: "I/O wait per job",
            kind: OptKind::Int {
                min: 1,
                max: 10_000,
            },
            default: "500",
        },
        OptSpec {
            name: "hashes",
            help: "SHA-256 hashes per CPU job",
            kind: OptKind::Int {
                min: 1_000,
                max: 100_000_000,
            },
            default: "2000000",
        },
        OptSpec {
            name: "gil",
            help: "threads hold a simulated GIL, as CPython",
            kind: OptKind::Bool,
            default: "true",
        },
        OptSpec {
            name: "yield-every",
            help: "async CPU tasks yield every N hashes (0: never, the loop blocks)",
            kind: OptKind::Int {
                min: 0,
                max: 100_000_000,
            },
            default: "65536",
        },
    ],
};

/// The work of one job.
#[derive(Debug, Clone, Copy)]
enum Workload {
    Io { wait: Duration },
    Cpu { hashes: u64, yield_every: u64 },
}

impl Workload {
    fn from(req: &DemoRequest) -> Workload {
        let int = |name| req.int(name).max(0) as u64;
        match req.text("workload") {
            "cpu" => Workload::Cpu {
                hashes: int("hashes"),
                yield_every: int("yield-every"),
            },
            _ => Workload::Io {
                wait: Duration::from_millis(int("wait-ms")),
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
                ms: wait.as_millis() as u64,
            },
            Workload::Cpu { hashes, .. } => Job::Spin { hashes },
        }
    }
}

/// Runs the workload in the chosen mode.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let work = Workload::from(req);
    let jobs = req.int("tasks").max(1) as usize;
    let workers = req.int("workers").max(1) as usize;
    let gil = req.flag("gil");
    let start = Instant::now();
    let (done_at, how) = match req.mode {
        "threads" => (
            on_threads(work, jobs, workers, gil, start, tracer, control)?,
            format!(
                "{workers} threads{}",
                if gil { " (GIL)" } else { " (no GIL)" }
            ),
        ),
        "async" => (
            on_event_loop(work, jobs, start, tracer, control)?,
            "tasks on one event loop".to_string(),
        ),
        "processes" => (
            on_processes(work, jobs, workers, start, tracer, control)?,
            format!("{workers} processes"),
        ),
        other => bail!("three-ways has no mode `{other}`"),
    };
    let wall = start.elapsed();
    tracer.emit(
        0,
        EventKind::Output {
            text: format!(
                "Ran {jobs} {} jobs on {how} in {:.2} s",
                work.name(),
                wall.as_secs_f64()
            ),
        },
    );
    let mut result = json!({
        "mode": req.mode,
        "workload": work.name(),
        "jobs": jobs,
        "workers": if req.mode == "async" { 1 } else { workers },
        "wall_ms": ms(wall),
        "done_at_ms": done_at.iter().map(|d| ms(*d)).collect::<Vec<_>>(),
    });
    if req.mode == "threads" {
        result["gil"] = gil.into();
    }
    if let Workload::Cpu { hashes, .. } = work {
        let rate = (hashes * jobs as u64) as f64 / wall.as_secs_f64().max(1e-9);
        result["hashes_per_s"] = rate.round().into();
    }
    Ok(result)
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

fn done_line(i: usize, at: Duration) -> String {
    format!("job {i} done at {:.2} s", at.as_secs_f64())
}

/// `ThreadPoolExecutor(max_workers).map(job, range(jobs))`.
fn on_threads(
    work: Workload,
    jobs: usize,
    workers: usize,
    gil: bool,
    start: Instant,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Vec<Duration>> {
    let pool = ThreadPool::builder(workers)
        .maybe_gil(gil.then(Gil::new))
        .build(tracer, control);
    let results = pool.map(
        |i| format!("job {i}"),
        0..jobs,
        move |ctx, i| {
            let mut io = ctx;
            work.job().run(&mut io)?;
            let at = start.elapsed();
            ctx.print(done_line(i, at));
            Ok(at)
        },
    );
    results
        .map(|r| r.map_err(interrupted_or))
        .collect::<Result<_, _>>()
}

/// `asyncio.gather(*(job(i) for i in range(jobs)))`.
fn on_event_loop(
    work: Workload,
    jobs: usize,
    start: Instant,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Vec<Duration>> {
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
                    Ok(at)
                })
            })
            .collect();
        aio::gather(tasks).await.map_err(aio::reraise)
    });
    r.map_err(|e| match e {
        TaskError::Cancelled => anyhow::anyhow!("interrupted (KeyboardInterrupt)"),
        TaskError::Exception(e) => anyhow::anyhow!(e),
    })
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
) -> anyhow::Result<Vec<Duration>> {
    let mut pool =
        ProcessPool::new(workers, tracer, control).context("could not find our own program")?;
    // Worker processes do not see the time scale: send scaled waits.
    let job = match work {
        Workload::Io { wait } => Job::Sleep {
            ms: control.scaled(wait).as_millis() as u64,
        },
        Workload::Cpu { .. } => work.job(),
    };
    let futures = pool.map_async((0..jobs).map(|_| job.clone()));
    let mut done_at = vec![None; jobs];
    // Note each job's end as it happens, whatever the order.
    while done_at.iter().any(Option::is_none) {
        for (i, f) in futures.iter().enumerate() {
            if done_at[i].is_none() && f.wait(Some(Duration::from_millis(1))) {
                f.result().map_err(interrupted_or)?;
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
    Ok(done_at.into_iter().flatten().collect())
}

fn interrupted_or(e: FutureError) -> anyhow::Error {
    match e {
        FutureError::Cancelled => anyhow::anyhow!("interrupted (KeyboardInterrupt)"),
        other => anyhow::anyhow!(other),
    }
}

#[cfg(test)]
mod tests;
