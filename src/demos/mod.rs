//! The notes' examples, runnable: each has a spec (modes, options) and a
//! `run` that does the work on the runtimes and reports through the trace.

pub mod button;
pub mod download;
pub mod hash;
pub mod pokemon;
mod spec;
pub mod three_ways;

use std::thread::JoinHandle;
use std::time::Instant;

pub use spec::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind, SpecError, find};

use crate::runtime::Control;
use crate::trace::Tracer;

/// Every example, in curriculum order.
pub static CATALOG: &[&DemoSpec] = &[
    &button::SPEC,
    &three_ways::SPEC,
    &hash::SPEC,
    &pokemon::SPEC,
    &download::SPEC,
];

/// How a run ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The example's answer (a nonce, names, counts) or why it failed.
    pub result: Result<serde_json::Value, String>,
    /// Wall-clock time of the whole run.
    pub wall_ms: f64,
}

/// A run in progress on its own thread.
pub struct RunHandle {
    pub request: DemoRequest,
    pub control: Control,
    done: tokio::sync::oneshot::Receiver<Outcome>,
    thread: Option<JoinHandle<()>>,
}

impl RunHandle {
    /// A handle for work the caller drives itself (a task on the UI's own
    /// event loop); the caller sends the outcome.
    pub fn detached(
        request: DemoRequest,
        control: Control,
    ) -> (RunHandle, tokio::sync::oneshot::Sender<Outcome>) {
        let (tx, done) = tokio::sync::oneshot::channel();
        let handle = RunHandle {
            request,
            control,
            done,
            thread: None,
        };
        (handle, tx)
    }

    /// Resolves when the run ends (for `select!` loops).
    pub fn done(&mut self) -> &mut tokio::sync::oneshot::Receiver<Outcome> {
        &mut self.done
    }

    /// Blocks until the run ends.
    pub fn wait(mut self) -> Outcome {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.done.try_recv().unwrap_or_else(|_| Outcome {
            result: Err("the run ended without a result".into()),
            wall_ms: 0.0,
        })
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

/// Starts an example on a fresh thread; events go to `tracer`.
pub fn launch(request: DemoRequest, tracer: Tracer, control: Control) -> RunHandle {
    let (tx, done) = tokio::sync::oneshot::channel();
    let req = request.clone();
    let ctl = control.clone();
    let thread = std::thread::Builder::new()
        .name(format!("demo-{}", request.spec.name))
        .spawn(move || {
            let start = Instant::now();
            let result = run_blocking(&req, &tracer, &ctl).map_err(|e| format!("{e:#}"));
            let wall_ms = start.elapsed().as_secs_f64() * 1000.0;
            let _ = tx.send(Outcome { result, wall_ms });
        })
        .ok();
    RunHandle {
        request,
        control,
        done,
        thread,
    }
}

/// Runs an example on the calling thread until it ends.
pub fn run_blocking(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    match req.spec.name {
        "button" => button::run(req, tracer, control),
        "three-ways" => three_ways::run(req, tracer, control),
        "hash" => hash::run(req, tracer, control),
        "pokemon" => pokemon::run(req, tracer, control),
        "download" => download::run(req, tracer, control),
        other => anyhow::bail!("example `{other}` has no runner"),
    }
}
