//! The process pool with real worker processes (the built binary).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use racecourse::runtime::process_pool::procfs;
use racecourse::runtime::{Control, FutureError, Job, PoolStatus, ProcessPool};
use racecourse::trace::{Event, EventKind, TraceRx, Tracer, check_stream};

const BIN: &str = env!("CARGO_BIN_EXE_racecourse");

fn pool(n: usize) -> (ProcessPool, TraceRx, Control) {
    let (tracer, rx) = Tracer::new();
    let control = Control::new();
    (
        ProcessPool::with_program(BIN, n, &tracer, &control),
        rx,
        control,
    )
}

fn drain(rx: &mut TraceRx) -> Vec<Event> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e);
    }
    out
}

/// Waits (bounded) until none of `pids` is a live process.
fn all_gone(pids: &[u32]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if pids.iter().all(|&p| !procfs::is_alive(p)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn wait_for_pids(pool: &ProcessPool, n: usize) -> Vec<u32> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while pool.pids().len() < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    pool.pids()
}

#[test]
fn map_squares_in_order() {
    let (mut pool, mut rx, _c) = pool(3);
    let squares = pool.map((1..=3).map(|x| Job::Square { x })).unwrap();
    assert_eq!(squares, [1, 4, 9]);
    pool.close();
    pool.join().unwrap();
    assert_eq!(pool.status(), PoolStatus::Joined);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    let pool_states: Vec<&str> = events
        .iter()
        .filter(|e| e.lane == 0)
        .filter_map(|e| match &e.kind {
            EventKind::Pool { state } => Some(state.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(pool_states, ["running", "closed", "joined"]);
    let worker_ups = events
        .iter()
        .filter(|e| e.lane > 0 && matches!(e.kind, EventKind::LaneUp { pid: Some(_), .. }))
        .count();
    assert_eq!(worker_ups, 3);
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::LaneDown { reason } if reason.starts_with("exited (cpu ")
    )));
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::LaneDown { reason }) if reason == "joined"
    ));
}

#[test]
fn apply_async_close_join_and_held_exceptions() {
    let (mut pool, mut rx, _c) = pool(2);
    let ok = pool.apply_async(Job::Spin { hashes: 20_000 });
    let bad = pool.apply_async(Job::Fail {
        message: "ValueError: bad input".into(),
    });
    assert!(
        pool.join().is_err(),
        "join before close is a ValueError, as in Python"
    );
    pool.close();
    let late = pool.apply_async(Job::Square { x: 2 });
    assert_eq!(
        late.result(),
        Err(FutureError::Exception(
            "ValueError: Pool not running".into()
        ))
    );
    pool.join().unwrap();
    assert_eq!(ok.result(), Ok(20_000.into()));
    assert_eq!(bad.exception(), Ok(Some("ValueError: bad input".into())));
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Finished { unit, value } if *unit == ok.unit() && value == "20000"
    )));
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Failed { unit, error } if *unit == bad.unit() && error == "ValueError: bad input"
    )));
}

#[test]
fn a_crashed_worker_is_reported_and_replaced() {
    let (mut pool, mut rx, _c) = pool(1);
    let first = wait_for_pids(&pool, 1);
    let crash = pool.apply_async(Job::Crash);
    let after = pool.apply_async(Job::Square { x: 5 });
    match crash.result() {
        Err(FutureError::Exception(e)) => assert!(e.contains("died"), "{e}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(after.result(), Ok(25.into()));
    let second = pool.pids();
    assert_eq!(second.len(), 1);
    assert_ne!(first, second, "a new process took the slot");
    assert_eq!(pool.stats()[0].restarts, 1);
    pool.terminate();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Warning { text } if text.contains("died: killed by signal 6 (SIGABRT)")
    )));
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::LaneDown { reason } if reason.starts_with("crashed")
    )));
    let ups = events
        .iter()
        .filter(|e| e.lane == 1 && matches!(e.kind, EventKind::LaneUp { .. }))
        .count();
    assert_eq!(ups, 2);
}

#[test]
fn terminate_kills_running_work_and_every_child() {
    let (mut pool, mut rx, _c) = pool(2);
    let futures = pool.map_async((0..4).map(|_| Job::Sleep { ms: 60_000 }));
    let pids = wait_for_pids(&pool, 2);
    while !futures[0].running() || !futures[1].running() {
        std::thread::sleep(Duration::from_millis(5));
    }
    pool.terminate();
    assert_eq!(pool.status(), PoolStatus::Terminated);
    for f in &futures {
        assert_eq!(f.result(), Err(FutureError::Cancelled));
    }
    assert!(all_gone(&pids), "children survived terminate: {pids:?}");
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
}

#[test]
fn an_interrupt_from_the_keys_kills_the_children() {
    let (pool, mut rx, control) = pool(2);
    let futures = pool.map_async((0..3).map(|_| Job::Spin { hashes: 50_000_000 }));
    let pids = wait_for_pids(&pool, 2);
    assert_eq!(pids.len(), 2);
    while !futures[0].running() {
        std::thread::sleep(Duration::from_millis(5));
    }
    control.interrupt_all();
    for f in &futures {
        assert_eq!(
            f.result_timeout(Duration::from_secs(10)),
            Err(FutureError::Cancelled)
        );
    }
    assert_eq!(pool.status(), PoolStatus::Terminated);
    assert!(all_gone(&pids), "children survived the interrupt: {pids:?}");
    drop(pool);
    check_stream(&drain(&mut rx)).unwrap();
}

#[test]
fn interrupting_one_lane_replaces_that_process_only() {
    let (pool, mut rx, control) = pool(2);
    let victim = pool.apply_async(Job::Sleep { ms: 60_000 });
    let other = pool.apply_async(Job::Sleep { ms: 300 });
    while !victim.running() || !other.running() {
        std::thread::sleep(Duration::from_millis(5));
    }
    // Which lane runs the victim? The trace says.
    let victim_lane = loop {
        let started = drain(&mut rx).into_iter().find_map(|e| match e.kind {
            EventKind::Started { unit } if unit == victim.unit() => Some(e.lane),
            _ => None,
        });
        if let Some(l) = started {
            break l;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    control.interrupt_lane(victim_lane);
    assert_eq!(victim.result(), Err(FutureError::Cancelled));
    assert_eq!(other.result(), Ok(serde_json::Value::Null));
    assert_eq!(pool.status(), PoolStatus::Running);
    let again = pool.apply_async(Job::Square { x: 3 });
    assert_eq!(again.result(), Ok(9.into()));
    assert_eq!(pool.stats().iter().map(|s| s.restarts).sum::<u32>(), 1);
}

#[test]
fn a_running_hash_range_can_be_stopped_and_says_how_far_it_got() {
    let (pool, _rx, _c) = pool(1);
    let f = pool.apply_async(Job::HashRange {
        message: "hello world".into(),
        prefix: "00000000".into(),
        start: 0,
        end: 1 << 32,
    });
    while !f.running() {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    pool.stop_job(f.unit());
    let v = f.result_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(v["stopped"], true);
    assert!(v["hashes"].as_u64().unwrap() > 0);
    assert!(v["found"].is_null());
    let stats = pool.stats();
    assert!(stats[0].sent >= 2, "run and stop: {stats:?}");
    assert!(stats[0].received >= 3, "hello, started, done: {stats:?}");
}

#[test]
fn a_pool_that_cannot_start_workers_fails_its_jobs_instead_of_hanging() {
    let (tracer, mut rx) = Tracer::new();
    let mut pool =
        ProcessPool::with_program("/nonexistent/racecourse", 2, &tracer, &Control::new());
    let f = pool.apply_async(Job::Square { x: 2 });
    match f.result_timeout(Duration::from_secs(10)) {
        Err(FutureError::Exception(e)) => assert!(e.contains("could not start"), "{e}"),
        other => panic!("{other:?}"),
    }
    pool.close();
    pool.join().unwrap();
    check_stream(&drain(&mut rx)).unwrap();
}

#[test]
fn dropping_the_pool_leaves_no_child() {
    let (pool, _rx, _c) = pool(2);
    let _f = pool.apply_async(Job::Sleep { ms: 60_000 });
    let pids = wait_for_pids(&pool, 2);
    drop(pool);
    assert!(all_gone(&pids), "children outlived the pool: {pids:?}");
}

#[test]
fn children_die_with_a_parent_killed_by_sigkill() {
    let mut parent = Command::new(BIN)
        .args(["__worker", "pool-demo", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = parent.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(out).read_line(&mut line).unwrap();
    let pids: Vec<u32> = line
        .trim()
        .strip_prefix("pids ")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"))
        .split(' ')
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 2);
    assert!(pids.iter().all(|&p| procfs::is_alive(p)));
    parent.kill().unwrap(); // SIGKILL: no destructor runs in the parent
    parent.wait().unwrap();
    assert!(
        all_gone(&pids),
        "workers outlived a SIGKILLed parent: {pids:?}"
    );
}

#[test]
fn pause_holds_new_jobs_and_running_ones() {
    let (pool, mut rx, control) = pool(1);
    wait_for_pids(&pool, 1);
    control.set_paused(true);
    let held = pool.apply_async(Job::Square { x: 4 });
    std::thread::sleep(Duration::from_millis(150));
    assert!(
        !held.done() && !held.running(),
        "no job starts while paused"
    );
    control.set_paused(false);
    assert_eq!(held.result(), Ok(16.into()));

    let long = pool.apply_async(Job::Spin {
        hashes: 100_000_000,
    });
    while !long.running() {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(100));
    control.set_paused(true);
    // Wait for the pause to reach the worker (a quiet window, however long
    // a busy machine takes to get there), then watch it stand still.
    let progressed = |rx: &mut TraceRx| {
        drain(rx)
            .iter()
            .any(|e| matches!(e.kind, EventKind::Progress { .. }))
    };
    let hang_guard = Instant::now() + Duration::from_mins(1);
    while progressed(&mut rx) && Instant::now() < hang_guard {
        std::thread::sleep(Duration::from_millis(300));
    }
    std::thread::sleep(Duration::from_millis(300));
    let moved = drain(&mut rx)
        .iter()
        .any(|e| matches!(e.kind, EventKind::Progress { .. }));
    assert!(!moved, "a paused worker kept hashing");
    control.set_paused(false);
    pool.stop_job(long.unit());
    assert_eq!(long.result(), Err(FutureError::Cancelled));
}
