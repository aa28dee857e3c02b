//! The generator stepper against CPython, run here and now: its lines equal
//! what `python3` prints for `lessons/python/generator_steps.py` (the notes'
//! `yeild_test` and `countdown`, stepped by `next()`), and its program lines
//! equal what the notes' own code prints, quoted from the chapter. Skipped,
//! with a message, when `python3` is not on the machine.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_racecourse");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn python(args: &[&str]) -> Option<Vec<String>> {
    let Ok(out) = Command::new("python3").args(args).output() else {
        eprintln!("skipped: python3 is not on this machine");
        return None;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
    )
}

/// What `racecourse run generator --mode MODE` prints before its summary.
fn stepper(mode: &str) -> Vec<String> {
    let out = Command::new(BIN)
        .args(["run", "generator", "--mode", mode, "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let ev: serde_json::Value = serde_json::from_str(l).ok()?;
            (ev["event"] == "output").then(|| ev["text"].as_str().unwrap_or_default().to_string())
        })
        .collect()
}

#[test]
fn the_stepper_prints_what_cpython_prints_now() {
    let script = format!("{ROOT}/lessons/python/generator_steps.py");
    let Some(cpython) = python(&[&script]) else {
        return;
    };
    let theirs: Vec<String> = cpython
        .into_iter()
        .take_while(|l| !l.starts_with("» send"))
        .collect();
    let ours: Vec<String> = ["notes", "countdown"]
        .into_iter()
        .flat_map(stepper)
        .collect();
    assert!(ours.len() > 20, "{ours:?}");
    assert_eq!(ours, theirs);
}

#[test]
fn the_stepper_prints_the_notes_output() {
    let lesson = std::fs::read_to_string(format!("{ROOT}/lessons/110-generators.md")).unwrap();
    let start = lesson
        .find("```python title=\"Python (the notes)\"\n")
        .expect("the notes' code in the chapter");
    let code = &lesson[start..];
    let code = &code[code.find('\n').unwrap() + 1..];
    let code = &code[..code.find("```").unwrap()];
    assert!(code.contains("def yeild_test"));
    let Some(theirs) = python(&["-c", code]) else {
        return;
    };
    let ours: Vec<String> = stepper("notes")
        .into_iter()
        .filter(|l| !l.starts_with('»'))
        .collect();
    assert_eq!(theirs.len(), 4, "{theirs:?}");
    assert_eq!(ours, theirs);
}
