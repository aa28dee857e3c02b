//! The real binary in a pseudo-terminal: keys in, screen text out, and the
//! terminal left as it was found on every exit path.

use std::path::PathBuf;
use std::time::Duration;

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(20);

fn exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_racecourse"))
}

fn data_dir(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("racecourse-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d.display().to_string()
}

fn assert_restored(app: &PtyApp) {
    assert!(!app.alternate_screen(), "left the alternate screen");
    assert_eq!(app.cooked(), Some(true), "raw mode was switched off");
    let raw = String::from_utf8_lossy(&app.raw);
    let enter = raw
        .rfind("\x1b[?1049h")
        .expect("entered the alternate screen");
    let leave = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(leave > enter);
}

#[test]
fn open_navigate_help_contents_quit() {
    let data = data_dir("nav");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &["--chapter", "how-to-use"], &env, 100, 30).unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("How to use this course") && s.contains("section 1/")
    })
    .unwrap();
    assert_eq!(app.cooked(), Some(false), "raw mode while running");
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("section 2/") && s.contains("What the course covers")
    })
    .unwrap();
    app.send(b" ").unwrap();
    app.wait_for(WAIT, |s| s.contains("section 3/")).unwrap();
    app.send(b"h").unwrap();
    app.wait_for(WAIT, |s| s.contains("section 2/")).unwrap();
    app.send(b"?").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("Keys") && s.contains("next section") && s.contains("stop everything")
    })
    .unwrap();
    app.send(b"\x1b").unwrap();
    app.wait_for(WAIT, |s| !s.contains("interrupt everything"))
        .unwrap();
    app.send(b"t").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("Contents") && s.contains("How to use this course")
    })
    .unwrap();
    app.send(b"\x1b").unwrap();
    app.wait_for(WAIT, |s| !s.contains("Enter open")).unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert_restored(&app);

    // The next start resumes on the same section.
    let mut again = PtyApp::spawn(&exe(), &[], &env, 100, 30).unwrap();
    again
        .wait_for(WAIT, |s| {
            s.contains("section 2/") && s.contains("What the course covers")
        })
        .unwrap();
    again.send(b"q").unwrap();
    again.wait_exit(WAIT).unwrap();
}

#[test]
fn a_panic_restores_the_terminal() {
    let data = data_dir("panic");
    let env = [
        ("RACECOURSE_DATA_DIR", data.as_str()),
        ("RACECOURSE_TEST_PANIC", "1"),
    ];
    let mut app = PtyApp::spawn(&exe(), &[], &env, 100, 30).unwrap();
    app.wait_for(WAIT, |s| s.contains("section 1/")).unwrap();
    app.send(b"!").unwrap();
    let code = app.wait_exit(WAIT).unwrap();
    assert_ne!(code, 0);
    assert_restored(&app);
    assert!(
        app.screen_text().contains("injected panic"),
        "{}",
        app.screen_text()
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let data = data_dir("term");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &[], &env, 100, 30).unwrap();
    app.wait_for(WAIT, |s| s.contains("section 1/")).unwrap();
    let pid = i32::try_from(app.pid().unwrap()).expect("a pid");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    app.wait_exit(WAIT).unwrap();
    assert_restored(&app);
}

#[test]
fn a_tiny_terminal_says_so_and_recovers() {
    let data = data_dir("tiny");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &[], &env, 30, 8).unwrap();
    app.wait_for(WAIT, |s| s.contains("too small")).unwrap();
    app.resize(100, 30).unwrap();
    app.wait_for(WAIT, |s| s.contains("section 1/")).unwrap();
    app.send(b"q").unwrap();
    app.wait_exit(WAIT).unwrap();
}

#[test]
fn without_a_terminal_it_says_what_to_do() {
    let out = std::process::Command::new(exe())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
}

#[test]
fn watch_reloads_a_chapter_and_keeps_the_place() {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-watch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let chapter = |second: &str| {
        format!(
            "---\nid: w\ntitle: Watched\norder: 1\n---\n\n## First\n\nOne.\n\n## Second\n\n{second}\n\n## Third\n\nThree.\n"
        )
    };
    let file = dir.join("w.md");
    std::fs::write(&file, chapter("Before the edit.")).unwrap();
    let data = dir.join("data").display().to_string();
    let lessons = dir.display().to_string();
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app =
        PtyApp::spawn(&exe(), &["--lessons", &lessons, "--watch"], &env, 100, 30).unwrap();
    app.wait_for(WAIT, |s| s.contains("section 1/3")).unwrap();
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| s.contains("Before the edit."))
        .unwrap();
    std::fs::write(&file, chapter("After the edit.")).unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("After the edit.") && s.contains("section 2/3")
    })
    .unwrap();
    // A chapter that stops parsing shows its errors until it is fixed.
    std::fs::write(&file, chapter("```demo nope\n```")).unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("cannot be shown") && s.contains("unknown example `nope`")
    })
    .unwrap();
    std::fs::write(&file, chapter("Fixed again.")).unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("Fixed again.") && s.contains("section 2/3")
    })
    .unwrap();
    app.send(b"q").unwrap();
    app.wait_exit(WAIT).unwrap();
}

fn kill(app: &PtyApp, sig: i32) {
    let pid = i32::try_from(app.pid().expect("a pid")).expect("a pid");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, sig) };
}

#[test]
fn sigint_and_sigquit_from_outside_restore_the_terminal() {
    for (name, sig) in [("int", libc::SIGINT), ("quit", libc::SIGQUIT)] {
        let data = data_dir(name);
        let env = [("RACECOURSE_DATA_DIR", data.as_str())];
        let mut app = PtyApp::spawn(&exe(), &[], &env, 100, 30).unwrap();
        app.wait_for(WAIT, |s| s.contains("section 1/")).unwrap();
        kill(&app, sig);
        let code = app.wait_exit(WAIT).unwrap();
        assert_eq!(code, 0, "{name}: a signal is a quit, progress saved");
        assert_restored(&app);
    }
}

#[test]
fn sigtstp_restores_the_terminal_and_sigcont_redraws() {
    let data = data_dir("tstp");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &[], &env, 100, 30).unwrap();
    app.wait_for(WAIT, |s| s.contains("section 1/")).unwrap();
    kill(&app, libc::SIGTSTP);
    let deadline = std::time::Instant::now() + WAIT;
    while app.cooked() != Some(true) || app.alternate_screen() {
        assert!(
            std::time::Instant::now() < deadline,
            "still raw after SIGTSTP"
        );
        app.pump(Duration::from_millis(50));
    }
    assert_restored(&app);
    kill(&app, libc::SIGCONT);
    app.wait_for(WAIT, |s| s.contains("section 1/")).unwrap();
    assert!(app.alternate_screen(), "back on the alternate screen");
    assert_eq!(app.cooked(), Some(false), "raw mode again");
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| s.contains("section 2/")).unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert_restored(&app);
}

#[test]
fn fifos_in_the_data_folder_do_not_hang_the_app() {
    let data = data_dir("fifo");
    std::fs::create_dir_all(&data).unwrap();
    for name in ["progress.json", "progress.json.tmp", "highlight-cache.json"] {
        let c = std::ffi::CString::new(format!("{data}/{name}")).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe(), &[], &env, 100, 30).unwrap();
    app.wait_for(WAIT, |s| s.contains("progress will not be saved"))
        .unwrap();
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| s.contains("section 2/")).unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert_restored(&app);
    let kind = std::fs::metadata(format!("{data}/progress.json")).unwrap();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind.file_type()),
        "never overwritten"
    );
}

#[test]
fn a_value_typed_at_the_prompt_sets_the_option() {
    let data = data_dir("prompt");
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let args = ["--chapter", "how-to-use", "--section", "4"];
    let mut app = PtyApp::spawn(&exe(), &args, &env, 80, 24).unwrap();
    app.wait_for(WAIT, |s| s.contains("workers 4")).unwrap();
    app.send(b":").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("set an option") && s.contains("› workers")
    })
    .unwrap();
    app.send(b"80\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("✗ workers: 80 is out of range 1..=32"))
        .unwrap();
    app.send(b"\x7f\x7f20\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("workers 20") && s.contains("Enter to run") && !s.contains("set an option")
    })
    .unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert_restored(&app);
}
