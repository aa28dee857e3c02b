//! One run of the `sync` example, mode by mode.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::objects::{BarrierError, PyBarrier, PyEvent, PySemaphore};
use super::thread::{Ctx, Exit, Worker};
use super::{Mode, SyncOptions, SyncOutput};
use crate::demos::Modes;
use crate::demos::thread_start::thread::{MainThread, POLL, Process};
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, EventKind, LaneId, Tracer};

const MAIN: LaneId = 0;

fn state(key: &str, value: impl Into<String>) -> EventKind {
    EventKind::State {
        key: key.into(),
        value: value.into(),
    }
}

fn lane_of(i: usize) -> LaneId {
    LaneId::try_from(i).unwrap_or(LaneId::MAX)
}

fn ms(t: crate::trace::Micros) -> f64 {
    t.as_ms_f64()
}

/// A list of names under a lock, sent as the state `buffer` each time it
/// changes (under the lock, so that the events keep its order).
/// The most names it ever held is sent as `most`.
#[derive(Default)]
struct Holders {
    names: Mutex<(Vec<String>, usize)>,
}

impl Holders {
    fn change(&self, ctx: &Ctx, f: impl FnOnce(&mut Vec<String>)) -> usize {
        let mut guard = self
            .names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (names, most) = &mut *guard;
        f(names);
        ctx.state("buffer", names.join(" "));
        if names.len() > *most {
            *most = names.len();
            ctx.state("most", most.to_string());
        }
        names.len()
    }

    fn most(&self) -> usize {
        self.names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .1
    }
}

/// Runs the example in `mode`.
pub fn run(
    mode: Mode,
    o: &SyncOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<SyncOutput> {
    let p = Process::new(tracer, control);
    let mut main = MainThread::start(tracer, control, &p.out);
    let mut out = SyncOutput {
        mode: mode.name(),
        workers: o.workers,
        permits: o.permits,
        ..SyncOutput::default()
    };
    let r = match mode {
        Mode::Semaphore => semaphore(&main, o, tracer, control, &mut out),
        Mode::Timer => timer(&main, o, tracer, control, &mut out),
        Mode::Barrier => barrier(&main, o, tracer, control, &mut out),
        Mode::Event => event(&main, o, tracer, control, &mut out),
    };
    if let Err(e) = r {
        main.cancel();
        return Err(e);
    }
    // Main joined every thread, however they ended: it returns.
    main.exit();
    Ok(out)
}

/// Joins every thread, main drawn as waiting; an interrupt of main stops
/// everyone. Returns how each ended.
fn join_all<T: Send + 'static>(
    main: &MainThread,
    threads: Vec<Worker<T>>,
    control: &Control,
    out: &mut SyncOutput,
) -> Vec<Result<T, Exit>> {
    for t in &threads {
        let on = BlockOn::Task {
            name: format!("join() {}", t.name),
        };
        let stopped = main.wait(on, || {
            while !t.is_finished() {
                if control.is_interrupted(MAIN) {
                    return true;
                }
                main.tick();
                std::thread::sleep(POLL / 4);
            }
            false
        });
        if stopped {
            out.interrupted = true;
            control.interrupt_all();
            break;
        }
    }
    let ends: Vec<_> = threads.into_iter().map(Worker::join).collect();
    for e in &ends {
        match e {
            Err(Exit::Raised(error)) => out.broken.push(error.clone()),
            Err(Exit::Interrupted) => out.interrupted = true,
            Ok(_) => {}
        }
    }
    ends
}

fn spawn_n<T: Send + 'static>(
    n: usize,
    label: &str,
    tracer: &Tracer,
    control: &Control,
    target: impl Fn(usize, &Ctx) -> Result<T, Exit> + Send + Sync + 'static,
) -> anyhow::Result<Vec<Worker<T>>> {
    let target = Arc::new(target);
    (1..=n)
        .map(|i| {
            let t = target.clone();
            let name = format!("Thread-{i}");
            Worker::spawn(lane_of(i), &name, label, tracer, control, move |ctx| {
                t(i, ctx)
            })
        })
        .collect()
}

/// `with sem: work()`, `rounds` times per worker.
fn semaphore(
    main: &MainThread,
    o: &SyncOptions,
    tracer: &Tracer,
    control: &Control,
    out: &mut SyncOutput,
) -> anyhow::Result<()> {
    tracer.emit(MAIN, state("buffer.name", "permits"));
    tracer.emit(MAIN, state("buffer.size", o.permits.to_string()));
    let sem = Arc::new(PySemaphore::new(o.permits));
    let inside = Arc::new(Holders::default());
    let (work, rounds) = (Duration::from_millis(o.work_ms), o.rounds);
    let (s, h) = (sem.clone(), inside.clone());
    let threads = spawn_n(o.workers, "worker(sem)", tracer, control, move |i, ctx| {
        for job in 0..rounds {
            ctx.doing("sem.acquire()");
            if !s.try_acquire() {
                let on = BlockOn::Semaphore { name: "sem".into() };
                ctx.blocked(on, || s.acquire(&ctx.control, ctx.lane))?;
            }
            h.change(ctx, |v| v.push(ctx.name.clone()));
            ctx.doing(format!("inside, job {}", job + 1));
            // Jobs of slightly different lengths, so the permits change
            // hands in a mixed order.
            let length = work * u32::try_from(2 + (i + job) % 3).unwrap_or(2) / 3;
            let r = ctx.work(length);
            h.change(ctx, |v| v.retain(|name| *name != ctx.name));
            s.release();
            r?;
            ctx.progress(u64::try_from(job + 1).unwrap_or(0));
        }
        Ok(())
    })?;
    join_all(main, threads, control, out);
    out.max_inside = inside.most();
    Ok(())
}

/// `Timer(delay, hello).start()`, then `cancel()` after `cancel-ms` (or
/// when the learner presses `e`), then `join()`.
fn timer(
    main: &MainThread,
    o: &SyncOptions,
    tracer: &Tracer,
    control: &Control,
    out: &mut SyncOutput,
) -> anyhow::Result<()> {
    let delay = control.scaled(Duration::from_millis(o.delay_ms));
    let fires_at = tracer.now() + crate::trace::Micros::from(delay);
    tracer.emit(MAIN, state("gate", "timer: waiting"));
    tracer.emit(MAIN, state("gate.deadline", fires_at.as_us().to_string()));
    // `Timer.run`: `finished.wait(interval)`, then the function unless
    // `cancel()` set `finished` first.
    let finished = Arc::new(PyEvent::new());
    let f = finished.clone();
    let t = Worker::spawn(1, "Thread-1", "Timer.run()", tracer, control, move |ctx| {
        let on = BlockOn::other(format!("finished.wait({:.1})", delay.as_secs_f64()));
        let set = ctx.blocked(on, || f.wait(&ctx.control, ctx.lane, Some(delay)))?;
        if set {
            ctx.state("gate", "timer: cancelled before it fired");
            return Ok(false);
        }
        ctx.state("gate", "timer: fired, hello() ran");
        ctx.doing("hello()");
        ctx.emit(EventKind::Output {
            text: "hello, world".into(),
        });
        f.set();
        Ok(true)
    })?;
    let pressed = o.signal.get();
    let cancel_after = u64::try_from(o.cancel_ms)
        .ok()
        .map(|ms| control.scaled(Duration::from_millis(ms)));
    let start = Instant::now();
    let on = BlockOn::Task {
        name: "join() Thread-1".into(),
    };
    let stopped = main.wait(on, || {
        while !t.is_finished() {
            if control.is_interrupted(MAIN) {
                return true;
            }
            let due = cancel_after.is_some_and(|c| start.elapsed() >= c);
            if (due || o.signal.get() != pressed) && !finished.is_set() {
                // `t.cancel()`.
                finished.set();
                out.cancelled = true;
                main.print("Main: t.cancel()");
            }
            main.tick();
            std::thread::sleep(POLL / 4);
        }
        false
    });
    if stopped {
        control.interrupt_all();
        out.interrupted = true;
    }
    tracer.emit(MAIN, state("gate.deadline", ""));
    match t.join() {
        Ok(fired) => {
            out.fired = fired;
            out.cancelled &= !fired;
        }
        Err(_) => out.interrupted = true,
    }
    Ok(())
}

/// `rounds` times: work of a length that depends on the thread, then
/// `barrier.wait()`.
fn barrier(
    main: &MainThread,
    o: &SyncOptions,
    tracer: &Tracer,
    control: &Control,
    out: &mut SyncOutput,
) -> anyhow::Result<()> {
    let n = o.workers;
    tracer.emit(MAIN, state("buffer.name", "barrier"));
    tracer.emit(MAIN, state("buffer.size", n.to_string()));
    let b = Arc::new(PyBarrier::new(n));
    let waiting = Arc::new(Holders::default());
    let marks = Arc::new(Mutex::new(Vec::<String>::new()));
    let (work, rounds) = (Duration::from_millis(o.work_ms), o.rounds);
    // Each thread's release times, kept even when it ends another way (an
    // interrupt in a later round leaves the earlier releases standing).
    let released_by = Arc::new(Mutex::new(vec![Vec::<f64>::new(); n]));
    let (b2, w2, m2, r2) = (
        b.clone(),
        waiting.clone(),
        marks.clone(),
        released_by.clone(),
    );
    let threads = spawn_n(n, "worker(barrier)", tracer, control, move |i, ctx| {
        let mut released = Vec::new();
        for round in 0..rounds {
            // Thread i works i pieces in the first round; the order turns
            // each round, so a different thread comes last.
            let pieces = 1 + (i - 1 + round) % n;
            ctx.doing(format!("work ×{pieces}"));
            ctx.work(work * u32::try_from(pieces).unwrap_or(1))?;
            ctx.doing("barrier.wait()");
            w2.change(ctx, |v| v.push(ctx.name.clone()));
            let on = BlockOn::other("barrier.wait()");
            let waited = ctx.blocked(on, || b2.wait(&ctx.control, ctx.lane));
            if waited.is_err() {
                w2.change(ctx, |v| v.retain(|name| *name != ctx.name));
            }
            match waited {
                Ok(index) => {
                    released.push(ms(ctx.tracer.now()));
                    if let Some(mine) = r2
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .get_mut(i - 1)
                    {
                        mine.clone_from(&released);
                    }
                    if index == n - 1 {
                        // The last to arrive released everyone: the
                        // vertical line.
                        let mut m = m2.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        m.push(ctx.tracer.now().as_us().to_string());
                        ctx.state("marks", m.join(" "));
                        drop(m);
                        w2.change(ctx, Vec::clear);
                    }
                }
                Err(BarrierError::Broken) => {
                    return Err(Exit::Raised("BrokenBarrierError".into()));
                }
                Err(BarrierError::Interrupted(Interrupted)) => return Err(Exit::Interrupted),
            }
            ctx.progress(u64::try_from(round + 1).unwrap_or(0));
        }
        Ok(released)
    })?;
    join_all(main, threads, control, out);
    let per_thread = released_by
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    out.releases_ms = releases(&per_thread, rounds);
    out.spread_ms = spread(&out.releases_ms);
    Ok(())
}

/// For each round, every thread's release time, earliest first (only the
/// rounds every thread got through).
fn releases(per_thread: &[Vec<f64>], rounds: usize) -> Vec<Vec<f64>> {
    (0..rounds)
        .map(|r| {
            let mut ts: Vec<f64> = per_thread
                .iter()
                .filter_map(|v| v.get(r).copied())
                .collect();
            ts.sort_by(f64::total_cmp);
            ts
        })
        .filter(|ts| !ts.is_empty() && ts.len() == per_thread.len())
        .collect()
}

fn spread(releases: &[Vec<f64>]) -> f64 {
    releases
        .iter()
        .filter_map(|ts| Some(ts.last()? - ts.first()?))
        .fold(0.0, f64::max)
}

/// Every thread: `event.wait()`, then a little work. Main: sleep
/// `delay-ms` (or until `e`), then `event.set()`.
fn event(
    main: &MainThread,
    o: &SyncOptions,
    tracer: &Tracer,
    control: &Control,
    out: &mut SyncOutput,
) -> anyhow::Result<()> {
    tracer.emit(MAIN, state("gate", "event: clear"));
    let ev = Arc::new(PyEvent::new());
    let e2 = ev.clone();
    let work = Duration::from_millis(o.work_ms);
    let threads = spawn_n(
        o.workers,
        "waiter(event)",
        tracer,
        control,
        move |_, ctx| {
            ctx.doing("event.wait()");
            let on = BlockOn::other("event.wait()");
            ctx.blocked(on, || e2.wait(&ctx.control, ctx.lane, None))?;
            let at = ms(ctx.tracer.now());
            ctx.doing("go");
            ctx.work(work)?;
            Ok(vec![at])
        },
    )?;
    let pressed = o.signal.get();
    let until = Instant::now() + control.scaled(Duration::from_millis(o.delay_ms));
    let stopped = main.wait(BlockOn::Sleep, || {
        while Instant::now() < until && o.signal.get() == pressed {
            if control.checkpoint(MAIN).is_err() {
                return true;
            }
            main.tick();
            std::thread::sleep(POLL / 4);
        }
        false
    });
    if stopped {
        control.interrupt_all();
    } else {
        // Sent before `set()`, so that no waiter's wake-up comes first.
        tracer.emit(MAIN, state("gate", "event: set"));
        let at = tracer.now().as_us();
        tracer.emit(MAIN, state("marks", at.to_string()));
        ev.set();
        main.print("Main: event.set()");
    }
    let ends = join_all(main, threads, control, out);
    out.interrupted |= stopped;
    let per_thread: Vec<Vec<f64>> = ends.into_iter().filter_map(Result::ok).collect();
    out.releases_ms = releases(&per_thread, 1);
    out.spread_ms = spread(&out.releases_ms);
    Ok(())
}
