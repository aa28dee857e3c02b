//! The notes' first threading example: `threading.Thread(target=
//! thread_function, args=(1,))`, `start()` and `join()`, on real OS threads
//! beside the main thread; and what `daemon=True` changes when the
//! interpreter exits.

pub(crate) mod thread;

use std::time::Duration;

use serde::Serialize;

use super::{Example, Modes, OptKind, PaneKind, RunCtx, Step, Work};
use crate::runtime::{Control, Interrupted};
use crate::trace::{BlockOn, LaneId, Tracer};
use thread::{End, MainThread, Process, PyThread, ThreadCtx, ThreadSpec};

crate::modes! {
    /// How the threads are made and waited for.
    pub enum Mode {
        Join = "join": "start() then join(): main waits for each thread",
        NoJoin = "no-join": "start() only: main ends first, the interpreter waits for the threads at exit",
        Daemon = "daemon": "daemon=True, no join: the interpreter exits and cuts the threads off",
        DaemonJoin = "daemon-join": "daemon=True, then join(): main waits all the same",
    }
}

impl Mode {
    fn daemon(self) -> bool {
        matches!(self, Mode::Daemon | Mode::DaemonJoin)
    }

    fn joins(self) -> bool {
        matches!(self, Mode::Join | Mode::DaemonJoin)
    }
}

crate::options! {
    /// Options of `thread-start`.
    pub struct ThreadStartOptions {
        threads: usize = "threads", "1", OptKind::Int { min: 1, max: 8 },
            "threads started, each running thread_function(N)", keys('-', '+', Step::Add(1));
        sleep_ms: u64 = "sleep-ms", "2000", OptKind::Int { min: 0, max: 20_000 },
            "how long thread_function sleeps between its two lines";
    }
}

/// `threading.Thread(target=thread_function, args=(n,))` on real threads.
pub struct ThreadStart;

impl Example for ThreadStart {
    type Mode = Mode;
    type Options = ThreadStartOptions;
    type Output = ThreadStartOutput;
    const NAME: &'static str = "thread-start";
    const TITLE: &'static str = "threading.Thread: start, join, daemon";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Lanes
    }

    fn start(mode: Mode, options: ThreadStartOptions, ctx: RunCtx) -> Work<ThreadStartOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What the program printed and how each thread ended.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadStartOutput {
    pub mode: &'static str,
    pub daemon: bool,
    pub joined: bool,
    /// Every line, in the order printed.
    pub lines: Vec<String>,
    /// Threads (by number) whose last line printed.
    pub finished: Vec<usize>,
    /// Daemon threads still asleep when the interpreter exited.
    pub cut_off: Vec<usize>,
    /// Threads the learner interrupted.
    pub interrupted: Vec<usize>,
    /// When the main thread printed its last line.
    pub main_done_ms: f64,
    /// When the interpreter had exited.
    pub exit_ms: f64,
}

impl super::Output for ThreadStartOutput {
    fn summary(&self) -> String {
        let exit = format!("exit at {:.2} s", self.exit_ms / 1000.0);
        let total = self.finished.len() + self.cut_off.len() + self.interrupted.len();
        if !self.cut_off.is_empty() {
            format!("cut off at exit: {}; {exit}", names(&self.cut_off))
        } else if self.finished.len() == total {
            format!("all {total} finished; {exit}")
        } else {
            format!("{} of {total} finished; {exit}", self.finished.len())
        }
    }
}

fn names(ns: &[usize]) -> String {
    let v: Vec<String> = ns.iter().map(|n| format!("Thread {n}")).collect();
    v.join(", ")
}

/// The notes' target: a line, a sleep, a line.
pub(crate) fn thread_function(
    ctx: &ThreadCtx,
    n: usize,
    sleep: Duration,
) -> Result<(), Interrupted> {
    ctx.print(format!("Thread {n}: starting"));
    ctx.sleep(sleep)?;
    ctx.print(format!("Thread {n}: finishing"));
    Ok(())
}

/// Starts `options.threads` threads, joins them or not, then exits as the
/// interpreter does: it waits for the threads that are not daemons, and
/// cuts the daemons off.
pub fn run(
    mode: Mode,
    options: &ThreadStartOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ThreadStartOutput> {
    let p = Process::new(tracer, control);
    let mut main = MainThread::start(tracer, control, &p.out);
    let sleep = Duration::from_millis(options.sleep_ms);
    let mut threads = Vec::new();
    for n in 1..=options.threads {
        main.print(format!("Main: start thread {n}"));
        let spec = ThreadSpec {
            lane: LaneId::try_from(n).unwrap_or(LaneId::MAX),
            name: format!("Thread-{n}"),
            label: if mode.daemon() {
                format!("thread_function({n}), daemon")
            } else {
                format!("thread_function({n})")
            },
            daemon: mode.daemon(),
            lane_down: true,
        };
        let t = PyThread::start(spec, &p, move |ctx| thread_function(ctx, n, sleep))?;
        threads.push((n, t, None));
    }
    if mode.joins() {
        for (n, t, end) in &mut threads {
            main.print(format!("Main: join thread {n}"));
            *end = Some(join(&mut main, t, "join()")?);
        }
    }
    main.print("Main: all done");
    let main_done_ms = tracer.now().as_ms_f64();
    // threading._shutdown: wait for every thread that is not a daemon…
    main.begin("exit: threading._shutdown");
    for (_, t, end) in threads
        .iter_mut()
        .filter(|(_, t, e)| e.is_none() && !t.daemon)
    {
        *end = Some(join(&mut main, t, "_shutdown")?);
    }
    // …then exit under the daemons still running.
    for (_, t, end) in threads.iter_mut().filter(|(_, _, e)| e.is_none()) {
        *end = Some(t.kill_at_exit());
    }
    let exit_ms = tracer.now().as_ms_f64();
    main.exit();
    if control.all_interrupted() {
        return Err(Interrupted.into());
    }
    let with = |want: End| -> Vec<usize> {
        threads
            .iter()
            .filter(|(_, _, e)| *e == Some(want))
            .map(|(n, _, _)| *n)
            .collect()
    };
    Ok(ThreadStartOutput {
        mode: mode.name(),
        daemon: mode.daemon(),
        joined: mode.joins(),
        finished: with(End::Returned),
        cut_off: with(End::KilledAtExit),
        interrupted: with(End::Interrupted),
        lines: p.out.lines(),
        main_done_ms,
        exit_ms,
    })
}

/// `t.join()` on the main thread, drawn as a wait for `what` (`join()`,
/// or `_shutdown` at exit); an interrupt ends the main thread's unit.
fn join(main: &mut MainThread, t: &mut PyThread, what: &str) -> Result<End, Interrupted> {
    let on = BlockOn::Task { name: what.into() };
    let r = main.wait(on, || t.join(&|| main.tick()));
    if r.is_err() {
        main.cancel();
    }
    r
}

#[cfg(test)]
mod tests;
