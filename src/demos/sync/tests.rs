use std::time::Duration;

use crate::demos::{DemoRequest, run_json};
use crate::runtime::Control;
use crate::runtime::testing::drain;
use crate::trace::{BlockOn, Event, EventKind, Tracer, check_stream};

fn request(mode: &str, opts: &[(&str, &str)]) -> DemoRequest {
    let mut r = DemoRequest::new("sync").unwrap();
    r.set_mode(mode).unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    r
}

fn run_it(mode: &str, opts: &[(&str, &str)], control: &Control) -> (serde_json::Value, Vec<Event>) {
    let (tracer, mut rx) = Tracer::new();
    let out = run_json(&request(mode, opts), &tracer, control).unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    (out, events)
}

fn fast() -> Control {
    let c = Control::new();
    c.set_scale_pct(10);
    c
}

fn other(e: &Event, what: &str) -> bool {
    matches!(&e.kind, EventKind::Blocked { on: BlockOn::Other { what: w }, .. } if w == what)
}

#[test]
fn the_semaphore_never_lets_more_than_its_permits_in() {
    for (workers, permits) in [("5", "2"), ("3", "1"), ("4", "4")] {
        let opts = [
            ("workers", workers),
            ("permits", permits),
            ("work-ms", "100"),
        ];
        let (out, events) = run_it("semaphore", &opts, &fast());
        let k: usize = permits.parse().unwrap();
        assert!(out["max_inside"].as_u64().unwrap() <= k as u64);
        let widest = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::State { key, value } if key == "buffer" => {
                    Some(value.split(' ').filter(|w| !w.is_empty()).count())
                }
                _ => None,
            })
            .max()
            .unwrap();
        assert!(widest <= k, "{widest} inside with {k} permits");
    }
}

#[test]
fn no_thread_leaves_the_barrier_before_the_last_one_arrives() {
    let opts = [("workers", "4"), ("work-ms", "30"), ("rounds", "2")];
    let (out, events) = run_it("barrier", &opts, &fast());
    assert_eq!(out["releases_ms"].as_array().unwrap().len(), 2);
    // Per round: every arrival (Blocked on the barrier) comes before every
    // release (the Woken that follows it on each lane).
    for round in 0..2 {
        let arrivals: Vec<usize> = (1..=4)
            .map(|lane| {
                events
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.lane == lane && other(e, "barrier.wait()"))
                    .nth(round)
                    .unwrap()
                    .0
            })
            .collect();
        let releases: Vec<usize> = arrivals
            .iter()
            .map(|&i| {
                let lane = events[i].lane;
                i + events[i..]
                    .iter()
                    .position(|e| e.lane == lane && matches!(e.kind, EventKind::Woken { .. }))
                    .unwrap()
            })
            .collect();
        let last_arrival = arrivals.iter().max().unwrap();
        assert!(releases.iter().all(|r| r > last_arrival), "round {round}");
    }
}

#[test]
fn an_interrupt_at_the_barrier_breaks_it_for_the_others() {
    // Thread 4 works four times as long: threads 1 to 3 wait for it at
    // the barrier when thread 1, waiting, is interrupted.
    let r = request(
        "barrier",
        &[("workers", "4"), ("work-ms", "200"), ("rounds", "1")],
    );
    let control = Control::new();
    let (tracer, mut rx) = Tracer::new();
    let (req, c) = (r.clone(), control.clone());
    let run = std::thread::spawn(move || run_json(&req, &tracer, &c));
    let mut waiting = 0;
    while waiting < 3 {
        let e = rx.blocking_recv().unwrap();
        waiting += usize::from(other(&e, "barrier.wait()"));
    }
    control.interrupt_lane(1);
    let out = run.join().unwrap().unwrap();
    let broken = out["broken"].as_array().unwrap();
    assert_eq!(broken.len(), 3);
    assert!(broken.iter().all(|b| b == "BrokenBarrierError"));
}

#[test]
fn the_timer_fires_after_its_delay_unless_cancelled() {
    let (out, events) = run_it("timer", &[("delay-ms", "50")], &fast());
    assert!(out["fired"].as_bool().unwrap());
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Output { text } if text == "hello, world"))
    );

    let (out, events) = run_it(
        "timer",
        &[("delay-ms", "60000"), ("cancel-ms", "100")],
        &fast(),
    );
    assert!(out["cancelled"].as_bool().unwrap() && !out["fired"].as_bool().unwrap());
    assert!(
        !events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Output { text } if text == "hello, world"))
    );
}

#[test]
fn pressing_e_cancels_the_timer() {
    let r = request("timer", &[("delay-ms", "60000")]);
    let (tracer, _rx) = Tracer::new();
    let (req, c) = (r.clone(), Control::new());
    let run = std::thread::spawn(move || run_json(&req, &tracer, &c));
    std::thread::sleep(Duration::from_millis(50));
    r.clone().turn('e');
    let out = run.join().unwrap().unwrap();
    assert!(out["cancelled"].as_bool().unwrap());
}

#[test]
fn the_event_releases_every_waiter_after_it_is_set() {
    let (out, events) = run_it(
        "event",
        &[("workers", "3"), ("delay-ms", "200"), ("work-ms", "10")],
        &fast(),
    );
    let set = events
        .iter()
        .position(|e| matches!(&e.kind, EventKind::State { key, value } if key == "gate" && value == "event: set"))
        .unwrap();
    let waits = events.iter().filter(|e| other(e, "event.wait()")).count();
    assert_eq!(waits, 3);
    let woken_before = events[..set]
        .iter()
        .filter(|e| e.lane != 0 && matches!(e.kind, EventKind::Woken { .. }))
        .count();
    assert_eq!(woken_before, 0, "nobody goes on before the event is set");
    assert_eq!(out["releases_ms"][0].as_array().unwrap().len(), 3);
}
