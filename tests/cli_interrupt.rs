//! Ctrl-C in a headless run of the process pool, as a terminal sends it: to
//! the whole foreground process group, workers included.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

#[test]
fn ctrl_c_interrupts_workers_and_restarts_none() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args([
            "run",
            "hash",
            "--mode",
            "processes",
            "--workers",
            "2",
            "--prefix",
            "00000000",
            "--json",
        ])
        .env(
            "RACECOURSE_DATA_DIR",
            std::env::temp_dir().join("racecourse-cli-int"),
        )
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pgid = i32::try_from(child.id()).expect("a pid");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let mut started = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("\"event\":\"started\"") {
            started += 1;
        }
        seen.push(line);
        if started == 2 {
            break;
        }
    }
    assert_eq!(started, 2, "both workers ran a job: {seen:?}");
    // SAFETY: signalling the process group we created for the child.
    unsafe { libc::kill(-pgid, libc::SIGINT) };
    seen.extend(lines.map_while(Result::ok));
    let status = child.wait().unwrap();
    let all = seen.join("\n");
    assert!(
        !all.contains("starting a new one"),
        "restarted a worker: {all}"
    );
    assert!(!all.contains("died"), "{all}");
    let summary: serde_json::Value = serde_json::from_str(seen.last().unwrap()).unwrap();
    assert_eq!(summary["ok"], false, "{summary}");
    assert!(
        summary["error"]
            .as_str()
            .unwrap_or("")
            .contains("interrupt"),
        "{summary}"
    );
    assert!(!status.success());
    // Only the two first processes ever ran: no replacement came up.
    let ups = seen
        .iter()
        .filter(|l| l.contains("\"event\":\"lane_up\"") && l.contains("worker-"))
        .count();
    assert_eq!(ups, 2, "{all}");
}
