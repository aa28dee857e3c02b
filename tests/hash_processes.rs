//! The hash race on real worker processes: the sequential answer, stopped
//! losers, interrupts that kill and replace processes, and the speed-up of
//! processes against the GIL.

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
    let run = std::thread::spawn(move || {
        let job = job("hello world", "00000", 50_000, u64::MAX);
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
    assert_eq!(found.nonce, Some(761006));
    events.extend(drain(&mut rx));
    check_stream(&events).unwrap();
    let ups_on_1 = events
        .iter()
        .filter(|e| e.lane == 1 && matches!(e.kind, EventKind::LaneUp { .. }))
        .count();
    assert!(ups_on_1 >= 2, "the killed process is replaced");
}

#[test]
fn processes_scale_where_gil_threads_do_not() {
    setup();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 {
        eprintln!("skipped: one core");
        return;
    }
    const HASHES: u64 = 6_000_000;
    let rate = |mode: Mode, workers: usize| {
        // Sixteen zeros: never found, so every run does the same work.
        let job = job("hello world", &"0".repeat(16), 1 << 18, HASHES);
        let (tracer, _rx) = Tracer::new();
        hash::search(mode, &job, workers, &tracer, &Control::new())
            .unwrap()
            .rate_hps()
    };
    // Best of three, interleaved: a neighbour's burst of work spoils one
    // round, not one mode. One process against two, same start-up costs.
    let (mut one, mut two, mut gil) = (0f64, 0f64, 0f64);
    for _ in 0..3 {
        one = one.max(rate(Mode::Processes, 1));
        gil = gil.max(rate(Mode::ThreadsGil, 2));
        two = two.max(rate(Mode::Processes, 2));
    }
    let seq = {
        let mut best = 0f64;
        for _ in 0..2 {
            best = best.max(rate(Mode::Sequential, 1));
        }
        best
    };
    let (proc_x, gil_x) = (two / one, gil / seq);
    eprintln!("2 processes: {proc_x:.2}x one process; 2 GIL threads: {gil_x:.2}x sequential");
    assert!(gil_x < 1.3, "the GIL should serialise: {gil_x:.2}x");
    if proc_x < 1.3 {
        // Either the pool does not scale, or other work holds the second
        // core right now; a plain two-thread run tells which.
        let plain = plain_scaling();
        assert!(
            plain < 1.5,
            "processes reach {proc_x:.2}x while plain threads reach {plain:.2}x"
        );
        eprintln!("scaling not checked: plain threads reach only {plain:.2}x here now");
    }
}

/// Speed-up of two plain threads over one on the same work, right now.
fn plain_scaling() -> f64 {
    let never = Prefix::parse(&"0".repeat(16)).unwrap();
    let challenge = Challenge::new(b"hello world");
    let rate = |threads: u64| {
        let start = std::time::Instant::now();
        std::thread::scope(|s| {
            for k in 0..threads {
                let (c, p) = (&challenge, &never);
                s.spawn(move || c.search(p, k * 2_000_000..(k + 1) * 2_000_000, &mut |_| true));
            }
        });
        (threads * 2_000_000) as f64 / start.elapsed().as_secs_f64()
    };
    let one = rate(1).max(rate(1));
    let two = rate(2).max(rate(2));
    two / one
}

#[test]
fn run_reports_processes_in_its_result() {
    setup();
    let mut req = racecourse::demos::DemoRequest::new("hash").unwrap();
    req.set_mode("processes").unwrap();
    req.set("prefix", "0000").unwrap();
    req.set("workers", "3").unwrap();
    req.set("chunk", "10000").unwrap();
    let (tracer, _rx) = Tracer::new();
    let v = hash::run(&req, &tracer, &Control::new()).unwrap();
    assert_eq!(v["nonce"], 61130);
    assert_eq!(v["mode"], "processes");
    assert_eq!(v["workers"], 3);
}
