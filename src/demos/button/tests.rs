//! The three modes find the notes' nonce; only blocking stops the clock.

use std::time::Duration;

use super::*;
use crate::demos::{DemoRequest, run_json as run};

use crate::trace::check_stream;

fn run_mode(mode: &str, message: &str, prefix: &str, yield_every: &str) -> serde_json::Value {
    let mut req = DemoRequest::new("button").unwrap();
    req.set_mode(mode).unwrap();
    req.set("message", message).unwrap();
    req.set("prefix", prefix).unwrap();
    req.set("yield-every", yield_every).unwrap();
    let (tracer, mut rx) = Tracer::new();
    let v = run(&req, &tracer, &Control::new()).unwrap();
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    check_stream(&events).unwrap();
    v
}

#[test]
fn every_mode_finds_the_notes_nonce() {
    for mode in ["thread", "blocking", "cooperative"] {
        let v = run_mode(mode, "hello world", "0000", "1000");
        assert_eq!(v["nonce"], 61130, "{mode}");
        assert_eq!(v["hashes"], 61131, "{mode}");
        assert_eq!(v["complete"], true);
    }
}

#[test]
fn cooperative_yields_every_k_hashes() {
    let v = run_mode("cooperative", "hello world", "0000", "1000");
    // 61 full slices of 1000 before the slice that holds 61130.
    assert_eq!(v["yields"], 61);
    assert_eq!(v["yield_every"], 1000);
}

#[test]
fn blocking_freezes_the_clock_and_a_thread_does_not() {
    // "python" needs 1.7 M hashes for five zeros: long enough to see.
    let blocking = run_mode("blocking", "python", "00000", "20000");
    let thread = run_mode("thread", "python", "00000", "20000");
    for v in [&blocking, &thread] {
        assert_eq!(v["nonce"], 1_704_719);
    }
    let search_ms = blocking["seconds"].as_f64().unwrap() * 1000.0;
    let frozen = blocking["clock"]["max_ms"].as_f64().unwrap();
    let free = thread["clock"]["max_ms"].as_f64().unwrap();
    assert!(
        frozen >= 0.5 * search_ms,
        "frozen {frozen} ms, search {search_ms} ms"
    );
    assert!(
        free * 3.0 < frozen,
        "thread {free} ms vs blocking {frozen} ms"
    );
}

#[test]
fn a_budget_stops_the_blocking_search() {
    let (tracer, _rx) = Tracer::new();
    let search = ButtonSearch::new("hello world", Prefix::parse("0000000").unwrap(), &tracer, 0);
    let ended = search.run_to_end(10_000, &Control::new()).unwrap();
    assert_eq!(
        (ended.nonce, ended.hashes, ended.complete),
        (None, 10_000, false)
    );
}

#[test]
fn thread_and_cooperative_searches_can_be_interrupted() {
    for mode in ["thread", "cooperative"] {
        let mut req = DemoRequest::new("button").unwrap();
        req.set_mode(mode).unwrap();
        req.set("prefix", "00000000").unwrap();
        let (tracer, _rx) = Tracer::new();
        let control = Control::new();
        let c = control.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let h = std::thread::spawn(move || {
            let _ = tx.send(run(&req, &tracer, &c).map_err(|e| format!("{e:#}")));
        });
        std::thread::sleep(Duration::from_millis(400));
        control.interrupt_all();
        // A generous guard against a hang, not a timing claim.
        let r = rx.recv_timeout(Duration::from_mins(1)).expect("run hung");
        h.join().unwrap();
        let err = r.expect_err(mode);
        assert!(err.contains("KeyboardInterrupt"), "{mode}: {err}");
    }
}
