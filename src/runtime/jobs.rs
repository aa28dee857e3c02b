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
        }
    }
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
