//! The notes' hash challenge: the smallest counter whose SHA-256 digest of
//! `message + counter (4 bytes, little-endian)` starts with a hex prefix.

mod estimate;
mod search;

pub use estimate::{calibrate, estimate};
pub use search::{BATCH, COUNTERS, Challenge, Prefix, RangeSearch, search_range};

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::Tracer;

/// Difficulty choices: 4 to 8 leading zeros.
pub const PREFIXES: &[&str] = &["0000", "00000", "000000", "0000000", "00000000"];

/// Modes and options of `hash`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "hash",
    title: "The hash challenge on N workers",
    pane: PaneKind::HashRace,
    modes: &[
        Choice {
            name: "sequential",
            help: "one loop, as the notes' challenge()",
        },
        Choice {
            name: "threads-gil",
            help: "threads sharing a simulated GIL, as CPython",
        },
        Choice {
            name: "threads",
            help: "threads without a GIL, as Rust or free-threaded Python",
        },
        Choice {
            name: "processes",
            help: "a pool of OS processes, as multiprocessing",
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
            kind: OptKind::OneOf(PREFIXES),
            default: "000000",
        },
        OptSpec {
            name: "workers",
            help: "threads or processes",
            kind: OptKind::Int { min: 1, max: 64 },
            default: "2",
        },
        OptSpec {
            name: "chunk",
            help: "counters handed out at a time",
            kind: OptKind::Int {
                min: 1_000,
                max: 100_000_000,
            },
            default: "262144",
        },
    ],
};

/// Runs the search in the chosen mode; the result holds the nonce.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let _ = (req, tracer, control);
    anyhow::bail!("hash is not built yet")
}
