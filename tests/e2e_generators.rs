//! The generators chapter's stepper in the real binary: each `b` is one
//! `next()` of the notes' generator, then one poll of the `async fn`.

use std::path::PathBuf;
use std::time::Duration;

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn each_press_is_one_next_then_one_poll() {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-gen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = "---\nid: gen\ntitle: Pane test gen\norder: 1\n---\n\n## Step\n\n\
                ```demo generator\nmode: notes\n```\n\n## Poll\n\n\
                ```demo generator\nmode: async-fn\n```\n";
    std::fs::write(dir.join("c.md"), text).unwrap();
    let data = dir.join("data").display().to_string();
    let lessons = dir.display().to_string();
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_racecourse"));
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe, &["--lessons", &lessons], &env, 160, 45).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| s.contains("GEN_CREATED")).unwrap();
    app.send(b"b").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("» yielded 1 at line 3") && s.contains("GEN_SUSPENDED")
    })
    .unwrap();
    assert!(
        !app.screen_text().contains("yielded 2"),
        "one press, one next()"
    );
    app.send(b"b").unwrap();
    app.wait_for(WAIT, |s| s.contains("» yielded 2 at line 6"))
        .unwrap();
    app.send(b"b").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("StopIteration") && s.contains("GEN_CLOSED")
    })
    .unwrap();
    app.send(b"l").unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    for (press, want) in [(1, "Pending"), (2, "Pending"), (3, "Ready(\"uploaded\")")] {
        app.send(b"b").unwrap();
        app.wait_for(WAIT, |s| s.contains(&format!("poll {press}: {want}")))
            .unwrap();
    }
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert!(!app.alternate_screen());
    let _ = std::fs::remove_dir_all(&dir);
}
