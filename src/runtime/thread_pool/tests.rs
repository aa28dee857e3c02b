use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::ctx::PROGRESS_EVERY;
use super::*;
use crate::runtime::FutureError;
use crate::runtime::testing::drain;
use crate::trace::{BlockOn, Event, check_stream};

fn pool(n: usize) -> (ThreadPool, Tracer, crate::trace::TraceRx, Control) {
    let (tracer, rx) = Tracer::new();
    let control = Control::new();
    (ThreadPool::new(n, &tracer, &control), tracer, rx, control)
}

fn units_with(events: &[Event], pred: impl Fn(&EventKind) -> bool) -> Vec<UnitId> {
    events
        .iter()
        .filter(|e| pred(&e.kind))
        .filter_map(|e| e.kind.unit())
        .collect()
}

#[test]
fn map_returns_results_in_input_order() {
    let (pool, _t, mut rx, _c) = pool(3);
    // Later items finish first; the results still come in input order.
    let results: Vec<_> = pool
        .map(
            |i| format!("job({i})"),
            [30u64, 20, 10, 0],
            |ctx, ms| {
                ctx.sleep(Duration::from_millis(ms))?;
                Ok(ms * 2)
            },
        )
        .collect();
    assert_eq!(results, vec![Ok(60), Ok(40), Ok(20), Ok(0)]);
    drop(pool);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    let lanes_up = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::LaneUp { .. }))
        .count();
    assert_eq!(lanes_up, 3);
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Blocked {
            on: BlockOn::Sleep,
            ..
        }
    )));
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Spawned { label, .. } if label == "job(20)"
    )));
}

#[test]
fn an_exception_waits_in_its_future_until_asked() {
    let (pool, _t, mut rx, _c) = pool(2);
    let f = pool.submit("divide", |_| -> JobResult<u32> {
        Err("ZeroDivisionError: division by zero".into())
    });
    let p = pool.submit("oops", |_| -> JobResult<u32> { panic!("boom") });
    assert!(f.wait(Some(Duration::from_secs(10))));
    assert!(p.wait(Some(Duration::from_secs(10))));
    // Nobody asked yet, but the trace already shows the failure.
    let events = drain(&mut rx);
    assert_eq!(
        units_with(&events, |k| matches!(k, EventKind::Failed { .. })).len(),
        2
    );
    assert_eq!(
        f.exception(),
        Ok(Some("ZeroDivisionError: division by zero".into()))
    );
    assert_eq!(
        f.result(),
        Err(FutureError::Exception(
            "ZeroDivisionError: division by zero".into()
        ))
    );
    assert_eq!(
        p.result(),
        Err(FutureError::Exception("panic: boom".into()))
    );
}

#[test]
fn map_raises_only_when_the_failed_result_is_reached() {
    let (pool, _t, mut rx, _c) = pool(1);
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let go_rx = Mutex::new(go_rx);
    let mut it = pool.map(
        |i| format!("item({i})"),
        0..6u32,
        move |_, i| {
            if i == 0 {
                // Hold the only worker until the test has looked.
                let _ = go_rx.lock().unwrap().recv();
            }
            if i == 2 {
                return Err(JobError::exception("ValueError: 2"));
            }
            Ok(i)
        },
    );
    go_tx.send(()).unwrap();
    assert_eq!(it.next(), Some(Ok(0)));
    assert_eq!(it.next(), Some(Ok(1)));
    assert_eq!(
        it.next(),
        Some(Err(FutureError::Exception("ValueError: 2".into())))
    );
    assert_eq!(it.next(), None);
    drop(it);
    drop(pool);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    let finished = units_with(&events, |k| matches!(k, EventKind::Finished { .. }));
    let cancelled = units_with(&events, |k| matches!(k, EventKind::Cancelled { .. }));
    assert_eq!(finished.len() + cancelled.len(), 5, "{events:#?}");
    assert!(finished.len() >= 2);
}

#[test]
fn only_queued_work_can_be_cancelled() {
    let (pool, _t, mut rx, _c) = pool(1);
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let ran_second = Arc::new(AtomicBool::new(false));
    let first = pool.submit("first", move |_| {
        go_rx.recv().map_err(JobError::exception)?;
        Ok(1)
    });
    let r = ran_second.clone();
    let second = pool.submit("second", move |_| {
        r.store(true, Ordering::SeqCst);
        Ok(2)
    });
    while !first.running() {
        std::thread::yield_now();
    }
    assert!(!first.cancel(), "running work cannot be cancelled");
    assert!(second.cancel());
    go_tx.send(()).unwrap();
    assert_eq!(first.result(), Ok(1));
    assert_eq!(second.result(), Err(FutureError::Cancelled));
    drop(pool);
    assert!(!ran_second.load(Ordering::SeqCst));
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert_eq!(
        units_with(&events, |k| matches!(k, EventKind::Cancelled { .. })),
        vec![second.unit()]
    );
}

#[test]
fn shutdown_with_and_without_waiting() {
    let (mut pool, _t, mut rx, _c) = pool(1);
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let running = pool.submit("running", move |_| {
        go_rx.recv().map_err(JobError::exception)?;
        Ok("done")
    });
    let queued: Vec<_> = (0..3)
        .map(|i| pool.submit(format!("q{i}"), |_| Ok("ran")))
        .collect();
    // Without waiting: returns while the first job still runs.
    pool.shutdown(false, false);
    assert!(!running.done());
    let late = pool.submit("late", |_| Ok("never"));
    assert_eq!(
        late.result(),
        Err(FutureError::Exception(
            "RuntimeError: cannot schedule new futures after shutdown".into()
        ))
    );
    go_tx.send(()).unwrap();
    // Waiting: every queued job still runs, then the workers end.
    pool.shutdown(true, false);
    assert_eq!(running.result(), Ok("done"));
    for q in &queued {
        assert_eq!(q.result(), Ok("ran"));
    }
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::LaneDown { .. })
    ));
}

#[test]
fn shutdown_can_cancel_what_is_still_queued() {
    let (mut pool, _t, mut rx, _c) = pool(1);
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let running = pool.submit("running", move |_| {
        go_rx.recv().map_err(JobError::exception)?;
        Ok(0)
    });
    let queued: Vec<_> = (0..3)
        .map(|i| pool.submit(format!("q{i}"), move |_| Ok(i)))
        .collect();
    while !running.running() {
        std::thread::yield_now();
    }
    // The running job may end only once shutdown has cancelled the queue,
    // or the worker could take a queued job first on a busy machine.
    let waiting = queued.clone();
    let sender = std::thread::spawn(move || {
        for q in &waiting {
            assert!(q.wait(Some(Duration::from_mins(1))), "never cancelled");
        }
        go_tx.send(()).unwrap();
    });
    pool.shutdown(true, true);
    sender.join().unwrap();
    assert_eq!(running.result(), Ok(0));
    for q in &queued {
        assert_eq!(q.result(), Err(FutureError::Cancelled));
    }
    check_stream(&drain(&mut rx)).unwrap();
}

#[test]
fn interrupting_everything_cancels_running_and_queued_jobs() {
    let (pool, _t, mut rx, control) = pool(2);
    let futures: Vec<_> = (0..5)
        .map(|i| {
            pool.submit(format!("sleepy{i}"), |ctx| {
                ctx.sleep(Duration::from_secs(30))?;
                Ok(())
            })
        })
        .collect();
    while !futures[0].running() || !futures[1].running() {
        std::thread::yield_now();
    }
    control.interrupt_all();
    for f in &futures {
        assert_eq!(
            f.result_timeout(Duration::from_secs(10)),
            Err(FutureError::Cancelled)
        );
    }
    drop(pool);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert_eq!(
        units_with(&events, |k| matches!(k, EventKind::Cancelled { .. })).len(),
        5
    );
}

#[test]
fn interrupting_one_lane_cancels_only_its_job() {
    let (pool, _t, mut rx, control) = pool(2);
    let lanes: Vec<_> = pool.lanes().collect();
    let (lane_tx, lane_rx) = mpsc::channel();
    let lane_tx = Mutex::new(lane_tx);
    let futures: Vec<_> = (0..2)
        .map(|i| {
            let tx = lane_tx.lock().unwrap().clone();
            pool.submit(format!("long{i}"), move |ctx| {
                let _ = tx.send(ctx.lane());
                ctx.sleep(Duration::from_millis(300))?;
                Ok(i)
            })
        })
        .collect();
    let victim = lane_rx.recv().unwrap();
    let _other = lane_rx.recv().unwrap();
    control.interrupt_lane(victim);
    let results: Vec<_> = futures.iter().map(PyFuture::result).collect();
    assert_eq!(
        results
            .iter()
            .filter(|r| **r == Err(FutureError::Cancelled))
            .count(),
        1
    );
    // The lane is usable again afterwards.
    let after = pool.submit("after", |ctx| {
        ctx.checkpoint()?;
        Ok(ctx.lane())
    });
    assert!(lanes.contains(&after.result().unwrap()));
    drop(pool);
    check_stream(&drain(&mut rx)).unwrap();
}

#[test]
fn pause_holds_jobs_at_their_checkpoint() {
    let (pool, _t, _rx, control) = pool(1);
    control.set_paused(true);
    let passed = Arc::new(AtomicBool::new(false));
    let p = passed.clone();
    let f = pool.submit("paused", move |ctx| {
        ctx.checkpoint()?;
        p.store(true, Ordering::SeqCst);
        Ok(())
    });
    while !f.running() {
        std::thread::yield_now();
    }
    std::thread::sleep(Duration::from_millis(60));
    assert!(!passed.load(Ordering::SeqCst));
    control.set_paused(false);
    assert_eq!(f.result(), Ok(()));
    assert!(passed.load(Ordering::SeqCst));
}

/// Two CPU-bound jobs under `gil` until it has changed hands `switches`
/// times; returns the lane of every batch, in order, and the most threads
/// seen computing at once. Ends on a count, not a time window, so a busy
/// machine makes it slower, never different.
fn race_two_under(gil: &Arc<Gil>, switches: u64) -> (Vec<LaneId>, usize) {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let pool = ThreadPool::builder(2)
        .gil(gil.clone())
        .build(&tracer, &control);
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let order = Arc::new(Mutex::new(Vec::new()));
    let futures: Vec<_> = (0..2)
        .map(|i| {
            let (inside, most, stop, order) =
                (inside.clone(), most.clone(), stop.clone(), order.clone());
            pool.submit(format!("spin{i}"), move |ctx| {
                let mut batches = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    crate::runtime::jobs::spin(256, &mut |_| true);
                    order.lock().unwrap().push(ctx.lane());
                    inside.fetch_sub(1, Ordering::SeqCst);
                    batches += 1;
                    ctx.cpu_tick(batches)?;
                }
                Ok(batches)
            })
        })
        .collect();
    let hang_guard = Instant::now() + Duration::from_mins(2);
    while gil.switches() < switches && Instant::now() < hang_guard {
        std::thread::sleep(Duration::from_millis(1));
    }
    stop.store(true, Ordering::SeqCst);
    for f in &futures {
        f.result().unwrap();
    }
    drop(pool);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(events.iter().any(|e| matches!(
        e.kind,
        EventKind::Blocked {
            on: BlockOn::Gil,
            ..
        }
    )));
    let order = std::mem::take(&mut *order.lock().unwrap());
    (order, most.load(Ordering::SeqCst))
}

// Whether two threads without the GIL go faster than with it is measured in
// its own test binary, `tests/gil_speedup.rs`.
#[test]
fn the_gil_lets_one_thread_compute_at_a_time_and_hands_over_fairly() {
    let gil = Gil::new();
    let (order, most) = race_two_under(&gil, 12);
    assert_eq!(most, 1, "two threads computed at once under the GIL");
    assert!(gil.switches() >= 12, "only {} hand-overs", gil.switches());
    // Turns: runs of batches by the same thread. Strict hand-over to the
    // waiter means the threads alternate, so each has about half of them.
    let mut turns: HashMap<LaneId, u64> = HashMap::new();
    for (i, lane) in order.iter().enumerate() {
        if i == 0 || order[i - 1] != *lane {
            *turns.entry(*lane).or_default() += 1;
        }
    }
    assert_eq!(turns.len(), 2, "both threads computed: {turns:?}");
    assert!(
        turns.values().all(|&t| t >= 5),
        "one thread starved under the GIL: {turns:?}"
    );
}

/// The time two worker lanes are both drawn running (between `Started` or
/// `Woken` and their next `Blocked` or end), in µs of the trace.
fn drawn_together_us(events: &[Event]) -> u64 {
    let mut since: HashMap<LaneId, u64> = HashMap::new();
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for e in events.iter().filter(|e| e.lane != 0) {
        let t = e.t_us.as_us();
        match &e.kind {
            EventKind::Started { .. } | EventKind::Woken { .. } => {
                since.entry(e.lane).or_insert(t);
            }
            k if matches!(k, EventKind::Blocked { .. }) || k.is_terminal() => {
                if let Some(from) = since.remove(&e.lane) {
                    edges.extend([(from, 1), (t, -1)]);
                }
            }
            _ => {}
        }
    }
    // At one instant, an end sorts before a start: a hand-over is no overlap.
    edges.sort_unstable();
    let (mut depth, mut last, mut together) = (0, 0, 0);
    for (t, d) in edges {
        if depth >= 2 {
            together += t - last;
        }
        depth += d;
        last = t;
    }
    together
}

#[test]
fn gil_turns_are_drawn_where_they_were_handed_over() {
    // Many hand-overs, some forced by the switch interval, some by I/O: the
    // trace stamps each turn's end at the instant the next one began, so no
    // two lanes are ever drawn holding the GIL at the same moment.
    let gil = Gil::with_interval(Duration::from_micros(200));
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    let pool = ThreadPool::builder(2)
        .gil(gil.clone())
        .build(&tracer, &control);
    let stop = Arc::new(AtomicBool::new(false));
    let futures: Vec<_> = (0..2)
        .map(|i| {
            let stop = stop.clone();
            pool.submit(format!("spin{i}"), move |ctx| {
                let mut batches = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    crate::runtime::jobs::spin(256, &mut |_| true);
                    batches += 1;
                    if batches.is_multiple_of(8) {
                        ctx.io("nothing", || ());
                    }
                    ctx.cpu_tick(batches)?;
                }
                Ok(batches)
            })
        })
        .collect();
    let hang_guard = Instant::now() + Duration::from_mins(2);
    while gil.switches() < 200 && Instant::now() < hang_guard {
        std::thread::sleep(Duration::from_millis(1));
    }
    stop.store(true, Ordering::SeqCst);
    for f in &futures {
        f.result().unwrap();
    }
    drop(pool);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(gil.switches() >= 200, "only {} hand-overs", gil.switches());
    assert_eq!(
        drawn_together_us(&events),
        0,
        "two lanes drawn holding the GIL at once"
    );
}

#[test]
fn progress_is_batched() {
    let (pool, _t, mut rx, _c) = pool(1);
    let ticks = Arc::new(AtomicU64::new(0));
    let t = ticks.clone();
    let began = Instant::now();
    let f = pool.submit("tick", move |ctx| {
        let mut n = 0;
        while n < 200_000 {
            n += 1;
            ctx.cpu_tick(n)?;
        }
        t.store(n, Ordering::SeqCst);
        Ok(n)
    });
    let n = f.result().unwrap();
    let took = began.elapsed();
    drop(pool);
    let events = drain(&mut rx);
    let progress: Vec<u64> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Progress { done, .. } => Some(done),
            _ => None,
        })
        .collect();
    assert_eq!(progress.last(), Some(&n), "the last count is always sent");
    // At most one per PROGRESS_EVERY of the time the job took, plus the
    // last: a bound that holds at any speed.
    let most = took.as_micros() / PROGRESS_EVERY.as_micros() + 2;
    assert!(
        progress.len() as u128 <= most,
        "{} events for {n} ticks in {took:?}",
        progress.len()
    );
    assert!(
        (progress.len() as u64) < n,
        "batched: fewer events than ticks"
    );
    assert!(progress.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn each_worker_thread_gets_its_own_local_value() {
    let (pool, _t, _rx, _c) = pool(2);
    let made = Arc::new(AtomicUsize::new(0));
    let m = made.clone();
    let ids: Vec<_> = pool
        .map(
            |i| format!("get({i})"),
            0..8,
            move |ctx, _| {
                let session = ctx.local(|| (m.fetch_add(1, Ordering::SeqCst), ctx.lane()));
                ctx.sleep(Duration::from_millis(2))?;
                assert_eq!(session.1, ctx.lane(), "a session never changes thread");
                Ok(session.0)
            },
        )
        .collect::<Result<_, _>>()
        .unwrap();
    let sessions = made.load(Ordering::SeqCst);
    assert!(
        (1..=2).contains(&sessions),
        "{sessions} sessions for 2 threads"
    );
    assert!(ids.iter().all(|&i| i < sessions));
}
