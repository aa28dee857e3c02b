use std::collections::HashSet;
use std::time::Duration;

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

fn run_it(req: &DemoRequest) -> (anyhow::Result<serde_json::Value>, Vec<Event>) {
    run_with(req, &Control::new())
}

fn run_with(
    req: &DemoRequest,
    control: &Control,
) -> (anyhow::Result<serde_json::Value>, Vec<Event>) {
    let (tracer, mut rx) = Tracer::new();
    let r = run(req, &tracer, control);
    (r, drain(&mut rx))
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

/// The most jobs (units labelled `job N`) begun and not yet ended at any
/// point of the trace: 1 means one after the other, whatever the timing.
fn most_in_flight(events: &[Event]) -> usize {
    let mut jobs = HashSet::new();
    let mut begun = HashSet::new();
    let mut most = 0;
    for e in events {
        match &e.kind {
            EventKind::Spawned { unit, label } if label.starts_with("job ") => {
                jobs.insert(*unit);
            }
            EventKind::Started { unit } if jobs.contains(unit) => {
                begun.insert(*unit);
                most = most.max(begun.len());
            }
            EventKind::Finished { unit, .. }
            | EventKind::Failed { unit, .. }
            | EventKind::Cancelled { unit } => {
                begun.remove(unit);
            }
            _ => {}
        }
    }
    most
}

fn warnings(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Warning { text } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

// How much faster the overlapped runs are is measured, two runs compared,
// in `tests/io_overlap_speedup.rs`; here only what the trace shows.
#[test]
fn io_jobs_overlap_on_threads_and_on_tasks() {
    let io = [("tasks", "6"), ("wait-ms", "40")];
    let (one, events) = run_it(&request("threads", &[io[0], io[1], ("workers", "1")]));
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
    assert_eq!(most_in_flight(&events), 1, "one thread: one job at a time");

    let (three, events) = run_it(&request("threads", &[io[0], io[1], ("workers", "3")]));
    assert_eq!(three.unwrap()["workers"], 3);
    check_stream(&events).unwrap();
    let lanes_up = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::LaneUp { .. }))
        .count();
    assert_eq!(lanes_up, 3, "three threads to wait on");

    let (tasks, events) = run_it(&request("async", &io));
    assert_eq!(tasks.unwrap()["workers"], 1);
    check_stream(&events).unwrap();
    // The loop starts every task before any timer can fire: all six wait
    // at once, on one thread.
    assert_eq!(most_in_flight(&events), 6);
}

#[test]
fn cpu_tasks_that_never_yield_block_the_loop() {
    // The threshold is the test's: at zero every poll is reported, so the
    // warnings count the polls, and no machine's speed changes the count.
    let control = Control::new();
    control.set_slow_poll_threshold(Duration::ZERO);
    let cpu = [("workload", "cpu"), ("tasks", "2"), ("hashes", "20000")];
    let (r, events) = run_with(
        &request("async", &[cpu[0], cpu[1], cpu[2], ("yield-every", "0")]),
        &control,
    );
    assert!(r.unwrap()["hashes_per_s"].as_f64().unwrap() > 0.0);
    check_stream(&events).unwrap();
    let blocked: Vec<String> = warnings(&events)
        .into_iter()
        .filter(|w| w.starts_with("task job "))
        .collect();
    assert_eq!(
        blocked.len(),
        2,
        "each task blocks the loop once: {blocked:?}"
    );
    assert!(blocked.iter().all(|w| w.contains("blocked the event loop")));
    assert_eq!(most_in_flight(&events), 1, "the second waits for the first");

    let (r, events) = run_with(
        &request("async", &[cpu[0], cpu[1], cpu[2], ("yield-every", "2048")]),
        &control,
    );
    r.unwrap();
    check_stream(&events).unwrap();
    let yields = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Yielded { .. }))
        .count();
    assert!(yields >= 18, "tasks took turns: {yields} yields");
    assert_eq!(most_in_flight(&events), 2, "the tasks interleave");
    // Short slices: each task's loop-blocking polls are its slices.
    let job0 = warnings(&events)
        .iter()
        .filter(|w| w.starts_with("task job 0 "))
        .count();
    assert!(job0 >= 10, "20000 hashes in slices of 2048: {job0} polls");
}

#[test]
fn cpu_jobs_on_threads_report_the_gil() {
    let cpu = [
        ("workload", "cpu"),
        ("tasks", "2"),
        ("workers", "2"),
        ("hashes", "30000"),
    ];
    let (r, events) = run_it(&request("threads", &cpu));
    let r = r.unwrap();
    assert_eq!(r["gil"], true);
    check_stream(&events).unwrap();
    let (r, events) = run_it(&request(
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

/// `x` on the lane of the first job to start: that job ends cancelled, the
/// seven others finish, and the run ends well, saying so.
#[test]
fn interrupting_one_lane_cancels_its_job_and_the_others_finish() {
    for mode in ["threads", "async"] {
        let req = request(
            mode,
            &[("tasks", "8"), ("workers", "4"), ("wait-ms", "300")],
        );
        let control = Control::new();
        let (tracer, mut rx) = Tracer::new();
        let c = control.clone();
        let runner = std::thread::spawn(move || run(&req, &tracer, &c));
        let mut jobs = HashSet::new();
        let mut seen = Vec::new();
        let victim = loop {
            let e = rx
                .blocking_recv()
                .expect("the run ended before a job started");
            seen.push(e.clone());
            match &e.kind {
                EventKind::Spawned { unit, label } if label.starts_with("job ") => {
                    jobs.insert(*unit);
                }
                EventKind::Started { unit } if jobs.contains(unit) => break e.lane,
                _ => {}
            }
        };
        control.interrupt_lane(victim);
        let out = runner.join().unwrap().unwrap();
        seen.extend(drain(&mut rx));
        // Jobs spawned after the first one started count too (under load
        // the pool may start one before all eight are submitted).
        for e in &seen {
            if let EventKind::Spawned { unit, label } = &e.kind
                && label.starts_with("job ")
            {
                jobs.insert(*unit);
            }
        }
        assert_eq!(out["cancelled"], 1, "{mode}: {out}");
        assert_eq!(
            out["done_at_ms"].as_array().map(Vec::len),
            Some(7),
            "{mode}"
        );
        let ended = |f: fn(&EventKind) -> bool| {
            seen.iter()
                .filter(|e| f(&e.kind))
                .filter(|e| match &e.kind {
                    EventKind::Finished { unit, .. } | EventKind::Cancelled { unit } => {
                        jobs.contains(unit)
                    }
                    _ => false,
                })
                .count()
        };
        assert_eq!(
            ended(|k| matches!(k, EventKind::Finished { .. })),
            7,
            "{mode}"
        );
        assert_eq!(
            ended(|k| matches!(k, EventKind::Cancelled { .. })),
            1,
            "{mode}"
        );
        let summary = outputs(&seen).join("\n");
        assert!(summary.contains("Ran 7 io jobs"), "{mode}: {summary}");
        assert!(summary.contains("(1 cancelled)"), "{mode}: {summary}");
    }
}
