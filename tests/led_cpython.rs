//! The LED spec in CPython (`lessons/python/led_spec.py`, a hand-written
//! loop on `time.sleep` and asyncio tasks) against racecourse's `led`: the
//! same temperature script gives the same schedule, in every version of
//! the spec. Skipped, with a message, when `python3` is not on the machine.

use std::process::{Child, Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_racecourse");
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/python/led_spec.py");

fn python() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import asyncio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 is not on this machine");
    }
    ok
}

/// `(mode, spec, options)` of each comparison.
fn cases() -> Vec<(&'static str, &'static str, Vec<String>)> {
    let hot = vec!["90"; 15].join(",");
    let mut out = Vec::new();
    for mode in ["loop", "tasks"] {
        out.push((
            mode,
            "base",
            vec!["--temps".into(), "40,40,90,90,40".into()],
        ));
        out.push((
            mode,
            "base",
            vec!["--temps".into(), "95,20,81,80,79,90".into()],
        ));
        out.push((
            mode,
            "ack",
            vec!["--temps".into(), hot.clone(), "--acks".into(), "2.5".into()],
        ));
        out.push((
            mode,
            "two-sensors",
            vec![
                "--temps".into(),
                "40,40,90,90,40".into(),
                "--temps2".into(),
                "90,40,40,90,90,90".into(),
                "--acks".into(),
                "3.3".into(),
            ],
        ));
    }
    out
}

fn spawn(
    program: &str,
    first: &[&str],
    mode: &str,
    spec: &str,
    rest: &[String],
    second_ms: &str,
) -> Child {
    Command::new(program)
        .args(first)
        .args([
            "--mode",
            mode,
            "--spec",
            spec,
            "--second-ms",
            second_ms,
            "--json",
        ])
        .args(rest)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {program}: {e}"))
}

/// The `result.schedule` of the last line of a `--json` run.
fn schedule(out: &Output, who: &str) -> serde_json::Value {
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{who} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = text.lines().last().unwrap_or_default();
    let summary: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{who}: {e} in {last:?}"));
    summary["result"]["schedule"].clone()
}

#[test]
fn cpython_and_racecourse_make_the_same_schedules() {
    if !python() {
        return;
    }
    let runs: Vec<_> = cases()
        .into_iter()
        .map(|(mode, spec, rest)| {
            // CPython at ten times real speed; racecourse faster still: the
            // schedule does not depend on the speed.
            let py = spawn("python3", &[SCRIPT], mode, spec, &rest, "100");
            let rc = spawn(BIN, &["run", "led"], mode, spec, &rest, "10");
            (format!("{mode} {spec} {rest:?}"), py, rc)
        })
        .collect();
    for (case, py, rc) in runs {
        let py = schedule(&py.wait_with_output().unwrap(), &format!("python3 {case}"));
        let rc = schedule(
            &rc.wait_with_output().unwrap(),
            &format!("racecourse {case}"),
        );
        let n = py.as_array().map_or(0, Vec::len);
        assert!(n > 10, "{case}: only {n} changes");
        assert_eq!(
            py, rc,
            "{case}: CPython's schedule differs from racecourse's"
        );
    }
}

#[test]
fn cpython_prints_the_lines_racecourse_prints_for_the_loop() {
    if !python() {
        return;
    }
    let args = ["--temps", "40,40,90,90,40"];
    let lines = |program: &str, first: &[&str]| -> Vec<String> {
        let out = Command::new(program)
            .args(first)
            .args(["--mode", "loop", "--second-ms", "100"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{program}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with("loop "))
            .map(str::to_string)
            .collect()
    };
    let py = lines("python3", &[SCRIPT]);
    let rc = lines(BIN, &["run", "led"]);
    assert!(py.len() > 30, "{py:?}");
    assert_eq!(py, rc);
}
