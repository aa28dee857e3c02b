//! The multiprocessing chapter's panes in the real binary, in a
//! pseudo-terminal: `Pool(5).map` with its PIDs, a child that crashes
//! (its lane says how it died, the pane goes on), `x` on a sleeping
//! child's lane, and quitting while a child waits: no child is left.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_racecourse"))
}

/// A chapter of the given sections (`## title` + body each).
fn lessons(name: &str, sections: &[(&str, &str)]) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-mp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = format!("---\nid: {name}\ntitle: MP test {name}\norder: 1\n---\n");
    for (title, body) in sections {
        for part in ["\n## ", title, "\n\n", body, "\n"] {
            text.push_str(part);
        }
    }
    std::fs::write(dir.join("c.md"), text).unwrap();
    (
        dir.display().to_string(),
        dir.join("data").display().to_string(),
    )
}

/// Processes whose environment carries `mark`: the app and its children.
fn processes_marked(mark: &str) -> Vec<u32> {
    let needle = format!("RACECOURSE_TEST_MARK={mark}");
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let zombie = std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
                s.rsplit(')')
                    .next()
                    .is_some_and(|r| r.trim_start().starts_with('Z'))
            });
            !zombie
                && std::fs::read(format!("/proc/{pid}/environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|kv| kv == needle.as_bytes()))
        })
        .collect()
}

fn wait_count(mark: &str, want: usize) -> usize {
    let deadline = Instant::now() + WAIT;
    loop {
        let n = processes_marked(mark).len();
        if n == want || Instant::now() > deadline {
            return n;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

const POOL: &str = "```demo pool-map\nprocesses: 5\nitems: 1,2,3\nwork-ms: 100\n```";
const CRASH: &str = "```demo process\nmode: crash\n```";
const PIPE: &str = "```demo queue-pipe\nmode: pipe\ndelay-ms: 600000\n```";

#[test]
fn pool_crash_kill_and_quit_in_the_processes_pane() {
    let mark = format!("mp-{}", std::process::id());
    let (dir, data) = lessons("mp", &[("Pool", POOL), ("Crash", CRASH), ("Pipe", PIPE)]);
    let env = [
        ("RACECOURSE_DATA_DIR", data.as_str()),
        ("RACECOURSE_TEST_MARK", mark.as_str()),
    ];
    let mut app = PtyApp::spawn(&exe(), &["--lessons", &dir], &env, 120, 36).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    // Pool(5).map(f, [1, 2, 3]): the answer and the PIDs that did the work.
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("[1, 4, 9] from 3 of 5 processes (PIDs") && s.contains("pool: joined")
    })
    .unwrap();
    // A child that dies of abort(): its lane says so; the pane runs again.
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready") && s.contains("crash"))
        .unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("killed by signal 6") && s.contains("p.exitcode = -6")
    })
    .unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("· running") || s.contains("waiting: sleep")
    })
    .unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("killed by signal 6") && s.contains("· done")
    })
    .unwrap();
    // A child asleep before it sends; the parent waits on the pipe.
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("· ready") && s.contains("delay-ms 600000")
    })
    .unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("waiting: sleep") && s.contains("waiting: pipe")
    })
    .unwrap();
    assert_eq!(wait_count(&mark, 2), 2, "the app and its child");
    // x on the child's lane: p.kill().
    app.send(b"\t").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    app.send(b"j").unwrap();
    app.wait_for(WAIT, |s| s.contains("▸child")).unwrap();
    app.send(b"x").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("killed by signal 9") && s.contains("p.exitcode = -9")
    })
    .unwrap();
    assert_eq!(wait_count(&mark, 1), 1, "the killed child is gone");
    // Quit while a new child sleeps.
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("waiting: sleep"))
        .unwrap();
    assert_eq!(wait_count(&mark, 2), 2, "a new child");
    app.send(b"q").unwrap();
    app.wait_exit(WAIT).unwrap();
    assert!(!app.alternate_screen());
    assert_eq!(wait_count(&mark, 0), 0, "no child outlives the app");
}
