//! The notes' hash challenge: the smallest counter whose SHA-256 digest of
//! `message + counter (4 bytes, little-endian)` starts with a hex prefix.

mod dispenser;
mod estimate;
mod modes;
mod pools;
mod race;
mod search;

use anyhow::Context;
use serde_json::json;

pub use dispenser::Dispenser;
pub use estimate::{calibrate, estimate, human};
pub use modes::{Mode, RaceError, search};
pub use race::{Found, Job};
pub use search::{BATCH, COUNTERS, Challenge, Prefix, RangeSearch, search_range};

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::{EventKind, Tracer};

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
    let mode =
        Mode::from_name(req.mode).with_context(|| format!("hash has no mode `{}`", req.mode))?;
    let prefix = Prefix::parse(req.text("prefix")).map_err(anyhow::Error::msg)?;
    let workers = match mode {
        Mode::Sequential => 1,
        _ => req.int("workers").clamp(1, 64) as usize,
    };
    let chunk = req.int("chunk").max(1) as u64;
    let job = Job::new(req.text("message"), prefix, chunk);
    let say = |text: String| tracer.emit(0, EventKind::Output { text });

    say(format!(
        "challenge({:?}, prefix={:?}): {}, chunks of {chunk} counters",
        job.message,
        job.prefix.hex(),
        mode.workers(workers),
    ));
    let rate = calibrate() / Challenge::new(job.message.as_bytes()).blocks_per_hash() as f64;
    say(format!(
        "expected: 16^{} = {} hashes, about {} on one core here ({:.1} M hashes/s)",
        job.prefix.len(),
        job.prefix.expected_hashes(),
        human(estimate(&job.prefix, rate)),
        rate / 1e6
    ));
    if mode == Mode::ThreadsGil {
        say(format!(
            "the threads share one GIL, handed over every {} ms as CPython's sys.getswitchinterval()",
            crate::runtime::gil::DEFAULT_SWITCH_INTERVAL.as_millis()
        ));
    }
    let found = search(mode, &job, workers, tracer, control)
        .with_context(|| format!("hash --mode {}", mode.name()))?;

    let digest = found.nonce.map(|n| {
        let bytes = Challenge::new(job.message.as_bytes()).digest(n as u32);
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    });
    match (found.nonce, &digest) {
        (Some(n), Some(hex)) => {
            say(n.to_string());
            say(format!(
                "sha256({:?} + pack(\"<I\", {n})) = {hex}",
                job.message
            ));
        }
        _ => say("None: no counter in range(2**32-1) matches".into()),
    }
    say(format!(
        "{} hashes in {:.2} s: {:.2} M hashes/s on {}",
        found.hashes,
        found.elapsed.as_secs_f64(),
        found.rate_hps() / 1e6,
        mode.workers(workers),
    ));
    Ok(json!({
        "nonce": found.nonce,
        "digest": digest,
        "hashes": found.hashes,
        "rate_hps": found.rate_hps().round(),
        "seconds": found.elapsed.as_secs_f64(),
        "workers": workers,
        "mode": mode.name(),
        "message": job.message,
        "prefix": job.prefix.hex(),
        "chunk": chunk,
    }))
}

#[cfg(test)]
mod tests;
