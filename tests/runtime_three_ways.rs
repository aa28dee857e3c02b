//! `three-ways` on the process pool, with real worker processes.

use racecourse::demos::{DemoRequest, three_ways};
use racecourse::runtime::Control;
use racecourse::runtime::process_pool::{procfs, set_worker_program};
use racecourse::trace::{Event, EventKind, TraceRx, Tracer, check_stream};

fn setup() {
    set_worker_program(env!("CARGO_BIN_EXE_racecourse"));
}

fn request(opts: &[(&str, &str)]) -> DemoRequest {
    let mut r = DemoRequest::new("three-ways").unwrap();
    r.set_mode("processes").unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    r
}

fn drain(rx: &mut TraceRx) -> Vec<Event> {
    let mut out = Vec::new();
    while let Ok(e) = rx.try_recv() {
        out.push(e);
    }
    out
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
fn io_and_cpu_jobs_run_on_processes() {
    setup();
    for opts in [
        vec![("tasks", "4"), ("workers", "2"), ("wait-ms", "20")],
        vec![
            ("workload", "cpu"),
            ("tasks", "3"),
            ("workers", "2"),
            ("hashes", "20000"),
        ],
    ] {
        let (tracer, mut rx) = Tracer::new();
        let r = run(&request(&opts), &tracer, &Control::new()).unwrap();
        assert_eq!(r.mode, "processes");
        assert_eq!(r.workers, 2);
        let events = drain(&mut rx);
        check_stream(&events).unwrap();
        let pids = worker_pids(&events);
        assert_eq!(pids.len(), 2, "{events:#?}");
        assert!(pids.iter().all(|&p| !procfs::is_alive(p)));
        let done_lines = events
            .iter()
            .filter(|e| matches!(&e.kind, EventKind::Output { text } if text.contains(" done at ")))
            .count();
        assert_eq!(done_lines, r.jobs);
    }
}

/// Runs the example headless and reads its typed output.
fn run(
    req: &racecourse::demos::DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> Result<three_ways::ThreeWaysOutput, String> {
    let outcome = racecourse::demos::run_blocking(req, tracer, control);
    outcome.result.map(|o| {
        o.as_any()
            .downcast_ref::<three_ways::ThreeWaysOutput>()
            .cloned()
            .expect("a three-ways output")
    })
}

#[test]
fn an_interrupt_kills_the_worker_processes() {
    setup();
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let c = control.clone();
    // Interrupt once a worker process is up, not after a delay: on a busy
    // machine starting the processes may take longer than any delay.
    let stopper = std::thread::spawn(move || {
        let mut seen = Vec::new();
        while let Some(e) = rx.blocking_recv() {
            let up = e.lane > 0 && matches!(e.kind, EventKind::LaneUp { pid: Some(_), .. });
            seen.push(e);
            if up {
                break;
            }
        }
        c.interrupt_all();
        (seen, rx)
    });
    let req = request(&[("tasks", "4"), ("workers", "2"), ("wait-ms", "10000")]);
    let err = run(&req, &tracer, &control).unwrap_err();
    drop(tracer);
    let (mut events, mut rx) = stopper.join().unwrap();
    assert!(err.contains("KeyboardInterrupt"), "{err}");
    events.extend(drain(&mut rx));
    check_stream(&events).unwrap();
    let pids = worker_pids(&events);
    assert!(!pids.is_empty());
    assert!(pids.iter().all(|&p| !procfs::is_alive(p)), "{pids:?}");
}
