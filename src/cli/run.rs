//! `racecourse run`: an example headless, events as JSON lines on request.

use std::time::Instant;

use clap::Args;
use serde_json::json;

use crate::demos::{self, DemoRequest};
use crate::runtime::Control;
use crate::trace::{RunState, Tracer};

/// Options of `run`; each is checked against the example's own options.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The example: button, three-ways, hash, pokemon, download.
    pub demo: String,
    #[arg(long)]
    pub mode: Option<String>,
    #[arg(long)]
    pub workers: Option<String>,
    #[arg(long)]
    pub message: Option<String>,
    #[arg(long)]
    pub prefix: Option<String>,
    #[arg(long)]
    pub count: Option<String>,
    #[arg(long)]
    pub latency: Option<String>,
    #[arg(long)]
    pub jitter: Option<String>,
    #[arg(long)]
    pub fail_rate: Option<String>,
    #[arg(long)]
    pub workload: Option<String>,
    #[arg(long)]
    pub tasks: Option<String>,
    #[arg(long)]
    pub yield_every: Option<String>,
    #[arg(long)]
    pub online: bool,
    /// Any other option of the example, as NAME=VALUE.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Print every event as a JSON line, then a JSON summary.
    #[arg(long)]
    pub json: bool,
}

impl RunArgs {
    fn request(&self) -> anyhow::Result<DemoRequest> {
        let mut req = DemoRequest::new(&self.demo)?;
        if let Some(m) = &self.mode {
            req.set_mode(m)?;
        }
        let named = [
            ("workers", &self.workers),
            ("message", &self.message),
            ("prefix", &self.prefix),
            ("count", &self.count),
            ("latency", &self.latency),
            ("jitter", &self.jitter),
            ("fail-rate", &self.fail_rate),
            ("workload", &self.workload),
            ("tasks", &self.tasks),
            ("yield-every", &self.yield_every),
        ];
        for (name, value) in named {
            if let Some(v) = value {
                req.set(name, v)?;
            }
        }
        if self.online {
            req.set("online", "true")?;
        }
        for kv in &self.set {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("--set expects NAME=VALUE, got `{kv}`"))?;
            req.set(k, v)?;
        }
        Ok(req)
    }
}

/// Runs the example to its end; Ctrl-C interrupts it like KeyboardInterrupt.
pub fn run(args: &RunArgs) -> anyhow::Result<i32> {
    let req = args.request()?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let start = Instant::now();
        let (tracer, mut rx) = Tracer::starting_at(start);
        let control = Control::new();
        let mut handle = demos::launch(req.clone(), tracer, control.clone());
        let mut state = RunState::new();
        let mut interrupted = false;
        let show = |state: &mut RunState, ev: &crate::trace::Event| -> anyhow::Result<()> {
            state.apply(ev);
            if args.json {
                crate::out!("{}", serde_json::to_string(ev)?);
            } else if let crate::trace::EventKind::Output { text } = &ev.kind {
                crate::out!("{text}");
            }
            Ok(())
        };
        let outcome = loop {
            tokio::select! {
                Some(ev) = rx.recv() => {
                    show(&mut state, &ev)?;
                    // Drain what else is waiting in one go: a run of 10,000
                    // requests sends 100,000+ events, one wake-up each would
                    // cost more than the run.
                    while let Ok(ev) = rx.try_recv() {
                        show(&mut state, &ev)?;
                    }
                }
                done = handle.done() => break done.unwrap_or_else(|_| demos::Outcome {
                    result: Err("the run ended without a result".into()),
                    wall_ms: start.elapsed().as_secs_f64() * 1000.0,
                }),
                _ = tokio::signal::ctrl_c(), if !interrupted => {
                    interrupted = true;
                    control.interrupt_all();
                }
            }
        };
        while let Ok(ev) = rx.try_recv() {
            show(&mut state, &ev)?;
        }
        drop(handle);
        let end_us = (outcome.wall_ms * 1000.0) as u64;
        state.close(end_us.max(state.now_us));
        let summary = summary(&req, &state, &outcome);
        if args.json {
            crate::out!("{}", serde_json::to_string(&summary)?);
        } else {
            print_summary(&summary);
        }
        Ok(exit_code(&summary))
    })
}

/// The final JSON summary: demo, mode, wall time, result, lanes.
pub fn summary(req: &DemoRequest, state: &RunState, outcome: &demos::Outcome) -> serde_json::Value {
    let wall_us = (outcome.wall_ms * 1000.0) as u64;
    let lanes: Vec<_> = state
        .lanes
        .values()
        .map(|l| {
            let busy = state.lane_busy_us(l);
            json!({
                "lane": l.id,
                "name": l.name,
                "pid": l.pid,
                "busy_ms": busy as f64 / 1000.0,
                "idle_ms": wall_us.saturating_sub(busy) as f64 / 1000.0,
                "units": l.completed,
                "done": l.done,
            })
        })
        .collect();
    let options: serde_json::Map<String, serde_json::Value> = req
        .values()
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    let (result, error) = match &outcome.result {
        Ok(v) => (v.clone(), None),
        Err(e) => (serde_json::Value::Null, Some(e.clone())),
    };
    json!({
        "summary": true,
        "demo": req.spec.name,
        "mode": req.mode,
        "options": options,
        "wall_ms": (outcome.wall_ms * 1000.0).round() / 1000.0,
        "ok": outcome.result.is_ok() && failures(state, outcome) == 0,
        "failures": failures(state, outcome),
        "result": result,
        "error": error,
        "counts": {
            "spawned": state.counts.spawned,
            "finished": state.counts.finished,
            "failed": state.counts.failed,
            "cancelled": state.counts.cancelled,
        },
        "lanes": lanes,
        "warnings": state.warnings,
    })
}

/// Units that failed: failed events, or the example's own count (a
/// download's `failed`) when that is higher.
fn failures(state: &RunState, outcome: &demos::Outcome) -> u64 {
    let counted = outcome
        .result
        .as_ref()
        .ok()
        .and_then(|v| v["failed"].as_u64())
        .unwrap_or(0);
    (state.counts.failed as u64).max(counted)
}

/// 0 when everything succeeded, 1 when the run failed or was interrupted,
/// 3 when it ran to its end with failures (2 is a usage error).
pub fn exit_code(summary: &serde_json::Value) -> i32 {
    if !summary["error"].is_null() {
        1
    } else if summary["ok"] == true {
        0
    } else {
        3
    }
}

fn print_summary(s: &serde_json::Value) {
    crate::out!("--");
    crate::out!(
        "{} --mode {}: {:.1} ms",
        s["demo"].as_str().unwrap_or(""),
        s["mode"].as_str().unwrap_or(""),
        s["wall_ms"].as_f64().unwrap_or(0.0)
    );
    match s["error"].as_str() {
        Some(e) => crate::out!("error: {}", crate::lesson::inert(e)),
        None => crate::out!("result: {}", s["result"]),
    }
    if let Some(n) = s["failures"].as_u64().filter(|&n| n > 0) {
        crate::out!("failed: {n} (exit status 3)");
    }
    if let Some(lanes) = s["lanes"].as_array() {
        for l in lanes {
            crate::out!(
                "  {:<14} busy {:>9.1} ms  idle {:>9.1} ms  units {}",
                l["name"].as_str().unwrap_or(""),
                l["busy_ms"].as_f64().unwrap_or(0.0),
                l["idle_ms"].as_f64().unwrap_or(0.0),
                l["units"]
            );
        }
    }
    for w in s["warnings"].as_array().into_iter().flatten() {
        crate::out!("warning: {}", w.as_str().unwrap_or(""));
    }
}
