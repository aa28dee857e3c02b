// Units are compared exactly: the loop's clock is paused.
#![allow(clippy::float_cmp)]

use super::*;
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind};

/// Runs `mode` on a loop whose clock is paused: the units are exact.
fn paused(mode: Mode) -> (GatherOutput, Vec<Event>) {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let lp = EventLoop::with_paused_clock(&tracer, &control).unwrap();
    let out = run_on(&lp, mode, 1000, &tracer, &control).unwrap();
    drop(lp);
    (out, drain(&mut rx))
}

fn texts(out: &GatherOutput) -> Vec<(f64, &str)> {
    out.lines
        .iter()
        .filter(|l| !l.text.starts_with("STARTED") && !l.text.starts_with("FINISHED"))
        .map(|l| (l.at_units, l.text.as_str()))
        .collect()
}

fn tasks(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Spawned { label, .. } => Some(label.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn one_after_the_other_takes_eight_units_in_main_alone() {
    let (out, events) = paused(Mode::Sequential);
    assert_eq!(out.total_units, 8.0);
    assert_eq!(
        texts(&out),
        [
            (0.0, "Preparing files..."),
            (1.0, "Files prepared."),
            (5.0, "Files uploaded."),
            (5.0, "Sending emails..."),
            (8.0, "Emails sent..."),
        ]
    );
    assert_eq!(
        tasks(&events),
        ["main"],
        "awaiting a coroutine makes no task"
    );
}

#[test]
fn gather_takes_the_longer_of_the_two() {
    let (out, events) = paused(Mode::Gather);
    assert_eq!(out.total_units, 5.0);
    assert_eq!(
        texts(&out),
        [
            (0.0, "Preparing files..."),
            (0.0, "Sending emails..."),
            (1.0, "Files prepared."),
            (3.0, "Emails sent..."),
            (5.0, "Files uploaded."),
        ]
    );
    assert_eq!(tasks(&events), ["main", "upload_files", "send_emails"]);
}

#[test]
fn a_created_task_starts_when_main_yields() {
    let (out, events) = paused(Mode::CreateTask);
    assert_eq!(out.total_units, 5.0);
    let order: Vec<_> = texts(&out).into_iter().map(|(_, t)| t).collect();
    assert_eq!(
        order[..3],
        [
            "task created; send_emails has not started",
            "Preparing files...",
            "Sending emails..."
        ]
    );
    assert_eq!(tasks(&events), ["main", "send_emails"]);
}

#[test]
fn an_interrupt_ends_the_run_as_keyboard_interrupt() {
    let (tracer, _rx) = Tracer::new();
    let control = Control::new();
    control.interrupt_all();
    let e = run(Mode::Gather, 1000, &tracer, &control).unwrap_err();
    assert_eq!(e.to_string(), "interrupted (KeyboardInterrupt)");
}
