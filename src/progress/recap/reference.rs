//! The build machine's figures, for the cells a learner has not run yet.
//!
//! Every row was measured for this table with the release binary,
//! headless, on the 2-core build machine on 2026-12-01 at 19:49 UTC, with
//! nothing else running (load average under 1): the best of two runs of
//! `racecourse run EXAMPLE --mode MODE [OPTIONS] --json`, its `wall_ms`,
//! and the units done (the hashes needed, or the bytes downloaded). The
//! script that ran them is `lessons/python/recap_reference.py`.

use crate::demos::DemoRequest;
use crate::progress::SavedRun;

/// When and where the figures below were measured.
pub const MEASURED_ON: &str = "build machine, 2026-12-01";

/// (example, mode, options set, wall µs, units done; 0: not counted).
type Measured = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    u64,
    u64,
);

const IO8: &[(&str, &str)] = &[("workload", "io"), ("tasks", "8"), ("workers", "4")];
const CPU4: &[(&str, &str)] = &[
    ("workload", "cpu"),
    ("tasks", "4"),
    ("workers", "2"),
    ("hashes", "2000000"),
];
const DL: &[(&str, &str)] = &[("count", "160"), ("latency", "100")];
const HASH: &[(&str, &str)] = &[("prefix", "000000"), ("workers", "2")];
/// Hashes up to and including the nonce for `000000`.
const HASHES: u64 = 41_355_128;

pub(super) const MEASURED: &[Measured] = &[
    ("three-ways", "threads", IO8, 1_011_800, 0),
    ("three-ways", "async", IO8, 502_400, 0),
    ("three-ways", "processes", IO8, 1_014_000, 0),
    ("download", "sync", DL, 16_258_200, 875_280),
    (
        "download",
        "threads",
        &[("count", "160"), ("latency", "100"), ("workers", "10")],
        1_645_000,
        875_280,
    ),
    (
        "download",
        "async",
        &[("count", "160"), ("latency", "100"), ("workers", "0")],
        133_000,
        875_280,
    ),
    ("three-ways", "threads", CPU4, 522_600, 8_000_000),
    ("three-ways", "async", CPU4, 493_700, 8_000_000),
    ("three-ways", "processes", CPU4, 283_600, 8_000_000),
    ("hash", "sequential", HASH, 2_540_700, HASHES),
    ("hash", "threads-gil", HASH, 2_761_200, HASHES),
    ("hash", "threads", HASH, 1_381_600, HASHES),
    ("hash", "processes", HASH, 1_445_800, HASHES),
];

/// The build machine's runs, as the learner's would be saved.
pub fn reference_runs() -> Vec<SavedRun> {
    MEASURED
        .iter()
        .filter_map(|&(example, mode, options, wall_us, done)| {
            let mut req = DemoRequest::new(example).ok()?;
            req.set_mode(mode).ok()?;
            for (k, v) in options {
                req.set(k, v).ok()?;
            }
            Some(SavedRun::of_request(&req, wall_us, done, 0))
        })
        .collect()
}
