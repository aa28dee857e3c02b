//! The coordination chapter's stuck consumers in the real binary: a
//! producer dies, the consumers wait in `get()`, `X` ends them, and no
//! thread of the example is left.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

/// Threads of process `pid` now.
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, Iterator::count)
}

#[test]
fn x_ends_consumers_stuck_in_get_and_no_thread_is_left() {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-coord-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let body = "```demo queue\nmode: raises\nconsumers: 2\nrun-ms: 300\n```";
    let text =
        format!("---\nid: coord\ntitle: Coordination test\norder: 1\n---\n\n## Live\n\n{body}\n");
    std::fs::write(dir.join("c.md"), text).unwrap();
    let data = dir.join("data").display().to_string();
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let lessons = dir.display().to_string();
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_racecourse"));
    let mut app = PtyApp::spawn(&exe, &["--lessons", &lessons], &env, 130, 40).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    let pid = app.pid().unwrap();
    let idle = threads(pid);
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("stderr: Exception in thread Producer-1")
            && s.contains("event: set")
            && s.matches("get() waits: empty").count() == 2
    })
    .unwrap();
    assert!(threads(pid) >= idle + 3, "main and two consumers are alive");
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| s.matches("stopped in get()").count() == 2)
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while threads(pid) > idle && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(threads(pid), idle, "every thread of the run has ended");
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
}
