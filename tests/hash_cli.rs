//! `racecourse run hash` and `run button` headless, through the real binary:
//! the final JSON summary's `result` holds the notes' nonce.

use std::process::Command;

fn run_json(args: &[&str]) -> (Vec<serde_json::Value>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(args)
        .arg("--json")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    let summary = lines.pop().expect("a summary line");
    (lines, summary)
}

#[test]
fn every_mode_finds_the_notes_nonce() {
    for (mode, workers) in [
        ("sequential", "1"),
        ("threads", "2"),
        ("threads-gil", "2"),
        ("processes", "2"),
    ] {
        let (events, summary) = run_json(&[
            "run",
            "hash",
            "--message",
            "hello world",
            "--prefix",
            "0000",
            "--mode",
            mode,
            "--workers",
            workers,
            "--chunk",
            "10000",
        ]);
        assert_eq!(summary["demo"], "hash");
        assert_eq!(summary["mode"], mode);
        assert_eq!(summary["result"]["nonce"], 61130, "{mode}: {summary}");
        assert_eq!(summary["result"]["mode"], mode);
        let printed = events
            .iter()
            .any(|e| e["event"] == "output" && e["text"] == "61130");
        assert!(
            printed,
            "{mode}: the nonce is printed as the notes' print()"
        );
    }
}

#[test]
fn a_bad_prefix_is_one_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(["run", "hash", "--prefix", "00x0"])
        .output()
        .expect("the binary runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("prefix"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn the_button_search_runs_headless_in_every_mode() {
    for mode in ["thread", "blocking", "cooperative"] {
        let (_, summary) = run_json(&[
            "run",
            "button",
            "--mode",
            mode,
            "--prefix",
            "0000",
            "--yield-every",
            "1000",
        ]);
        assert_eq!(summary["result"]["nonce"], 61130, "{mode}: {summary}");
        assert!(summary["result"]["clock"]["ticks"].as_u64().is_some());
    }
}
