//! The notes' `Process(target=f, args=('Alice',))`: a child process whose
//! PID is not the parent's prints `hello Alice`; `p.join()` waits for it.
//! Mode `crash`: the child aborts instead, and the parent sees its
//! `exitcode`. Modes `one-each` and `pool` test the notes' claim that a
//! `Process` per task beats a `Pool` for a few long tasks: the same CPU
//! work on a process each or on a pool's reused workers.

use anyhow::Context;
use serde::Serialize;

use super::{Example, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::Control;
use crate::runtime::process::{Exit, PyProcess};
use crate::runtime::process_pool::worker_program;
use crate::trace::{EventKind, LaneRole, Tracer, UnitId};

crate::modes! {
    /// What the child does.
    pub enum Mode {
        Hello = "hello": "the child runs f(name): print('hello', name)",
        Crash = "crash": "the child dies of abort() before printing",
        OneEach = "one-each": "one Process per task, all started, then all joined",
        Pool = "pool": "the same tasks on Pool(processes).map, start and join included",
    }
}

crate::options! {
    /// Options of `process`.
    pub struct ProcessOptions {
        name: String = "name", "Alice", OptKind::Text { max_len: 40 },
            "the argument: Process(target=f, args=(name,))", modes("hello");
        tasks: usize = "tasks", "4", OptKind::Int { min: 1, max: 200 },
            "one-each, pool: how many tasks", modes("one-each", "pool");
        work_ms: u64 = "work-ms", "500", OptKind::Int { min: 0, max: 10_000 },
            "one-each, pool: CPU time of each task", modes("one-each", "pool");
        processes: usize = "processes", "2", OptKind::Int { min: 1, max: 16 },
            "pool: worker processes", modes("pool");
    }
}

/// `multiprocessing.Process` on a real child process.
pub struct ProcessExample;

impl Example for ProcessExample {
    type Mode = Mode;
    type Options = ProcessOptions;
    type Output = ProcessOutput;
    const NAME: &'static str = "process";
    const TITLE: &'static str = "Process(target=f, args=('Alice',))";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(mode: Mode, options: ProcessOptions, ctx: RunCtx) -> Work<ProcessOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// Who ran and how the child ended; for `one-each` and `pool`, how long
/// the tasks took.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessOutput {
    pub parent_pid: u32,
    /// The (first) child's PID.
    pub child_pid: u32,
    /// `p.exitcode`: 0, or minus the signal that killed it.
    pub exitcode: i32,
    pub how: String,
    /// Tasks run (1 for `hello` and `crash`).
    pub tasks: usize,
    /// Processes that ran them (children started, or the pool's size).
    pub processes: usize,
    /// From the first start to the last join.
    pub wall_ms: f64,
}

impl super::Output for ProcessOutput {
    fn summary(&self) -> String {
        if self.tasks > 1 || self.processes > 1 {
            return format!(
                "{} tasks on {} processes: {:.2} s from the first start to the last join",
                self.tasks,
                self.processes,
                self.wall_ms / 1000.0
            );
        }
        format!(
            "child pid {} (parent {}): exitcode {}",
            self.child_pid, self.parent_pid, self.exitcode
        )
    }
}

/// The parent's own lane, `main` (Python's `MainProcess`), with one unit
/// for its program. Dropped without [`MainProcess::finish`] (an error, an
/// interrupt), its program ends cancelled.
pub(crate) struct MainProcess<'a> {
    tracer: &'a Tracer,
    unit: UnitId,
    finished: bool,
}

impl Drop for MainProcess<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let unit = self.unit;
            self.tracer.emit(0, EventKind::Cancelled { unit });
        }
    }
}

impl<'a> MainProcess<'a> {
    /// Opens lane 0 for this process and starts its program.
    pub(crate) fn start(tracer: &'a Tracer) -> MainProcess<'a> {
        tracer.emit(
            0,
            EventKind::LaneUp {
                name: "main".into(),
                pid: Some(std::process::id()),
                role: LaneRole::Main,
            },
        );
        let unit = tracer.next_unit();
        tracer.emit(
            0,
            EventKind::Spawned {
                unit,
                label: "__main__".into(),
            },
        );
        tracer.emit(0, EventKind::Started { unit });
        MainProcess {
            tracer,
            unit,
            finished: false,
        }
    }

    /// `print(text)` in the parent.
    pub(crate) fn print(&self, text: impl Into<String>) {
        let text = text.into();
        self.tracer.emit(0, EventKind::Output { text });
    }

    /// Shows the parent blocked on `on` while `f` runs.
    pub(crate) fn wait<R>(&self, on: crate::trace::BlockOn, f: impl FnOnce() -> R) -> R {
        let unit = self.unit;
        self.tracer.emit(0, EventKind::Blocked { unit, on });
        let r = f();
        self.tracer.emit(0, EventKind::Woken { unit });
        r
    }

    /// The program's end.
    pub(crate) fn finish(mut self, value: &str) {
        let (unit, value) = (self.unit, value.to_string());
        self.tracer.emit(0, EventKind::Finished { unit, value });
        self.finished = true;
    }
}

/// Says how a child ended, with its last error line if it had one.
pub(crate) fn ended(main: &MainProcess, exit: &Exit) {
    main.print(format!("p.join() returned; p.exitcode = {}", exit.exitcode));
    if exit.exitcode != 0 {
        main.print(format!("the child was {}", exit.how));
    }
    if let Some(last) = exit.stderr.last() {
        main.print(format!("child stderr: {last}"));
    }
}

fn run(
    mode: Mode,
    options: &ProcessOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ProcessOutput> {
    let main = MainProcess::start(tracer);
    let program = worker_program().context("could not find our own program")?;
    main.print(format!("parent pid {}", std::process::id()));
    let t0 = std::time::Instant::now();
    let (target, args) = match mode {
        Mode::Hello => ("hello", vec![options.name.clone()]),
        Mode::Crash => ("crash", vec!["200".to_string()]),
        Mode::OneEach => return one_each(main, &program, options, tracer, control),
        Mode::Pool => return pool(main, options, tracer, control),
    };
    let label = format!("f('{}')", options.name);
    let mut p = PyProcess::start(&program, target, &args, tracer, (1, "child", &label))
        .context("could not start the child process")?;
    main.print(format!("p.start(): child pid {}", p.pid()));
    let exit = main.wait(crate::trace::BlockOn::other("p.join()"), || p.join(control));
    if control.main_interrupted() {
        anyhow::bail!("interrupted (KeyboardInterrupt): the child was killed");
    }
    ended(&main, &exit);
    main.finish(&exit.exitcode.to_string());
    Ok(ProcessOutput {
        parent_pid: std::process::id(),
        child_pid: p.pid(),
        exitcode: exit.exitcode,
        how: exit.how,
        tasks: 1,
        processes: 1,
        wall_ms: t0.elapsed().as_secs_f64() * 1000.0,
    })
}

/// A `Process` per task: all started, then all joined.
fn one_each(
    main: MainProcess,
    program: &std::path::Path,
    options: &ProcessOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ProcessOutput> {
    let t0 = std::time::Instant::now();
    let args = [options.work_ms.to_string()];
    let label = format!("busy({} ms)", options.work_ms);
    let mut children = Vec::with_capacity(options.tasks);
    for i in 1..=options.tasks {
        let lane = u32::try_from(i).unwrap_or(u32::MAX);
        let name = format!("p{i}");
        let p = PyProcess::start(program, "busy", &args, tracer, (lane, &name, &label))
            .context("could not start a child process")?;
        children.push(p);
    }
    main.print(format!(
        "{} processes started in {:.1} ms",
        options.tasks,
        t0.elapsed().as_secs_f64() * 1000.0
    ));
    let mut first = None;
    for p in &mut children {
        let exit = main.wait(crate::trace::BlockOn::other("p.join()"), || p.join(control));
        if control.main_interrupted() {
            anyhow::bail!("interrupted (KeyboardInterrupt): the children were killed");
        }
        if exit.exitcode != 0 {
            anyhow::bail!("a child process was {}", exit.how);
        }
        first.get_or_insert((p.pid(), exit));
    }
    let wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    main.print(format!(
        "{} tasks of {} ms CPU, a process each: {:.2} s",
        options.tasks,
        options.work_ms,
        wall_ms / 1000.0
    ));
    main.finish(&format!("{:.2} s", wall_ms / 1000.0));
    let (child_pid, exit) = first.unwrap_or((0, Exit::default()));
    Ok(ProcessOutput {
        parent_pid: std::process::id(),
        child_pid,
        exitcode: exit.exitcode,
        how: exit.how,
        tasks: options.tasks,
        processes: options.tasks,
        wall_ms,
    })
}

/// The same tasks on `Pool(processes).map`, the pool's start and its
/// `close()` + `join()` included.
fn pool(
    main: MainProcess,
    options: &ProcessOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<ProcessOutput> {
    use crate::runtime::ProcessPool;
    use crate::runtime::jobs::{Computed, Job};
    let t0 = std::time::Instant::now();
    let mut pool =
        ProcessPool::new(options.processes, tracer, control).context("could not start the pool")?;
    let jobs = (1..=options.tasks).map(|i| Job::SquareIn {
        x: i64::try_from(i).unwrap_or(0),
        busy_ms: options.work_ms,
        fail: false,
    });
    let done: Vec<Computed> = main
        .wait(crate::trace::BlockOn::other("pool.map()"), || {
            pool.map_as(jobs)
        })
        .map_err(|e| anyhow::anyhow!("pool.map: {e}"))?;
    pool.close();
    pool.join().map_err(|e| anyhow::anyhow!("pool.join: {e}"))?;
    let wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    main.print(format!(
        "{} tasks of {} ms CPU on Pool({}): {:.2} s",
        done.len(),
        options.work_ms,
        options.processes,
        wall_ms / 1000.0
    ));
    main.finish(&format!("{:.2} s", wall_ms / 1000.0));
    Ok(ProcessOutput {
        parent_pid: std::process::id(),
        child_pid: done.first().map_or(0, |c| c.pid),
        exitcode: 0,
        how: "pool joined".into(),
        tasks: options.tasks,
        processes: options.processes,
        wall_ms,
    })
}
