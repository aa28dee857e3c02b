//! `racecourse run`, `list`, `check` and friends, as a learner types them.

use std::process::Command;

fn racecourse(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_racecourse"))
        .args(args)
        .env(
            "RACECOURSE_DATA_DIR",
            std::env::temp_dir().join("racecourse-cli-tests"),
        )
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn last_json(stdout: &str) -> serde_json::Value {
    let line = stdout.lines().last().expect("a summary line");
    serde_json::from_str(line).expect("the last line is JSON")
}

#[test]
fn hash_json_summary_holds_the_nonce_in_every_mode() {
    for mode in ["sequential", "threads", "threads-gil", "processes"] {
        let (code, out, err) = racecourse(&[
            "run",
            "hash",
            "--message",
            "hello world",
            "--prefix",
            "0000",
            "--mode",
            mode,
            "--workers",
            "2",
            "--json",
        ]);
        assert_eq!(code, 0, "{mode}: {err}");
        let s = last_json(&out);
        assert_eq!(s["demo"], "hash");
        assert_eq!(s["mode"], mode);
        assert_eq!(s["result"]["nonce"], 61130, "{mode}: {s}");
        assert!(s["wall_ms"].as_f64().unwrap() > 0.0);
        let lanes = s["lanes"].as_array().unwrap();
        assert!(!lanes.is_empty());
        assert!(
            lanes
                .iter()
                .all(|l| l.get("busy_ms").is_some() && l.get("idle_ms").is_some())
        );
        // Every line before the summary is one event.
        for line in out.lines().rev().skip(1) {
            let ev: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                ev.get("t_us").is_some() && ev.get("event").is_some(),
                "{line}"
            );
        }
    }
}

#[test]
fn pokemon_prints_the_names_one_a_line() {
    let expected = [
        "bulbasaur",
        "ivysaur",
        "venusaur",
        "charmander",
        "charmeleon",
        "charizard",
        "squirtle",
        "wartortle",
        "blastoise",
        "caterpie",
        "metapod",
        "butterfree",
        "weedle",
        "kakuna",
        "beedrill",
        "pidgey",
        "pidgeotto",
        "pidgeot",
        "rattata",
    ];
    for mode in ["sync", "async"] {
        let (code, out, err) = racecourse(&["run", "pokemon", "--mode", mode, "--latency", "5"]);
        assert_eq!(code, 0, "{err}");
        let names: Vec<&str> = out.lines().take_while(|l| !l.starts_with("--")).collect();
        assert_eq!(names, expected, "{mode}");
    }
}

#[test]
fn download_counts_every_request() {
    for mode in ["sync", "threads", "async"] {
        let (code, out, err) = racecourse(&[
            "run",
            "download",
            "--mode",
            mode,
            "--count",
            "12",
            "--latency",
            "5",
            "--workers",
            "4",
            "--json",
        ]);
        assert_eq!(code, 0, "{mode}: {err}");
        let s = last_json(&out);
        assert_eq!(s["result"]["downloaded"], 12, "{mode}: {s}");
        assert_eq!(s["result"]["failed"], 0, "{mode}: {s}");
        assert_eq!(s["counts"]["failed"], 0, "{mode}: {s}");
    }
}

#[test]
fn bad_names_get_one_clear_line_with_a_suggestion() {
    let (code, _, err) = racecourse(&["run", "hsah"]);
    assert_eq!(code, 1);
    assert_eq!(
        err.trim(),
        "racecourse: unknown example `hsah`; did you mean `hash`?"
    );
    let (code, _, err) = racecourse(&["run", "hash", "--mode", "thread"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `threads`?"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, _, err) = racecourse(&["render", "--chapter", "how-to-uses"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean `how-to-use`?"), "{err}");
}

#[test]
fn list_check_and_render_work_without_a_terminal() {
    let (code, out, _) = racecourse(&["list"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .any(|l| l.starts_with("how-to-use\tHow to use this course")),
        "{out}"
    );
    let (code, out, err) = racecourse(&["check"]);
    assert_eq!(code, 0, "the shipped chapters pass check: {out}{err}");
    let (code, out, _) = racecourse(&[
        "render",
        "--chapter",
        "how-to-use",
        "--width",
        "80",
        "--height",
        "24",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 24);
    assert!(out.contains("How to use this course"));
}

#[test]
fn check_reports_positions_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("racecourse-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("bad.md"),
        "---\nid: bad\ntitle: Bad\norder: 1\n---\n\n## One\n\n```demo hash\nmode: thread\n```\n",
    )
    .unwrap();
    let (code, out, _) = racecourse(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let line = out.lines().next().unwrap();
    assert!(line.ends_with("bad.md:10:7: example `hash` has no mode `thread`; did you mean `threads`? (modes: sequential, threads-gil, threads, processes, threads-gil-4k)"), "{line}");
}
