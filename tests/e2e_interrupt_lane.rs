//! `x` in the real binary: the selected lane, marked `▸`, is the only one
//! interrupted; the other lanes finish their jobs and the run ends well.

use std::path::PathBuf;
use std::time::Duration;

use racecourse::bench::pty::PtyApp;

const WAIT: Duration = Duration::from_secs(45);

#[test]
fn x_cancels_the_selected_lanes_job_and_the_others_finish() {
    let dir = std::env::temp_dir().join(format!("racecourse-e2e-x-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let body =
        "```demo three-ways\nmode: threads\nworkload: io\ntasks: 8\nworkers: 4\nwait-ms: 1500\n```";
    let text = format!("---\nid: x\ntitle: Pane test x\norder: 1\n---\n\n## Live\n\n{body}\n");
    std::fs::write(dir.join("c.md"), text).unwrap();
    let data = dir.join("data").display().to_string();
    let env = [("RACECOURSE_DATA_DIR", data.as_str())];
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_racecourse"));
    let lessons = dir.display().to_string();
    let mut app = PtyApp::spawn(&exe, &["--lessons", &lessons], &env, 130, 40).unwrap();
    app.wait_for(WAIT, |s| s.contains("· ready")).unwrap();
    app.send(b"\r").unwrap();
    app.wait_for(WAIT, |s| {
        s.contains("· running") && s.contains("waiting: sleep")
    })
    .unwrap();
    // Focus the pane, select the second worker: it is marked.
    app.send(b"\t").unwrap();
    app.send(b"\x1b[B").unwrap();
    app.wait_for(WAIT, |s| s.contains("▸worker-2")).unwrap();
    app.send(b"x").unwrap();
    app.wait_for(WAIT, |s| s.contains("interrupt sent to worker-2"))
        .unwrap();
    app.wait_for(WAIT, |s| s.contains("· done")).unwrap();
    let end = app.screen_text();
    assert!(end.contains("7/8 io jobs"), "{end}");
    assert!(end.contains("1 cancelled"), "{end}");
    app.send(b"q").unwrap();
    assert_eq!(app.wait_exit(WAIT).unwrap(), 0);
}
