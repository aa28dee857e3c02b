//! The notes' site downloads: sync, a thread pool, asyncio.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::net::blocking::{Blocking, main_lane};
use crate::net::client::{FetchError, Fetcher, IoRuntime, PerThread, Request};
use crate::net::marks::TaskMarks;
use crate::net::target::Target;
use crate::runtime::{
    Control, EventLoop, Interrupted, JobError, JobResult, PyFuture, TaskError, ThreadPool,
    WorkerCtx, aio,
};
use crate::trace::{EventKind, LaneId, Tracer, UnitId};

/// Modes and options of `download`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "download",
    title: "Downloading many sites",
    pane: PaneKind::Waterfall,
    modes: &[
        Choice {
            name: "sync",
            help: "one session, one request after another",
        },
        Choice {
            name: "threads",
            help: "a thread pool, one session per thread",
        },
        Choice {
            name: "async",
            help: "tasks on one event loop",
        },
    ],
    options: &[
        OptSpec {
            name: "count",
            help: "how many downloads",
            kind: OptKind::Int {
                min: 1,
                max: 10_000,
            },
            default: "160",
        },
        OptSpec {
            name: "latency",
            help: "server latency per request, ms",
            kind: OptKind::Int { min: 0, max: 5_000 },
            default: "100",
        },
        OptSpec {
            name: "jitter",
            help: "random extra latency up to, ms",
            kind: OptKind::Int { min: 0, max: 5_000 },
            default: "0",
        },
        OptSpec {
            name: "workers",
            help: "threads (0: Python's default, cores + 4) or async concurrency limit (0: none)",
            kind: OptKind::Int {
                min: 0,
                max: 10_000,
            },
            default: "0",
        },
        OptSpec {
            name: "fail-rate",
            help: "share of requests the server fails",
            kind: OptKind::Float { min: 0.0, max: 1.0 },
            default: "0",
        },
        OptSpec {
            name: "online",
            help: "download the real sites",
            kind: OptKind::Bool,
            default: "false",
        },
    ],
};

/// The downloads of one run, counted.
#[derive(Debug, Default)]
struct Tally {
    downloaded: u64,
    failed: u64,
    bytes: u64,
    errors: BTreeMap<&'static str, u64>,
    interrupted: bool,
    /// Why nothing worked at all, when the reason is a missing network.
    offline: Option<String>,
}

impl Tally {
    fn ok(&mut self, bytes: u64) {
        self.downloaded += 1;
        self.bytes += bytes;
    }

    fn fail(&mut self, target: &Target, e: &FetchError) {
        self.failed += 1;
        *self.errors.entry(e.class()).or_default() += 1;
        if self.downloaded == 0 && self.offline.is_none() {
            self.offline = target.offline_hint(e);
        }
    }
}

/// Downloads the sites; the result counts successes and failures.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let count = req.int("count").max(0) as usize;
    let workers = req.int("workers").max(0) as usize;
    let ms = |name: &str| Duration::from_millis(req.int(name).max(0) as u64);
    let target = if req.flag("online") {
        Target::online()
    } else {
        Target::offline(ms("latency"), ms("jitter"), req.float("fail-rate"))?
    };
    let target = Arc::new(target);
    let urls: Vec<String> = (0..count).map(|i| target.site_url(i)).collect();
    let began = Instant::now();
    let tally = match req.mode {
        "sync" => sync(&target, &urls, tracer, control)?,
        "threads" => threads(&target, &urls, workers, tracer, control)?,
        "async" => asyncio(&target, urls, workers, tracer, control)?,
        other => anyhow::bail!("download has no mode `{other}`"),
    };
    let seconds = began.elapsed().as_secs_f64();
    if tally.downloaded == 0
        && let Some(why) = &tally.offline
    {
        anyhow::bail!("{why}");
    }
    if tally.interrupted {
        let done = tally.downloaded + tally.failed;
        return Err(
            anyhow::Error::new(Interrupted).context(format!("after {done} of {count} downloads"))
        );
    }
    let failed = match tally.failed {
        0 => String::new(),
        n => format!(" ({n} failed)"),
    };
    let text = format!(
        "Downloaded {} in {seconds:.2} seconds{failed}",
        tally.downloaded
    );
    tracer.emit(0, EventKind::Output { text });
    let ended = (tally.downloaded + tally.failed) as f64;
    Ok(json!({
        "downloaded": tally.downloaded,
        "failed": tally.failed,
        "bytes": tally.bytes,
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "requests_per_s": (ended / seconds.max(1e-9) * 10.0).round() / 10.0,
        "errors": tally.errors,
    }))
}

/// The notes' first version: one session, one request after another, on the
/// main thread (lane 0).
fn sync(
    target: &Target,
    urls: &[String],
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Tally> {
    let io = IoRuntime::new()?;
    let session = Fetcher::new(target.limits(), !target.is_online())?;
    let client = Blocking {
        io: &io,
        target,
        tracer,
        control,
    };
    let lane = 0;
    main_lane(tracer);
    let mut tally = Tally::default();
    for url in urls {
        if control.checkpoint(lane).is_err() {
            tally.interrupted = true;
            break;
        }
        let unit = tracer.next_unit();
        tracer.emit(
            lane,
            EventKind::Spawned {
                unit,
                label: url.clone(),
            },
        );
        tracer.emit(lane, EventKind::Started { unit });
        match client.fetch(&session, lane, unit, url, false) {
            Ok(got) => {
                tally.ok(got.bytes);
                report_ok(tracer, lane, unit, url, got.bytes);
            }
            Err(FetchError::Interrupted) => {
                tracer.emit(lane, EventKind::Cancelled { unit });
                tally.interrupted = true;
                break;
            }
            Err(e) => {
                tally.fail(target, &e);
                report_failed(tracer, lane, unit, url, &e);
                if tally.offline.is_some() {
                    // No network: the other requests would fail the same way.
                    break;
                }
            }
        }
    }
    tracer.emit(
        lane,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
    Ok(tally)
}

/// A download's value, shown as the unit's result.
#[derive(Clone, Copy)]
struct Read(u64);

impl fmt::Debug for Read {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0)
    }
}

/// The notes' `ThreadPoolExecutor` version: `workers` threads, each with its
/// own session (the notes' `threading.local()`), sharing one I/O thread that
/// drives the sockets.
fn threads(
    target: &Arc<Target>,
    urls: &[String],
    workers: usize,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Tally> {
    let io = Arc::new(IoRuntime::new()?);
    let sessions: Arc<PerThread<Fetcher>> = Arc::new(PerThread::new());
    let tally = Arc::new(Mutex::new(Tally::default()));
    main_lane(tracer);
    let mut pool = ThreadPool::builder(pool_size(workers))
        .name("worker")
        .build(tracer, control);
    let futures: Vec<PyFuture<Read>> = urls
        .iter()
        .map(|url| {
            let (io, sessions, tally) = (io.clone(), sessions.clone(), tally.clone());
            let (target, url) = (target.clone(), url.clone());
            let (tracer, control) = (tracer.clone(), control.clone());
            pool.submit(url.clone(), move |ctx: &WorkerCtx| {
                ctx.checkpoint()?;
                let session = sessions
                    .get_or_try_init(|| Fetcher::new(target.limits(), !target.is_online()))
                    .map_err(JobError::exception)?;
                let client = Blocking {
                    io: &io,
                    target: &target,
                    tracer: &tracer,
                    control: &control,
                };
                match client.fetch(&session, ctx.lane(), ctx.unit(), &url, false) {
                    Ok(got) => {
                        lock(&tally).ok(got.bytes);
                        ctx.print(format!("Read {} from {url}", got.bytes));
                        Ok(Read(got.bytes))
                    }
                    Err(FetchError::Interrupted) => Err(JobError::Interrupted),
                    Err(e) => {
                        lock(&tally).fail(&target, &e);
                        ctx.print(format!("Failed {url}: {e}"));
                        Err(JobError::exception(e))
                    }
                }
            })
        })
        .collect();
    for f in &futures {
        f.wait(None);
    }
    pool.shutdown(true, false);
    tracer.emit(
        0,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
    let mut tally = std::mem::take(&mut *lock(&tally));
    tally.interrupted |= control.all_interrupted();
    Ok(tally)
}

/// Threads for `workers`: 0 is Python's `ThreadPoolExecutor` default,
/// `min(32, cores + 4)`; more than [`MAX_THREADS`] are not started.
fn pool_size(workers: usize) -> usize {
    match workers {
        0 => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            (cores + 4).min(32)
        }
        n => n.min(MAX_THREADS),
    }
}

/// The most worker threads a run starts: each is an OS thread.
pub const MAX_THREADS: usize = 512;

/// Above this many async downloads the bare client replaces reqwest, so
/// that 10,000 concurrent requests stay within the app's memory budget.
pub const LITE_ABOVE: usize = 1_000;

/// The notes' asyncio version: one task per download on one event loop,
/// sharing one session; all at once, or at most `limit` at a time (a
/// semaphore) when `limit` is not 0.
fn asyncio(
    target: &Arc<Target>,
    urls: Vec<String>,
    limit: usize,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Tally> {
    let lp = EventLoop::new(tracer, control)?;
    let tally = Rc::new(RefCell::new(Tally::default()));
    let (target2, tally2, tracer2, control2) = (
        target.clone(),
        tally.clone(),
        tracer.clone(),
        control.clone(),
    );
    let lite = !target.is_online() && urls.len() > LITE_ABOVE;
    if lite {
        let text = format!(
            "{} requests: using racecourse's bare HTTP client (about 1 KB a request while it waits; reqwest keeps about 15 KB)",
            urls.len()
        );
        tracer.emit(0, EventKind::Output { text });
    }
    let main = async move {
        let session = if lite {
            Fetcher::lite(target2.limits())
        } else {
            Fetcher::new(target2.limits(), !target2.is_online()).map_err(JobError::exception)?
        };
        let limit = (limit > 0).then(|| aio::Semaphore::new("limit", limit));
        let tasks: Vec<_> = urls
            .into_iter()
            .map(|url| {
                let one = download_one(
                    session.clone(),
                    url.clone(),
                    target2.clone(),
                    tracer2.clone(),
                    control2.clone(),
                    limit.clone(),
                    tally2.clone(),
                );
                aio::create_task(url, one)
            })
            .collect();
        aio::gather_settled(tasks).await;
        Ok(())
    };
    let outcome = lp.block_on(main);
    let mut tally = tally.take();
    match outcome {
        Ok(()) => {}
        Err(TaskError::Cancelled) => tally.interrupted = true,
        Err(TaskError::Exception(e)) => anyhow::bail!("{e}"),
    }
    tally.interrupted |= control.all_interrupted();
    Ok(tally)
}

async fn download_one(
    session: Fetcher,
    url: String,
    target: Arc<Target>,
    tracer: Tracer,
    control: Control,
    limit: Option<aio::Semaphore>,
    tally: Rc<RefCell<Tally>>,
) -> JobResult<Read> {
    aio::checkpoint().await?;
    let _permit = match &limit {
        Some(s) => Some(s.acquire().await?),
        None => None,
    };
    let real = target.request_url(&url, &control);
    let req = Request {
        url: &real,
        keep_body: false,
        timeout: Some(target.timeout(&control)),
    };
    let mut marks = TaskMarks::new(&tracer, &url);
    match session.get(&req, &mut marks).await {
        Ok(got) => {
            tally.borrow_mut().ok(got.bytes);
            aio::print(format!("Read {} from {url}", got.bytes));
            Ok(Read(got.bytes))
        }
        Err(e) => {
            tally.borrow_mut().fail(&target, &e);
            aio::print(format!("Failed {url}: {e}"));
            Err(JobError::exception(e))
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn report_ok(tracer: &Tracer, lane: LaneId, unit: UnitId, url: &str, bytes: u64) {
    let value = format!("{bytes} bytes");
    tracer.emit(lane, EventKind::Finished { unit, value });
    let text = format!("Read {bytes} from {url}");
    tracer.emit(lane, EventKind::Output { text });
}

fn report_failed(tracer: &Tracer, lane: LaneId, unit: UnitId, url: &str, e: &FetchError) {
    let error = e.to_string();
    tracer.emit(lane, EventKind::Failed { unit, error });
    let text = format!("Failed {url}: {e}");
    tracer.emit(lane, EventKind::Output { text });
}
