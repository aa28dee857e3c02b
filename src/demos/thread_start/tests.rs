use super::thread::MAIN;
use super::*;
use crate::demos::{DemoRequest, run_json};
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind, check_stream};

fn run_it(mode: &str, opts: &[(&str, &str)], control: &Control) -> (serde_json::Value, Vec<Event>) {
    let mut r = DemoRequest::new("thread-start").unwrap();
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

/// Position of the first event for which `f` holds.
fn at(events: &[Event], f: impl Fn(&Event) -> bool) -> Option<usize> {
    events.iter().position(f)
}

fn said(text: &'static str) -> impl Fn(&Event) -> bool {
    move |e| matches!(&e.kind, EventKind::Output { text: t } if t == text)
}

fn lane_down(lane: LaneId) -> impl Fn(&Event) -> bool {
    move |e| e.lane == lane && matches!(e.kind, EventKind::LaneDown { .. })
}

#[test]
fn join_waits_for_every_thread_before_main_goes_on() {
    let opts = [("threads", "3"), ("sleep-ms", "30")];
    let (out, events) = run_it("join", &opts, &Control::new());
    let done = at(&events, said("Main: all done")).unwrap();
    for n in 1..=3 {
        let line = format!("Thread {n}: finishing");
        let fin = events
            .iter()
            .position(|e| matches!(&e.kind, EventKind::Output { text } if *text == line))
            .unwrap();
        assert!(fin < done, "{line} comes before main goes on");
    }
    assert_eq!(out["finished"], serde_json::json!([1, 2, 3]));
    assert_eq!(out["cut_off"], serde_json::json!([]));
}

#[test]
fn main_is_a_lane_of_its_own() {
    let (_, events) = run_it("join", &[("sleep-ms", "0")], &Control::new());
    let main_up = events.iter().find(|e| e.lane == MAIN).unwrap();
    assert!(matches!(
        &main_up.kind,
        EventKind::LaneUp { name, role: crate::trace::LaneRole::Main, .. } if name == "MainThread"
    ));
    let joined = events.iter().any(|e| {
        e.lane == MAIN
            && matches!(&e.kind, EventKind::Blocked { on: BlockOn::Task { name }, .. } if name == "join()")
    });
    assert!(joined, "the main thread's join is drawn");
}

#[test]
fn daemon_threads_are_cut_off_and_their_last_line_never_prints() {
    let opts = [("threads", "2"), ("sleep-ms", "20000")];
    let (out, events) = run_it("daemon", &opts, &Control::new());
    assert!(at(&events, said("Thread 1: finishing")).is_none());
    assert!(at(&events, said("Thread 2: finishing")).is_none());
    assert_eq!(out["cut_off"], serde_json::json!([1, 2]));
    assert_eq!(out["finished"], serde_json::json!([]));
    let done = at(&events, said("Main: all done")).unwrap();
    for lane in [1, 2] {
        let down = at(&events, lane_down(lane)).unwrap();
        assert!(down > done, "cut off after main ended");
        assert!(matches!(
            &events[down].kind,
            EventKind::LaneDown { reason } if reason == "killed at exit (daemon)"
        ));
    }
}

#[test]
fn a_thread_that_is_no_daemon_keeps_the_program_alive() {
    let (out, events) = run_it("no-join", &[("sleep-ms", "200")], &Control::new());
    let done = at(&events, said("Main: all done")).unwrap();
    let fin = at(&events, said("Thread 1: finishing")).unwrap();
    let main_down = at(&events, lane_down(MAIN)).unwrap();
    assert!(done < fin, "main says it is done first");
    assert!(fin < main_down, "the interpreter exits after the thread");
    assert_eq!(out["finished"], serde_json::json!([1]));
}

#[test]
fn join_makes_a_daemon_finish_too() {
    let (out, events) = run_it("daemon-join", &[("sleep-ms", "10")], &Control::new());
    let fin = at(&events, said("Thread 1: finishing")).unwrap();
    assert!(fin < at(&events, said("Main: all done")).unwrap());
    assert_eq!(out["cut_off"], serde_json::json!([]));
}

#[test]
fn an_interrupt_ends_every_thread() {
    let control = Control::new();
    control.interrupt_all();
    let mut r = DemoRequest::new("thread-start").unwrap();
    r.set("threads", "3").unwrap();
    r.set("sleep-ms", "20000").unwrap();
    let (tracer, mut rx) = Tracer::new();
    let e = run_json(&r, &tracer, &control).unwrap_err();
    assert!(e.to_string().contains("KeyboardInterrupt"), "{e}");
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    for lane in 1..=3 {
        assert!(at(&events, lane_down(lane)).is_some(), "lane {lane} ended");
    }
}
