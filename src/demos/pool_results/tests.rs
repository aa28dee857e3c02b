use super::*;
use crate::demos::thread_start::thread::MAIN;
use crate::demos::{DemoRequest, run_json};
use crate::runtime::testing::drain;
use crate::trace::{Event, EventKind, check_stream};

fn run_it(
    mode: &str,
    opts: &[(&str, &str)],
    control: &Control,
) -> (anyhow::Result<serde_json::Value>, Vec<Event>) {
    let mut r = DemoRequest::new("pool-results").unwrap();
    r.set_mode(mode).unwrap();
    for (k, v) in opts {
        r.set(k, v).unwrap();
    }
    let (tracer, mut rx) = Tracer::new();
    let out = run_json(&r, &tracer, control);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    (out, events)
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

fn strings(v: &serde_json::Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap()
}

/// The job labels in the order their units finished.
fn finish_order(events: &[Event]) -> Vec<String> {
    let label = |unit: u64| {
        events.iter().find_map(|e| match &e.kind {
            EventKind::Spawned { unit: u, label } if *u == unit => Some(label.clone()),
            _ => None,
        })
    };
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Finished { unit, .. } if e.lane != MAIN => label(*unit),
            _ => None,
        })
        .collect()
}

#[test]
fn map_gives_results_in_submission_order_and_reraises_at_the_failing_item() {
    let opts = [("fail", "2"), ("step-ms", "10")];
    let (out, events) = run_it("map", &opts, &Control::new());
    let out = out.unwrap();
    assert_eq!(
        strings(&out["printed"]),
        ["result of job 0", "result of job 1"]
    );
    assert_eq!(out["raised"]["job"], 2);
    assert_eq!(out["raised"]["after_results"], 2);
    assert_eq!(out["raised"]["error"], "ValueError: job 2 failed");
    let lines = outputs(&events);
    assert_eq!(lines.last().unwrap(), "ValueError: job 2 failed");
    // The exception reaches the main thread after the job raised it.
    let failed = events
        .iter()
        .position(|e| e.lane != MAIN && matches!(e.kind, EventKind::Failed { .. }))
        .unwrap();
    let main_failed = events
        .iter()
        .position(|e| e.lane == MAIN && matches!(e.kind, EventKind::Failed { .. }))
        .unwrap();
    assert!(failed < main_failed);
}

#[test]
fn map_without_a_failure_prints_every_result_in_order() {
    let (out, _) = run_it("map", &[("step-ms", "5")], &Control::new());
    let want: Vec<String> = (0..5).map(|i| format!("result of job {i}")).collect();
    assert_eq!(strings(&out.unwrap()["printed"]), want);
}

#[test]
fn as_completed_gives_results_in_the_order_the_jobs_finish() {
    let (out, events) = run_it("as-completed", &[("step-ms", "30")], &Control::new());
    let printed = strings(&out.unwrap()["printed"]);
    let finished: Vec<String> = finish_order(&events)
        .iter()
        .map(|l| format!("result of {l}"))
        .collect();
    assert_eq!(printed, finished);
    assert_eq!(printed.len(), 5);
}

#[test]
fn as_completed_raises_when_the_failing_job_finishes() {
    let opts = [("fail", "2"), ("step-ms", "30")];
    let (out, _) = run_it("as-completed", &opts, &Control::new());
    let out = out.unwrap();
    assert_eq!(out["raised"]["job"], 2);
    // Jobs 3 and 4 sleep less than job 2: their results come first.
    assert_eq!(
        strings(&out["printed"]),
        ["result of job 4", "result of job 3"]
    );
}

#[test]
fn the_pool_hides_the_exception_until_result_asks() {
    let (out, events) = run_it("hidden-exception", &[("jobs", "3")], &Control::new());
    let out = out.unwrap();
    assert_eq!(outputs(&events), ["Main: all done"]);
    assert_eq!(strings(&out["hidden"]), [TYPE_ERROR; 3]);
    assert!(out["raised"].is_null());
    let job_failures = events
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::Failed { error, .. } if error == TYPE_ERROR))
        .count();
    assert_eq!(job_failures, 3, "the futures hold them");
    assert!(
        !events
            .iter()
            .any(|e| e.lane == MAIN && matches!(e.kind, EventKind::Failed { .. }))
    );

    let (out, events) = run_it("result", &[("jobs", "3")], &Control::new());
    let out = out.unwrap();
    assert_eq!(outputs(&events), ["Main: all done", TYPE_ERROR]);
    assert_eq!(out["raised"]["error"], TYPE_ERROR);
    assert_eq!(
        strings(&out["hidden"]).len(),
        2,
        "the other two stay hidden"
    );
}

#[test]
fn an_interrupt_ends_the_run_and_its_workers() {
    let control = Control::new();
    control.interrupt_all();
    let (out, events) = run_it("map", &[("step-ms", "5000")], &control);
    assert!(out.is_err());
    let downs = events
        .iter()
        .filter(|e| e.lane != MAIN && matches!(e.kind, EventKind::LaneDown { .. }))
        .count();
    assert_eq!(downs, 5, "every worker thread ended");
}
