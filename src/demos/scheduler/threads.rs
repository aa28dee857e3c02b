//! The program on real OS threads, each step behind a gate.
//!
//! Every thread of the program is a real thread with its own local `tmp`;
//! `counter` is one shared atomic cell, read and written in separate steps,
//! and each lock is a real [`Mutex`]. A thread waits at its gate (a channel
//! only the scheduler sends on) before each step, takes exactly one step
//! and reports back. An `acquire` tries the real lock: when another thread
//! holds it, the try fails and the thread stays where it was, blocked.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::thread::{Scope, ScopedJoinHandle};
use std::time::Duration;

use super::program::{Line, Op, Program};
use crate::trace::{BlockOn, EventKind, LaneId, LaneRole, Tracer, UnitId};

/// What every thread shares.
pub struct Shared {
    pub counter: AtomicI64,
    pub locks: Vec<Mutex<()>>,
}

impl Shared {
    /// `counter = 0` and every lock free.
    pub fn new(program: &Program) -> Shared {
        Shared {
            counter: AtomicI64::new(0),
            locks: program.locks.iter().map(|_| Mutex::new(())).collect(),
        }
    }
}

/// What a thread says after its step.
struct Report {
    /// The step was taken (false: the lock was held, nothing changed).
    took: bool,
    /// The next step's index.
    pc: usize,
    tmp: Option<i64>,
}

/// Where one thread stands, as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// The next line to run; the thread's length when it has finished.
    pub pc: usize,
    pub tmp: Option<i64>,
}

/// Whether a thread can take its next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ready,
    /// At an `acquire` of `lock`, which thread `holder` (0-based) holds.
    Blocked {
        lock: usize,
        holder: usize,
    },
    Done,
}

/// One thread's end of the gate.
struct Gate<'scope> {
    go: Option<Sender<()>>,
    reports: Receiver<Report>,
    handle: Option<ScopedJoinHandle<'scope, ()>>,
    unit: UnitId,
}

/// The threads of one run and what the scheduler knows of them.
pub struct Machine<'scope> {
    pub program: &'static Program,
    shared: &'scope Shared,
    gates: Vec<Gate<'scope>>,
    pub views: Vec<View>,
    /// Which thread (0-based) holds each lock.
    pub holders: Vec<Option<usize>>,
    /// Each thread's status as its lane last showed it.
    traced: Vec<Status>,
    tracer: Tracer,
}

/// A thread took too long to answer: it cannot happen unless it died.
const ANSWER: Duration = Duration::from_secs(5);

/// The lane of thread `i` (0-based): lane 0 is the scheduler's.
pub fn lane_of(i: usize) -> LaneId {
    LaneId::try_from(i + 1).unwrap_or(LaneId::MAX)
}

impl<'scope> Machine<'scope> {
    /// Starts the program's threads, each waiting at its gate.
    pub fn start<'env>(
        scope: &'scope Scope<'scope, 'env>,
        program: &'static Program,
        shared: &'scope Shared,
        tracer: &Tracer,
    ) -> anyhow::Result<Machine<'scope>> {
        let mut gates = Vec::new();
        for (i, code) in program.threads.iter().enumerate() {
            let (go, gate) = channel();
            let (tell, reports) = channel();
            let name = format!("thread-{}", i + 1);
            let handle = std::thread::Builder::new()
                .name(name.clone())
                .spawn_scoped(scope, move || worker(code, shared, &gate, &tell))?;
            let lane = lane_of(i);
            let role = LaneRole::Worker;
            tracer.emit(
                lane,
                EventKind::LaneUp {
                    name,
                    pid: None,
                    role,
                },
            );
            let unit = tracer.next_unit();
            let label = program.python[i].to_string();
            tracer.emit(lane, EventKind::Spawned { unit, label });
            tracer.emit(lane, EventKind::Started { unit });
            gates.push(Gate {
                go: Some(go),
                reports,
                handle: Some(handle),
                unit,
            });
        }
        let n = program.thread_count();
        Ok(Machine {
            program,
            shared,
            gates,
            views: vec![View { pc: 0, tmp: None }; n],
            holders: vec![None; program.locks.len()],
            traced: vec![Status::Ready; n],
            tracer: tracer.clone(),
        })
    }

    /// `counter` now.
    pub fn counter(&self) -> i64 {
        self.shared.counter.load(Ordering::SeqCst)
    }

    /// The line thread `i` runs next, if it has not finished.
    pub fn next_line(&self, i: usize) -> Option<&'static Line> {
        self.program.threads[i].get(self.views[i].pc)
    }

    /// Whether thread `i` can take its next step.
    pub fn status(&self, i: usize) -> Status {
        match self.next_line(i).map(|l| l.op) {
            None => Status::Done,
            Some(Op::Acquire(lock)) => match self.holders[lock] {
                Some(holder) if holder != i => Status::Blocked { lock, holder },
                _ => Status::Ready,
            },
            Some(_) => Status::Ready,
        }
    }

    /// Whether no thread can step any more (all finished, or a deadlock).
    pub fn over(&self) -> bool {
        (0..self.views.len()).all(|i| self.status(i) != Status::Ready)
    }

    /// Opens thread `i`'s gate for one step and waits for its report;
    /// returns whether the step was taken (a held lock refuses it).
    pub fn step(&mut self, i: usize) -> anyhow::Result<bool> {
        let Some(line) = self.next_line(i) else {
            return Ok(false);
        };
        let gate = &self.gates[i];
        let sent = gate.go.as_ref().is_some_and(|go| go.send(()).is_ok());
        let report = match gate.reports.recv_timeout(ANSWER) {
            Ok(r) if sent => r,
            _ => anyhow::bail!("thread {} stopped answering", i + 1),
        };
        if report.took {
            match line.op {
                Op::Acquire(lock) => self.holders[lock] = Some(i),
                Op::Release(lock) => self.holders[lock] = None,
                _ => {}
            }
        }
        self.views[i] = View {
            pc: report.pc,
            tmp: report.tmp,
        };
        self.trace_lanes();
        Ok(report.took)
    }

    /// Each thread's lane as it now stands, where that changed: blocked on
    /// a lock, runnable again, or finished.
    fn trace_lanes(&mut self) {
        for i in 0..self.gates.len() {
            let (lane, unit, status) = (lane_of(i), self.gates[i].unit, self.status(i));
            if status == self.traced[i] {
                continue;
            }
            self.traced[i] = status;
            let kind = match status {
                Status::Blocked { lock, .. } => EventKind::Blocked {
                    unit,
                    on: BlockOn::Lock {
                        name: self.program.locks[lock].to_string(),
                    },
                },
                Status::Ready => EventKind::Woken { unit },
                Status::Done => EventKind::Finished {
                    unit,
                    value: "done".into(),
                },
            };
            self.tracer.emit(lane, kind);
        }
    }

    /// Closes every gate and joins the threads: none outlives the run.
    pub fn stop(&mut self) {
        for gate in &mut self.gates {
            gate.go = None;
        }
        for (i, gate) in self.gates.iter_mut().enumerate() {
            let Some(h) = gate.handle.take() else {
                continue;
            };
            let _ = h.join();
            if self.views[i].pc < self.program.threads[i].len() {
                let unit = gate.unit;
                self.tracer.emit(lane_of(i), EventKind::Cancelled { unit });
            }
        }
    }
}

impl Drop for Machine<'_> {
    fn drop(&mut self) {
        self.stop();
    }
}

/// One thread: waits at its gate, takes one step, reports, until its code
/// ends or the gate closes. The locks it holds are real guards.
fn worker(code: &[Line], shared: &Shared, gate: &Receiver<()>, tell: &Sender<Report>) {
    let mut tmp: Option<i64> = None;
    let mut held: Vec<(usize, MutexGuard<'_, ()>)> = Vec::new();
    let mut pc = 0;
    while pc < code.len() && gate.recv().is_ok() {
        let took = match code[pc].op {
            Op::Load => {
                tmp = Some(shared.counter.load(Ordering::SeqCst));
                true
            }
            Op::Add => {
                tmp = tmp.map(|v| v + 1);
                true
            }
            Op::Store => {
                shared.counter.store(tmp.unwrap_or(0), Ordering::SeqCst);
                true
            }
            Op::Increment => {
                shared.counter.fetch_add(1, Ordering::SeqCst);
                true
            }
            Op::Acquire(lock) => match shared.locks[lock].try_lock() {
                Ok(guard) => {
                    held.push((lock, guard));
                    true
                }
                // A poisoned lock cannot happen here: no thread panics
                // while holding one.
                Err(TryLockError::WouldBlock | TryLockError::Poisoned(_)) => false,
            },
            Op::Release(lock) => {
                held.retain(|(l, _)| *l != lock);
                true
            }
        };
        if took {
            pc += 1;
        }
        if tell.send(Report { took, pc, tmp }).is_err() {
            break;
        }
    }
}
