//! The hash race on real worker processes: the sequential answer, stopped
//! losers, interrupts that kill and replace processes.

use racecourse::demos::hash::{self, Challenge, Job, Mode, Prefix, RaceError};
use racecourse::runtime::Control;
use racecourse::runtime::process_pool::{procfs, set_worker_program};
use racecourse::trace::{Event, EventKind, TraceRx, Tracer, check_stream};

fn setup() {
    set_worker_program(env!("CARGO_BIN_EXE_racecourse"));
}

fn drain(rx: &mut TraceRx) -> Vec<Event> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e);
    }
    out
}

fn job(message: &str, prefix: &str, chunk: u64, limit: u64) -> Job {
    let mut job = Job::new(message, Prefix::parse(prefix).unwrap(), chunk);
    job.range = 0..limit;
    job
}

fn worker_pids(events: &[Event]) -> Vec<u32> {
    events
        .iter()
        .filter(|e| e.lane > 0)
        .filter_map(|e| match e.kind {
            EventKind::LaneUp { pid, .. } => pid,
            _ => None,
        })
        .collect()
}

#[test]
fn processes_find_the_sequential_nonce() {
    setup();
    // 1690: the second range finds 1702 before the first finds 994.
    for (message, prefix, chunk) in [
        ("hello world", "0000", 10_000),
        ("hello world", "000", 1690),
        ("racecourse", "0000", 50_000),
        ("", "00", 7),
    ] {
        let expect = Challenge::new(message.as_bytes())
            .search(&Prefix::parse(prefix).unwrap(), 0..400_000, &mut |_| true)
            .found;
        let (tracer, mut rx) = Tracer::new();
        let job = job(message, prefix, chunk, 400_000);
        let found = hash::search(Mode::Processes, &job, 2, &tracer, &Control::new()).unwrap();
        assert_eq!(found.nonce, expect, "{message:?} {prefix} {chunk}");
        let events = drain(&mut rx);
        check_stream(&events).unwrap();
        for pid in worker_pids(&events) {
            assert!(!procfs::is_alive(pid), "worker {pid} outlived the run");
        }
    }
}

#[test]
fn interrupting_everything_kills_the_workers() {
    setup();
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let c = control.clone();
    let run = std::thread::spawn(move || {
        let job = job("hello world", "00000000", 1 << 20, u64::MAX);
        hash::search(Mode::Processes, &job, 2, &tracer, &c)
    });
    let mut events = Vec::new();
    while let Some(e) = rx.blocking_recv() {
        let started = matches!(e.kind, EventKind::Started { .. });
        events.push(e);
        if started {
            break;
        }
    }
    control.interrupt_all();
    let r = run.join().unwrap();
    assert!(matches!(r, Err(RaceError::Interrupted(_))), "{r:?}");
    events.extend(drain(&mut rx));
    check_stream(&events).unwrap();
    let pids = worker_pids(&events);
    assert!(!pids.is_empty());
    for pid in pids {
        assert!(
            !procfs::is_alive(pid),
            "worker {pid} outlived the interrupt"
        );
    }
}

#[test]
fn interrupting_one_process_searches_its_range_again() {
    setup();
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let c = control.clone();
    // No six-zero nonce below 41 M: both processes search a long range to
    // its end, so the interrupt always finds lane 1 busy.
    let run = std::thread::spawn(move || {
        let job = job("hello world", "000000", 4_000_000, 8_000_000);
        hash::search(Mode::Processes, &job, 2, &tracer, &c)
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
    let found = run.join().unwrap().unwrap();
    events.extend(drain(&mut rx));
    check_stream(&events).unwrap();
    let on_1 = |pred: fn(&EventKind) -> bool| {
        events
            .iter()
            .filter(|e| e.lane == 1 && pred(&e.kind))
            .count()
    };
    assert!(
        on_1(|k| matches!(k, EventKind::Cancelled { .. })) >= 1,
        "its range was cancelled"
    );
    assert!(
        on_1(|k| matches!(k, EventKind::LaneUp { .. })) >= 2,
        "the killed process is replaced"
    );
    // Every counter was searched to the end once by a process that lived.
    assert_eq!((found.nonce, found.hashes), (None, 8_000_000));
}

#[test]
fn run_reports_processes_in_its_result() {
    setup();
    let options = hash::HashOptions {
        prefix: "0000".into(),
        workers: 3,
        chunk: 10_000,
        ..Default::default()
    };
    let (tracer, _rx) = Tracer::new();
    let v = hash::run(hash::Mode::Processes, &options, &tracer, &Control::new()).unwrap();
    assert_eq!(v.nonce, Some(61130));
    assert_eq!(v.mode, "processes");
    assert_eq!(v.workers, 3);
}

#[test]
fn the_pane_counts_every_hash_the_processes_did() {
    setup();
    let options = hash::HashOptions {
        prefix: "0000".into(),
        workers: 2,
        chunk: 10_000,
        ..Default::default()
    };
    let (tracer, mut rx) = Tracer::new();
    let v = hash::run(hash::Mode::Processes, &options, &tracer, &Control::new()).unwrap();
    drop(tracer);
    let mut state = racecourse::trace::RunState::new();
    while let Ok(e) = rx.try_recv() {
        state.apply(&e);
    }
    // Every counter up to the nonce was hashed; the last batch of each
    // range must be counted too.
    assert!(state.done > 61_130, "{} of {}", state.done, v.hashes);
    assert_eq!(state.done, v.hashes);
}
