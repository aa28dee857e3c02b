//! The search on a pool: `ThreadPoolExecutor` (with or without the GIL)
//! or `multiprocessing.Pool`.
//!
//! The main thread hands out ranges in order, keeping N queued behind the
//! N running so that no worker waits, and stops ranges that a smaller
//! nonce has made useless: queued ones are cancelled, running ones stop at
//! their next batch.

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::modes::RaceError;
use super::race::{Hit, Job, Race};
use crate::runtime::jobs::{Job as PoolJob, RangeAnswer, Wire};
use crate::runtime::{
    Control, FutureError, Gil, Interrupted, JobError, ProcessPool, PyFuture, ThreadPool,
};
use crate::trace::Tracer;

/// How often the main thread looks at futures other than the oldest.
const SWEEP_EVERY: Duration = Duration::from_millis(10);

/// A range handed to a pool and the future of its answer.
struct InFlight<T> {
    range: Range<u64>,
    future: PyFuture<T>,
    /// Whether the worker was told to stop (processes).
    stopping: bool,
}

/// `ThreadPoolExecutor(max_workers=N)`: the main thread submits ranges in
/// order, keeping N queued behind the N running so that no worker waits,
/// and cancels queued ranges a smaller nonce has made useless.
pub(super) fn on_threads(
    race: &Arc<Race>,
    workers: usize,
    gil: Option<Arc<Gil>>,
    tracer: &Tracer,
    control: &Control,
) -> Result<(), RaceError> {
    let workers = workers.max(1);
    // Ctrl-C reaches the main thread only, as in CPython: it stops handing
    // out ranges; the pool's workers finish the ones they hold.
    control.deliver_keyboard_to_main_only();
    let pool = ThreadPool::builder(workers)
        .maybe_gil(gil)
        .build(tracer, control);
    let mut inflight: VecDeque<InFlight<Hit>> = VecDeque::new();
    let mut failure = None;
    loop {
        while inflight.len() < 2 * workers && !control.main_interrupted() {
            let Some(range) = race.dispenser.take() else {
                break;
            };
            let r = race.clone();
            let label = format!("search({}..{})", range.start, range.end);
            let searched = range.clone();
            let future = pool.submit(label, move |ctx| {
                let end = if r.wide.is_some() {
                    // hashlib on 2048 bytes or more: the GIL is let go
                    // while the C code hashes, and taken back for the
                    // Python between two hashes (here: two batches).
                    ctx.release_gil();
                    let end = r.search_range(searched, &mut |done| {
                        ctx.acquire_gil(Instant::now());
                        let tick = ctx.cpu_tick(done);
                        ctx.release_gil();
                        tick
                    });
                    ctx.acquire_gil(Instant::now());
                    end
                } else {
                    r.search_range(searched, &mut |done| ctx.cpu_tick(done))
                };
                ctx.progress(end.hashes);
                end.result.map_err(|_| JobError::Interrupted)
            });
            inflight.push_back(InFlight {
                range,
                future,
                stopping: false,
            });
        }
        let Some(oldest) = inflight.front() else {
            break;
        };
        oldest.future.wait(Some(SWEEP_EVERY));
        inflight.retain(|f| {
            if race.dispenser.beaten(f.range.start) {
                f.future.cancel();
            }
            match f.future.peek() {
                None => true,
                Some(Err(FutureError::Exception(e))) => {
                    failure.get_or_insert(e);
                    false
                }
                Some(_) => false,
            }
        });
        if let Some(e) = failure.take() {
            control.interrupt_all();
            drop(pool);
            return Err(RaceError::JobFailed(e));
        }
    }
    drop(pool);
    if control.main_interrupted() {
        return Err(Interrupted.into());
    }
    Ok(())
}

/// `multiprocessing.Pool(N)`: each range is a `hash_range` job in a real
/// worker process, its answer sent back over a pipe; a running range that
/// a smaller nonce has beaten is told to stop.
pub(super) fn on_processes(
    race: &Arc<Race>,
    job: &Job,
    workers: usize,
    tracer: &Tracer,
    control: &Control,
) -> Result<(), RaceError> {
    let workers = workers.max(1);
    let mut pool = ProcessPool::new(workers, tracer, control).map_err(RaceError::Spawn)?;
    let prefix = race.prefix.hex();
    let mut inflight: VecDeque<InFlight<Wire>> = VecDeque::new();
    let mut failure = None;
    loop {
        while inflight.len() < 2 * workers && !control.all_interrupted() {
            let Some(range) = race.dispenser.take() else {
                break;
            };
            let future = pool.apply_async(PoolJob::HashRange {
                message: job.message.clone(),
                prefix: prefix.clone(),
                start: range.start,
                end: range.end,
            });
            inflight.push_back(InFlight {
                range,
                future,
                stopping: false,
            });
        }
        let Some(oldest) = inflight.front() else {
            break;
        };
        oldest.future.wait(Some(SWEEP_EVERY));
        inflight.retain_mut(|f| {
            if !f.stopping && race.dispenser.beaten(f.range.start) {
                // Queued: cancelled at once; running: stops at its next batch.
                pool.stop_job(f.future.unit());
                f.stopping = true;
            }
            match f.future.peek() {
                None | Some(Err(FutureError::Timeout)) => true,
                Some(Ok(value)) => {
                    if let Err(e) = settle(race, &f.range, &value) {
                        failure.get_or_insert(e);
                    }
                    false
                }
                Some(Err(FutureError::Cancelled)) => {
                    // Its process was killed (the lane interrupted): the
                    // range is searched again unless a smaller nonce won.
                    if !f.stopping && !control.all_interrupted() {
                        race.dispenser.give_back(f.range.clone());
                    }
                    false
                }
                Some(Err(FutureError::Exception(e))) => {
                    failure.get_or_insert(e);
                    false
                }
            }
        });
        if let Some(e) = failure.take() {
            pool.terminate();
            return Err(RaceError::JobFailed(e));
        }
    }
    if control.all_interrupted() {
        pool.terminate();
        return Err(Interrupted.into());
    }
    pool.close();
    // Not running any more, so join cannot refuse.
    let _ = pool.join();
    Ok(())
}

/// Folds a worker process's answer for `range` into the race. The answer
/// crossed a pipe: a nonce is believed only once checked here.
fn settle(race: &Race, range: &Range<u64>, value: &Wire) -> Result<(), String> {
    let answer = RangeAnswer::from_wire(value)?;
    let hashes = answer.hashes.min(range.end - range.start);
    race.add_hashes(hashes);
    if let Some(n) = answer.found {
        let genuine = range.contains(&n)
            && u32::try_from(n).is_ok_and(|c| race.prefix.matches_state(&race.challenge.state(c)));
        if !genuine {
            return Err(format!(
                "a worker reported {n}, which is not a nonce of its range"
            ));
        }
        race.dispenser.offer(n);
    } else if answer.stopped && !race.dispenser.beaten(range.start) {
        race.dispenser.give_back(range.start + hashes..range.end);
    }
    Ok(())
}
