//! The notes' `Queue` and `Pipe` between two processes: the child sends
//! `['hello', 'world']`, the parent receives it. A message crosses as a
//! pickle in a length-prefixed frame (as `multiprocessing.connection`
//! sends it); the pane draws those bytes. With `Pipe` (duplex) the parent
//! then answers on the same connection and the child prints the answer.

use anyhow::Context;
use serde::Serialize;

use super::process::{MainProcess, ended};
use super::{Example, OptKind, PaneKind, RunCtx, Work, wire};
use crate::net::mp::{ConnError, Value};
use crate::runtime::Control;
use crate::runtime::process::PyProcess;
use crate::runtime::process_pool::worker_program;
use crate::trace::{BlockOn, Tracer};

crate::modes! {
    /// Which channel joins the two processes.
    pub enum Mode {
        Queue = "queue": "q = Queue(): the child puts, the parent gets",
        Pipe = "pipe": "a, b = Pipe(): the child sends, the parent receives and answers (duplex)",
    }
}

crate::options! {
    /// Options of `queue-pipe`.
    pub struct QueuePipeOptions {
        delay_ms: u64 = "delay-ms", "300", OptKind::Int { min: 0, max: 600_000 },
            "how long the child waits before it sends (the parent is blocked meanwhile)";
    }
}

/// `Queue` and `Pipe` between a parent and a child process.
pub struct QueuePipe;

impl Example for QueuePipe {
    type Mode = Mode;
    type Options = QueuePipeOptions;
    type Output = QueuePipeOutput;
    const NAME: &'static str = "queue-pipe";
    const TITLE: &'static str = "Queue and Pipe between two processes";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(mode: Mode, options: QueuePipeOptions, ctx: RunCtx) -> Work<QueuePipeOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What the parent received, and its size on the wire.
#[derive(Debug, Clone, Serialize)]
pub struct QueuePipeOutput {
    pub received: String,
    /// Bytes of the pickle (the frame adds 4).
    pub pickle_bytes: usize,
    pub child_pid: u32,
    pub exitcode: i32,
}

impl super::Output for QueuePipeOutput {
    fn summary(&self) -> String {
        format!(
            "received {} ({} bytes + 4 of length) from pid {}, exitcode {}",
            self.received, self.pickle_bytes, self.child_pid, self.exitcode
        )
    }
}

fn run(
    mode: Mode,
    options: &QueuePipeOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<QueuePipeOutput> {
    let main = MainProcess::start(tracer);
    let program = worker_program().context("could not find our own program")?;
    let (target, get, on, label) = match mode {
        Mode::Queue => (
            "queue-put",
            "q.get()",
            BlockOn::Queue { name: "q".into() },
            "f(q)",
        ),
        Mode::Pipe => (
            "pipe",
            "parent_connection.recv()",
            BlockOn::Pipe,
            "f(child_connection)",
        ),
    };
    let delay = options.delay_ms.to_string();
    let mut p = PyProcess::start(&program, target, &[delay], tracer, (1, "child", label))
        .context("could not start the child process")?;
    main.print(format!(
        "parent pid {}; p.start(): child pid {}",
        std::process::id(),
        p.pid()
    ));
    let child_lane = p.lane();
    let stop = || control.main_interrupted() || control.is_interrupted(child_lane);
    let got = main.wait(on, || p.conn.recv_until(&stop));
    let (value, bytes) = match got {
        Ok(v) => v,
        Err(ConnError::Interrupted) if control.main_interrupted() => {
            p.kill();
            p.join(control);
            anyhow::bail!("interrupted (KeyboardInterrupt) in {get}: the child was killed");
        }
        Err(ConnError::Interrupted) => {
            // `x` on the child's lane: p.kill() while the parent waits.
            let exit = p.join(control);
            ended(&main, &exit);
            anyhow::bail!("{get} got nothing: the child was {}", exit.how);
        }
        Err(e) => {
            let exit = p.join(control);
            ended(&main, &exit);
            anyhow::bail!("{get} failed: {e}");
        }
    };
    let title = format!("on the wire: child → parent, {} bytes", bytes.len() + 4);
    wire::publish(tracer, 0, &title, &bytes);
    main.print(format!("{get} -> {value}"));
    if mode == Mode::Pipe {
        let reply = Value::Str("thank you".into());
        main.print(format!("parent_connection.send({reply})"));
        p.conn.send(&reply)?;
    }
    let exit = main.wait(BlockOn::other("p.join()"), || p.join(control));
    if control.main_interrupted() {
        anyhow::bail!("interrupted (KeyboardInterrupt) in p.join(): the child was killed");
    }
    ended(&main, &exit);
    main.finish(&value.to_string());
    Ok(QueuePipeOutput {
        received: value.to_string(),
        pickle_bytes: bytes.len(),
        child_pid: p.pid(),
        exitcode: exit.exitcode,
    })
}
