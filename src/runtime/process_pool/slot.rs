//! One worker slot: a thread that owns a child process, feeds it jobs,
//! turns its messages into events, and replaces it when it dies.

use std::time::Duration;

use super::child::{Child, Line};
use super::protocol::{FromWorker, ToWorker};
use super::{PoolStatus, ProcState, QueuedJob, Shared};
use crate::runtime::outcome::cut_text;
use crate::trace::{EventKind, LaneId, LaneRole, Micros, UnitId};

/// How often a slot reports its child's CPU time while a job runs.
const CPU_SAMPLE_EVERY: Duration = Duration::from_millis(100);

/// Why a process's service ended.
enum Ending {
    /// The pool is closed and drained: exit politely.
    Exit,
    /// The pool was terminated (or everything interrupted).
    Terminated,
    /// This lane was interrupted: kill, then replace.
    Interrupted,
    /// The process died on its own (while running `job`, if any).
    Crashed(Option<UnitId>),
}

pub(super) fn run(shared: &Shared, index: usize) {
    let lane = super::super::worker_lane(1, index);
    let name = format!("worker-{}", index + 1);
    loop {
        let mut child = match Child::spawn(&shared.program) {
            Ok(c) => c,
            Err(e) => {
                return broken(
                    shared,
                    index,
                    lane,
                    &format!("could not start a worker process: {e}"),
                );
            }
        };
        if let Err(why) = child.handshake(Duration::from_secs(10)) {
            child.finish(false);
            let error = format!("the worker process did not start: {why}");
            return broken(shared, index, lane, &error);
        }
        let pid = child.pid();
        {
            let mut st = shared.lock();
            let p = &mut st.procs[index];
            // The hello counts as the first message received.
            (p.pid, p.state, p.task, p.sent, p.received) = (Some(pid), ProcState::Idle, None, 0, 1);
            if st.status == PoolStatus::Terminated {
                super::shared::kill(pid);
            }
        }
        shared.tracer.emit(
            lane,
            EventKind::LaneUp {
                name: name.clone(),
                pid: Some(pid),
                role: LaneRole::Process,
            },
        );
        let ending = serve(shared, index, lane, &mut child);
        let polite = matches!(ending, Ending::Exit);
        let (status, cpu) = {
            // Forget the PID before reaping so nobody kills a reused one.
            let mut st = shared.lock();
            let p = &mut st.procs[index];
            p.pid = None;
            p.state = ProcState::Gone;
            p.task = None;
            drop(st);
            child.finish(polite)
        };
        let (sent, received) = {
            let mut st = shared.lock();
            let p = &mut st.procs[index];
            p.cpu = cpu;
            (p.sent, p.received)
        };
        let figures = format!(
            "(cpu {:.2} s, sent {sent}, received {received})",
            cpu.as_secs_f64()
        );
        let reason = match ending {
            Ending::Exit => format!("exited {figures}"),
            Ending::Terminated => format!("terminated {figures}"),
            Ending::Interrupted => format!("interrupted {figures}"),
            // Dying while the pool shuts down is part of the shutdown.
            Ending::Crashed(_) if shared.lock().status == PoolStatus::Terminated => {
                let how = status.unwrap_or_else(|| "ended".into());
                format!("terminated: {how} {figures}")
            }
            Ending::Crashed(job) => {
                let how = status.unwrap_or_else(|| "ended".into());
                shared.tracer.emit(
                    lane,
                    EventKind::Warning {
                        text: format!("{name} (pid {pid}) died: {how}; starting a new one"),
                    },
                );
                if let Some(unit) = job {
                    shared.tracer.emit(
                        lane,
                        EventKind::Failed {
                            unit,
                            error: format!("worker process {pid} died: {how}"),
                        },
                    );
                }
                format!("crashed: {how} {figures}")
            }
        };
        shared.tracer.emit(lane, EventKind::LaneDown { reason });
        if matches!(ending, Ending::Exit | Ending::Terminated)
            || shared.lock().status == PoolStatus::Terminated
        {
            return;
        }
        shared.lock().procs[index].restarts += 1;
    }
}

/// Serves jobs until the process must end.
fn serve(shared: &Shared, index: usize, lane: LaneId, child: &mut Child) -> Ending {
    loop {
        let job = match take_job(shared, lane, Some(child)) {
            Ok(job) => job,
            Err(ending) => return ending,
        };
        let QueuedJob { unit, job, core } = job;
        if !core.set_running() {
            continue; // cancelled while queued; already reported
        }
        {
            let mut st = shared.lock();
            let p = &mut st.procs[index];
            p.state = ProcState::Busy;
            p.task = Some(job.label());
            p.sent += 1;
        }
        if !child.send(&ToWorker::Run { id: unit, job }) {
            core.settle(Err(Some(
                "worker process died before the job started".into(),
            )));
            return Ending::Crashed(Some(unit));
        }
        match follow(shared, index, lane, child, unit) {
            Ok(outcome) => {
                // Events first: whoever waits on the future sees them.
                let kind = match &outcome {
                    Ok(v) => EventKind::Finished {
                        unit,
                        value: cut_text(v.to_string()),
                    },
                    Err(Some(error)) => EventKind::Failed {
                        unit,
                        error: error.clone(),
                    },
                    Err(None) => EventKind::Cancelled { unit },
                };
                shared.tracer.emit(lane, kind);
                core.settle(outcome);
                let mut st = shared.lock();
                st.stops.remove(&unit);
                let p = &mut st.procs[index];
                p.state = ProcState::Idle;
                p.task = None;
            }
            Err(ending) => {
                shared.lock().stops.remove(&unit);
                if let Ending::Crashed(_) = ending {
                    // The Failed event is sent with the crash warning.
                    let error = "worker process died while running the job".to_string();
                    core.settle(Err(Some(error)));
                } else {
                    shared.tracer.emit(lane, EventKind::Cancelled { unit });
                    core.settle(Err(None));
                }
                return ending;
            }
        }
    }
}

/// Follows a running job to its end: `Ok(outcome)` when the worker
/// answered, `Err` when the process must end first.
#[allow(clippy::type_complexity)]
fn follow(
    shared: &Shared,
    index: usize,
    lane: LaneId,
    child: &mut Child,
    unit: UnitId,
) -> Result<Result<serde_json::Value, Option<String>>, Ending> {
    let control = &shared.control;
    let mut sampled = std::time::Instant::now();
    loop {
        if sampled.elapsed() >= CPU_SAMPLE_EVERY {
            sampled = std::time::Instant::now();
            if let Some(cpu) = super::procfs::cpu_time(child.pid()) {
                let cpu_us = Micros::from_duration(cpu).as_us();
                shared.tracer.emit(lane, EventKind::Cpu { cpu_us });
            }
        }
        match child.recv(Duration::from_millis(20)) {
            Some(Line::Msg(msg)) => {
                count_received(shared, index, child.pid());
                match msg {
                    FromWorker::Started { id } if id == unit => {
                        shared.tracer.emit(lane, EventKind::Started { unit });
                    }
                    FromWorker::Progress { id, done } if id == unit => {
                        shared.tracer.emit(lane, EventKind::Progress { unit, done });
                    }
                    FromWorker::Done { id, value } if id == unit => return Ok(Ok(value)),
                    FromWorker::Error { id, error } if id == unit => return Ok(Err(Some(error))),
                    FromWorker::Stopped { id } if id == unit => return Ok(Err(None)),
                    _ => {}
                }
            }
            Some(Line::Bad(text)) => {
                count_received(shared, index, child.pid());
                shared.tracer.emit(
                    lane,
                    EventKind::Warning {
                        text: format!("worker sent a line we do not understand: {text}"),
                    },
                );
            }
            Some(Line::Closed) => {
                return Err(if shared.lock().status == PoolStatus::Terminated {
                    Ending::Terminated
                } else {
                    Ending::Crashed(Some(unit))
                });
            }
            None => {
                let mut st = shared.lock();
                if control.all_interrupted() {
                    shared.terminate_locked(&mut st);
                }
                if st.status == PoolStatus::Terminated {
                    return Err(Ending::Terminated);
                }
                if control.is_interrupted(lane) {
                    control.clear_lane(lane);
                    drop(st);
                    child.kill();
                    return Err(Ending::Interrupted);
                }
                let stop = st.stops.remove(&unit);
                drop(st);
                if stop {
                    send_counted(shared, index, child, &ToWorker::Stop { id: unit });
                }
                let paused = control.is_paused();
                if paused != child.paused {
                    child.paused = paused;
                    let msg = if paused {
                        ToWorker::Pause
                    } else {
                        ToWorker::Resume
                    };
                    send_counted(shared, index, child, &msg);
                }
            }
        }
    }
}

/// The next job for this slot, or why the slot's process must end.
fn take_job(
    shared: &Shared,
    lane: LaneId,
    mut child: Option<&mut Child>,
) -> Result<QueuedJob, Ending> {
    let control = &shared.control;
    let mut st = shared.lock();
    loop {
        if control.all_interrupted() {
            shared.terminate_locked(&mut st);
        }
        if st.status == PoolStatus::Terminated {
            return Err(Ending::Terminated);
        }
        if control.is_interrupted(lane) {
            control.clear_lane(lane); // aimed at an idle lane: nothing to stop
        }
        if !control.is_paused()
            && let Some(job) = st.queue.pop_front()
        {
            return Ok(job);
        }
        if st.status != PoolStatus::Running && st.queue.is_empty() {
            return Err(Ending::Exit);
        }
        if let Some(c) = child.as_deref_mut()
            && c.has_died()
        {
            return Err(Ending::Crashed(None));
        }
        st = shared
            .changed
            .wait_timeout(st, Duration::from_millis(50))
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .0;
    }
}

/// A slot whose process cannot start fails the jobs it takes, so that no
/// caller waits forever.
fn broken(shared: &Shared, index: usize, lane: LaneId, error: &str) {
    shared.lock().procs[index].state = ProcState::Gone;
    shared.tracer.emit(
        lane,
        EventKind::Warning {
            text: error.to_string(),
        },
    );
    while let Ok(QueuedJob { unit, core, .. }) = take_job(shared, lane, None) {
        if core.set_running() {
            shared.tracer.emit(
                lane,
                EventKind::Failed {
                    unit,
                    error: error.to_string(),
                },
            );
            core.settle(Err(Some(error.to_string())));
        }
    }
}

fn count_received(shared: &Shared, index: usize, pid: u32) {
    let cpu = super::procfs::cpu_time(pid);
    let mut st = shared.lock();
    let p = &mut st.procs[index];
    p.received += 1;
    if let Some(cpu) = cpu {
        p.cpu = cpu;
    }
}

fn send_counted(shared: &Shared, index: usize, child: &mut Child, msg: &ToWorker) {
    if child.send(msg) {
        shared.lock().procs[index].sent += 1;
    }
}
