// Units are compared exactly: the loop's clock is paused.
#![allow(clippy::float_cmp)]

use super::*;
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind};

fn paused(mode: Mode) -> (CancelOutput, Vec<Event>) {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let lp = EventLoop::with_paused_clock(&tracer, &control).unwrap();
    let out = run_on(&lp, mode, 1000, &tracer, &control).unwrap();
    drop(lp);
    (out, drain(&mut rx))
}

fn printed(out: &CancelOutput) -> Vec<(f64, &str)> {
    out.lines
        .iter()
        .map(|l| (l.at_units, l.text.as_str()))
        .collect()
}

fn cancelled(events: &[Event]) -> usize {
    events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Cancelled { .. }))
        .count()
}

#[test]
fn a_cancelled_task_stops_at_its_await_and_cleans_up() {
    let (out, events) = paused(Mode::Cancel);
    assert_eq!(out.caught, "CancelledError");
    assert_eq!(out.total_units, 2.0);
    let lines = printed(&out);
    assert!(
        lines.contains(&(2.0, "upload_files: cancelled, cleaning up")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|(_, l)| *l == "Files uploaded."));
    assert_eq!(cancelled(&events), 1);
}

#[test]
fn a_timeout_cuts_send_emails_short() {
    let (out, _) = paused(Mode::Timeout);
    assert_eq!(out.caught, "TimeoutError");
    assert_eq!(out.total_units, 2.0);
    assert!(printed(&out).contains(&(2.0, "send_emails: cancelled, cleaning up")));
}

#[test]
fn a_task_group_cancels_the_siblings_of_a_failed_task() {
    let (out, events) = paused(Mode::TaskGroup);
    assert_eq!(
        out.caught,
        "ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)"
    );
    assert_eq!(
        out.total_units, 2.0,
        "nobody waits for the siblings' sleeps"
    );
    assert!(printed(&out).contains(&(2.0, "except* ValueError as eg: ValueError: quota exceeded")));
    assert_eq!(cancelled(&events), 2, "upload_files and send_emails");
    assert!(!printed(&out).iter().any(|(_, l)| *l == "Emails sent..."));
}
