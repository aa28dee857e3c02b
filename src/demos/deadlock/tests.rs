use std::time::{Duration, Instant};

use super::*;
use crate::demos::{DemoRequest, run_json};
use crate::runtime::testing::drain;
use crate::trace::{Event, RunState, check_stream};

fn run_it(mode: &str, opts: &[(&str, &str)], control: &Control) -> (serde_json::Value, Vec<Event>) {
    let mut r = DemoRequest::new("deadlock").unwrap();
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

fn folded(events: &[Event]) -> RunState {
    let mut s = RunState::new();
    for e in events {
        s.apply(e);
    }
    s
}

#[test]
fn opposite_orders_deadlock_and_the_main_thread_gives_up() {
    // Each thread holds its first lock for 150 ms before it reaches for
    // the second: both hold one when both ask for the other.
    let opts = [("work-ms", "150"), ("hold-ms", "100"), ("rounds", "2")];
    let (out, events) = run_it("opposite", &opts, &Control::new());
    assert_eq!(out["deadlocked"], true);
    assert_eq!(
        out["cycle"],
        serde_json::json!(["thread-1", "lock b", "thread-2", "lock a"])
    );
    assert_eq!(out["completed"], false);
    for t in out["threads"].as_array().unwrap() {
        assert_eq!(t["ended"], "gave up");
        assert_eq!(t["rounds"], 0);
    }
    // Afterwards nobody holds or wants anything: nothing is left behind.
    let s = folded(&events);
    let g = graph::WaitFor::from_vars(&s.vars);
    assert_eq!(g, graph::WaitFor::default());
    assert!(s.vars["deadlock"].starts_with("thread-1 → lock b"));
}

#[test]
fn one_global_order_completes_and_one_thread_waited_on_a_lock() {
    let opts = [("work-ms", "20"), ("rounds", "3")];
    let (out, events) = run_it("ordered", &opts, &Control::new());
    assert_eq!(out["deadlocked"], false);
    assert_eq!(out["completed"], true);
    assert_eq!(out["cycle"], serde_json::json!([]));
    for t in out["threads"].as_array().unwrap() {
        assert_eq!(t["rounds"], 3);
    }
    let waited = events.iter().any(
        |e| matches!(&e.kind, EventKind::Blocked { on: BlockOn::Lock { name }, .. } if name == "a"),
    );
    assert!(waited, "the second thread waited for lock a");
}

#[test]
fn an_interrupt_ends_a_deadlock_that_would_last_forever() {
    let control = Control::new();
    let c = control.clone();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        c.interrupt_all();
    });
    let t = Instant::now();
    let opts = [("work-ms", "100"), ("hold-ms", "0")];
    let (out, _) = run_it("opposite", &opts, &control);
    stopper.join().unwrap();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "ended by the interrupt"
    );
    assert_eq!(out["deadlocked"], true);
    for t in out["threads"].as_array().unwrap() {
        assert_eq!(t["ended"], "interrupted");
    }
}

#[test]
fn interrupting_one_thread_lets_the_other_finish() {
    let control = Control::new();
    let c = control.clone();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        c.interrupt_lane(1);
    });
    let opts = [("work-ms", "100"), ("hold-ms", "0"), ("rounds", "1")];
    let (out, _) = run_it("opposite", &opts, &control);
    stopper.join().unwrap();
    let threads = out["threads"].as_array().unwrap();
    assert_eq!(threads[0]["ended"], "interrupted");
    assert_eq!(threads[1]["ended"], "completed");
    assert_eq!(threads[1]["rounds"], 1);
}
