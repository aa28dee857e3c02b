//! The notes' site downloads: sync, a thread pool, asyncio.

mod asyncio;
mod threads;

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Serialize;

pub use asyncio::LITE_ABOVE;
pub use threads::MAX_THREADS;

use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::net::blocking::{Blocking, main_lane};
use crate::net::client::{FetchError, Fetcher, IoRuntime};
use crate::net::target::Target;
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, LaneId, Tracer, UnitId};

crate::modes! {
    /// The notes' three versions.
    pub enum Mode {
        Sync = "sync": "one session, one request after another",
        Threads = "threads": "a thread pool, one session per thread",
        Async = "async": "tasks on one event loop",
    }
}

crate::options! {
    /// Options of `download`.
    pub struct DownloadOptions {
        count: usize = "count", "160", OptKind::Int { min: 1, max: 10_000 }, "how many downloads";
        latency: u64 = "latency", "100", OptKind::Int { min: 0, max: 5_000 },
            "server latency per request, ms";
        jitter: u64 = "jitter", "0", OptKind::Int { min: 0, max: 5_000 },
            "random extra latency up to, ms";
        workers: usize = "workers", "0", OptKind::Int { min: 0, max: 10_000 },
            "threads (0: Python's default, cores + 4) or async concurrency limit (0: none)",
            keys('-', '+', Step::Add(1)), modes("threads", "async");
        fail_rate: f64 = "fail-rate", "0", OptKind::Float { min: 0.0, max: 1.0 },
            "share of requests the server fails";
        online: bool = "online", "false", OptKind::Bool, "download the real sites";
    }
}

/// The notes' site downloads.
pub struct Download;

impl Example for Download {
    type Mode = Mode;
    type Options = DownloadOptions;
    type Output = DownloadOutput;
    const NAME: &'static str = "download";
    const TITLE: &'static str = "Downloading many sites";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Waterfall
    }

    fn start(mode: Mode, options: DownloadOptions, ctx: RunCtx) -> Work<DownloadOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// The downloads of a run, counted.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadOutput {
    pub downloaded: u64,
    pub failed: u64,
    pub bytes: u64,
    pub seconds: f64,
    pub requests_per_s: f64,
    pub errors: BTreeMap<&'static str, u64>,
}

impl super::Output for DownloadOutput {
    fn summary(&self) -> String {
        let mut line = format!(
            "downloaded {} in {:.2} s ({} bytes, {:.1} requests/s)",
            self.downloaded, self.seconds, self.bytes, self.requests_per_s
        );
        if self.failed > 0 {
            let why: Vec<String> = self
                .errors
                .iter()
                .map(|(k, n)| format!("{n} {}", kind_name(k, *n)))
                .collect();
            let _ = write!(line, "; {} failed: {}", self.failed, why.join(", "));
        }
        line
    }

    fn failures(&self) -> u64 {
        self.failed
    }
}

/// A failure class (`FetchError::class`) in words, for `n` of them.
fn kind_name(class: &str, n: u64) -> &str {
    let one = n == 1;
    match class {
        "http" if one => "HTTP error",
        "http" => "HTTP errors",
        "closed" if one => "closed connection",
        "closed" => "closed connections",
        "timeout" if one => "timeout",
        "timeout" => "timeouts",
        "refused" if one => "refused connection",
        "refused" => "refused connections",
        other => other,
    }
}

/// The downloads of one run, counted.
#[derive(Debug, Default)]
pub(super) struct Tally {
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
    mode: Mode,
    options: &DownloadOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<DownloadOutput> {
    let count = options.count;
    let workers = options.workers;
    let target = if options.online {
        Target::online()
    } else {
        let ms = Duration::from_millis;
        Target::offline(ms(options.latency), ms(options.jitter), options.fail_rate)?
    };
    let target = Arc::new(target);
    let urls: Vec<String> = (0..count).map(|i| target.site_url(i)).collect();
    let began = Instant::now();
    let tally = match mode {
        Mode::Sync => sync(&target, &urls, tracer, control)?,
        Mode::Threads => threads::threads(&target, &urls, workers, tracer, control)?,
        Mode::Async => asyncio::asyncio(&target, urls, workers, tracer, control)?,
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
    Ok(DownloadOutput {
        downloaded: tally.downloaded,
        failed: tally.failed,
        bytes: tally.bytes,
        seconds: (seconds * 1000.0).round() / 1000.0,
        requests_per_s: (ended / seconds.max(1e-9) * 10.0).round() / 10.0,
        errors: tally.errors,
    })
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
pub(super) struct Read(pub(super) u64);

impl fmt::Debug for Read {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} bytes", self.0)
    }
}

pub(super) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
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
