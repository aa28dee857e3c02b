//! The race over workers gives the sequential answer, and stops when told.

use std::sync::mpsc;
use std::time::Duration;

use super::*;
use crate::demos::{DemoRequest, run_json as run};
use crate::trace::{Event, TraceRx, check_stream};

fn drain(rx: &mut TraceRx) -> Vec<Event> {
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    events
}

fn first_match(message: &str, prefix: &Prefix, limit: u64) -> Option<u64> {
    Challenge::new(message.as_bytes())
        .search(prefix, 0..limit, &mut |_| true)
        .found
}

fn race(message: &str, prefix: &str, chunk: u64, mode: Mode, workers: usize) -> Found {
    let mut job = Job::new(message, Prefix::parse(prefix).unwrap(), chunk);
    job.range = 0..400_000;
    let (tracer, _rx) = Tracer::new();
    search(mode, &job, workers, &tracer, &Control::new()).unwrap()
}

#[test]
fn every_split_finds_the_sequential_nonce() {
    // A 60-byte message puts the counter across two blocks.
    let long = "x".repeat(60);
    for message in ["hello world", "racecourse", "", long.as_str()] {
        for prefix in ["00", "000", "0000"] {
            let expect = first_match(message, &Prefix::parse(prefix).unwrap(), 400_000);
            assert_eq!(
                race(message, prefix, 1000, Mode::Sequential, 1).nonce,
                expect
            );
            for (chunk, workers) in [(1000, 2), (4097, 3), (7, 2), (50_000, 4)] {
                let found = race(message, prefix, chunk, Mode::Threads, workers);
                assert_eq!(
                    found.nonce, expect,
                    "{message:?} {prefix} {chunk} x{workers}"
                );
            }
        }
    }
}

#[test]
fn the_notes_six_zero_nonce_on_every_core() {
    // 41 M hashes: split over the cores to keep debug test runs short.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let job = Job::new("hello world", Prefix::parse("000000").unwrap(), 1 << 20);
    let (tracer, _) = Tracer::new();
    let found = search(Mode::Threads, &job, cores, &tracer, &Control::new()).unwrap();
    assert_eq!(found.nonce, Some(41_355_127));
}

#[test]
fn a_later_chunk_finding_first_does_not_win() {
    // With chunks of 1690, "000" matches 994 late in the first chunk and
    // 1702 twelve counters into the second: the second worker finds first.
    for _ in 0..5 {
        let found = race("hello world", "000", 1690, Mode::Threads, 2);
        assert_eq!(found.nonce, Some(994));
    }
}

#[test]
fn no_match_in_range_gives_none_after_every_counter() {
    let found = race("hello world", "00000", 10_000, Mode::Threads, 2);
    assert_eq!((found.nonce, found.hashes), (None, 400_000));
}

#[test]
fn every_range_ends_and_progress_adds_up_in_every_mode() {
    for mode in [Mode::Sequential, Mode::Threads, Mode::ThreadsGil] {
        let job = Job::new("hello world", Prefix::parse("0000").unwrap(), 5000);
        let (tracer, mut rx) = Tracer::new();
        let found = search(mode, &job, 2, &tracer, &Control::new()).unwrap();
        assert_eq!(found.nonce, Some(61130));
        let events = drain(&mut rx);
        check_stream(&events).unwrap();
        // Ranges cancelled while queued end without starting.
        let spawned = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Spawned { .. }));
        let ended = events.iter().filter(|e| e.kind.is_terminal());
        assert_eq!(spawned.count(), ended.count(), "{mode:?}");
        let mut last = std::collections::HashMap::new();
        for e in &events {
            if let EventKind::Progress { unit, done } = e.kind {
                last.insert(unit, done);
            }
        }
        assert_eq!(last.values().sum::<u64>(), found.hashes, "{mode:?}");
        let winner = events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Finished { value, .. } if value == "61130"));
        assert!(winner, "{mode:?}");
    }
}

#[test]
fn threads_under_the_gil_wait_for_it() {
    let mut job = Job::new(
        "hello world",
        Prefix::parse(&"0".repeat(16)).unwrap(),
        1 << 20,
    );
    job.range = 0..2_000_000;
    let (tracer, mut rx) = Tracer::new();
    search(Mode::ThreadsGil, &job, 2, &tracer, &Control::new()).unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    let gil_waits = events.iter().filter(|e| {
        matches!(
            &e.kind,
            EventKind::Blocked {
                on: crate::trace::BlockOn::Gil,
                ..
            }
        )
    });
    assert!(gil_waits.count() > 0);
}

#[test]
fn interrupting_everything_ends_the_run_promptly() {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let (tx, done) = mpsc::channel();
    let c = control.clone();
    let worker = std::thread::spawn(move || {
        let job = Job::new("hello world", Prefix::parse("00000000").unwrap(), 1 << 20);
        let _ = tx.send(search(Mode::Threads, &job, 2, &tracer, &c));
    });
    std::thread::sleep(Duration::from_millis(50));
    control.interrupt_all();
    // A generous guard against a hang, not a timing claim.
    let r = done.recv_timeout(Duration::from_mins(1)).expect("run hung");
    worker.join().unwrap();
    assert!(matches!(r, Err(RaceError::Interrupted(_))), "{r:?}");
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Cancelled { .. }))
    );
    let downs = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::LaneDown { .. }));
    // The main thread and both workers went down.
    assert_eq!(downs.count(), 3);
}

#[test]
fn interrupting_one_lane_requeues_its_range_and_keeps_the_answer() {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    // Paused, every worker stops at its first checkpoint; worker 1 is
    // interrupted there and gives its range back, which is searched again.
    control.set_paused(true);
    let c = control.clone();
    let worker = std::thread::spawn(move || {
        let job = Job::new("hello world", Prefix::parse("00000").unwrap(), 50_000);
        search(Mode::Threads, &job, 2, &tracer, &c)
    });
    let mut events = Vec::new();
    while let Some(e) = rx.blocking_recv() {
        let started = e.lane == 1 && matches!(e.kind, EventKind::Started { .. });
        events.push(e);
        if started {
            break;
        }
    }
    control.interrupt_lane(1);
    std::thread::sleep(Duration::from_millis(50));
    control.set_paused(false);
    let found = worker.join().unwrap().unwrap();
    assert_eq!(found.nonce, Some(761_006));
    events.extend(drain(&mut rx));
    let cancelled_on_1 = events
        .iter()
        .any(|e| e.lane == 1 && matches!(e.kind, EventKind::Cancelled { .. }));
    assert!(cancelled_on_1);
}

#[test]
fn run_reports_the_nonce_as_json() {
    for mode in ["sequential", "threads", "threads-gil"] {
        let mut req = DemoRequest::new("hash").unwrap();
        req.set_mode(mode).unwrap();
        req.set("prefix", "0000").unwrap();
        req.set("chunk", "10000").unwrap();
        let (tracer, mut rx) = Tracer::new();
        let v = run(&req, &tracer, &Control::new()).unwrap();
        assert_eq!(v["nonce"], 61130);
        assert_eq!(v["mode"], mode);
        assert_eq!(v["message"], "hello world");
        assert_eq!(v["prefix"], "0000");
        assert_eq!(v["workers"], if mode == "sequential" { 1 } else { 2 });
        assert!(v["digest"].as_str().unwrap().starts_with("0000"));
        let said: Vec<String> = drain(&mut rx)
            .into_iter()
            .filter_map(|e| match e.kind {
                EventKind::Output { text } => Some(text),
                _ => None,
            })
            .collect();
        assert!(said.iter().any(|t| t == "61130"), "{said:?}");
    }
}

/// The most worker lanes drawn running (started or woken, not blocked) at
/// one moment of the trace, counted once every event of the moment is in
/// (a hand-over blocks one lane and wakes the other at the same instant).
fn most_running_at_once(events: &[Event]) -> usize {
    let mut events: Vec<_> = events.iter().filter(|e| e.lane != 0).collect();
    events.sort_by_key(|e| e.t_us);
    let mut running = std::collections::HashSet::new();
    let mut most = 0;
    for (i, e) in events.iter().enumerate() {
        match &e.kind {
            EventKind::Started { .. } | EventKind::Woken { .. } => {
                running.insert(e.lane);
            }
            EventKind::Blocked { .. }
            | EventKind::Finished { .. }
            | EventKind::Failed { .. }
            | EventKind::Cancelled { .. } => {
                running.remove(&e.lane);
            }
            _ => {}
        }
        if events.get(i + 1).is_none_or(|next| next.t_us != e.t_us) {
            most = most.max(running.len());
        }
    }
    most
}

#[test]
fn on_4k_inputs_the_gil_is_let_go_while_hashing() {
    // 4 KiB inputs: the nonce CPython finds for
    // (b"hello world" * 373)[:4092] + pack("<I", n), and both lanes hash at
    // the same moment, GIL or not.
    let mut job = Job::new("hello world", Prefix::parse("0000").unwrap(), 500).wide(true);
    job.range = 0..20_000;
    let (tracer, mut rx) = Tracer::new();
    let found = search(Mode::ThreadsGil4k, &job, 2, &tracer, &Control::new()).unwrap();
    assert_eq!(found.nonce, Some(9241));
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert_eq!(most_running_at_once(&events), 2);
    // The 15-byte inputs keep the GIL: never two lanes running at once.
    let mut narrow = Job::new(
        "hello world",
        Prefix::parse(&"0".repeat(16)).unwrap(),
        1 << 18,
    );
    narrow.range = 0..1_000_000;
    let (tracer, mut rx) = Tracer::new();
    search(Mode::ThreadsGil, &narrow, 2, &tracer, &Control::new()).unwrap();
    assert_eq!(most_running_at_once(&drain(&mut rx)), 1);
}
