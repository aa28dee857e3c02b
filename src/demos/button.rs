//! A button that must stay responsive while a long hash search runs.
//!
//! The button and its clock live in the UI; this module owns the search
//! side of each mode so that it can also run headless.

mod clock;
mod search;

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use anyhow::Context;
use serde_json::json;

pub use clock::{Clock, Lateness};
pub use search::{ButtonSearch, SearchEnd};

use super::hash::{COUNTERS, Prefix, calibrate};
use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::{Control, Interrupted};
use crate::trace::{EventKind, Tracer};

/// Longest the blocking mode may freeze its thread.
pub const BLOCKING_LIMIT: Duration = Duration::from_secs(3);

/// How long the clock ticks before the search starts, so that the
/// headless figures show it running freely first.
const LEAD_IN: Duration = Duration::from_millis(200);

/// Modes and options of `button`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "button",
    title: "A button during a long hash search",
    pane: PaneKind::Button,
    modes: &[
        Choice {
            name: "thread",
            help: "the search runs on a worker thread",
        },
        Choice {
            name: "blocking",
            help: "the search runs on the UI thread: the screen freezes",
        },
        Choice {
            name: "cooperative",
            help: "the search is a task on the UI's event loop, yielding every K hashes",
        },
    ],
    options: &[
        OptSpec {
            name: "message",
            help: "the text to hash",
            kind: OptKind::Text { max_len: 200 },
            default: "hello world",
        },
        OptSpec {
            name: "prefix",
            help: "hex prefix the digest must start with",
            kind: OptKind::OneOf(super::hash::PREFIXES),
            default: "0000000",
        },
        OptSpec {
            name: "yield-every",
            help: "hashes between yields (cooperative)",
            kind: OptKind::Int {
                min: 1,
                max: 10_000_000,
            },
            default: "20000",
        },
    ],
};

/// Hashes the blocking mode may compute: [`BLOCKING_LIMIT`] at the rate
/// measured on this machine.
pub fn blocking_budget() -> u64 {
    (calibrate() * BLOCKING_LIMIT.as_secs_f64()) as u64
}

/// Runs the search headless in the chosen mode beside a clock on an event
/// loop (lane 0) that ticks every 100 ms; the result holds the nonce and
/// how late the clock ticked while the search ran.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let prefix = Prefix::parse(req.text("prefix")).map_err(anyhow::Error::msg)?;
    let message = req.text("message").to_string();
    let yield_every = AtomicU64::new(req.int("yield-every").max(1) as u64);
    let mode = req.mode;
    let say = |text: String| tracer.emit(0, EventKind::Output { text });
    tracer.emit(
        0,
        EventKind::LaneUp {
            name: "event loop".into(),
            pid: None,
            role: crate::trace::LaneRole::EventLoop,
        },
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the event loop")?;
    let (ended, late) = rt.block_on(async {
        let clock = Clock::start(tracer.clone(), 0);
        tokio::time::sleep(LEAD_IN).await;
        let ended = match mode {
            "thread" => {
                let role = crate::trace::LaneRole::Worker;
                tracer.emit(1, EventKind::LaneUp { name: "worker".into(), pid: None, role });
                let search = ButtonSearch::new(&message, prefix, tracer, 1);
                let ctl = control.clone();
                let (tx, rx) = tokio::sync::oneshot::channel();
                let worker = std::thread::Builder::new()
                    .name("button-search".into())
                    .spawn(move || {
                        let _ = tx.send(search.run_to_end(COUNTERS, &ctl));
                    })
                    .context("cannot start the search thread")?;
                let r = rx.await.unwrap_or(Err(Interrupted));
                let _ = worker.join();
                tracer.emit(1, EventKind::LaneDown { reason: "shutdown".into() });
                r
            }
            "blocking" => {
                let budget = blocking_budget();
                say(format!(
                    "blocking: the search runs on the event loop's thread for at most {} s ({budget} hashes); the clock stops",
                    BLOCKING_LIMIT.as_secs()
                ));
                ButtonSearch::new(&message, prefix, tracer, 0).run_to_end(budget, control)
            }
            "cooperative" => {
                let search = ButtonSearch::new(&message, prefix, tracer, 0);
                search.run_cooperative(&yield_every, control).await
            }
            other => anyhow::bail!("button has no mode `{other}`"),
        };
        // One more tick lands after a blocking search: that is the freeze.
        tokio::time::sleep(Duration::from_millis(120)).await;
        Ok::<_, anyhow::Error>((ended, clock.stop().await))
    })?;
    tracer.emit(
        0,
        EventKind::LaneDown {
            reason: "shutdown".into(),
        },
    );
    let ended = ended.with_context(|| format!("button --mode {mode}"))?;

    match ended.nonce {
        Some(n) => say(n.to_string()),
        None if !ended.complete => say(format!(
            "stopped after {} hashes without a nonce: blocking mode is bounded to {} s",
            ended.hashes,
            BLOCKING_LIMIT.as_secs()
        )),
        None => say("None: no counter in range(2**32-1) matches".into()),
    }
    say(format!(
        "{mode}: {:.2} M hashes/s; clock ticks late by p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ended.rate_hps() / 1e6,
        late.p50_ms,
        late.p99_ms,
        late.max_ms
    ));
    Ok(json!({
        "nonce": ended.nonce,
        "complete": ended.complete,
        "hashes": ended.hashes,
        "rate_hps": ended.rate_hps().round(),
        "seconds": ended.elapsed.as_secs_f64(),
        "mode": mode,
        "message": message,
        "prefix": req.text("prefix"),
        "yield_every": (mode == "cooperative").then(|| req.int("yield-every")),
        "yields": ended.yields,
        "clock": late,
    }))
}

#[cfg(test)]
mod tests;
