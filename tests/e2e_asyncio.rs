//! The asyncio chapter's event-loop pane in the real binary: gather runs,
//! pauses, resumes, and Ctrl-C (`X`) cancels every task at its await.

use std::path::PathBuf;
use std::time::Duration;

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn gather_pauses_resumes_and_is_cancelled_at_its_awaits() {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-asyncio-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = "---\nid: aio\ntitle: Pane test aio\norder: 1\n---\n\n## Live\n\n\
                ```demo gather\nmode: gather\nunit-ms: 2000\n```\n";
    std::fs::write(dir.join("c.md"), text).unwrap();
    let data = dir.join("data").display().to_string();
    let lessons = dir.display().to_string();
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_racecourse"));
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let mut app = PtyApp::spawn(&exe, &["--lessons", &lessons], &env, 200, 50).unwrap();
    app.wait_for(WAIT, |s| s.contains("event loop: stopped"))
        .unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("waiting: gather") && s.contains("send_emails") && s.contains("waiting: sleep")
    })
    .unwrap();
    app.send(b"p").unwrap();
    app.wait_for(WAIT, |s| s.contains("PAUSED")).unwrap();
    app.send(b"p").unwrap();
    app.wait_for(WAIT, |s| s.contains("· running")).unwrap();
    app.send(b"X").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("cancelled") && s.contains("KeyboardInterrupt") && !s.contains("waiting: sleep")
    })
    .unwrap();
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
    assert!(!app.alternate_screen());
    let _ = std::fs::remove_dir_all(&dir);
}
