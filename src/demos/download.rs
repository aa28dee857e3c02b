//! The notes' site downloads: sync, a thread pool, asyncio.

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::Tracer;

/// Modes and options of `download`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "download",
    title: "Downloading many sites",
    pane: PaneKind::Waterfall,
    modes: &[
        Choice {
            name: "sync",
            help: "one session, one request after another",
        },
        Choice {
            name: "threads",
            help: "a thread pool, one session per thread",
        },
        Choice {
            name: "async",
            help: "tasks on one event loop",
        },
    ],
    options: &[
        OptSpec {
            name: "count",
            help: "how many downloads",
            kind: OptKind::Int {
                min: 1,
                max: 10_000,
            },
            default: "160",
        },
        OptSpec {
            name: "latency",
            help: "server latency per request, ms",
            kind: OptKind::Int { min: 0, max: 5_000 },
            default: "100",
        },
        OptSpec {
            name: "jitter",
            help: "random extra latency up to, ms",
            kind: OptKind::Int { min: 0, max: 5_000 },
            default: "0",
        },
        OptSpec {
            name: "workers",
            help: "threads (threads) or concurrency limit (async, 0 = none)",
            kind: OptKind::Int {
                min: 0,
                max: 10_000,
            },
            default: "10",
        },
        OptSpec {
            name: "fail-rate",
            help: "share of requests the server fails",
            kind: OptKind::Float { min: 0.0, max: 1.0 },
            default: "0",
        },
        OptSpec {
            name: "online",
            help: "download the real sites",
            kind: OptKind::Bool,
            default: "false",
        },
    ],
};

/// Downloads the sites; the result counts successes and failures.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let _ = (req, tracer, control);
    anyhow::bail!("download is not built yet")
}
