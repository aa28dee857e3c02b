//! `racecourse check --run` and `render --run`: the lesson contract, on a
//! small folder of chapters written here.

use std::path::PathBuf;
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

fn folder(tag: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("racecourse-check-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let text = format!("---\nid: waits\ntitle: Waits\norder: 1\n---\n\n## Run it\n\n{body}");
    std::fs::write(dir.join("01-waits.md"), text).unwrap();
    dir
}

const DEMO: &str =
    "```demo three-ways\nmode: threads\nworkload: io\ntasks: 4\nworkers: 4\nwait-ms: 50\n";

#[test]
fn statements_that_hold_pass_and_the_others_name_their_line() {
    let dir = folder(
        "mixed",
        &format!(
            "{DEMO}expect: shows \"4/4\"\nexpect: hides \"Traceback\"\n\
             expect: figure \"s  elapsed\" 0.01..5\nexpect: speed 2\n\
             expect: shows \"5/5\"\nexpect: at 100x30 figure \"s  elapsed\" 100..200\n```\n"
        ),
    );
    let d = dir.display().to_string();
    let (code, out, err) = racecourse(&["check", "--run", &d]);
    assert_eq!(code, 1, "{out}{err}");
    let want = [
        format!("{d}/01-waits.md:19:9: at 100×30 the pane does not show \"5/5\""),
        format!("{d}/01-waits.md:19:9: at 80×24 the pane does not show \"5/5\""),
        format!("{d}/01-waits.md:19:9: at 120×36 the pane does not show \"5/5\""),
    ];
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert_eq!(
        lines[..3],
        [want[0].as_str(), want[1].as_str(), want[2].as_str()],
        "{out}"
    );
    assert!(
        lines[3].starts_with(&format!(
            "{d}/01-waits.md:20:9: at 100×30 the figure before \"s  elapsed\" is "
        )),
        "{out}"
    );
    assert!(
        err.contains("4 problem(s), 1 live sections run, 6 statements checked"),
        "{err}"
    );
    // Without --run, the same folder is fine: the statements parse.
    let (code, _, err) = racecourse(&["check", &d]);
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_reports_bad_expect_lines_and_placeholders_without_running() {
    let dir = folder(
        "syntax",
        &format!("TODO: say more.\n\n{DEMO}expect: show \"x\"\n```\n"),
    );
    let d = dir.display().to_string();
    let (code, out, _) = racecourse(&["check", &d]);
    assert_eq!(code, 1);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            format!(
                "{d}/01-waits.md:9:1: leftover placeholder `TODO` in the text: write what it \
                 stands for, or quote it as `code`"
            ),
            format!(
                "{d}/01-waits.md:17:9: unknown expectation `show`; did you mean `shows`? \
                 (expectations: shows, hides, order, figure, failed-bars, failures, gil-exclusive, speed, set, press, bars)"
            ),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn render_run_prints_the_screen_after_the_run() {
    let dir = folder("render", &format!("{DEMO}```\n"));
    let d = dir.display().to_string();
    let (code, out, err) = racecourse(&[
        "--lessons",
        &d,
        "render",
        "--chapter",
        "waits",
        "--section",
        "1",
        "--run",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4/4"), "{out}");
    assert!(out.contains("· done"), "{out}");
    assert_eq!(out.lines().count(), 30);
    let (code, _, err) = racecourse(&[
        "--lessons",
        &d,
        "render",
        "--chapter",
        "waits",
        "--run",
        "--section",
        "2",
    ]);
    assert_eq!(code, 1);
    assert_eq!(err.lines().count(), 1, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
