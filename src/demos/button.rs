//! A button that must stay responsive while a long hash search runs.
//!
//! The button and its clock live in the UI; this module owns the search
//! side of each mode so that it can also run headless.

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::Tracer;

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

/// Runs the search headless in the chosen mode.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let _ = (req, tracer, control);
    anyhow::bail!("button is not built yet")
}
