//! The child side: `racecourse __worker` reads jobs from stdin and answers
//! on stdout. It starts with nothing heavy (no runtime, no lessons).
//!
//! It never outlives the app: the kernel kills it when its parent dies
//! (`PR_SET_PDEATHSIG`), and a watchdog (the stdin reader) exits as soon as
//! the pipe from the parent closes.

use std::io::{BufRead, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::protocol::{FromWorker, PARENT_ENV, ToWorker, encode};
use crate::runtime::future::JobError;
use crate::runtime::jobs::{Job, JobIo};
use crate::trace::UnitId;

/// Progress lines are sent at most this often.
const PROGRESS_EVERY: Duration = Duration::from_millis(20);

/// Entry point of the hidden `__worker` mode; the process exit code.
///
/// `__worker` alone serves the pool protocol. `__worker pool-demo N` runs a
/// pool of N workers busy with long sleeps and prints `pids P1 P2 …`: tests
/// kill it with SIGKILL and check that its children die too.
pub fn worker_main() -> i32 {
    die_with_parent();
    ignore_ctrl_c();
    if let Ok(expected) = std::env::var(PARENT_ENV)
        && expected.parse::<u32>().ok() != Some(std::os::unix::process::parent_id())
    {
        return 1; // the parent died before we could ask to die with it
    }
    let args: Vec<String> = std::env::args().skip(2).collect();
    match args.first().map(String::as_str) {
        None => serve(),
        Some("pool-demo") => super::demo::pool_demo(args.get(1).map(String::as_str)),
        Some(other) => {
            eprintln!("unknown worker mode `{other}`");
            2
        }
    }
}

/// Asks the kernel to kill this process when its parent dies.
#[cfg(target_os = "linux")]
pub fn die_with_parent() {
    // SAFETY: prctl(PR_SET_PDEATHSIG) only sets a flag on this process; it
    // takes plain integers and touches no memory of ours. There is no safe
    // wrapper in std or libc, and it is what guarantees that a worker dies
    // when the app is killed with SIGKILL (no destructor runs then).
    unsafe {
        libc::prctl(
            libc::PR_SET_PDEATHSIG,
            libc::SIGKILL as libc::c_ulong,
            0,
            0,
            0,
        );
    }
}

/// Asks the kernel to kill this process when its parent dies.
#[cfg(not(target_os = "linux"))]
pub fn die_with_parent() {}

/// A terminal's Ctrl-C reaches the whole process group, workers too; the
/// app alone decides what it means (it interrupts the pool), so a worker
/// must not die of it and be taken for a crash.
pub fn ignore_ctrl_c() {
    // SAFETY: setting SIGINT to "ignore" installs no handler of ours and
    // touches no memory; it happens before any other thread starts.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

struct Flags {
    stop: AtomicU64,
    paused: AtomicBool,
}

fn serve() -> i32 {
    let flags = Arc::new(Flags {
        stop: AtomicU64::new(0),
        paused: AtomicBool::new(false),
    });
    let (jobs_tx, jobs_rx) = mpsc::channel::<(UnitId, Job)>();
    let f = flags.clone();
    // The watchdog: stdin closing means the parent is gone or done.
    let spawned = std::thread::Builder::new()
        .name("stdin-watchdog".into())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                match serde_json::from_str::<ToWorker>(&line) {
                    Ok(ToWorker::Run { id, job }) => {
                        if jobs_tx.send((id, job)).is_err() {
                            break;
                        }
                    }
                    Ok(ToWorker::Stop { id }) => f.stop.store(id, Ordering::SeqCst),
                    Ok(ToWorker::Pause) => f.paused.store(true, Ordering::SeqCst),
                    Ok(ToWorker::Resume) => f.paused.store(false, Ordering::SeqCst),
                    Ok(ToWorker::Exit) => break,
                    Err(_) => {} // not ours to judge: ignore a bad line
                }
            }
            std::process::exit(0);
        });
    if spawned.is_err() {
        return 1;
    }
    let mut out = std::io::stdout().lock();
    if send(
        &mut out,
        &FromWorker::Hello {
            pid: std::process::id(),
        },
    )
    .is_err()
    {
        return 1;
    }
    for (id, job) in jobs_rx {
        if send(&mut out, &FromWorker::Started { id }).is_err() {
            return 1;
        }
        let mut io = ChildIo {
            id,
            flags: &flags,
            out: &mut out,
            sent_at: Instant::now(),
            broken: false,
        };
        let result = job.run(&mut io);
        let reply = match result {
            Ok(value) => FromWorker::Done { id, value },
            Err(JobError::Exception(error)) => FromWorker::Error { id, error },
            Err(JobError::Interrupted) => FromWorker::Stopped { id },
        };
        if io.broken || send(&mut out, &reply).is_err() {
            return 1;
        }
    }
    0
}

fn send(out: &mut impl Write, msg: &FromWorker) -> std::io::Result<()> {
    out.write_all(encode(msg).as_bytes())?;
    out.flush()
}

struct ChildIo<'a, W: Write> {
    id: UnitId,
    flags: &'a Flags,
    out: &'a mut W,
    sent_at: Instant,
    /// The pipe to the parent broke: stop everything.
    broken: bool,
}

impl<W: Write> ChildIo<'_, W> {
    fn stopped(&self) -> bool {
        self.broken || self.flags.stop.load(Ordering::Relaxed) == self.id
    }

    /// Parks while paused; false when told to stop.
    fn safe_point(&self) -> bool {
        while self.flags.paused.load(Ordering::Relaxed) && !self.stopped() {
            std::thread::sleep(Duration::from_millis(10));
        }
        !self.stopped()
    }
}

impl<W: Write> JobIo for ChildIo<'_, W> {
    fn progress(&mut self, done: u64) -> bool {
        if self.sent_at.elapsed() >= PROGRESS_EVERY {
            self.sent_at = Instant::now();
            let msg = FromWorker::Progress { id: self.id, done };
            if send(self.out, &msg).is_err() {
                self.broken = true;
            }
        }
        self.safe_point()
    }

    fn finished(&mut self, total: u64) {
        let msg = FromWorker::Progress {
            id: self.id,
            done: total,
        };
        if send(self.out, &msg).is_err() {
            self.broken = true;
        }
    }

    fn sleep(&mut self, d: Duration) -> bool {
        let end = Instant::now() + d;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if !self.safe_point() {
                return false;
            }
            std::thread::sleep(left.min(Duration::from_millis(10)));
        }
        self.safe_point()
    }

    fn may_abort(&self) -> bool {
        true
    }
}
