use proptest::prelude::*;

use super::*;
use crate::demos::{Host, Options as _};
use crate::runtime::Control;
use crate::trace::Tracer;

fn options(spec: &str, temps: &str, temps2: &str, acks: &str) -> LedOptions {
    let mut o = LedOptions::default();
    o.set("spec", spec);
    o.set("temps", temps);
    o.set("temps2", temps2);
    o.set("acks", acks);
    o
}

/// Runs `mode` on a paused tokio clock: no wall-clock time passes.
fn run_paused(mode: Mode, o: &LedOptions) -> LedOutput {
    let (tracer, _rx) = Tracer::new();
    let ctx = RunCtx {
        tracer,
        control: Control::new(),
        host: Host::Headless,
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
        .block_on(run(mode, o, &ctx))
        .unwrap()
}

fn at(s: &[Entry], what: &str) -> Vec<u64> {
    s.iter()
        .filter(|e| e.what == what)
        .map(|e| e.at_ms)
        .collect()
}

#[test]
fn the_default_script_blinks_red_and_alarms_while_hot() {
    let out = run_paused(Mode::Loop, &options("base", "40,40,90,90,40", "40", ""));
    assert_eq!(at(&out.schedule, "ALARM"), [2000, 3000]);
    assert_eq!(
        at(&out.schedule, "red on"),
        (0..10).map(|i| 2000 + 200 * i).collect::<Vec<_>>()
    );
    assert_eq!(at(&out.schedule, "green on"), [0, 1000, 2000, 3000, 4000]);
    assert!(at(&out.schedule, "red off").iter().all(|&t| t < 4000));
}

#[test]
fn an_acknowledgement_silences_the_alarm_for_ten_seconds() {
    let temps = vec!["90"; 15].join(",");
    let out = run_paused(Mode::Tasks, &options("ack", &temps, "40", "2.5"));
    assert_eq!(at(&out.schedule, "ALARM"), [0, 1000, 2000, 13_000, 14_000]);
    let base = run_paused(Mode::Tasks, &options("base", &temps, "40", "2.5"));
    assert_eq!(base.alarms, 15, "the base spec has no key");
}

#[test]
fn the_second_sensor_has_its_own_red_led() {
    let out = run_paused(Mode::Loop, &options("two-sensors", "40,40", "40,90", ""));
    assert_eq!(at(&out.schedule, "red2 on").first(), Some(&1000));
    assert!(at(&out.schedule, "red on").is_empty());
    assert_eq!(at(&out.schedule, "ALARM"), [1000]);
}

fn script() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec![20, 79, 80, 81, 95]), 1..8)
        .prop_map(|v| v.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Loop and tasks mean the same: same schedule for any script, in
    /// every version of the spec.
    #[test]
    fn loop_and_tasks_make_the_same_schedule(
        spec in prop::sample::select(SPECS.to_vec()),
        temps in script(),
        temps2 in script(),
        acks in prop::collection::vec(0u32..80, 0..3),
    ) {
        let acks: Vec<String> = acks.iter().map(|a| format!("{:.1}", f64::from(*a) / 10.0)).collect();
        let o = options(spec, &temps, &temps2, &acks.join(","));
        let a = run_paused(Mode::Loop, &o);
        let b = run_paused(Mode::Tasks, &o);
        prop_assert_eq!(&a.schedule, &b.schedule);
        prop_assert!(!a.schedule.is_empty());
        let both = run_paused(Mode::Both, &o);
        prop_assert_eq!(both.agree, Some(true));
        prop_assert_eq!(&both.schedule, &a.schedule);
    }
}

/// Lines of a version of an implementation, without its module comment:
/// `loop_base` is the Rust file, `py/loop_base` the Python one.
fn code(file: &str) -> Vec<&'static str> {
    let text: &'static str = match file {
        "loop_base" => include_str!("spec/loop_base.rs"),
        "loop_ack" => include_str!("spec/loop_ack.rs"),
        "loop_two" => include_str!("spec/loop_two.rs"),
        "tasks_base" => include_str!("spec/tasks_base.rs"),
        "tasks_ack" => include_str!("spec/tasks_ack.rs"),
        "tasks_two" => include_str!("spec/tasks_two.rs"),
        "py/loop_base" => include_str!("../../../lessons/python/led/loop_base.py"),
        "py/loop_ack" => include_str!("../../../lessons/python/led/loop_ack.py"),
        "py/loop_two" => include_str!("../../../lessons/python/led/loop_two.py"),
        "py/tasks_base" => include_str!("../../../lessons/python/led/tasks_base.py"),
        "py/tasks_ack" => include_str!("../../../lessons/python/led/tasks_ack.py"),
        "py/tasks_two" => include_str!("../../../lessons/python/led/tasks_two.py"),
        _ => panic!("no file {file}"),
    };
    let comment = if file.starts_with("py/") { "#" } else { "//!" };
    text.lines().filter(|l| !l.starts_with(comment)).collect()
}

/// Lines added and removed from `a` to `b` (a longest common subsequence).
pub(super) fn touched(a: &[&str], b: &[&str]) -> (usize, usize) {
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let common = lcs[0][0];
    (b.len() - common, a.len() - common)
}

#[test]
fn the_lesson_states_the_lines_each_change_touches() {
    let lesson = include_str!("../../../lessons/25-led-spec.md");
    let count = |file: String, from: &str, to: &str| {
        let (added, removed) = touched(
            &code(&format!("{file}_{from}")),
            &code(&format!("{file}_{to}")),
        );
        format!("+{added} −{removed}")
    };
    for (change, from, to) in [("ack", "base", "ack"), ("two-sensors", "ack", "two")] {
        for imp in ["loop", "tasks"] {
            let rust = count(imp.to_string(), from, to);
            let python = count(format!("py/{imp}"), from, to);
            let row = format!("| {change} | {imp} | {rust} | {python} |");
            assert!(
                lesson.contains(&row),
                "the lesson should have the row `{row}`"
            );
        }
    }
    let sizes = format!(
        "{} lines\nagainst {} in Rust, {} against {} in Python",
        code("loop_base").len(),
        code("tasks_base").len(),
        code("py/loop_base").len(),
        code("py/tasks_base").len()
    );
    assert!(lesson.contains(&sizes), "the lesson should say `{sizes}`");
}

#[test]
fn touched_counts_a_replaced_line_as_one_out_one_in() {
    assert_eq!(touched(&["a", "b", "c"], &["a", "x", "c", "d"]), (2, 1));
    assert_eq!(touched(&[], &["a"]), (1, 0));
}

/// Fenced blocks of `lesson` whose info string contains `title="…"`, as
/// (title, lines).
fn titled_blocks(lesson: &str) -> Vec<(String, Vec<&str>)> {
    let mut out = Vec::new();
    let mut lines = lesson.lines();
    while let Some(l) = lines.next() {
        let Some(rest) = l.strip_prefix("```").and_then(|r| r.split_once("title=\"")) else {
            continue;
        };
        let title = rest.1.trim_end_matches('"').to_string();
        let body: Vec<&str> = lines.by_ref().take_while(|b| *b != "```").collect();
        out.push((title, body));
    }
    out
}

fn file_lines(path: &str) -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/{path}")).unwrap();
    text.lines().map(|l| l.trim().to_string()).collect()
}

/// The Rust and the diffs the chapters quote are the code that runs.
#[test]
fn quoted_code_is_the_code_in_the_files() {
    let lessons = [
        include_str!("../../../lessons/25-led-spec.md"),
        include_str!("../../../lessons/110-generators.md"),
    ];
    let mut checked = 0;
    for lesson in lessons {
        for (title, body) in titled_blocks(lesson) {
            let quoted = title
                .strip_prefix("Rust (")
                .or_else(|| title.strip_prefix("Python (lessons/"))
                .and_then(|t| t.strip_suffix(')'));
            if let Some(path) = quoted {
                let path = if title.starts_with("Python") {
                    format!("lessons/{path}")
                } else {
                    path.to_string()
                };
                let path = path.as_str();
                let file = file_lines(path);
                for l in body.iter().filter(|l| !l.trim().is_empty()) {
                    assert!(
                        file.contains(&l.trim().to_string()),
                        "{path} has no line `{l}`"
                    );
                }
                checked += 1;
            } else if let Some((imp, change)) = title.split_once(": ") {
                let Some((from, to)) = change.split_once(" → ") else {
                    continue;
                };
                let short = |v: &str| {
                    if v == "two-sensors" {
                        "two".to_string()
                    } else {
                        v.to_string()
                    }
                };
                let (dir, imp, ext) = match imp.strip_prefix("Python ") {
                    Some(imp) => ("lessons/python/led", imp, "py"),
                    None => ("src/demos/led/spec", imp, "rs"),
                };
                let a = file_lines(&format!("{dir}/{imp}_{}.{ext}", short(from)));
                let b = file_lines(&format!("{dir}/{imp}_{}.{ext}", short(to)));
                for l in &body {
                    let (mark, text) = l.split_at(1.min(l.len()));
                    let text = text.trim().to_string();
                    match mark {
                        "+" => assert!(b.contains(&text), "{title}: `{l}` is not in the new file"),
                        "-" => assert!(a.contains(&text), "{title}: `{l}` is not in the old file"),
                        _ => {}
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 14, "only {checked} blocks checked");
}

#[test]
fn the_thermal_source_reads_the_first_zone_in_degrees() {
    let dir = std::env::temp_dir().join(format!("racecourse-thermal-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (zone, milli) in [("thermal_zone1", "30000"), ("thermal_zone0", "85500\n")] {
        std::fs::create_dir_all(dir.join(zone)).unwrap();
        std::fs::write(dir.join(zone).join("temp"), milli).unwrap();
    }
    let mut o = LedOptions::default();
    o.set("source", "thermal");
    let (thermos, source, _) = sensors(&o, &dir).unwrap();
    assert!(source.ends_with("thermal_zone0/temp"), "{source}");
    let inputs = Inputs::new(thermos, Vec::new(), 80, &Control::new());
    assert_eq!(inputs.temp(0, 0), 85);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_thermal_source_fails_in_one_line_without_a_zone() {
    let mut o = LedOptions::default();
    o.set("source", "thermal");
    let err = sensors(&o, std::path::Path::new("/nonexistent/thermal"))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.starts_with("no thermal zone in /nonexistent/thermal; use source script"),
        "{err}"
    );
    assert!(!err.contains('\n'));
}
