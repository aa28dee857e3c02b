//! One workload (I/O-like waits or CPU work) on threads, tasks and processes.

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::Tracer;

/// Modes and options of `three-ways`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "three-ways",
    title: "Threads, tasks and processes on one workload",
    pane: PaneKind::Compare,
    modes: &[
        Choice {
            name: "threads",
            help: "pre-emptive: a thread pool, the OS switches",
        },
        Choice {
            name: "async",
            help: "cooperative: tasks on one event loop",
        },
        Choice {
            name: "processes",
            help: "parallel: a pool of OS processes",
        },
    ],
    options: &[
        OptSpec {
            name: "workload",
            help: "io (waits) or cpu (hashing)",
            kind: OptKind::OneOf(&["io", "cpu"]),
            default: "io",
        },
        OptSpec {
            name: "tasks",
            help: "how many jobs",
            kind: OptKind::Int { min: 1, max: 64 },
            default: "8",
        },
        OptSpec {
            name: "workers",
            help: "threads or processes in the pool",
            kind: OptKind::Int { min: 1, max: 32 },
            default: "4",
        },
        OptSpec {
            name: "wait-ms",
            help: "I/O wait per job",
            kind: OptKind::Int {
                min: 1,
                max: 10_000,
            },
            default: "500",
        },
        OptSpec {
            name: "hashes",
            help: "SHA-256 hashes per CPU job",
            kind: OptKind::Int {
                min: 1_000,
                max: 100_000_000,
            },
            default: "2000000",
        },
        OptSpec {
            name: "gil",
            help: "threads hold a simulated GIL, as CPython",
            kind: OptKind::Bool,
            default: "true",
        },
    ],
};

/// Runs the workload in the chosen mode.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let _ = (req, tracer, control);
    anyhow::bail!("three-ways is not built yet")
}
