//! The scheduler pane in the real binary: keys pick which thread steps, the
//! goal is reached on screen, and no thread outlives a run.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_racecourse"))
}

fn lessons(name: &str, body: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!(
        "racecourse-e2e-scheduler-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!(
        "---\nid: {name}\ntitle: Scheduler {name}\norder: 1\n---\n\n## Live\n\n{body}\n\n## After\n\nNo pane here.\n"
    );
    std::fs::write(dir.join("c.md"), text).unwrap();
    (
        dir.display().to_string(),
        dir.join("data").display().to_string(),
    )
}

/// The names of the app's threads that run the program (`thread-1`, …).
fn program_threads(pid: u32) -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|c| c.trim().to_string())
        .filter(|c| c.starts_with("thread-"))
        .collect()
}

/// Waits until the app runs `n` program threads.
fn wait_threads(pid: u32, n: usize) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = program_threads(pid);
        if now.len() == n || Instant::now() > deadline {
            return now;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn keys_play_a_schedule_that_loses_an_update_and_no_thread_is_left() {
    let (dir, data) = lessons("lost", "```demo scheduler\nprogram: lost-update\n```");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 120, 36).unwrap();
    let pid = app.pid().unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("· ready") && s.contains("can step (key 2)")
    })
    .unwrap();
    // Each key waits for its step on screen: thread 1 and 2 both load 0,
    // both add, both store.
    let moves = ["1", "1,2", "1,2,1", "1,2,1,2", "1,2,1,2,1", "1,2,1,2,1,2"];
    for (key, seen) in ["1", "2", "1", "2", "1", "2"].iter().zip(moves) {
        app.send(key.as_bytes()).unwrap();
        let want = format!("moves: {seen} ");
        app.wait_for(WAIT, |s| s.lines().any(|l| l.contains(want.trim_end())))
            .unwrap();
    }
    app.wait_for(WAIT, |s| {
        s.contains("update lost: counter = 1, expected 2") && s.contains("✓ reached")
    })
    .unwrap();
    assert_eq!(
        wait_threads(pid, 0),
        Vec::<String>::new(),
        "the run has ended"
    );

    // Restart, step once: two threads wait at their gates; X ends them.
    app.send(b"r").unwrap();
    app.send(b"1").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("· running") && s.contains("local tmp = 0")
    })
    .unwrap();
    assert_eq!(wait_threads(pid, 2).len(), 2);
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| s.contains("· stopped")).unwrap();
    assert_eq!(wait_threads(pid, 0), Vec::<String>::new(), "X ends them");

    // Leaving the section ends a run that waits for keys.
    app.send(b"r").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    assert_eq!(wait_threads(pid, 2).len(), 2);
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| s.contains("No pane here")).unwrap();
    assert_eq!(
        wait_threads(pid, 0),
        Vec::<String>::new(),
        "leaving ends them"
    );

    app.send(b"h").unwrap();
    app.send(b"2").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
}

#[test]
fn a_blocked_thread_cannot_step_and_the_pane_says_why() {
    let (dir, data) = lessons("locked", "```demo scheduler\nprogram: locked\n```");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 80, 24).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"1").unwrap();
    app.wait_for(WAIT, |s| s.contains("blocked on lock"))
        .unwrap();
    app.send(b"2").unwrap();
    app.wait_for(WAIT, |s| s.contains("refused: thread 2 is blocked"))
        .unwrap();
    // `x` interrupts the selected lane: the scheduler's own, which ends the run.
    app.send(b"x").unwrap();
    app.wait_for(WAIT, |s| s.contains("· stopped")).unwrap();
    assert_eq!(wait_threads(app.pid().unwrap(), 0), Vec::<String>::new());
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
}
