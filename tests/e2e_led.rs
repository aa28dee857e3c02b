//! The led-spec chapter's pane in the real binary: both implementations
//! on temperatures from the keys; `+` makes it hot (red LEDs and alarms on
//! both boards), `b` acknowledges, `p` pauses, `X` interrupts, `q` quits.

use std::path::PathBuf;
use std::time::Duration;

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn both_boards_follow_the_keys_pause_and_stop() {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-led-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = "---\nid: led\ntitle: Pane test led\norder: 1\n---\n\n## Live\n\n\
                ```demo led\nmode: both\nspec: ack\nsource: keys\nseconds: 600\nsecond-ms: 200\n```\n";
    std::fs::write(dir.join("c.md"), text).unwrap();
    let data = dir.join("data").display().to_string();
    let lessons = dir.display().to_string();
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_racecourse"));
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe, &["--lessons", &lessons], &env, 160, 45).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("loop: one hand-written loop")
            && s.contains("tasks: one task per line")
            && s.contains("green on")
    })
    .unwrap();
    assert!(!app.screen_text().contains("ALARM"), "cold at 40°");
    for _ in 0..5 {
        app.send(b"+").unwrap();
    }
    app.wait_for(WAIT, |s| {
        s.matches("ALARM").count() >= 2 && s.contains("red on") && s.contains("90°")
    })
    .unwrap();
    app.send(b"b").unwrap();
    app.send(b"p").unwrap();
    app.wait_for(WAIT, |s| s.contains("PAUSED")).unwrap();
    app.send(b"p").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("KeyboardInterrupt") && !s.contains("· running")
    })
    .unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert!(!app.alternate_screen());
    let _ = std::fs::remove_dir_all(&dir);
}
