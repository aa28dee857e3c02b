use std::time::Duration;

use super::*;
use crate::runtime::testing::drain;
use crate::trace::EventKind;

// Real time: a blocking sleep does not move a paused clock. The figures
// compared are lower bounds (a sleep lasts at least its time) or a
// comparison of the two runs, which load cannot turn round.
fn run_it(mode: Mode) -> (BlockedOutput, Vec<String>) {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    control.set_slow_poll_threshold(Duration::from_millis(100));
    let lp = EventLoop::new(&tracer, &control).unwrap();
    let out = run_on(&lp, mode, 100, &tracer, &control).unwrap();
    drop(lp);
    let warnings = drain(&mut rx)
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Warning { text } => Some(text),
            _ => None,
        })
        .collect();
    (out, warnings)
}

#[test]
fn time_sleep_freezes_the_ticker_and_to_thread_does_not() {
    let (blocked, warned) = run_it(Mode::TimeSleep);
    let (free, quiet) = run_it(Mode::ToThread);
    assert_eq!(blocked.ticks_at.len(), TICKS);
    assert_eq!(free.ticks_at.len(), TICKS);
    assert!(
        blocked.longest_gap_units >= 1.9,
        "no tick during the 2-unit time.sleep: {:?}",
        blocked.ticks_at
    );
    assert!(
        free.longest_gap_units < blocked.longest_gap_units,
        "{:?} vs {:?}",
        free.ticks_at,
        blocked.ticks_at
    );
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(warned[0].starts_with("task compress_files blocked the event loop for "));
    assert!(quiet.is_empty(), "{quiet:?}");
}
