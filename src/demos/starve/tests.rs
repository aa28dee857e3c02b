use super::*;
use crate::demos::{DemoRequest, run_json};
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind, RunState, check_stream};

fn run_it(mode: &str, opts: &[(&str, &str)], control: &Control) -> (serde_json::Value, Vec<Event>) {
    let mut r = DemoRequest::new("starve").unwrap();
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

#[test]
fn streaks_count_the_longest_run_of_one_thread() {
    assert_eq!(longest_streak(""), 0);
    assert_eq!(longest_streak("1212"), 1);
    assert_eq!(longest_streak("1112222122"), 4);
}

#[test]
fn the_fair_lock_alternates_once_both_threads_ask() {
    let opts = [("rounds", "6"), ("hold-ms", "20")];
    let (out, events) = run_it("fair", &opts, &Control::new());
    let order = out["order"].as_str().unwrap();
    assert_eq!(order.len(), 12);
    assert_eq!(order.matches('1').count(), 6);
    // While both threads are in line, each waits its turn: after the first
    // two turns (the second thread may arrive a turn late) they alternate.
    let tail = &order[2..order.len() - 2];
    assert_eq!(longest_streak(tail), 1, "order {order}");
    let mut s = RunState::new();
    for e in &events {
        s.apply(e);
    }
    assert_eq!(s.vars["turns"], order);
    assert!(
        !s.vars.contains_key("holder:lock m"),
        "the lock is free at the end"
    );
}

#[test]
fn a_polling_thread_starves_while_the_other_takes_turn_after_turn() {
    // The holder lets go and asks again within a microsecond; the poller
    // looks once a millisecond. It would have to look inside that gap to
    // get a turn: once in a while it may, twice in a run hardly ever.
    let opts = [("rounds", "5"), ("hold-ms", "10")];
    let (out, _) = run_it("polling", &opts, &Control::new());
    assert_eq!(out["order"].as_str().unwrap().len(), 10);
    let streak = out["longest_streak"].as_u64().unwrap();
    assert!(streak >= 3, "order {}", out["order"]);
}

#[test]
fn every_turn_is_taken_with_the_blocking_std_mutex_too() {
    let opts = [("rounds", "5"), ("hold-ms", "10")];
    let (out, _) = run_it("blocking", &opts, &Control::new());
    let order = out["order"].as_str().unwrap();
    assert_eq!(order.len(), 10);
    assert_eq!(order.matches('2').count(), 5);
    let streak = out["longest_streak"].as_u64().unwrap();
    assert!((1..=10).contains(&streak));
    for t in out["threads"].as_array().unwrap() {
        assert_eq!(t["turns"], 5);
    }
}

#[test]
fn an_interrupt_ends_both_threads_in_either_mode() {
    for mode in ["polling", "blocking", "fair"] {
        let control = Control::new();
        let c = control.clone();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(150));
            c.interrupt_all();
        });
        let opts = [("rounds", "200"), ("hold-ms", "50")];
        let (out, events) = run_it(mode, &opts, &control);
        stopper.join().unwrap();
        assert_eq!(out["interrupted"], true, "{mode}");
        let downs = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::LaneDown { .. }))
            .count();
        assert_eq!(downs, 2, "{mode}: both lanes ended");
    }
}
