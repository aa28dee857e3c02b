//! One run of the `queue` example: main starts the consumers and the
//! producers, stops the producers (items N, or an `Event`), and joins
//! everyone; the last producer out puts one sentinel per consumer.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::super::sync::objects::PyEvent;
use super::super::sync::thread::{Ctx, Exit, Worker};
use super::super::thread_start::thread::{MainThread, POLL, Process};
use super::{Channel, ITEM_UNITS, Item, Mode, NAME_ERROR, QueueOptions, QueueOutput};
use crate::demos::Modes;
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, EventKind, LaneId, Tracer};

const MAIN: LaneId = 0;

/// The seed of every thread's random item times (with its lane): the
/// pipeline and the queue of `compare` get the same times.
const SEED: u64 = 0x5eed;

/// What every thread of one program shares.
struct Shared {
    channel: Channel,
    /// The next item's id.
    next_id: AtomicU64,
    /// Items N, or `None`: until the event.
    limit: Option<u64>,
    event: PyEvent,
    producers_left: AtomicUsize,
    consumers: usize,
    produced: AtomicU64,
    /// Consumers interrupted while they waited in `get()`.
    stopped_in_get: AtomicUsize,
    /// Every id handled, in the order handled.
    handled: Mutex<Vec<u64>>,
    /// A producer raises before its first item (`random` is not defined).
    raises: bool,
    /// The producers put the sentinels in a `finally` block.
    finally: bool,
    options: QueueOptions,
}

/// How one program went.
struct Program {
    out: QueueOutput,
    wall: Duration,
}

/// Runs the example in `mode`.
pub fn run(
    mode: Mode,
    o: &QueueOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<QueueOutput> {
    let p = Process::new(tracer, control);
    let mut main = MainThread::start(tracer, control, &p.out);
    let result = match mode {
        Mode::Compare => compare(&mut main, o, tracer, control),
        _ => program(mode, &mut main, o, tracer, control, 1).map(|p| p.out),
    };
    match result {
        Ok(out) => {
            main.exit();
            Ok(out)
        }
        Err(e) => {
            main.cancel();
            Err(e)
        }
    }
}

/// The pipeline, then the queue, on the same options.
fn compare(
    main: &mut MainThread,
    o: &QueueOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<QueueOutput> {
    let first = program(Mode::Pipeline, main, o, tracer, control, 1)?;
    if control.all_interrupted() {
        let mut out = first.out;
        out.mode = Mode::Compare.name();
        return Ok(out);
    }
    let at = tracer.now().as_us();
    tracer.emit(MAIN, state("marks", at.to_string()));
    main.begin("main(): queue");
    // The queue's items get ids of their own: every id names one item of
    // the run.
    let second = program(Mode::Queue, main, o, tracer, control, o.items + 1)?;
    let mut out = second.out.clone();
    out.mode = Mode::Compare.name();
    out.produced += first.out.produced;
    out.consumed += first.out.consumed;
    out.duplicates += first.out.duplicates;
    out.lost += first.out.lost;
    out.interrupted |= first.out.interrupted;
    out.pipeline_per_s = Some(first.out.items_per_s);
    out.queue_per_s = Some(second.out.items_per_s);
    let secs = (first.wall + second.wall).as_secs_f64().max(1e-9);
    out.items_per_s = out.consumed as f64 / secs;
    Ok(out)
}

fn state(key: &str, value: impl Into<String>) -> EventKind {
    EventKind::State {
        key: key.into(),
        value: value.into(),
    }
}

/// One program: `mode`'s buffer and stop, its threads started and joined;
/// its items' ids start at `first_id`.
fn program(
    mode: Mode,
    main: &mut MainThread,
    o: &QueueOptions,
    tracer: &Tracer,
    control: &Control,
    first_id: u64,
) -> anyhow::Result<Program> {
    let channel = match mode {
        Mode::Pipeline => Channel::pipeline(),
        _ => Channel::queue(o.maxsize),
    };
    let until_event = matches!(mode, Mode::Event | Mode::Raises | Mode::Sentinel);
    tracer.emit(MAIN, state("buffer.name", channel.name()));
    tracer.emit(MAIN, state("buffer.size", channel.capacity().to_string()));
    tracer.emit(MAIN, state("buffer", ""));
    if until_event {
        tracer.emit(MAIN, state("gate", "event: clear"));
    }
    let shared = Arc::new(Shared {
        channel,
        next_id: AtomicU64::new(first_id),
        limit: (!until_event).then_some(first_id + o.items - 1),
        event: PyEvent::new(),
        producers_left: AtomicUsize::new(o.producers),
        consumers: o.consumers,
        produced: AtomicU64::new(0),
        stopped_in_get: AtomicUsize::new(0),
        handled: Mutex::new(Vec::new()),
        raises: matches!(mode, Mode::Raises | Mode::Sentinel),
        finally: mode == Mode::Sentinel,
        options: o.clone(),
    });
    // A lane interrupted in an earlier program (x in `compare`) starts
    // afresh: its thread is a new one.
    for lane in 1..=o.producers + o.consumers {
        control.clear_lane(lane_of(lane));
    }
    let start = Instant::now();
    let mut consumers = Vec::new();
    for i in 1..=o.consumers {
        let lane = lane_of(o.producers + i);
        let s = shared.clone();
        let name = format!("Consumer-{i}");
        let w = Worker::spawn(lane, &name, "consumer(q)", tracer, control, move |ctx| {
            consumer(ctx, &s)
        })?;
        consumers.push(w);
    }
    let mut producers = Vec::new();
    for i in 1..=o.producers {
        let s = shared.clone();
        let name = format!("Producer-{i}");
        let label = if until_event {
            "producer(q, event)"
        } else {
            "producer(q)"
        };
        let w = Worker::spawn(lane_of(i), &name, label, tracer, control, move |ctx| {
            producer(ctx, &s)
        })?;
        producers.push(w);
    }
    let mut out = QueueOutput {
        mode: mode.name(),
        ..QueueOutput::default()
    };
    let stopped = if until_event {
        let r = wait_then_set(main, &shared, tracer, control);
        r.and_then(|()| join_all(main, &mut producers, None, control))
    } else {
        join_all(main, &mut producers, None, control)
    };
    let stopped = stopped.and_then(|()| {
        let patience = (mode == Mode::Raises && o.patience_ms > 0)
            .then(|| control.scaled(Duration::from_millis(o.patience_ms)));
        join_all(main, &mut consumers, patience, control)
    });
    if let Err(Waited::GaveUp | Waited::Interrupted) = stopped {
        out.interrupted = true;
        if matches!(stopped, Err(Waited::Interrupted)) && control.is_interrupted(MAIN) {
            // Main itself was stopped (X, Ctrl-C, x on its lane): so is
            // everyone, as CPython's exit would.
            control.interrupt_all();
        }
        for c in &consumers {
            control.interrupt_lane(c.lane);
        }
        for p in &producers {
            control.interrupt_lane(p.lane);
        }
    }
    for w in producers.into_iter().chain(consumers) {
        if let Err(Exit::Raised(e)) = w.join() {
            out.raised.push(e);
        }
    }
    control.clear_lane(MAIN);
    out.stuck_in_get = shared.stopped_in_get.load(Ordering::SeqCst);
    let wall = start.elapsed();
    tally(&shared, &mut out, wall);
    let rate = format!("{:.1}", out.items_per_s);
    match mode {
        Mode::Pipeline => tracer.emit(MAIN, state("rate.pipeline", rate)),
        Mode::Queue => tracer.emit(MAIN, state("rate.queue", rate)),
        _ => {}
    }
    Ok(Program { out, wall })
}

fn lane_of(i: usize) -> LaneId {
    LaneId::try_from(i).unwrap_or(LaneId::MAX)
}

/// Counts what was put and handled: twice, never, left.
fn tally(shared: &Shared, out: &mut QueueOutput, wall: Duration) {
    let handled = shared
        .handled
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let distinct: HashSet<u64> = handled.iter().copied().collect();
    out.produced = shared.produced.load(Ordering::SeqCst);
    out.consumed = handled.len() as u64;
    out.duplicates = out.consumed - distinct.len() as u64;
    out.lost = out.produced.saturating_sub(distinct.len() as u64);
    out.left = shared.channel.messages() as u64;
    out.items_per_s = out.consumed as f64 / wall.as_secs_f64().max(1e-9);
}

/// Why main stopped waiting early.
enum Waited {
    /// Main (or everything) was interrupted.
    Interrupted,
    /// Its patience ran out (`raises`, `patience-ms`).
    GaveUp,
}

/// `for t in threads: t.join()`, with main's lane drawn as waiting.
fn join_all<T: Send + 'static>(
    main: &MainThread,
    threads: &mut [Worker<T>],
    patience: Option<Duration>,
    control: &Control,
) -> Result<(), Waited> {
    let deadline = patience.map(|p| Instant::now() + p);
    for t in threads.iter() {
        let on = BlockOn::Task {
            name: format!("join() {}", t.name),
        };
        main.wait(on, || {
            while !t.is_finished() {
                if control.is_interrupted(MAIN) {
                    return Err(Waited::Interrupted);
                }
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Err(Waited::GaveUp);
                }
                main.tick();
                std::thread::sleep(POLL / 4);
            }
            Ok(())
        })?;
    }
    Ok(())
}

/// Main's part in the event modes: sleep `run-ms` (or until the learner
/// presses `e`), then `event.set()`.
fn wait_then_set(
    main: &MainThread,
    shared: &Shared,
    tracer: &Tracer,
    control: &Control,
) -> Result<(), Waited> {
    let o = &shared.options;
    let pressed = o.signal.get();
    let run = control.scaled(Duration::from_millis(o.run_ms));
    let until = Instant::now() + run;
    main.wait(BlockOn::Sleep, || {
        while Instant::now() < until && o.signal.get() == pressed {
            control
                .checkpoint(MAIN)
                .map_err(|Interrupted| Waited::Interrupted)?;
            main.tick();
            std::thread::sleep(POLL / 4);
        }
        Ok(())
    })?;
    tracer.emit(MAIN, state("gate", "event: set"));
    let at = tracer.now().as_us();
    tracer.emit(MAIN, state("marks", at.to_string()));
    shared.event.set();
    main.print("Main: event.set()");
    Ok(())
}

/// How long one item takes: 0 to twice the mean, from the thread's own
/// random sequence.
fn item_time(rng: &mut fastrand::Rng, mean_ms: u64) -> Duration {
    Duration::from_micros(rng.u64(0..=mean_ms.max(1) * 2000))
}

/// The producer: makes items and puts them until the limit or the event;
/// the last one out puts a sentinel for each consumer.
fn producer(ctx: &Ctx, s: &Shared) -> Result<(), Exit> {
    let r = produce(ctx, s);
    if r.is_ok() || s.finally {
        // `finally:` (or the normal end of the loop): last one out.
        if s.producers_left.fetch_sub(1, Ordering::SeqCst) == 1 {
            for _ in 0..s.consumers {
                ctx.doing("put(SENTINEL)");
                s.channel.put(ctx, Item::Sentinel)?;
            }
        }
    }
    r
}

fn produce(ctx: &Ctx, s: &Shared) -> Result<(), Exit> {
    let mut rng = fastrand::Rng::with_seed(SEED ^ (u64::from(ctx.lane) << 32));
    let mut made = 0;
    loop {
        if s.limit.is_none() && s.event.is_set() {
            break;
        }
        let id = s.next_id.fetch_add(1, Ordering::SeqCst);
        if s.limit.is_some_and(|n| id > n) {
            break;
        }
        if s.raises {
            // `message = random.randint(1, 101)` without `import random`.
            return Err(Exit::Raised(NAME_ERROR.into()));
        }
        ctx.doing(format!("making #{id}"));
        ctx.work(item_time(&mut rng, s.options.produce_ms.get()))?;
        ctx.doing(format!("put(#{id})"));
        let unit = ITEM_UNITS + id;
        let label = format!("#{id}");
        ctx.emit(EventKind::Spawned { unit, label });
        s.channel.put(ctx, Item::Msg(id))?;
        s.produced.fetch_add(1, Ordering::SeqCst);
        made += 1;
        ctx.progress(made);
    }
    Ok(())
}

/// The consumer: `while (item := q.get()) is not SENTINEL: handle(item)`.
fn consumer(ctx: &Ctx, s: &Shared) -> Result<(), Exit> {
    let mut rng = fastrand::Rng::with_seed(SEED ^ (u64::from(ctx.lane) << 32));
    let mut handled = 0;
    loop {
        ctx.doing("get()");
        let item = s.channel.get(ctx).inspect_err(|_| {
            s.stopped_in_get.fetch_add(1, Ordering::SeqCst);
        })?;
        let Item::Msg(id) = item else {
            return Ok(());
        };
        ctx.doing(format!("handling #{id}"));
        ctx.work(item_time(&mut rng, s.options.consume_ms.get()))?;
        s.handled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(id);
        handled += 1;
        ctx.progress(handled);
        ctx.emit(EventKind::Finished {
            unit: ITEM_UNITS + id,
            value: ctx.name.clone(),
        });
    }
}
