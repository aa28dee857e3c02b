//! The notes' hash challenge: the smallest counter whose SHA-256 digest of
//! `message + counter (4 bytes, little-endian)` starts with a hex prefix.

mod dispenser;
mod estimate;
mod modes;
mod pools;
mod race;
mod wide;

use std::fmt::Write as _;

use anyhow::Context;
use serde::Serialize;

pub use crate::sha::{BATCH, COUNTERS, Challenge, Prefix, RangeSearch, search_range};
pub use dispenser::Dispenser;
pub use estimate::{calibrate, estimate, human};
pub use modes::{Mode, RaceError, search};
pub use race::{Found, Job};
pub use wide::{INPUT_BYTES, WIDE_BATCH, Wide};

use super::{Example, Modes, OptKind, PaneKind, RunCtx, Work};
use crate::runtime::Control;
use crate::trace::{EventKind, Tracer};

/// Difficulty choices: 4 to 8 leading zeros.
pub const PREFIXES: &[&str] = &["0000", "00000", "000000", "0000000", "00000000"];

crate::options! {
    /// Options of `hash`.
    pub struct HashOptions {
        message: String = "message", "hello world", OptKind::Text { max_len: 200 },
            "the text to hash";
        prefix: String = "prefix", "000000", OptKind::OneOf(PREFIXES),
            "hex prefix the digest must start with";
        workers: usize = "workers", "2", OptKind::Int { min: 1, max: 64 },
            "threads or processes", keys('-', '+', super::Step::Add(1)),
            modes("threads-gil", "threads", "processes", "threads-gil-4k");
        chunk: u64 = "chunk", "262144", OptKind::Int { min: 1_000, max: 100_000_000 },
            "counters handed out at a time",
            modes("threads-gil", "threads", "processes", "threads-gil-4k");
    }
}

/// The notes' hash challenge, on one loop, threads or processes.
pub struct Hash;

impl Example for Hash {
    type Mode = Mode;
    type Options = HashOptions;
    type Output = HashOutput;
    const NAME: &'static str = "hash";
    const TITLE: &'static str = "The hash challenge on N workers";

    fn pane(_: Mode) -> PaneKind {
        PaneKind::HashRace
    }

    fn start(mode: Mode, options: HashOptions, ctx: RunCtx) -> Work<HashOutput> {
        Work::Thread(Box::new(move || {
            run(mode, &options, &ctx.tracer, &ctx.control)
        }))
    }
}

/// What a search found.
#[derive(Debug, Clone, Serialize)]
pub struct HashOutput {
    pub nonce: Option<u64>,
    pub digest: Option<String>,
    pub hashes: u64,
    pub rate_hps: f64,
    pub seconds: f64,
    pub workers: usize,
    pub mode: &'static str,
    pub message: String,
    /// Bytes hashed per counter.
    pub input_bytes: usize,
    pub prefix: String,
    pub chunk: u64,
}

impl super::Output for HashOutput {
    fn summary(&self) -> String {
        let found = match self.nonce {
            Some(n) => format!("nonce {n}"),
            None => "no nonce".into(),
        };
        format!(
            "{found} after {} hashes in {:.2} s ({:.2} M hashes/s)",
            self.hashes,
            self.seconds,
            self.rate_hps / 1e6
        )
    }
}

/// Runs the search in the chosen mode; the result holds the nonce.
pub fn run(
    mode: Mode,
    options: &HashOptions,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<HashOutput> {
    let prefix = Prefix::parse(&options.prefix).map_err(anyhow::Error::msg)?;
    let workers = match mode {
        Mode::Sequential => 1,
        _ => options.workers.clamp(1, 64),
    };
    let chunk = options.chunk.max(1);
    let wide = mode == Mode::ThreadsGil4k;
    let job = Job::new(&options.message, prefix, chunk).wide(wide);
    let say = |text: String| tracer.emit(0, EventKind::Output { text });

    say(format!(
        "challenge({:?}, prefix={:?}): {}, chunks of {chunk} counters",
        job.message,
        job.prefix.hex(),
        mode.workers(workers),
    ));
    let blocks = if wide {
        Wide::blocks_per_hash()
    } else {
        Challenge::new(job.message.as_bytes()).blocks_per_hash()
    };
    let rate = calibrate() / blocks as f64;
    let per_sec = if rate >= 1e6 {
        format!("{:.1} M", rate / 1e6)
    } else {
        format!("{:.0} k", rate / 1e3)
    };
    say(format!(
        "expected: 16^{} = {} hashes, about {} on one core here ({per_sec} hashes/s)",
        job.prefix.len(),
        job.prefix.expected_hashes(),
        human(estimate(&job.prefix, rate)),
    ));
    if wide {
        say(format!(
            "inputs of {INPUT_BYTES} bytes ({:?} repeated, then the counter): hashlib lets go of the GIL while it hashes; a thread takes it back after every {WIDE_BATCH} hashes",
            job.message
        ));
    }
    if matches!(mode, Mode::ThreadsGil | Mode::ThreadsGil4k) {
        say(format!(
            "the threads share one GIL, handed over every {} ms as CPython's sys.getswitchinterval()",
            crate::runtime::gil::DEFAULT_SWITCH_INTERVAL.as_millis()
        ));
    }
    let found = search(mode, &job, workers, tracer, control)
        .with_context(|| format!("hash --mode {}", mode.name()))?;

    // Nonces are counters, below 2^32 (`sha::COUNTERS`).
    let digest = found.nonce.and_then(|n| u32::try_from(n).ok()).map(|n| {
        let bytes = if wide {
            Wide::new(job.message.as_bytes()).digest(n)
        } else {
            Challenge::new(job.message.as_bytes()).digest(n)
        };
        bytes.iter().fold(String::new(), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
    });
    match (found.nonce, &digest) {
        (Some(n), Some(hex)) => {
            say(n.to_string());
            let data = if wide {
                format!("({:?} * {INPUT_BYTES})[:{}]", job.message, INPUT_BYTES - 4)
            } else {
                format!("{:?}", job.message)
            };
            say(format!("sha256({data} + pack(\"<I\", {n})) = {hex}"));
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
    Ok(HashOutput {
        nonce: found.nonce,
        digest,
        hashes: found.hashes,
        rate_hps: found.rate_hps().round(),
        seconds: found.elapsed.as_secs_f64(),
        workers,
        mode: Modes::name(mode),
        message: job.message.clone(),
        input_bytes: if wide {
            INPUT_BYTES
        } else {
            job.message.len() + 4
        },
        prefix: job.prefix.hex(),
        chunk,
    })
}

#[cfg(test)]
mod tests;
