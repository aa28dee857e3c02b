//! The notes' `ThreadPoolExecutor` version.

use std::sync::{Arc, Mutex};

use super::{Read, Tally, lock};
use crate::net::blocking::{Blocking, main_lane};
use crate::net::client::{FetchError, Fetcher, IoRuntime, PerThread};
use crate::net::target::Target;
use crate::runtime::{Control, JobError, PyFuture, ThreadPool, WorkerCtx};
use crate::trace::{EventKind, Tracer};

/// The notes' `ThreadPoolExecutor` version: `workers` threads, each with its
/// own session (the notes' `threading.local()`), sharing one I/O thread that
/// drives the sockets.
pub(super) fn threads(
    target: &Arc<Target>,
    urls: &[String],
    workers: usize,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<Tally> {
    let io = Arc::new(IoRuntime::new()?);
    let sessions: Arc<PerThread<Fetcher>> = Arc::new(PerThread::new());
    let tally = Arc::new(Mutex::new(Tally::default()));
    // Ctrl-C reaches the main thread only, as in CPython: the workers are
    // the pool's.
    control.deliver_keyboard_to_main_only();
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
    let tick = std::time::Duration::from_millis(20);
    for f in &futures {
        while !f.wait(Some(tick)) && !control.main_interrupted() {}
        if control.main_interrupted() {
            break;
        }
    }
    if control.keyboard_interrupted() && !control.all_interrupted() {
        let text = "KeyboardInterrupt in the main thread: leaving `with ThreadPoolExecutor` \
                    calls shutdown(wait=True), so the workers finish the queue first"
            .to_string();
        tracer.emit(0, EventKind::Output { text });
    }
    pool.shutdown(true, false);
    tracer.emit(
        0,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
    let mut tally = std::mem::take(&mut *lock(&tally));
    tally.interrupted |= control.all_interrupted() || control.keyboard_interrupted();
    Ok(tally)
}

/// Threads for `workers`: 0 is Python's `ThreadPoolExecutor` default,
/// `min(32, cores + 4)`; more than [`MAX_THREADS`] are not started.
fn pool_size(workers: usize) -> usize {
    match workers {
        0 => {
            let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
            (cores + 4).min(32)
        }
        n => n.min(MAX_THREADS),
    }
}

/// The most worker threads a run starts: each is an OS thread.
pub const MAX_THREADS: usize = 512;
