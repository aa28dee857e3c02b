//! The three-ways chapter's claim, measured: I/O waits overlap on threads
//! (the GIL is released while waiting) and on tasks of one event loop.
//!
//! Alone in its test binary, so that sibling tests do not delay the waits;
//! each ratio compares two runs made back to back in this test, with a
//! generous margin (3x and 6x expected, 1.8x and 2.5x required).

use std::time::{Duration, Instant};

use racecourse::demos::{self, DemoRequest};
use racecourse::runtime::Control;
use racecourse::trace::Tracer;

fn wall(mode: &str, opts: &[(&str, &str)]) -> Duration {
    let mut req = DemoRequest::new("three-ways").unwrap();
    req.set_mode(mode).unwrap();
    for (k, v) in [("tasks", "6"), ("wait-ms", "40")].iter().chain(opts) {
        req.set(k, v).unwrap();
    }
    let (tracer, _events) = Tracer::new();
    let t = Instant::now();
    demos::run_blocking(&req, &tracer, &Control::new())
        .result
        .unwrap();
    t.elapsed()
}

#[test]
fn io_jobs_overlap_on_threads_and_on_tasks() {
    // Waits need no free core to overlap: no skip on one core.
    let mut rounds = Vec::new();
    let (mut t_best, mut a_best) = (0f64, 0f64);
    for _ in 0..3 {
        let serial = wall("threads", &[("workers", "1")]);
        let threaded = wall("threads", &[("workers", "3")]);
        let cooperative = wall("async", &[]);
        let t_ratio = serial.as_secs_f64() / threaded.as_secs_f64();
        let a_ratio = serial.as_secs_f64() / cooperative.as_secs_f64();
        rounds.push(format!("{t_ratio:.2}x/{a_ratio:.2}x"));
        (t_best, a_best) = (t_best.max(t_ratio), a_best.max(a_ratio));
        if t_best > 1.8 && a_best > 2.5 {
            break;
        }
    }
    eprintln!("threads/tasks speed-up per round: {rounds:?}");
    assert!(t_best > 1.8, "3 threads only {t_best:.2}x: {rounds:?}");
    assert!(a_best > 2.5, "tasks only {a_best:.2}x: {rounds:?}");
}
