//! One worker process seen from the parent: its pipes, a reader thread
//! turning its lines into messages, and a clean end (killed and reaped).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::procfs;
use super::protocol::{FromWorker, PARENT_ENV, ToWorker, WORKER_ARG, encode};

/// What came from the worker.
pub(super) enum Line {
    Msg(FromWorker),
    /// A line that is not a message (shown as a warning, never trusted).
    Bad(String),
    /// Its stdout closed: the process ended.
    Closed,
}

pub(super) struct Child {
    process: std::process::Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<Line>,
    reader: Option<JoinHandle<()>>,
    /// Lines read while checking for death, not yet handled.
    early: VecDeque<Line>,
    closed: bool,
    /// Whether we told it to pause.
    pub(super) paused: bool,
}

impl Child {
    /// Starts `program __worker` with piped stdin/stdout.
    pub(super) fn spawn(program: &Path) -> std::io::Result<Child> {
        let mut child = Command::new(program)
            .arg(WORKER_ARG)
            .env(PARENT_ENV, std::process::id().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // A worker's own complaints must never reach the course's screen.
            .stderr(Stdio::null())
            .spawn()?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let (tx, lines) = mpsc::channel();
        let reader = stdout.and_then(|out| {
            std::thread::Builder::new()
                .name(format!("pool-reader-{}", child.id()))
                .spawn(move || read_lines(out, &tx))
                .ok()
        });
        let mut c = Child {
            process: child,
            stdin,
            lines,
            reader,
            early: VecDeque::new(),
            closed: false,
            paused: false,
        };
        if c.reader.is_none() {
            c.kill();
            c.finish(false);
            return Err(std::io::Error::other("could not read the worker's output"));
        }
        Ok(c)
    }

    pub(super) fn pid(&self) -> u32 {
        self.process.id()
    }

    /// Waits for the worker's hello.
    pub(super) fn handshake(&mut self, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err("it did not answer".into());
            }
            match self.recv(left) {
                Some(Line::Msg(FromWorker::Hello { .. })) => return Ok(()),
                Some(Line::Closed) => return Err("it exited at once".into()),
                Some(_) => return Err("it did not speak the worker protocol".into()),
                None => {}
            }
        }
    }

    /// Sends one message; false when the pipe is broken.
    pub(super) fn send(&mut self, msg: &ToWorker) -> bool {
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        stdin
            .write_all(encode(msg).as_bytes())
            .and_then(|()| stdin.flush())
            .is_ok()
    }

    /// The next line, waiting up to `timeout`; `None` on timeout.
    pub(super) fn recv(&mut self, timeout: Duration) -> Option<Line> {
        if let Some(l) = self.early.pop_front() {
            return Some(l);
        }
        if self.closed {
            return Some(Line::Closed);
        }
        match self.lines.recv_timeout(timeout) {
            Ok(Line::Closed) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.closed = true;
                Some(Line::Closed)
            }
            Ok(l) => Some(l),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
        }
    }

    /// Whether it has died, without losing any line it sent.
    pub(super) fn has_died(&mut self) -> bool {
        loop {
            match self.lines.try_recv() {
                Ok(Line::Closed) | Err(mpsc::TryRecvError::Disconnected) => {
                    self.closed = true;
                    return true;
                }
                Ok(l) => self.early.push_back(l),
                Err(mpsc::TryRecvError::Empty) => return self.closed,
            }
        }
    }

    /// SIGKILL now.
    pub(super) fn kill(&mut self) {
        let _ = self.process.kill();
    }

    /// Ends the process and reaps it: politely (exit message, stdin closed,
    /// two seconds of grace) or by SIGKILL. Returns how it ended and its
    /// CPU time.
    pub(super) fn finish(mut self, polite: bool) -> (Option<String>, Duration) {
        if polite {
            self.send(&ToWorker::Exit);
        } else {
            self.kill();
        }
        self.stdin = None;
        let pid = self.pid();
        let mut cpu = procfs::cpu_time(pid).unwrap_or_default();
        let deadline = Instant::now() + Duration::from_secs(2);
        let status = loop {
            // A zombie still shows its final CPU time.
            if let Some(c) = procfs::cpu_time(pid) {
                cpu = c;
            }
            match self.process.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(None) => {
                    self.kill();
                    break self.process.wait().ok();
                }
                Err(_) => break None,
            }
        };
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        (status.map(describe), cpu)
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        // `finish` normally ran; if not (a panic on the way), still kill
        // and reap so that nothing outlives us.
        if self.reader.is_some() {
            let _ = self.process.kill();
            let _ = self.process.wait();
        }
    }
}

fn read_lines(out: std::process::ChildStdout, tx: &mpsc::Sender<Line>) {
    for line in BufReader::new(out).lines() {
        let Ok(line) = line else { break };
        let msg = match serde_json::from_str::<FromWorker>(&line) {
            Ok(m) => Line::Msg(m),
            Err(_) => Line::Bad(line.chars().take(200).collect()),
        };
        if tx.send(msg).is_err() {
            return;
        }
    }
    let _ = tx.send(Line::Closed);
}

/// "exit code 3", "killed by signal 6 (SIGABRT)".
fn describe(status: std::process::ExitStatus) -> String {
    if let Some(code) = status.code() {
        return format!("exit code {code}");
    }
    match status.signal() {
        Some(sig) => {
            let name = match sig {
                libc::SIGABRT => " (SIGABRT)",
                libc::SIGKILL => " (SIGKILL)",
                libc::SIGSEGV => " (SIGSEGV)",
                libc::SIGTERM => " (SIGTERM)",
                libc::SIGBUS => " (SIGBUS)",
                _ => "",
            };
            format!("killed by signal {sig}{name}")
        }
        None => "ended".into(),
    }
}
