//! Jobs by name: closures cannot cross into another process, so the process
//! pool sends one of these (JSON) and the worker runs it. The thread pool can
//! run the same jobs through [`WorkerCtx`], so one workload really is one.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::future::JobError;
use super::thread_pool::WorkerCtx;
use crate::sha::{self as hash, Prefix};

/// A job the worker process knows how to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// `x * x`, the notes' `Pool.map(f, [1, 2, 3])`.
    Square { x: i64 },
    /// Waits `ms` milliseconds of the example's world: a thread-pool worker
    /// applies the time scale; the process pool scales before sending.
    Sleep { ms: u64 },
    /// The hash challenge over `start..end`; the value is
    /// `{"found": nonce|null, "hashes": n, "stopped": bool}`.
    HashRange {
        message: String,
        prefix: String,
        start: u64,
        end: u64,
    },
    /// CPU work: `hashes` SHA-256 hashes; the value is the count.
    Spin { hashes: u64 },
    /// Aborts the worker process (the crash lesson, and tests).
    Crash,
    /// Raises an exception with this text.
    Fail { message: String },
    /// The multiprocessing chapter's `f(x)`: `x * x`, after keeping the CPU
    /// busy for `busy_ms` (so the learner sees which process works); the
    /// value is a [`Computed`] that names the process. `fail` raises
    /// `ValueError` instead, after the busy time.
    SquareIn {
        x: i64,
        busy_ms: u64,
        #[serde(default)]
        fail: bool,
    },
    /// The notes' `do_math(start, end)`: the sum of `i * i` over
    /// `range(start, end)` (0 for an empty range), after `busy_ms` of CPU;
    /// the value is a [`Computed`].
    DoMath { start: i64, end: i64, busy_ms: u64 },
}

/// A value computed in a worker process, with the process that computed it
/// (as `f` returning `(x * x, os.getpid())` would).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Computed {
    pub value: i64,
    pub pid: u32,
    /// The process's CPU time when it answered, in microseconds.
    pub cpu_us: u64,
}

/// A job's value as it crosses the pipe from a worker process.
pub type Wire = serde_json::Value;

/// What a `HashRange` job found, as its value on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeAnswer {
    /// The smallest nonce of the range, if any.
    pub found: Option<u64>,
    /// Counters hashed.
    pub hashes: u64,
    /// Whether it was told to stop before the end of its range.
    pub stopped: bool,
}

impl RangeAnswer {
    /// Reads the answer back from a worker's value.
    pub fn from_wire(value: &Wire) -> Result<RangeAnswer, String> {
        RangeAnswer::deserialize(value).map_err(|e| format!("a worker sent a bad answer: {e}"))
    }
}

/// How a running job talks to whoever runs it.
pub trait JobIo {
    /// Cumulative units done; false means stop now.
    fn progress(&mut self, done: u64) -> bool;
    /// The job's final count of units done (progress events are batched, so
    /// the last batch would otherwise go unreported).
    fn finished(&mut self, _total: u64) {}
    /// Waits `d`; false when told to stop meanwhile.
    fn sleep(&mut self, d: Duration) -> bool;
    /// Whether aborting the whole process is allowed (only in a worker).
    fn may_abort(&self) -> bool {
        false
    }
}

impl Job {
    /// A short label, as a Python call would read.
    pub fn label(&self) -> String {
        match self {
            Job::Square { x } => format!("square({x})"),
            Job::Sleep { ms } => format!("sleep({ms} ms)"),
            Job::HashRange { start, end, .. } => format!("hash_range({start}..{end})"),
            Job::Spin { hashes } => format!("spin({hashes})"),
            Job::Crash => "crash()".into(),
            Job::Fail { .. } => "fail()".into(),
            Job::SquareIn { x, .. } => format!("f({x})"),
            Job::DoMath { start, end, .. } => format!("do_math({start}, {end})"),
        }
    }

    /// Runs the job; a stop request ends it as `Interrupted`, except for a
    /// hash range, which reports how far it got (`stopped: true`).
    pub fn run(&self, io: &mut dyn JobIo) -> Result<serde_json::Value, JobError> {
        match self {
            Job::Square { x } => x
                .checked_mul(*x)
                .map(serde_json::Value::from)
                .ok_or_else(|| JobError::Exception(format!("OverflowError: {x} squared"))),
            Job::Sleep { ms } => {
                if io.sleep(Duration::from_millis(*ms)) {
                    Ok(serde_json::Value::Null)
                } else {
                    Err(JobError::Interrupted)
                }
            }
            Job::HashRange {
                message,
                prefix,
                start,
                end,
            } => {
                let prefix = Prefix::parse(prefix).map_err(JobError::Exception)?;
                let r = hash::search_range(message.as_bytes(), &prefix, *start..*end, &mut |n| {
                    io.progress(n)
                });
                io.finished(r.hashes);
                let answer = RangeAnswer {
                    found: r.found,
                    hashes: r.hashes,
                    stopped: r.stopped,
                };
                Ok(serde_json::to_value(answer).unwrap_or_default())
            }
            Job::Spin { hashes } => {
                let (done, stopped) = spin(*hashes, &mut |n| io.progress(n));
                if stopped {
                    Err(JobError::Interrupted)
                } else {
                    Ok(done.into())
                }
            }
            Job::Crash => {
                if io.may_abort() {
                    std::process::abort();
                }
                Err(JobError::Exception(
                    "crash() only runs in a worker process".into(),
                ))
            }
            Job::Fail { message } => Err(JobError::Exception(message.clone())),
            Job::SquareIn { x, busy_ms, fail } => {
                busy(*busy_ms, io)?;
                if *fail {
                    return Err(JobError::Exception(format!("ValueError: f({x}) failed")));
                }
                let value = x
                    .checked_mul(*x)
                    .ok_or_else(|| JobError::Exception(format!("OverflowError: {x} squared")))?;
                Ok(computed(value))
            }
            Job::DoMath {
                start,
                end,
                busy_ms,
            } => {
                busy(*busy_ms, io)?;
                let sum =
                    (*start..*end).try_fold(0i64, |acc, i| acc.checked_add(i.checked_mul(i)?));
                let sum = sum.ok_or_else(|| {
                    JobError::Exception(format!("OverflowError: do_math({start}, {end})"))
                })?;
                Ok(computed(sum))
            }
        }
    }
}

/// Keeps the CPU busy (hashing) until this thread has used `ms` of CPU
/// time, or until stopped. CPU time, not wall time: on a loaded machine
/// the work takes longer but stays the same work.
fn busy(ms: u64, io: &mut dyn JobIo) -> Result<(), JobError> {
    let base = Instant::now();
    // Wall time, should the CPU clock be missing.
    let clock = || thread_cpu().unwrap_or_else(|| base.elapsed());
    let end = clock() + Duration::from_millis(ms);
    let mut done = 0;
    while clock() < end {
        let (n, stopped) = spin(2_000, &mut |_| true);
        done += n;
        if stopped || !io.progress(done) {
            return Err(JobError::Interrupted);
        }
    }
    Ok(())
}

/// CPU time used by the calling thread.
fn thread_cpu() -> Option<Duration> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the valid, exclusively
    // borrowed `ts`; std has no thread CPU clock.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts) };
    if rc != 0 {
        return None;
    }
    let secs = u64::try_from(ts.tv_sec).ok()?;
    let nanos = u32::try_from(ts.tv_nsec).ok()?;
    Some(Duration::new(secs, nanos))
}

/// `value` with this process's PID and CPU time, as the wire carries it.
fn computed(value: i64) -> serde_json::Value {
    let pid = std::process::id();
    let cpu_us = super::process_pool::procfs::cpu_time(pid)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
    serde_json::to_value(Computed { value, pid, cpu_us }).unwrap_or_default()
}

/// Computes `hashes` SHA-256 hashes (the hash challenge with a prefix no
/// digest has); `on_batch` as in [`hash::search_range`]. Returns the hashes
/// done and whether it was stopped.
pub fn spin(hashes: u64, on_batch: &mut dyn FnMut(u64) -> bool) -> (u64, bool) {
    let never = unmatchable();
    let r = hash::search_range(b"racecourse spin", &never, 0..hashes, on_batch);
    (r.hashes, r.stopped)
}

fn unmatchable() -> Prefix {
    // 64 nibbles of f: the all-ones digest, which SHA-256 never yields in
    // practice; the check fails on the first nibble 15 times in 16.
    Prefix::parse(&"f".repeat(64)).unwrap_or_else(|_| unreachable!("64 hex digits parse"))
}

/// A thread-pool worker runs jobs too (`job.run(&mut ctx)` with `ctx:
/// &WorkerCtx`): progress is a CPU tick (GIL hand-over included), sleeps are
/// example-world durations with the GIL released.
impl JobIo for &WorkerCtx<'_> {
    fn progress(&mut self, done: u64) -> bool {
        self.cpu_tick(done).is_ok()
    }

    fn finished(&mut self, total: u64) {
        WorkerCtx::progress(self, total);
    }

    fn sleep(&mut self, d: Duration) -> bool {
        WorkerCtx::sleep(self, d).is_ok()
    }
}

/// Runs a job on the calling thread with no one to stop it (for tests and
/// sequential baselines).
pub struct Plain;

impl JobIo for Plain {
    fn progress(&mut self, _done: u64) -> bool {
        true
    }

    fn sleep(&mut self, d: Duration) -> bool {
        let end = Instant::now() + d;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            std::thread::sleep(left);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_round_trip_as_json() {
        let j = Job::HashRange {
            message: "hello world".into(),
            prefix: "0000".into(),
            start: 0,
            end: 100_000,
        };
        let text = serde_json::to_string(&j).unwrap();
        assert!(text.contains(r#""kind":"hash_range""#), "{text}");
        assert_eq!(serde_json::from_str::<Job>(&text).unwrap(), j);
        assert_eq!(j.run(&mut Plain).unwrap()["found"], 61130);
    }

    #[test]
    fn plain_jobs_give_python_answers() {
        assert_eq!(Job::Square { x: 3 }.run(&mut Plain).unwrap(), 9);
        assert!(matches!(
            Job::Square { x: i64::MAX }.run(&mut Plain),
            Err(JobError::Exception(_))
        ));
        assert_eq!(
            Job::Fail {
                message: "ValueError: no".into()
            }
            .run(&mut Plain),
            Err(JobError::Exception("ValueError: no".into()))
        );
        assert!(
            Job::Crash.run(&mut Plain).is_err(),
            "never aborts in-process"
        );
        assert_eq!(
            Job::Spin { hashes: 10_000 }.run(&mut Plain).unwrap(),
            10_000
        );
    }

    #[test]
    #[ignore = "a measurement, not a check: cargo test --lib spin_rate -- --ignored --nocapture"]
    fn spin_rate() {
        let t = Instant::now();
        let (n, _) = spin(500_000, &mut |_| true);
        let secs = t.elapsed().as_secs_f64();
        eprintln!(
            "spin: {:.2} M hashes/s on one thread",
            n as f64 / secs / 1e6
        );
    }

    #[test]
    fn a_stopped_spin_is_interrupted() {
        struct StopAfterOne;
        impl JobIo for StopAfterOne {
            fn progress(&mut self, _: u64) -> bool {
                false
            }
            fn sleep(&mut self, _: Duration) -> bool {
                false
            }
        }
        assert_eq!(
            Job::Spin { hashes: 100_000 }.run(&mut StopAfterOne),
            Err(JobError::Interrupted)
        );
        assert_eq!(
            Job::Sleep { ms: 10 }.run(&mut StopAfterOne),
            Err(JobError::Interrupted)
        );
    }
}
