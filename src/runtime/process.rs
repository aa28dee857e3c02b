//! Python's `multiprocessing.Process`, on a real OS process: this binary
//! re-executed as `racecourse __child TARGET ARGS…` (as the `spawn` start
//! method runs a fresh interpreter), whose standard input is its end of a
//! Unix socket pair: the `Pipe` (duplex, as CPython's `Pipe()` on Unix is a
//! socket pair) or the `Queue`'s pipe. What the child prints reaches the
//! parent's trace as `Output` lines on the child's lane.
//!
//! The child's lane runs one unit, its target: `running` from the start,
//! `waiting: …` while the child says it waits (a status line on its
//! standard error, [`report`]), its CPU time read from `/proc` every
//! [`CPU_POLL`] while it lives, and at the end how it exited or which
//! signal killed it.
//!
//! A child never outlives the app: it dies with its parent
//! (`PR_SET_PDEATHSIG`, set by the child first thing), and a
//! [`PyProcess`] that is dropped kills and reaps it.

use std::io::{BufRead, BufReader, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::Control;
use super::process_pool::procfs;
use crate::net::mp::Connection;
use crate::trace::{BlockOn, EventKind, LaneId, LaneRole, Tracer, UnitId};

/// The hidden first argument that turns the binary into a `Process` child.
pub const CHILD_ARG: &str = "__child";
/// Environment variable with the parent's PID (a child whose parent died
/// before it could ask to die with it leaves at once).
pub const PARENT_ENV: &str = "RACECOURSE_CHILD_PARENT";
/// Largest message either side accepts.
pub const MAX_MESSAGE: usize = 64 << 20;
/// How often the parent reads a running child's CPU time.
pub const CPU_POLL: Duration = Duration::from_millis(50);
/// A line the child writes on its standard error to say what it does now
/// (`wait pipe`, `wait sleep`, `run`); not part of its error output.
const STATUS_PREFIX: &str = "\u{1e}racecourse-status ";

/// A started child process.
pub struct PyProcess {
    child: std::process::Child,
    /// The parent's end of the connection to the child.
    pub conn: Connection<UnixStream>,
    lane: LaneId,
    unit: UnitId,
    tracer: Tracer,
    readers: Vec<JoinHandle<()>>,
    /// Reads the child's CPU time until it is reaped.
    /// Dropping the sender stops it at once.
    watcher: Option<(Sender<()>, JoinHandle<()>)>,
    stderr: Arc<Mutex<Vec<String>>>,
    reaped: bool,
}

/// How a child ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exit {
    /// `exitcode` as Python gives it: the code, or minus the signal.
    pub exitcode: i32,
    /// "exited (exit code 0)", "killed by signal 6 (SIGABRT)".
    pub how: String,
    /// The child's last lines on standard error (a traceback).
    pub stderr: Vec<String>,
}

impl PyProcess {
    /// `Process(target=TARGET, args=ARGS).start()`, on `lane` named `name`;
    /// `label` is the call as the lane shows it (`f('Alice')`).
    pub fn start(
        program: &Path,
        target: &str,
        args: &[String],
        tracer: &Tracer,
        (lane, name, label): (LaneId, &str, &str),
    ) -> std::io::Result<PyProcess> {
        let (parent, child_end) = UnixStream::pair()?;
        let mut child = Command::new(program)
            .arg(CHILD_ARG)
            .arg(target)
            .args(args)
            .env(PARENT_ENV, std::process::id().to_string())
            .stdin(Stdio::from(OwnedFd::from(child_end)))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let pid = child.id();
        tracer.emit(
            lane,
            EventKind::LaneUp {
                name: name.into(),
                pid: Some(pid),
                role: LaneRole::Process,
            },
        );
        let unit = tracer.next_unit();
        let label = label.to_string();
        tracer.emit(lane, EventKind::Spawned { unit, label });
        tracer.emit(lane, EventKind::Started { unit });
        let mut readers = Vec::new();
        if let Some(out) = child.stdout.take() {
            let t = tracer.clone();
            readers.extend(spawn_reader(out, move |text| {
                t.emit(lane, EventKind::Output { text });
            }));
        }
        let stderr = Arc::new(Mutex::new(Vec::new()));
        if let Some(err) = child.stderr.take() {
            let keep = stderr.clone();
            let t = tracer.clone();
            readers.extend(spawn_reader(err, move |line| {
                if let Some(status) = line.strip_prefix(STATUS_PREFIX) {
                    t.emit(lane, status_event(unit, status));
                    return;
                }
                let mut k = keep.lock().unwrap_or_else(PoisonError::into_inner);
                if k.len() == 20 {
                    k.remove(0);
                }
                k.push(line);
            }));
        }
        parent.set_read_timeout(Some(Duration::from_millis(50)))?;
        let watcher = watch_cpu(pid, lane, tracer);
        Ok(PyProcess {
            child,
            conn: Connection::new(parent, MAX_MESSAGE),
            lane,
            unit,
            tracer: tracer.clone(),
            readers,
            watcher,
            stderr,
            reaped: false,
        })
    }

    /// The child's PID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its lane.
    pub fn lane(&self) -> LaneId {
        self.lane
    }

    /// Whether an interrupt concerns this child: `X` or Ctrl-C, `x` on the
    /// parent's lane (its `KeyboardInterrupt`) or on the child's.
    pub fn interrupted(&self, control: &Control) -> bool {
        control.main_interrupted() || control.is_interrupted(self.lane)
    }

    /// `p.join()`: waits for the child to exit; an interrupt (see
    /// [`PyProcess::interrupted`]) kills it. Emits its end.
    pub fn join(&mut self, control: &Control) -> Exit {
        loop {
            if self.interrupted(control) {
                self.kill();
            }
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        self.reap()
    }

    /// `p.join(timeout)`, then `p.kill()` if it is still running.
    pub fn join_or_kill(&mut self, control: &Control, timeout: Duration) -> Exit {
        let end = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < end && !self.interrupted(control) {
            if matches!(self.child.try_wait(), Ok(Some(_)) | Err(_)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            self.kill();
        }
        self.reap()
    }

    /// `p.kill()`: SIGKILL now (reaped by `join` or on drop).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }

    fn reap(&mut self) -> Exit {
        // The watcher stops before the wait, while the PID is still ours.
        if let Some((stop, handle)) = self.watcher.take() {
            drop(stop);
            let _ = handle.join();
        }
        // A zombie still shows its final CPU time, until waited for.
        if let Some(cpu) = procfs::cpu_time(self.pid()) {
            emit_cpu(&self.tracer, self.lane, cpu);
        }
        let status = self.child.wait().ok();
        self.reaped = true;
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        let (exitcode, how) = match status {
            Some(s) => match (s.code(), s.signal()) {
                (Some(c), _) => (c, format!("exited (exit code {c})")),
                (None, Some(sig)) => (-sig, format!("killed by signal {sig}{}", signal_name(sig))),
                _ => (0, "ended".into()),
            },
            None => (0, "ended".into()),
        };
        let unit = self.unit;
        let end = if exitcode == 0 {
            EventKind::Finished {
                unit,
                value: "exitcode 0".into(),
            }
        } else {
            EventKind::Failed {
                unit,
                error: how.clone(),
            }
        };
        self.tracer.emit(self.lane, end);
        self.tracer.emit(
            self.lane,
            EventKind::LaneDown {
                reason: how.clone(),
            },
        );
        let stderr = self
            .stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        Exit {
            exitcode,
            how,
            stderr,
        }
    }
}

impl Drop for PyProcess {
    fn drop(&mut self) {
        if let Some((stop, handle)) = self.watcher.take() {
            drop(stop);
            let _ = handle.join();
        }
        if !self.reaped {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn emit_cpu(tracer: &Tracer, lane: LaneId, cpu: Duration) {
    let cpu_us = u64::try_from(cpu.as_micros()).unwrap_or(u64::MAX);
    tracer.emit(lane, EventKind::Cpu { cpu_us });
}

/// Reports the child's CPU time on its lane whenever it has grown, until
/// told to stop.
fn watch_cpu(pid: u32, lane: LaneId, tracer: &Tracer) -> Option<(Sender<()>, JoinHandle<()>)> {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let tracer = tracer.clone();
    let handle = std::thread::Builder::new()
        .name("child-cpu".into())
        .spawn(move || {
            let mut last = None;
            loop {
                let cpu = procfs::cpu_time(pid);
                if let Some(c) = cpu
                    && cpu != last
                {
                    emit_cpu(&tracer, lane, c);
                    last = cpu;
                }
                if stopped.recv_timeout(CPU_POLL) != Err(RecvTimeoutError::Timeout) {
                    return;
                }
            }
        })
        .ok()?;
    Some((stop, handle))
}

/// The event for a status line of the child: `run`, or `wait WHAT` where
/// WHAT is `sleep`, `pipe`, `queue NAME`, `lock NAME` or anything else.
fn status_event(unit: UnitId, status: &str) -> EventKind {
    match status.strip_prefix("wait ") {
        None => EventKind::Woken { unit },
        Some(what) => {
            let on = match what.split_once(' ') {
                _ if what == "sleep" => BlockOn::Sleep,
                _ if what == "pipe" => BlockOn::Pipe,
                Some(("queue", name)) => BlockOn::Queue { name: name.into() },
                Some(("lock", name)) => BlockOn::Lock { name: name.into() },
                _ => BlockOn::other(what),
            };
            EventKind::Blocked { unit, on }
        }
    }
}

/// In a child: tells the parent what it does now, `wait pipe`, `wait
/// sleep`, `wait queue q`, `wait accept()` or `run` (a status line on
/// standard error that the parent turns into its lane's state).
pub fn report(status: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{STATUS_PREFIX}{status}");
    let _ = err.flush();
}

fn signal_name(sig: i32) -> &'static str {
    match sig {
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGTERM => " (SIGTERM)",
        _ => "",
    }
}

fn spawn_reader(
    from: impl Read + Send + 'static,
    mut each: impl FnMut(String) + Send + 'static,
) -> Option<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("child-output".into())
        .spawn(move || {
            for line in BufReader::new(from).lines() {
                let Ok(line) = line else { break };
                each(line.chars().take(500).collect());
            }
        })
        .ok()
}

/// The child's side: its end of the connection (standard input), once it
/// has made sure it dies with its parent. `None` if the parent is gone.
pub fn child_connection() -> Option<Connection<UnixStream>> {
    super::process_pool::die_with_parent();
    super::process_pool::ignore_ctrl_c();
    if let Ok(expected) = std::env::var(PARENT_ENV)
        && expected.parse::<u32>().ok() != Some(std::os::unix::process::parent_id())
    {
        return None;
    }
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    Some(Connection::new(UnixStream::from(fd), MAX_MESSAGE))
}
