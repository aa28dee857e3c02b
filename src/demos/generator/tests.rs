use super::*;
use crate::demos::Host;
use crate::runtime::Control;

/// What a headless run prints, line by line.
fn printed(mode: Mode) -> Vec<String> {
    let (tracer, mut rx) = Tracer::new();
    let ctx = RunCtx {
        tracer,
        control: Control::new(),
        host: Host::Headless,
    };
    run(mode, &GeneratorOptions::default(), &ctx).unwrap();
    let mut lines = Vec::new();
    while let Ok(ev) = rx.try_recv() {
        if let EventKind::Output { text } = ev.kind {
            lines.push(text);
        }
    }
    lines
}

/// CPython's output of `lessons/python/generator_steps.py`, produced by
/// running `python3 lessons/python/generator_steps.py` (CPython 3.11.7)
/// on the build machine and checked in.
const CPYTHON: &str = include_str!("../../../lessons/python/generator_steps.out");

#[test]
fn the_stepper_prints_what_cpython_prints_line_for_line() {
    let ours: Vec<String> = [Mode::Notes, Mode::Countdown]
        .into_iter()
        .flat_map(printed)
        .collect();
    let theirs: Vec<&str> = CPYTHON
        .lines()
        .take_while(|l| !l.starts_with("» send"))
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn the_coroutine_prints_what_cpython_s_prints_poll_for_send() {
    let ours = printed(Mode::AsyncFn);
    let theirs: Vec<&str> = CPYTHON
        .lines()
        .skip_while(|l| !l.starts_with("» send"))
        .collect();
    let program = |l: &&str| !l.starts_with('»');
    let ours_program: Vec<&str> = ours.iter().map(String::as_str).filter(program).collect();
    let theirs_program: Vec<&str> = theirs.iter().copied().filter(program).collect();
    assert_eq!(ours_program, theirs_program);
    let polls = ours.iter().filter(|l| l.starts_with("» poll")).count();
    let sends = theirs
        .iter()
        .filter(|l| l.starts_with("» send(None)"))
        .count();
    assert_eq!(polls, sends, "one poll where CPython sends once");
    assert_eq!(
        ours.last().map(String::as_str),
        Some("» Ready(\"uploaded\")")
    );
}

#[test]
fn the_python_shown_is_the_python_that_ran() {
    let script = include_str!("../../../lessons/python/generator_steps.py");
    assert!(script.contains(pygen::YEILD_TEST));
    assert!(script.contains(pygen::COUNTDOWN));
}

#[test]
fn awaits_are_found_at_their_lines_in_the_coroutine() {
    let (source, _) = coroutine::source();
    let lines: Vec<&str> = source.lines().collect();
    let pending: Vec<usize> = printed(Mode::AsyncFn)
        .iter()
        .filter_map(|l| l.strip_prefix("» Pending: suspended at line "))
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(pending.len(), 2);
    for n in pending {
        assert!(
            lines[n - 1].contains(".await"),
            "line {n} is `{}`",
            lines[n - 1]
        );
    }
}

#[test]
fn in_the_app_each_press_is_one_step() {
    let (tracer, _rx) = Tracer::new();
    let control = Control::new();
    let ctx = RunCtx {
        tracer,
        control: control.clone(),
        host: Host::Ui,
    };
    let h = std::thread::spawn(move || run(Mode::Notes, &GeneratorOptions::default(), &ctx));
    for _ in 0..3 {
        control.press();
    }
    let out = h.join().unwrap().unwrap();
    assert_eq!((out.steps, out.values), (3, vec![1, 2]));
}
