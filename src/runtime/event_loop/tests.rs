use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use super::*;
use crate::runtime::testing::drain;
use crate::runtime::{JobError, aio};
use crate::trace::{Event, TraceRx, check_stream};

/// A loop on a paused clock: sleeps take no real time and durations are
/// exact whatever else the machine is doing.
fn new_loop() -> (EventLoop, TraceRx, Control) {
    let (tracer, rx) = Tracer::new();
    let control = Control::new();
    let lp = EventLoop::with_paused_clock(&tracer, &control).unwrap();
    (lp, rx, control)
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

/// The notes' example, one second of theirs = `unit` here.
async fn upload_files(unit: Duration) -> JobResult<()> {
    aio::print("Preparing files...");
    aio::sleep(unit).await?;
    aio::print("Files prepared.");
    aio::sleep(unit * 4).await?;
    aio::print("Files uploaded.");
    Ok(())
}

async fn send_emails(unit: Duration) -> JobResult<()> {
    aio::print("Sending emails...");
    aio::sleep(unit * 3).await?;
    aio::print("Emails sent...");
    Ok(())
}

#[test]
fn awaiting_runs_one_after_the_other_and_gather_overlaps() {
    let unit = Duration::from_millis(25);
    let (lp, mut rx, _c) = new_loop();
    let sequential = lp
        .block_on(async move {
            let t = tokio::time::Instant::now();
            upload_files(unit).await?;
            send_emails(unit).await?;
            Ok(t.elapsed())
        })
        .unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert_eq!(
        outputs(&events),
        [
            "Preparing files...",
            "Files prepared.",
            "Files uploaded.",
            "Sending emails...",
            "Emails sent..."
        ]
    );

    let (lp, mut rx, _c) = new_loop();
    let concurrent = lp
        .block_on(async move {
            let t = tokio::time::Instant::now();
            let up = aio::create_task("upload_files", upload_files(unit));
            let mail = aio::create_task("send_emails", send_emails(unit));
            aio::gather([up, mail]).await.map_err(aio::reraise)?;
            Ok(t.elapsed())
        })
        .unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert_eq!(
        outputs(&events),
        [
            "Preparing files...",
            "Sending emails...",
            "Files prepared.",
            "Emails sent...",
            "Files uploaded."
        ]
    );
    // 8 units against 5, on the loop's paused clock.
    assert!(
        (unit * 8..unit * 9).contains(&sequential),
        "one after the other: {sequential:?}"
    );
    assert!(
        (unit * 5..unit * 6).contains(&concurrent),
        "gathered: {concurrent:?}"
    );
    let tasks = lp.task_stats();
    assert_eq!(
        tasks.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
        ["main", "upload_files", "send_emails"]
    );
    assert!(tasks.iter().all(|t| t.state == TaskState::Finished));
    assert_eq!(tasks[1].polls, 3, "start, after 1 s, after 4 s");
}

#[test]
fn each_poll_pending_and_wake_is_traced() {
    let (lp, mut rx, _c) = new_loop();
    lp.block_on(async {
        let t = aio::create_task("sleeper", async {
            aio::sleep(Duration::from_millis(5)).await?;
            aio::yield_now().await;
            Ok(7)
        });
        t.await.map_err(aio::reraise)
    })
    .unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    let lane = events
        .iter()
        .find(|e| matches!(&e.kind, EventKind::Spawned { label, .. } if label == "sleeper"))
        .map(|e| e.lane)
        .unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .filter(|e| e.lane == lane)
        .map(|e| match &e.kind {
            EventKind::Spawned { .. } => "spawned",
            EventKind::Queued { .. } => "queued",
            EventKind::Started { .. } => "started",
            EventKind::Blocked {
                on: BlockOn::Sleep, ..
            } => "blocked-sleep",
            EventKind::Blocked { .. } => "blocked-other",
            EventKind::Woken { .. } => "woken",
            EventKind::Yielded { .. } => "yielded",
            EventKind::Finished { .. } => "finished",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "spawned",
            "queued",
            "started",
            "blocked-sleep",
            "woken",
            "started",
            "yielded",
            "started",
            "finished"
        ]
    );
    // main waited on the task, by name.
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Blocked { on: BlockOn::Task { name }, .. } if name == "task sleeper"
    )));
    assert!(matches!(
        events.first().map(|e| &e.kind),
        Some(EventKind::LaneUp { .. })
    ));
    assert!(matches!(
        events.last().map(|e| &e.kind),
        Some(EventKind::LaneDown { .. })
    ));
}

#[test]
fn gather_keeps_order_and_raises_the_first_exception() {
    let (lp, _rx, _c) = new_loop();
    let values = lp
        .block_on(async {
            let tasks = [30u64, 10, 20].map(|ms| {
                aio::create_task(format!("t{ms}"), async move {
                    aio::sleep(Duration::from_millis(ms)).await?;
                    Ok(ms)
                })
            });
            aio::gather(tasks).await.map_err(aio::reraise)
        })
        .unwrap();
    assert_eq!(values, [30, 10, 20]);

    let (lp, _rx, _c) = new_loop();
    let settled = lp
        .block_on(async {
            let ok = aio::create_task("ok", async { Ok(1) });
            let bad = aio::create_task("bad", async {
                Err::<i32, _>(JobError::exception("ValueError: bad"))
            });
            Ok(aio::gather_settled([ok, bad]).await)
        })
        .unwrap();
    assert_eq!(
        settled,
        [Ok(1), Err(TaskError::Exception("ValueError: bad".into()))]
    );
    let (lp, _rx, _c) = new_loop();
    let r = lp.block_on(async {
        let bad = aio::create_task("bad", async {
            Err::<i32, _>(JobError::exception("ValueError: bad"))
        });
        aio::gather([bad]).await.map_err(aio::reraise)
    });
    assert_eq!(r, Err(TaskError::Exception("ValueError: bad".into())));
}

#[test]
fn cancellation_arrives_at_the_next_await() {
    let (lp, mut rx, _c) = new_loop();
    let r = lp
        .block_on(async {
            let t = aio::create_task("long", async {
                aio::print("before");
                aio::sleep(Duration::from_secs(30)).await?;
                aio::print("after");
                Ok(())
            });
            aio::sleep(Duration::from_millis(10)).await?;
            assert!(t.cancel());
            Ok(t.await)
        })
        .unwrap();
    assert_eq!(r, Err(TaskError::Cancelled));
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert_eq!(outputs(&events), ["before"]);
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Cancelled { .. }))
    );
    assert_eq!(lp.task_stats()[1].state, TaskState::Cancelled);
}

#[test]
fn a_long_poll_is_flagged_as_blocking_the_loop() {
    let (lp, mut rx, _c) = new_loop();
    lp.set_slow_poll_threshold(Duration::from_millis(30));
    lp.block_on(async {
        // One poll that holds the loop for 40 ms of its (paused) clock; the
        // polite task's polls take no time on it, however busy the machine.
        let hog = aio::create_task("hog", async {
            tokio::time::advance(Duration::from_millis(40)).await;
            Ok(())
        });
        let polite = aio::create_task("polite", async {
            for _ in 0..5 {
                aio::yield_now().await;
            }
            Ok(())
        });
        hog.await.map_err(aio::reraise)?;
        polite.await.map_err(aio::reraise)
    })
    .unwrap();
    let warnings: Vec<String> = drain(&mut rx)
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Warning { text } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(warnings, ["task hog blocked the event loop for 40 ms"]);
}

#[test]
fn the_runs_control_sets_the_slow_poll_threshold() {
    let (tracer, mut rx) = Tracer::new();
    let control = Control::new();
    // Zero: every poll counts as slow, so the warnings count the polls.
    control.set_slow_poll_threshold(Duration::ZERO);
    let lp = EventLoop::with_paused_clock(&tracer, &control).unwrap();
    lp.block_on(async {
        aio::yield_now().await;
        Ok(())
    })
    .unwrap();
    let warnings = drain(&mut rx)
        .into_iter()
        .filter(|e| matches!(e.kind, EventKind::Warning { .. }))
        .count();
    assert_eq!(warnings, 2, "main was polled twice");
}

#[test]
fn interrupting_everything_cancels_every_task() {
    let (lp, mut rx, control) = new_loop();
    let c = control.clone();
    let interrupter = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        c.interrupt_all();
    });
    let r = lp.block_on(async {
        let tasks: Vec<_> = (0..3)
            .map(|i| {
                aio::create_task(format!("t{i}"), async {
                    loop {
                        aio::sleep(Duration::from_millis(5)).await?;
                    }
                    #[allow(unreachable_code)]
                    Ok(())
                })
            })
            .collect();
        aio::gather(tasks).await.map_err(aio::reraise)
    });
    interrupter.join().unwrap();
    assert_eq!(r, Err(TaskError::Cancelled));
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    let cancelled = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Cancelled { .. }))
        .count();
    assert_eq!(cancelled, 4, "main and three tasks");
}

#[test]
fn interrupting_a_lane_cancels_that_task_only() {
    let (lp, _rx, control) = new_loop();
    let r = lp
        .block_on(async move {
            let a = aio::create_task("a", async {
                aio::sleep(Duration::from_millis(40)).await?;
                Ok("a")
            });
            let b = aio::create_task("b", async {
                aio::sleep(Duration::from_millis(40)).await?;
                Ok("b")
            });
            aio::sleep(Duration::from_millis(5)).await?;
            control.interrupt_lane(a.lane());
            Ok(aio::gather_settled([a, b]).await)
        })
        .unwrap();
    assert_eq!(r, [Err(TaskError::Cancelled), Ok("b")]);
}

#[test]
fn the_loop_closing_cancels_what_is_left() {
    let (lp, mut rx, _c) = new_loop();
    lp.block_on(async {
        aio::create_task("orphan", async {
            aio::sleep(Duration::from_secs(30)).await?;
            Ok(())
        });
        aio::yield_now().await;
        Ok(())
    })
    .unwrap();
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Cancelled { .. }))
    );
}

#[test]
fn a_semaphore_limits_how_many_run_at_once() {
    let (lp, mut rx, _c) = new_loop();
    let inside = Rc::new(Cell::new(0));
    let most = Rc::new(Cell::new(0));
    let (i2, m2) = (inside.clone(), most.clone());
    lp.block_on(async move {
        let sem = aio::Semaphore::new("limit", 2);
        let tasks: Vec<_> = (0..6)
            .map(|n| {
                let (sem, inside, most) = (sem.clone(), i2.clone(), m2.clone());
                aio::create_task(format!("job{n}"), async move {
                    let _permit = sem.acquire().await?;
                    inside.set(inside.get() + 1);
                    most.set(most.get().max(inside.get()));
                    aio::sleep(Duration::from_millis(5)).await?;
                    inside.set(inside.get() - 1);
                    Ok(n)
                })
            })
            .collect();
        aio::gather(tasks).await.map_err(aio::reraise)
    })
    .unwrap();
    assert_eq!(most.get(), 2);
    assert_eq!(inside.get(), 0);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Blocked { on: BlockOn::Semaphore { name }, .. } if name == "limit"
    )));
}

#[test]
fn a_queue_hands_items_from_producer_to_consumer() {
    let (lp, mut rx, _c) = new_loop();
    let got = lp
        .block_on(async {
            let q = aio::Queue::new("data", 2);
            let producer = {
                let q = q.clone();
                aio::create_task("producer", async move {
                    for i in 0..5 {
                        q.put(i).await;
                    }
                    Ok(())
                })
            };
            let consumer = aio::create_task("consumer", async move {
                let mut got = Vec::new();
                while got.len() < 5 {
                    got.push(q.get().await);
                }
                Ok(got)
            });
            producer.await.map_err(aio::reraise)?;
            consumer.await.map_err(aio::reraise)
        })
        .unwrap();
    assert_eq!(got, [0, 1, 2, 3, 4]);
    let events = drain(&mut rx);
    check_stream(&events).unwrap();
    assert!(events.iter().any(|e| matches!(
        &e.kind,
        EventKind::Blocked { on: BlockOn::Queue { name }, .. } if name == "data"
    )));
}

#[test]
fn a_panicking_task_fails_without_taking_the_loop_down() {
    let (lp, _rx, _c) = new_loop();
    let r = lp
        .block_on(async {
            let t = aio::create_task("boom", async {
                assert!(aio::current().is_none(), "kaboom");
                Ok(())
            });
            Ok(t.await)
        })
        .unwrap();
    assert_eq!(r, Err(TaskError::Exception("panic: kaboom".into())));
}

#[test]
fn create_task_outside_a_loop_is_an_error_not_a_panic() {
    let t = aio::create_task("nowhere", async { Ok(()) });
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    assert_eq!(
        rt.block_on(t),
        Err(TaskError::Exception(
            "RuntimeError: no running event loop".into()
        ))
    );
}

#[test]
fn a_semaphore_limit_can_change_while_tasks_wait() {
    let (lp, _rx, _c) = new_loop();
    let inside = Rc::new(Cell::new(0));
    let most = Rc::new(Cell::new(0));
    let (i2, m2, m3) = (inside.clone(), most.clone(), most.clone());
    lp.block_on(async move {
        let sem = aio::Semaphore::new("limit", 3);
        sem.set_limit(1);
        assert_eq!(sem.available(), 1);
        let tasks: Vec<_> = (0..4)
            .map(|n| {
                let (sem, inside, most) = (sem.clone(), i2.clone(), m2.clone());
                aio::create_task(format!("job{n}"), async move {
                    let _permit = sem.acquire().await?;
                    inside.set(inside.get() + 1);
                    most.set(most.get().max(inside.get()));
                    aio::sleep(Duration::from_millis(5)).await?;
                    inside.set(inside.get() - 1);
                    Ok(n)
                })
            })
            .collect();
        aio::sleep(Duration::from_millis(1)).await?;
        assert_eq!(m3.get(), 1);
        sem.set_limit(2);
        aio::gather(tasks).await.map_err(aio::reraise)
    })
    .unwrap();
    assert_eq!(most.get(), 2);
}
