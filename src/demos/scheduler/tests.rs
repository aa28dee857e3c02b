//! Step semantics: a schedule gives a final state, on the real threads.

use super::*;
use crate::trace::{Event, TraceRx};

fn play(program: &str, schedule: &str) -> SchedulerOutput {
    let (tracer, _rx) = Tracer::new();
    play_traced(program, schedule, &tracer)
}

fn play_traced(program: &str, schedule: &str, tracer: &Tracer) -> SchedulerOutput {
    let p = Program::named(program).unwrap();
    let moves = parse_schedule(schedule, p.thread_count()).unwrap();
    run(p, &moves, tracer, &Control::new()).unwrap()
}

fn counter(out: &SchedulerOutput) -> i64 {
    out.state["counter"].as_i64().unwrap()
}

fn drain(rx: &mut TraceRx) -> Vec<Event> {
    let mut events = Vec::new();
    while let Ok(e) = rx.try_recv() {
        events.push(e);
    }
    events
}

#[test]
fn one_thread_after_the_other_loses_nothing() {
    let out = play("lost-update", "1,1,1,2,2,2");
    assert_eq!(counter(&out), 2);
    assert!(!out.goal_met && !out.deadlock);
    assert_eq!(out.verdict, "no update lost: counter = 2, expected 2");
    assert_eq!(out.taken, 6);
}

#[test]
fn interleaved_loads_lose_an_update() {
    for schedule in ["1,2,1,2,1,2", "1,1,2,2,1,2", "1,2,2,2,1,1"] {
        let out = play("lost-update", schedule);
        assert_eq!(counter(&out), 1, "{schedule}");
        assert!(out.goal_met, "{schedule}");
        assert_eq!(out.verdict, "update lost: counter = 1, expected 2");
    }
}

#[test]
fn a_load_after_the_other_store_loses_nothing() {
    // Thread 2 reads counter after thread 1 wrote it back.
    let out = play("lost-update", "1,1,1,2,2,2");
    assert_eq!(out.threads[1].tmp, Some(2));
    let out = play("lost-update", "1,1,2,1,2,2");
    assert_eq!(counter(&out), 1, "thread 2 loaded 0 before the store");
}

#[test]
fn an_unfinished_schedule_leaves_the_goal_open() {
    let out = play("lost-update", "1,2");
    assert_eq!(counter(&out), 0);
    assert_eq!(out.threads[0].tmp, Some(0));
    assert_eq!(out.threads[0].at, Some("tmp = tmp + 1"));
    assert_eq!(out.threads[0].status, "ready");
    assert!(!out.goal_met);
    assert_eq!(out.verdict, "running: counter = 0 so far");
}

#[test]
fn the_lock_refuses_the_interleaving_that_lost_an_update() {
    let out = play("locked", "1,2,1,2,1,2,1,2,1,2,2,2,2,2");
    let refused: Vec<usize> = out.refused.iter().map(|r| r.step).collect();
    assert_eq!(
        refused,
        [2, 4, 6, 8],
        "thread 2 waits at acquire until release"
    );
    assert_eq!(
        out.refused[0].why,
        "thread 2 is blocked: lock is held by thread 1"
    );
    assert_eq!(counter(&out), 2);
    assert!(!out.goal_met);
    assert_eq!(out.verdict, "no update lost: counter = 2, expected 2");
    assert_eq!(out.state["lock"], Value::Null, "released at the end");
}

#[test]
fn a_thread_holding_the_lock_is_seen_blocking_the_other() {
    let out = play("locked", "1,1");
    assert_eq!(out.state["lock"], json!(1));
    assert_eq!(out.threads[1].status, "blocked");
    assert_eq!(out.threads[0].status, "ready");
}

#[test]
fn opposite_lock_orders_deadlock() {
    let out = play("deadlock", "1,2");
    assert!(out.deadlock && out.goal_met);
    assert_eq!(out.verdict, "deadlock: no thread can step");
    let waits: Vec<_> = out.threads.iter().map(|t| t.waits.as_deref()).collect();
    assert_eq!(
        waits,
        [Some("b is held by thread 2"), Some("a is held by thread 1")]
    );
    assert_eq!(out.state["a"], json!(1));
    assert_eq!(out.state["b"], json!(2));
    let more = play("deadlock", "1,2,1,2");
    assert_eq!(more.refused.len(), 2, "no step is possible any more");
    assert_eq!(counter(&more), 0);
}

#[test]
fn one_thread_through_both_locks_first_avoids_the_deadlock() {
    let out = play("deadlock", "1,1,1,1,1,2,2,2,2,2");
    assert!(!out.deadlock && !out.goal_met);
    assert_eq!(counter(&out), 2);
    assert_eq!(
        out.verdict,
        "no deadlock: both threads finished, counter = 2"
    );
    let late = play("deadlock", "1,1,2");
    assert_eq!(late.refused.len(), 1, "b is held by thread 1");
    assert!(!late.deadlock);
}

#[test]
fn a_finished_thread_refuses_its_step() {
    let out = play("lost-update", "1,1,1,1");
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.refused[0].why, "thread 1 has finished");
    assert_eq!(out.refused[0].step, 4);
}

#[test]
fn state_events_name_every_variable_and_the_lanes_block_on_the_lock() {
    let (tracer, mut rx) = Tracer::new();
    play_traced("locked", "1,2", &tracer);
    let mut s = crate::trace::RunState::new();
    let events = drain(&mut rx);
    for e in &events {
        s.apply(e);
    }
    let var = |k: &str| s.vars.get(k).cloned().unwrap_or_default();
    assert_eq!(var("lock.lock"), "thread 1");
    assert_eq!(var("thread.1.pc"), "1");
    assert_eq!(var("thread.2.status"), "blocked");
    assert_eq!(var("thread.2.waits"), "lock is held by thread 1");
    assert_eq!(
        var("refused"),
        "thread 2 is blocked: lock is held by thread 1"
    );
    assert_eq!(var("moves"), "1,2");
    assert_eq!(var("goal"), "open");
    assert!(events.iter().any(|e| matches!(&e.kind,
        EventKind::Blocked { on: crate::trace::BlockOn::Lock { name }, .. } if name == "lock")));
}

#[test]
fn keys_step_the_threads_and_closing_the_inbox_ends_the_run() {
    let control = Control::new();
    control.open_keys();
    for k in ['1', '2', '1', '2', '1', '9', '2'] {
        assert!(control.post_key(k));
    }
    let (tracer, _rx) = Tracer::new();
    let p = Program::named("lost-update").unwrap();
    let out = run(p, &[], &tracer, &control).unwrap();
    assert!(out.goal_met, "no thread can step: the run ends by itself");
    assert_eq!(out.schedule, [1, 2, 1, 2, 1, 2], "9 is no thread: ignored");

    let control = Control::new();
    control.open_keys();
    control.post_key('1');
    let c = control.clone();
    let h = std::thread::spawn(move || run(p, &[2], &tracer, &c));
    std::thread::sleep(std::time::Duration::from_millis(30));
    control.interrupt_all();
    let err = h.join().unwrap().unwrap_err();
    assert!(err.downcast_ref::<Interrupted>().is_some(), "{err}");
}
