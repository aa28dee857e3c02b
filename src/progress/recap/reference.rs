//! The build machine's figures, for the cells a learner has not run yet.
//!
//! The waiting rows were measured for this table with the release binary,
//! headless, on the 2-core build machine on 2026-12-01 between 15:41 and
//! 15:43 UTC, while other builds loaded it (load average 18–20): the best
//! of two runs of `racecourse run EXAMPLE --mode MODE [OPTIONS] --json`,
//! its `wall_ms` and the sum of its lanes' `done`. Waits need no CPU, so
//! the load cost them little (three-ways' threads: 1.23 s against the
//! 1.01 s its chapter measured on a quieter machine).
//!
//! The computing rows could not be measured that way: under that load the
//! same sequential hash search took 6.7 to 26 s, threads "beat" it, and
//! no ratio meant anything. They are the figures the chapters themselves
//! quote, measured on the same machine earlier that day: the chart table
//! of `lessons/70-cpu-gil.md` ("Reading the chart": 17.3, 17.1, 33.5 and
//! 32.8 M hashes/s for 41,355,128 hashes) and the best runs quoted by
//! `lessons/30-three-ways.md` ("Computing: the GIL decides": 0.48 s on two
//! threads with the GIL, 0.25 s on two processes). The event loop's CPU
//! run has no quiet measurement, so that cell waits for the learner's.

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

/// Wall µs of `HASHES` at `m` million hashes per second.
const fn at_rate(m_per_s_tenths: u64) -> u64 {
    HASHES * 10 / m_per_s_tenths
}

pub(super) const MEASURED: &[Measured] = &[
    // Measured for this table (see above).
    ("three-ways", "threads", IO8, 1_226_882, 0),
    ("three-ways", "async", IO8, 504_144, 0),
    ("three-ways", "processes", IO8, 1_024_666, 0),
    ("download", "sync", DL, 17_116_975, 875_280),
    (
        "download",
        "threads",
        &[("count", "160"), ("latency", "100"), ("workers", "10")],
        1_777_223,
        875_280,
    ),
    (
        "download",
        "async",
        &[("count", "160"), ("latency", "100"), ("workers", "0")],
        214_265,
        875_280,
    ),
    // Quoted by the chapters (see above).
    ("three-ways", "threads", CPU4, 480_000, 8_000_000),
    ("three-ways", "processes", CPU4, 250_000, 8_000_000),
    ("hash", "sequential", HASH, at_rate(173), HASHES),
    ("hash", "threads-gil", HASH, at_rate(171), HASHES),
    ("hash", "threads", HASH, at_rate(335), HASHES),
    ("hash", "processes", HASH, at_rate(328), HASHES),
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
