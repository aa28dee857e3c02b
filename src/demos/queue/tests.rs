use std::time::Duration;

use proptest::prelude::*;

use super::*;
use crate::demos::{DemoRequest, run_json};
use crate::runtime::Control;
use crate::runtime::testing::drain;
use crate::trace::{BlockOn, Event, EventKind, Tracer, check_stream};

fn request(mode: &str, opts: &[(&str, &str)]) -> DemoRequest {
    let mut r = DemoRequest::new("queue").unwrap();
    r.set_mode(mode).unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    r
}

fn run_it(mode: &str, opts: &[(&str, &str)], control: &Control) -> (serde_json::Value, Vec<Event>) {
    let r = request(mode, opts);
    let (tracer, mut rx) = Tracer::new();
    let out = run_json(&r, &tracer, control).unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    (out, events)
}

/// A control whose sleeps run ten times faster.
fn fast() -> Control {
    let c = Control::new();
    c.set_scale_pct(10);
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the speeds and the numbers of threads, every item put is
    /// handled exactly once.
    #[test]
    fn no_item_is_lost_or_handled_twice(
        pipeline in any::<bool>(),
        producers in 1usize..=4,
        consumers in 1usize..=4,
        items in 1u64..=30,
        maxsize in 1usize..=5,
        produce in 1u64..=4,
        consume in 1u64..=4,
    ) {
        let mode = if pipeline { "pipeline" } else { "queue" };
        let (p, c, n, m) = (producers.to_string(), consumers.to_string(), items.to_string(), maxsize.to_string());
        let (pm, cm) = (produce.to_string(), consume.to_string());
        let opts = [
            ("producers", p.as_str()), ("consumers", c.as_str()), ("items", n.as_str()),
            ("maxsize", m.as_str()), ("produce-ms", pm.as_str()), ("consume-ms", cm.as_str()),
        ];
        let (out, _) = run_it(mode, &opts, &fast());
        prop_assert_eq!(out["produced"].as_u64(), Some(items));
        prop_assert_eq!(out["consumed"].as_u64(), Some(items));
        prop_assert_eq!(out["duplicates"].as_u64(), Some(0));
        prop_assert_eq!(out["lost"].as_u64(), Some(0));
        prop_assert_eq!(out["left"].as_u64(), Some(0));
    }
}

#[test]
fn a_full_queue_blocks_put_and_an_empty_one_blocks_get() {
    // Fast producers, slow consumer: the queue runs full.
    let opts = [
        ("items", "12"),
        ("maxsize", "2"),
        ("produce-ms", "1"),
        ("consume-ms", "20"),
    ];
    let (_, events) = run_it("queue", &opts, &fast());
    let waits = |name: &str| {
        events.iter().any(|e| {
            matches!(&e.kind, EventKind::Blocked { on: BlockOn::Queue { name: n }, .. } if n == name)
        })
    };
    assert!(waits(FULL), "a producer waited on a full queue");
    let opts = [("items", "6"), ("produce-ms", "20"), ("consume-ms", "1")];
    let (_, events) = run_it("queue", &opts, &fast());
    let empty = events.iter().any(|e| {
        matches!(&e.kind, EventKind::Blocked { on: BlockOn::Queue { name }, .. } if name == EMPTY)
    });
    assert!(empty, "a consumer waited on an empty queue");
}

#[test]
fn the_pipeline_holds_one_item_and_waits_on_its_locks() {
    let opts = [("items", "8"), ("produce-ms", "1"), ("consume-ms", "10")];
    let (out, events) = run_it("pipeline", &opts, &fast());
    assert_eq!(out["consumed"], 8);
    let biggest = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::State { key, value } if key == "buffer" => {
                Some(value.split(' ').filter(|w| !w.is_empty()).count())
            }
            _ => None,
        })
        .max();
    assert_eq!(biggest, Some(1), "one slot");
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Blocked { on: BlockOn::Lock { name }, .. } if name == "producer_lock"
    )));
}

#[test]
fn the_event_stops_the_producers_and_the_consumers_drain_everything() {
    let control = fast();
    let opts = [
        ("producers", "2"),
        ("consumers", "2"),
        ("run-ms", "400"),
        ("produce-ms", "5"),
    ];
    let (out, events) = run_it("event", &opts, &control);
    let produced = out["produced"].as_u64().unwrap();
    assert!(produced > 0);
    assert_eq!(out["consumed"].as_u64(), Some(produced));
    assert_eq!(out["duplicates"], 0);
    assert_eq!(out["lost"], 0);
    assert_eq!(out["left"], 0);
    let set = events
        .iter()
        .position(|e| matches!(&e.kind, EventKind::State { key, value } if key == "gate" && value == "event: set"))
        .expect("main set the event");
    let made_after = events[set..]
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Spawned { unit, .. } if unit >= ITEM_UNITS))
        .count();
    assert!(
        made_after <= 2,
        "at most one item per producer was under way when the event was set"
    );
}

#[test]
fn pressing_e_sets_the_event_before_run_ms() {
    let r = request("event", &[("run-ms", "60000"), ("produce-ms", "5")]);
    let control = fast();
    let (tracer, _rx) = Tracer::new();
    let (req, c) = (r.clone(), control.clone());
    let run = std::thread::spawn(move || run_json(&req, &tracer, &c));
    std::thread::sleep(Duration::from_millis(100));
    let mut pressed = r.clone();
    assert_eq!(pressed.turn('e'), Some(("signal", 1)));
    let out = run.join().unwrap().unwrap();
    assert!(!out["interrupted"].as_bool().unwrap());
    assert_eq!(out["consumed"], out["produced"]);
}

#[test]
fn a_producer_that_raises_leaves_the_consumers_in_get_until_x() {
    let r = request("raises", &[("consumers", "2"), ("run-ms", "100")]);
    let control = Control::new();
    let (tracer, mut rx) = Tracer::new();
    let (req, c) = (r.clone(), control.clone());
    let run = std::thread::spawn(move || run_json(&req, &tracer, &c));
    // Wait until the producer has died and both consumers wait in get().
    let mut events = Vec::new();
    let mut blocked = std::collections::HashSet::new();
    let mut died = false;
    while !(died && blocked.len() == 2) {
        let e = rx.blocking_recv().expect("the run goes on");
        match &e.kind {
            EventKind::Failed { error, .. } if error == NAME_ERROR => died = true,
            EventKind::Blocked {
                on: BlockOn::Queue { name },
                ..
            } if name == EMPTY => {
                blocked.insert(e.lane);
            }
            _ => {}
        }
        events.push(e);
    }
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        !run.is_finished(),
        "nobody will ever put anything: the consumers wait"
    );
    control.interrupt_all();
    let out = run.join().unwrap().unwrap();
    assert_eq!(out["stuck_in_get"], 2);
    assert_eq!(out["raised"][0], NAME_ERROR);
    events.extend(drain(&mut rx));
    check_stream(&events).unwrap();
    let downs = events
        .iter()
        .filter(|e| e.lane != 0 && matches!(e.kind, EventKind::LaneDown { .. }))
        .count();
    assert_eq!(downs, 3, "the producer and both consumers ended");
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Output { text } if text == "stderr: Exception in thread Producer-1:"
    )));
}

#[test]
fn patience_stops_the_stuck_consumers_without_a_key() {
    let (out, _) = run_it(
        "raises",
        &[("run-ms", "1000"), ("patience-ms", "300")],
        &fast(),
    );
    assert_eq!(out["stuck_in_get"], 1);
    assert!(out["interrupted"].as_bool().unwrap());
}

#[test]
fn the_sentinel_in_finally_ends_the_consumers() {
    let (out, _) = run_it(
        "sentinel",
        &[("consumers", "3"), ("run-ms", "1000")],
        &fast(),
    );
    assert_eq!(out["raised"][0], NAME_ERROR);
    assert_eq!(out["stuck_in_get"], 0);
    assert!(!out["interrupted"].as_bool().unwrap());
}

#[test]
fn compare_measures_both_buffers_in_one_run() {
    let opts = [("items", "10"), ("produce-ms", "2"), ("consume-ms", "2")];
    let (out, events) = run_it("compare", &opts, &fast());
    assert!(out["pipeline_per_s"].as_f64().unwrap() > 0.0);
    assert!(out["queue_per_s"].as_f64().unwrap() > 0.0);
    assert_eq!(out["consumed"], 20);
    for key in ["rate.pipeline", "rate.queue", "marks"] {
        assert!(
            events
                .iter()
                .any(|e| matches!(&e.kind, EventKind::State { key: k, .. } if k == key)),
            "{key} reported"
        );
    }
}
