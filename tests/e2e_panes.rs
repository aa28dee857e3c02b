//! Live panes in the real binary: start work, pause, interrupt, click, quit.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_racecourse"))
}

fn lessons(name: &str, body: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!(
        "racecourse-e2e-panes-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text =
        format!("---\nid: {name}\ntitle: Pane test {name}\norder: 1\n---\n\n## Live\n\n{body}\n");
    std::fs::write(dir.join("c.md"), text).unwrap();
    (
        dir.display().to_string(),
        dir.join("data").display().to_string(),
    )
}

/// Processes whose environment carries `mark`: the app's children.
fn processes_marked(mark: &str) -> Vec<u32> {
    let needle = format!("RACECOURSE_TEST_MARK={mark}");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
        })
        .collect()
}

fn wait_gone(mark: &str) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = processes_marked(mark);
        if left.is_empty() || Instant::now() > deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn start_pause_interrupt_and_quit_a_thread_pool() {
    let (dir, data) = lessons(
        "pool",
        "```demo three-ways\nmode: threads\nworkload: io\ntasks: 16\nworkers: 2\nwait-ms: 1000\n```",
    );
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 130, 40).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running") && s.contains("worker-2"))
        .unwrap();
    app.send(b"p").unwrap();
    app.wait_for(WAIT, |s| s.contains("PAUSED")).unwrap();
    app.send(b"p").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| s.contains("· stopped") && s.contains("cancelled"))
        .unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert!(!app.alternate_screen());
}

#[test]
fn a_process_pool_interrupted_and_quit_leaves_no_children() {
    let mark = format!("pool-{}", std::process::id());
    let (dir, data) = lessons(
        "procs",
        "```demo three-ways\nmode: processes\nworkload: cpu\ntasks: 32\nworkers: 2\nhashes: 100000000\n```",
    );
    let env = [
        ("RACECOURSE_DATA_DIR", data.as_str()),
        ("RACECOURSE_TEST_MARK", mark.as_str()),
    ];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 130, 40).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    // The app and its two worker processes.
    let deadline = Instant::now() + WAIT;
    let mut seen = 0;
    while seen < 3 && Instant::now() < deadline {
        seen = seen.max(processes_marked(&mark).len());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(seen >= 3, "workers started (saw {seen} processes)");
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| s.contains("· stopped")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    app.send(b"q").unwrap();
    app.wait_exit(WAIT).unwrap();
    assert_eq!(
        wait_gone(&mark),
        Vec::<u32>::new(),
        "no child outlives the app"
    );
}

#[test]
fn sigkill_of_the_app_takes_its_worker_processes_along() {
    let mark = format!("kill-{}", std::process::id());
    let (dir, data) = lessons(
        "kill",
        "```demo three-ways\nmode: processes\nworkload: cpu\ntasks: 32\nworkers: 2\nhashes: 100000000\n```",
    );
    let env = [
        ("RACECOURSE_DATA_DIR", data.as_str()),
        ("RACECOURSE_TEST_MARK", mark.as_str()),
    ];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 130, 40).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    let deadline = Instant::now() + WAIT;
    while processes_marked(&mark).len() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = libc::pid_t::try_from(app.pid().unwrap()).unwrap();
    // SAFETY: killing our own child process.
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let _ = app.wait_exit(WAIT);
    assert_eq!(
        wait_gone(&mark),
        Vec::<u32>::new(),
        "children die with the app"
    );
}

#[test]
fn the_button_counts_every_click_while_a_thread_searches() {
    let (dir, data) = lessons(
        "button",
        "```demo button\nmode: thread\nprefix: \"00000000\"\n```",
    );
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 130, 40).unwrap();
    app.wait_for(WAIT, |s| s.contains("PRESS ME")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    for _ in 0..25 {
        app.send(b"b").unwrap();
        std::thread::sleep(Duration::from_millis(15));
    }
    app.wait_for(WAIT, |s| {
        s.contains("clicks: 25 ") && s.contains("25 clicks measured")
    })
    .unwrap();
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| s.contains("· stopped")).unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
}
