//! The notes' examples, runnable: each has a spec (modes, options) and a
//! `run` that does the work on the runtimes and reports through the trace.

pub mod apply_async;
pub mod async_queue;
pub mod barrier;
pub mod blocked_loop;
pub mod button;
pub mod cancel;
mod catalog;
pub mod child;
pub mod client;
pub mod coroutine;
pub mod counter;
pub mod deadlock;
pub mod download;
mod example;
pub mod gather;
pub mod generator;
pub mod guide;
pub mod hash;
pub(crate) mod lane;
pub mod led;
pub mod listener;
pub mod pokemon;
pub mod pool_calls;
pub mod pool_map;
pub mod pool_results;
pub mod process;
pub mod queue;
pub mod queue_pipe;
pub mod race;
pub mod recap;
mod request;
pub mod scheduler;
mod spec;
pub mod starve;
pub mod sync;
pub mod thread_order;
pub mod thread_start;
pub mod three_ways;
pub mod wire;

use std::thread::JoinHandle;
use std::time::Instant;

pub use catalog::{DynExample, DynOptions, DynOutput, Entry};
pub use example::{
    Example, Host, Knob, Live, Modes, Options, Output, PaneKind, Place, RunCtx, SetKnob, Work,
};
pub use request::{DemoRequest, find};
pub use spec::{Choice, KnobKeys, OptKind, OptSpec, SpecError, Step};

use crate::runtime::Control;
use crate::trace::{Micros, Tracer};

/// Every example, in curriculum order: the one registry.
pub static CATALOG: &[&dyn DynExample] = &[
    &Entry::<button::Button>::NEW,
    &Entry::<three_ways::ThreeWays>::NEW,
    &Entry::<thread_start::ThreadStart>::NEW,
    &Entry::<thread_order::ThreadOrder>::NEW,
    &Entry::<pool_results::PoolResults>::NEW,
    &Entry::<race::Race>::NEW,
    &Entry::<deadlock::Deadlock>::NEW,
    &Entry::<starve::Starve>::NEW,
    &Entry::<scheduler::Scheduler>::NEW,
    &Entry::<queue::QueueExample>::NEW,
    &Entry::<sync::SyncObjects>::NEW,
    &Entry::<barrier::Barrier>::NEW,
    &Entry::<hash::Hash>::NEW,
    &Entry::<pokemon::Pokemon>::NEW,
    &Entry::<led::LedSpec>::NEW,
    &Entry::<download::Download>::NEW,
    &Entry::<gather::Gather>::NEW,
    &Entry::<coroutine::CoroutineDemo>::NEW,
    &Entry::<async_queue::AsyncQueue>::NEW,
    &Entry::<blocked_loop::BlockedLoop>::NEW,
    &Entry::<cancel::Cancel>::NEW,
    &Entry::<pool_map::PoolMap>::NEW,
    &Entry::<generator::Generator>::NEW,
    &Entry::<pool_calls::PoolCalls>::NEW,
    &Entry::<apply_async::ApplyAsync>::NEW,
    &Entry::<process::ProcessExample>::NEW,
    &Entry::<queue_pipe::QueuePipe>::NEW,
    &Entry::<listener::ListenerExample>::NEW,
    &Entry::<client::ClientExample>::NEW,
    &Entry::<counter::Counter>::NEW,
    &Entry::<recap::RecapExample>::NEW,
];

/// How a run ended.
pub struct Outcome {
    /// The example's answer (a nonce, names, counts) or why it failed.
    pub result: Result<Box<dyn DynOutput>, String>,
    /// Wall-clock time of the whole run, in ms (see [`Outcome::wall`]).
    pub wall_ms: f64,
}

impl Outcome {
    /// An outcome that says the run ended without a result.
    pub fn lost(wall: Micros) -> Outcome {
        Outcome {
            result: Err("the run ended without a result".into()),
            wall_ms: wall.as_ms_f64(),
        }
    }

    /// Wall-clock time of the whole run.
    pub fn wall(&self) -> Micros {
        Micros::from_ms_f64(self.wall_ms)
    }

    /// The line a person reads: the output's summary, or the error.
    pub fn summary(&self) -> String {
        match &self.result {
            Ok(o) => o.summary(),
            Err(e) => format!("error: {e}"),
        }
    }
}

/// A run in progress on its own thread or task.
pub struct RunHandle {
    pub request: DemoRequest,
    pub control: Control,
    /// Where the work runs.
    pub place: Place,
    done: tokio::sync::oneshot::Receiver<Outcome>,
    thread: Option<JoinHandle<()>>,
}

/// A started run: going, or armed to run on the UI thread.
pub enum Launched {
    Running(RunHandle),
    /// Work for the UI thread, run once a frame has warned the learner.
    Armed(Box<dyn FnOnce() -> Outcome + Send>),
}

impl RunHandle {
    /// Resolves when the run ends (for `select!` loops).
    pub fn done(&mut self) -> &mut tokio::sync::oneshot::Receiver<Outcome> {
        &mut self.done
    }

    /// Blocks until the run ends.
    pub fn wait(mut self) -> Outcome {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.done
            .try_recv()
            .unwrap_or_else(|_| Outcome::lost(Micros::ZERO))
    }

    /// Interrupts the run and waits for its thread to end.
    pub fn stop(mut self) {
        self.control.interrupt_all();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for RunHandle {
    fn drop(&mut self) {
        // No thread outlives the view that started it.
        if let Some(t) = self.thread.take() {
            self.control.interrupt_all();
            let _ = t.join();
        }
    }
}

fn timed(start: Instant, result: anyhow::Result<Box<dyn DynOutput>>) -> Outcome {
    Outcome {
        result: result.map_err(|e| format!("{e:#}")),
        wall_ms: Micros::since(start).as_ms_f64(),
    }
}

/// Starts an example; events go to `tracer`. Cooperative work becomes a task
/// on the calling event loop when the host is the app (headless, it gets an
/// event loop of its own on a fresh thread); blocking work gets a thread.
pub fn launch(request: &DemoRequest, tracer: Tracer, control: Control, host: Host) -> Launched {
    let ctx = RunCtx {
        tracer,
        control: control.clone(),
        host,
    };
    let work = request
        .example
        .start(request.mode_index(), request.options(), ctx);
    let place = work.place();
    let (tx, done) = tokio::sync::oneshot::channel();
    let mut handle = RunHandle {
        request: request.clone(),
        control,
        place,
        done,
        thread: None,
    };
    let start = Instant::now();
    match work {
        Work::UiThread(run) if host == Host::Ui => {
            return Launched::Armed(Box::new(move || timed(Instant::now(), run())));
        }
        Work::EventLoop(fut)
            if host == Host::Ui && tokio::runtime::Handle::try_current().is_ok() =>
        {
            tokio::spawn(async move {
                let _ = tx.send(timed(start, fut.await));
            });
        }
        work => {
            let name = format!("demo-{}", request.name());
            let thread = std::thread::Builder::new().name(name).spawn(move || {
                let _ = tx.send(timed(start, work.run_here()));
            });
            match thread {
                Ok(t) => handle.thread = Some(t),
                Err(e) => {
                    let (tx, done) = tokio::sync::oneshot::channel();
                    let _ = tx.send(Outcome {
                        result: Err(format!("cannot start a thread: {e}")),
                        wall_ms: 0.0,
                    });
                    handle.done = done;
                }
            }
        }
    }
    Launched::Running(handle)
}

/// Runs an example on the calling thread until it ends (headless).
pub fn run_blocking(req: &DemoRequest, tracer: &Tracer, control: &Control) -> Outcome {
    let ctx = RunCtx {
        tracer: tracer.clone(),
        control: control.clone(),
        host: Host::Headless,
    };
    let start = Instant::now();
    let work = req.example.start(req.mode_index(), req.options(), ctx);
    timed(start, work.run_here())
}

/// Runs `req` headless and returns its output in `run --json`'s form, for
/// tests that check what a user of `--json` reads.
#[cfg(test)]
pub(crate) fn run_json(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let outcome = run_blocking(req, tracer, control);
    outcome
        .result
        .map(|o| o.to_json())
        .map_err(anyhow::Error::msg)
}
