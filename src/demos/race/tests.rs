use super::*;
use crate::demos::{DemoRequest, run_json};
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind, check_stream};

fn run_it(mode: &str, opts: &[(&str, &str)], control: &Control) -> (serde_json::Value, Vec<Event>) {
    let mut r = DemoRequest::new("race").unwrap();
    r.set_mode(mode).unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    let (tracer, mut rx) = Tracer::new();
    let out = run_json(&r, &tracer, control).unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    (out, events)
}

fn figures(out: &serde_json::Value) -> (u64, u64) {
    (
        out["expected"].as_u64().unwrap(),
        out["got"].as_u64().unwrap(),
    )
}

#[test]
fn locked_and_atomic_never_lose_an_update() {
    for mode in ["locked", "atomic"] {
        let opts = [("threads", "4"), ("increments", "50000")];
        let (out, _) = run_it(mode, &opts, &Control::new());
        assert_eq!(figures(&out), (200_000, 200_000), "{mode}");
        assert_eq!(out["lost"], 0);
    }
}

#[test]
fn unlocked_never_counts_more_than_was_added() {
    let opts = [("threads", "2"), ("increments", "200000")];
    let (out, events) = run_it("unlocked", &opts, &Control::new());
    let (expected, got) = figures(&out);
    assert_eq!(expected, 400_000);
    assert!(got >= 1 && got <= expected, "got {got}");
    assert_eq!(out["lost"].as_u64().unwrap(), expected - got);
    // The pane's last word on the counter is the value the run read.
    let last = events.iter().rev().find_map(|e| match &e.kind {
        EventKind::State { key, value } if key == "counter" => Some(value.clone()),
        _ => None,
    });
    assert_eq!(last, Some(group(got)));
}

#[test]
fn one_thread_alone_loses_nothing_even_unlocked() {
    let opts = [("threads", "1"), ("increments", "100000")];
    let (out, _) = run_it("unlocked", &opts, &Control::new());
    assert_eq!(figures(&out), (100_000, 100_000));
}

#[test]
fn read_sleep_write_on_two_threads_ends_at_one() {
    // Both threads read 0 within microseconds of the barrier, then sleep
    // 150 ms before either writes: the second write overwrites the first.
    let opts = [("threads", "2"), ("increments", "1"), ("sleep-ms", "150")];
    let (out, events) = run_it("sleep", &opts, &Control::new());
    assert_eq!(figures(&out), (2, 1));
    let read_zero = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::State { value, .. } if value == "read 0"))
        .count();
    assert_eq!(read_zero, 2, "each thread read 0");
}

#[test]
fn with_the_lock_the_second_thread_waits_and_nothing_is_lost() {
    let opts = [("threads", "2"), ("increments", "1"), ("sleep-ms", "50")];
    let (out, events) = run_it("sleep-locked", &opts, &Control::new());
    assert_eq!(figures(&out), (2, 2));
    let waited = events.iter().any(|e| {
        matches!(&e.kind, EventKind::Blocked { on: BlockOn::Lock { name }, .. } if name == "db")
    });
    assert!(waited, "one thread was blocked on the lock");
}

#[test]
fn an_interrupt_stops_every_thread_and_says_so() {
    let control = Control::new();
    control.interrupt_all();
    let opts = [("threads", "3"), ("increments", "100000000")];
    let (out, events) = run_it("locked", &opts, &control);
    assert_eq!(out["interrupted"], true);
    assert_eq!(figures(&out), (0, 0));
    let downs = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::LaneDown { reason } if reason == "interrupted"))
        .count();
    assert_eq!(downs, 3);
}

#[test]
fn numbers_are_grouped_by_thousands() {
    assert_eq!(group(0), "0");
    assert_eq!(group(999), "999");
    assert_eq!(group(1000), "1,000");
    assert_eq!(group(2_000_000), "2,000,000");
}
