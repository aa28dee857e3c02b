use std::time::{Duration, Instant};

use super::*;
use crate::demos::{DemoRequest, run_json as run};
use crate::runtime::testing::drain;
use crate::trace::{Event, check_stream};

fn request(mode: &str, opts: &[(&str, &str)]) -> DemoRequest {
    let mut r = DemoRequest::new("three-ways").unwrap();
    r.set_mode(mode).unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    r
}

fn run_it(req: &DemoRequest) -> (anyhow::Result<serde_json::Value>, Vec<Event>, Duration) {
    let (tracer, mut rx) = Tracer::new();
    let t = Instant::now();
    let r = run(req, &tracer, &Control::new());
    let took = t.elapsed();
    (r, drain(&mut rx), took)
}

fn outputs(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Output { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn io_jobs_overlap_on_threads_and_on_tasks() {
    let io = [("tasks", "6"), ("wait-ms", "40")];
    let (one, events, serial) = run_it(&request("threads", &[io[0], io[1], ("workers", "1")]));
    let one = one.unwrap();
    check_stream(&events).unwrap();
    assert_eq!(one["jobs"], 6);
    assert_eq!(one["done_at_ms"].as_array().unwrap().len(), 6);
    let lines = outputs(&events);
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert!(lines[0].starts_with("job 0 done at "), "{lines:?}");
    assert!(
        lines[6].starts_with("Ran 6 io jobs on 1 threads (GIL) in "),
        "{lines:?}"
    );

    let (three, events, threaded) = run_it(&request("threads", &[io[0], io[1], ("workers", "3")]));
    three.unwrap();
    check_stream(&events).unwrap();
    let (tasks, events, cooperative) = run_it(&request("async", &io));
    assert_eq!(tasks.unwrap()["workers"], 1);
    check_stream(&events).unwrap();
    // Waits release the GIL: 3 threads take about a third of the time,
    // tasks about one wait.
    let t_ratio = serial.as_secs_f64() / threaded.as_secs_f64();
    let a_ratio = serial.as_secs_f64() / cooperative.as_secs_f64();
    assert!(t_ratio > 1.8, "threads only {t_ratio:.2}x");
    assert!(a_ratio > 2.5, "tasks only {a_ratio:.2}x");
}

#[test]
fn cpu_tasks_that_never_yield_block_the_loop() {
    // Enough hashes for one poll to take about 250 ms on this build.
    let t = Instant::now();
    crate::runtime::jobs::spin(20_000, &mut |_| true);
    let per_hash = t.elapsed().as_secs_f64() / 20_000.0;
    let hashes = ((0.25 / per_hash) as u64)
        .clamp(1_000, 100_000_000)
        .to_string();
    let cpu = [
        ("workload", "cpu"),
        ("tasks", "2"),
        ("hashes", hashes.as_str()),
    ];
    let (r, events, _) = run_it(&request(
        "async",
        &[cpu[0], cpu[1], cpu[2], ("yield-every", "0")],
    ));
    assert!(r.unwrap()["hashes_per_s"].as_f64().unwrap() > 0.0);
    check_stream(&events).unwrap();
    let blocked = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Warning { text } if text.contains("blocked the event loop")))
        .count();
    assert_eq!(blocked, 2, "each task blocks the loop once");

    let (r, events, _) = run_it(&request(
        "async",
        &[cpu[0], cpu[1], ("hashes", "20000"), ("yield-every", "2048")],
    ));
    r.unwrap();
    check_stream(&events).unwrap();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Warning { .. }))
    );
    let yields = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Yielded { .. }))
        .count();
    assert!(yields >= 18, "tasks took turns: {yields} yields");
}

#[test]
fn cpu_jobs_on_threads_report_the_gil() {
    let cpu = [
        ("workload", "cpu"),
        ("tasks", "2"),
        ("workers", "2"),
        ("hashes", "30000"),
    ];
    let (r, events, _) = run_it(&request("threads", &cpu));
    let r = r.unwrap();
    assert_eq!(r["gil"], true);
    check_stream(&events).unwrap();
    let (r, events, _) = run_it(&request(
        "threads",
        &[cpu[0], cpu[1], cpu[2], cpu[3], ("gil", "false")],
    ));
    assert_eq!(r.unwrap()["gil"], false);
    assert!(!events.iter().any(|e| matches!(
        e.kind,
        EventKind::Blocked {
            on: crate::trace::BlockOn::Gil,
            ..
        }
    )));
}

#[test]
fn an_interrupt_ends_the_run_as_keyboard_interrupt() {
    for mode in ["threads", "async"] {
        let req = request(mode, &[("tasks", "4"), ("wait-ms", "10000")]);
        let (tracer, mut rx) = Tracer::new();
        let control = Control::new();
        let c = control.clone();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            c.interrupt_all();
        });
        let err = run(&req, &tracer, &control).unwrap_err().to_string();
        stopper.join().unwrap();
        assert!(err.contains("KeyboardInterrupt"), "{mode}: {err}");
        check_stream(&drain(&mut rx)).unwrap();
    }
}
