//! "Use messages rather than locks": the shared counter of the
//! thread-safety chapter, on processes. N child processes each add 1,
//! `increments` times:
//!
//! - `queue`: each child counts on its own and sends its total as one
//!   message; the parent, the only owner of the counter, adds them up;
//! - `value-lock`: the counter is shared state, one 8-byte cell of a file
//!   every child opens (CPython's `Value` is shared memory); each `+= 1`
//!   takes an exclusive lock on the file (`flock`, as `with v.get_lock():`);
//! - `value-nolock`: the same without the lock: read, add, write back,
//!   and updates are lost when two children interleave.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use super::process::MainProcess;
use super::{Example, OptKind, PaneKind, RunCtx, Step, Work};
use crate::net::mp::{ConnError, Value};
use crate::runtime::Control;
use crate::runtime::process::PyProcess;
use crate::runtime::process_pool::worker_program;
use crate::trace::{BlockOn, Tracer};

crate::modes! {
    /// How the children count.
    pub enum Mode {
        Queue = "queue": "each child sends its count as a message; the parent adds",
        ValueLock = "value-lock": "a shared Value, each += 1 under its lock",
        ValueNolock = "value-nolock": "a shared Value, += 1 without a lock",
    }
}

crate::options! {
    /// Options of `counter`.
    pub struct CounterOptions {
        processes: usize = "processes", "2", OptKind::Int { min: 1, max: 8 },
            "child processes", keys('-', '+', Step::Add(1));
        increments: u64 = "increments", "20000", OptKind::Int { min: 1, max: 10_000_000 },
            "how many times each child adds 1";
    }
}

/// The shared counter on processes, three ways.
pub struct Counter;

impl Example for Counter {
    type Mode = Mode;
    type Options = CounterOptions;
    type Output = CounterOutput;
    const NAME: &'static str = "counter";
    const TITLE: &'static str = "A shared counter on processes: messages or a lock";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::Procs
    }

    fn start(mode: Mode, options: CounterOptions, ctx: RunCtx) -> Work<CounterOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// The count, the one expected, and how long it took.
#[derive(Debug, Clone, Serialize)]
pub struct CounterOutput {
    pub counter: u64,
    pub expected: u64,
    pub lost: u64,
    pub wall_ms: f64,
}

impl super::Output for CounterOutput {
    fn summary(&self) -> String {
        format!(
            "counter = {} of {} expected ({} lost) in {:.2} s",
            self.counter,
            self.expected,
            self.lost,
            self.wall_ms / 1000.0
        )
    }
}

/// The child's side: `racecourse __child counter MODE N PATH`.
pub fn child(mode: &str, n: u64, path: &str) -> std::io::Result<Option<u64>> {
    if mode == "queue" {
        let mut local = 0u64;
        for _ in 0..n {
            local += 1;
        }
        return Ok(Some(std::hint::black_box(local)));
    }
    let f = File::options().read(true).write(true).open(path)?;
    let locked = mode == "value-lock";
    for _ in 0..n {
        if locked {
            f.lock()?;
        }
        let mut b = [0u8; 8];
        f.read_exact_at(&mut b, 0)?;
        let v = u64::from_le_bytes(b) + 1;
        f.write_all_at(&v.to_le_bytes(), 0)?;
        if locked {
            f.unlock()?;
        }
    }
    Ok(None)
}

fn run(
    mode: Mode,
    options: &CounterOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<CounterOutput> {
    let main = MainProcess::start(tracer);
    let program = worker_program().context("could not find our own program")?;
    let cell = std::env::temp_dir().join(format!("racecourse-counter-{}", std::process::id()));
    std::fs::write(&cell, 0u64.to_le_bytes()).context("could not create the shared Value")?;
    let _cleanup = RemoveOnDrop(cell.clone());
    let name = match mode {
        Mode::Queue => "queue",
        Mode::ValueLock => "value-lock",
        Mode::ValueNolock => "value-nolock",
    };
    let args = [
        name.to_string(),
        options.increments.to_string(),
        cell.display().to_string(),
    ];
    let label = match mode {
        Mode::Queue => "count(q, n)",
        Mode::ValueLock | Mode::ValueNolock => "count(v, n)",
    };
    let t0 = Instant::now();
    let mut children = Vec::new();
    for i in 0..options.processes {
        let lane = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let name = format!("p{}", i + 1);
        let p = PyProcess::start(&program, "counter", &args, tracer, (lane, &name, label))
            .context("could not start a child process")?;
        children.push(p);
    }
    main.print(format!(
        "{} children, each adds 1 {} times ({name})",
        options.processes, options.increments
    ));
    let mut counter = 0u64;
    for p in &mut children {
        let lane = p.lane();
        let stop = || control.main_interrupted() || control.is_interrupted(lane);
        if mode == Mode::Queue {
            let got = main.wait(BlockOn::Queue { name: "q".into() }, || {
                p.conn.recv_until(&stop)
            });
            match got {
                Ok((Value::Int(v), _)) => counter += u64::try_from(v).unwrap_or(0),
                Ok((other, _)) => anyhow::bail!("a child sent {other}, not a count"),
                Err(ConnError::Interrupted) if control.main_interrupted() => {
                    anyhow::bail!(
                        "interrupted (KeyboardInterrupt) in q.get(): the children were killed"
                    )
                }
                Err(e) if !control.is_interrupted(lane) => anyhow::bail!("q.get(): {e}"),
                Err(_) => {} // `x` on this child: p.join() below kills it
            }
        }
        let exit = p.join(control);
        if control.main_interrupted() {
            anyhow::bail!("interrupted (KeyboardInterrupt): the children were killed");
        }
        if exit.exitcode != 0 {
            anyhow::bail!("a child process {}", exit.how);
        }
    }
    if mode != Mode::Queue {
        let mut b = [0u8; 8];
        File::open(&cell)?.read_exact_at(&mut b, 0)?;
        counter = u64::from_le_bytes(b);
    }
    let wall_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let expected = options.increments * options.processes as u64;
    main.print(format!("counter = {counter} (expected {expected})"));
    main.finish(&counter.to_string());
    Ok(CounterOutput {
        counter,
        expected,
        lost: expected.saturating_sub(counter),
        wall_ms,
    })
}

/// Removes the shared Value's file however the run ends.
struct RemoveOnDrop(std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
