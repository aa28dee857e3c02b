//! Ctrl-C does what CPython does: in the thread-pool download it interrupts
//! the main thread only, and the workers finish the queue (shutdown with
//! wait=True); on the event loop it cancels the tasks.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs `racecourse run download ARGS`, sends SIGINT once the first download
/// is printed, and returns the downloads printed, the output and the status.
fn interrupted(mode: &str) -> (usize, String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(["run", "download", "--mode", mode, "--count", "40"])
        .args(["--latency", "100", "--workers", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let pid = i32::try_from(child.id()).expect("a pid");
    let out = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    let mut sent = false;
    for line in BufReader::new(out).lines() {
        let line = line.expect("utf-8");
        if !sent && line.starts_with("Read ") {
            // SAFETY: kill only sends a signal to our own child.
            unsafe { libc::kill(pid, libc::SIGINT) };
            sent = true;
        }
        lines.push(line);
    }
    let status = child.wait().expect("it ends");
    let reads = lines.iter().filter(|l| l.starts_with("Read ")).count();
    (reads, lines.join("\n"), status.code().unwrap_or(-1))
}

#[test]
fn threads_finish_the_queue_after_ctrl_c() {
    let (reads, out, code) = interrupted("threads");
    assert_eq!(reads, 40, "{out}");
    assert!(out.contains("shutdown(wait=True)"), "{out}");
    assert_eq!(code, 1, "an interrupted run fails: {out}");
}

#[test]
fn async_tasks_are_cancelled_by_ctrl_c() {
    let (reads, out, code) = interrupted("async");
    assert!(reads < 40, "{out}");
    assert_eq!(code, 1, "{out}");
}
