//! The notes' `Process(target=f, args=('Alice',))`: a child process whose
//! PID is not the parent's prints `hello Alice`; `p.join()` waits for it.
//! Mode `crash`: the child aborts instead, and the parent sees its
//! `exitcode`.

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
    }
}

crate::options! {
    /// Options of `process`.
    pub struct ProcessOptions {
        name: String = "name", "Alice", OptKind::Text { max_len: 40 },
            "the argument: Process(target=f, args=(name,))";
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

/// Who ran and how the child ended.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessOutput {
    pub parent_pid: u32,
    pub child_pid: u32,
    /// `p.exitcode`: 0, or minus the signal that killed it.
    pub exitcode: i32,
    pub how: String,
}

impl super::Output for ProcessOutput {
    fn summary(&self) -> String {
        format!(
            "child pid {} (parent {}): exitcode {}",
            self.child_pid, self.parent_pid, self.exitcode
        )
    }
}

/// The parent's own lane, `main` (Python's `MainProcess`), with one unit
/// for its program.
pub(crate) struct MainProcess<'a> {
    tracer: &'a Tracer,
    unit: UnitId,
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
        MainProcess { tracer, unit }
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
    pub(crate) fn finish(self, value: &str) {
        let (unit, value) = (self.unit, value.to_string());
        self.tracer.emit(0, EventKind::Finished { unit, value });
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
    let (target, args) = match mode {
        Mode::Hello => ("hello", vec![options.name.clone()]),
        Mode::Crash => ("crash", vec!["200".to_string()]),
    };
    let mut p = PyProcess::start(&program, target, &args, tracer, 1, "child")
        .context("could not start the child process")?;
    main.print(format!("p.start(): child pid {}", p.pid()));
    let exit = main.wait(crate::trace::BlockOn::other("p.join()"), || p.join(control));
    if control.all_interrupted() {
        anyhow::bail!("interrupted (KeyboardInterrupt): the child was killed");
    }
    ended(&main, &exit);
    main.finish(&exit.exitcode.to_string());
    Ok(ProcessOutput {
        parent_pid: std::process::id(),
        child_pid: p.pid(),
        exitcode: exit.exitcode,
        how: exit.how,
    })
}
