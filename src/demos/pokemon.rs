//! The notes' pokemon loop: names 1..19 from a pokeapi-shaped server.

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::Tracer;

/// Modes and options of `pokemon`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "pokemon",
    title: "Pokemon names, one by one or all at once",
    pane: PaneKind::Waterfall,
    modes: &[
        Choice {
            name: "sync",
            help: "one request after another, as requests.get",
        },
        Choice {
            name: "async",
            help: "all requests at once on the event loop, as aiohttp",
        },
    ],
    options: &[
        OptSpec {
            name: "count",
            help: "how many pokemon (ids 1..=count)",
            kind: OptKind::Int { min: 1, max: 151 },
            default: "19",
        },
        OptSpec {
            name: "latency",
            help: "server latency per request, ms",
            kind: OptKind::Int { min: 0, max: 5_000 },
            default: "100",
        },
        OptSpec {
            name: "online",
            help: "use the real pokeapi.co",
            kind: OptKind::Bool,
            default: "false",
        },
    ],
};

/// Fetches the names; the result is the list of names in id order.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let _ = (req, tracer, control);
    anyhow::bail!("pokemon is not built yet")
}
