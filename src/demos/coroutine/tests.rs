// Units are compared exactly: the loop's clock is paused.
#![allow(clippy::float_cmp)]

use super::*;
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind};

fn paused(mode: Mode) -> (CoroutineOutput, Vec<Event>) {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let lp = EventLoop::with_paused_clock(&tracer, &control).unwrap();
    let out = run_on(&lp, mode, 1000, &tracer, &control).unwrap();
    drop(lp);
    (out, drain(&mut rx))
}

fn fact<'a>(out: &'a CoroutineOutput, key: &str) -> &'a str {
    out.facts
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v)
}

#[test]
fn an_unawaited_coroutine_never_runs_and_warns_once() {
    let (out, events) = paused(Mode::NeverAwaited);
    assert_eq!(fact(&out, "ran unawaited"), "false");
    assert_eq!(fact(&out, "ran awaited"), "true");
    let warnings: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Warning { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        warnings,
        ["RuntimeWarning: coroutine 'send_emails' was never awaited"]
    );
    let sending = out.lines.iter().find(|l| l.text == "Sending emails...");
    assert_eq!(
        sending.map(|l| l.at_units),
        Some(1.0),
        "only the awaited one ran"
    );
}

#[test]
fn ensure_future_keeps_futures_and_wraps_coroutines() {
    let (out, events) = paused(Mode::EnsureFuture);
    assert_eq!(fact(&out, "task is task"), "true");
    assert_eq!(fact(&out, "fut is fut"), "true");
    assert_eq!(fact(&out, "coroutine became a"), "Task");
    assert_eq!(fact(&out, "await fut"), "'quota ok'");
    let spawned: Vec<_> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Spawned { label, .. } => Some(label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        spawned,
        ["main", "upload_files", "set_quota", "send_emails"]
    );
    let waited_on_future = events.iter().any(|e| {
        matches!(&e.kind, EventKind::Blocked { on: crate::trace::BlockOn::Task { name }, .. }
            if name == "future quota")
    });
    assert!(waited_on_future);
}
