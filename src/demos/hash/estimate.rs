//! How long a search should take on this machine, shown before a run.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::sha::{BATCH, Challenge, Prefix};

/// The calibration times a few short slices and keeps the fastest: a
/// slice in which the thread was preempted says nothing about the CPU.
const SLICE: Duration = Duration::from_millis(8);
const SLICES: usize = 5;

/// Expected time to find a nonce: 16^len hashes at `rate_hps` hashes/s.
///
/// A rate that is not a positive number gives [`Duration::MAX`].
pub fn estimate(prefix: &Prefix, rate_hps: f64) -> Duration {
    if rate_hps.is_nan() || rate_hps <= 0.0 {
        return Duration::MAX;
    }
    Duration::try_from_secs_f64(prefix.expected_hashes() / rate_hps).unwrap_or(Duration::MAX)
}

/// A duration as a person reads an estimate: "40 ms", "1.8 s", "7.4 min",
/// "2.1 h"; [`Duration::MAX`] reads "forever".
pub fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if d == Duration::MAX {
        "forever".into()
    } else if s < 1.0 {
        format!("{:.0} ms", s * 1000.0)
    } else if s < 120.0 {
        format!("{s:.1} s")
    } else if s < 7200.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

/// Hashes per second of one core on a one-block message, measured once
/// (the best of five 8 ms slices) and cached for the life of the process.
///
/// A message whose tail needs two blocks
/// ([`Challenge::blocks_per_hash`]) runs at about half this rate.
pub fn calibrate() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| (0..SLICES).map(|_| measure(SLICE)).fold(0.0, f64::max))
}

/// Hashes per second of the search loop on the calling thread over `span`.
fn measure(span: Duration) -> f64 {
    let challenge = Challenge::new(b"hello world");
    // Sixteen zeros: in practice never found, so the loop runs the whole time.
    let never = Prefix::parse("0000000000000000").expect("a constant, valid prefix");
    // One batch first so that page faults and CPU feature detection are
    // not in the figure.
    challenge.search(&never, 0..BATCH, &mut |_| true);
    let start = Instant::now();
    let mut hashes = 0;
    let mut next = BATCH;
    while start.elapsed() < span {
        hashes += challenge
            .search(&never, next..next + BATCH, &mut |_| true)
            .hashes;
        next += BATCH;
    }
    hashes as f64 / start.elapsed().as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_divides_expected_hashes_by_rate() {
        let p = Prefix::parse("0000").unwrap();
        assert_eq!(estimate(&p, 65536.0), Duration::from_secs(1));
        assert_eq!(estimate(&p, 0.0), Duration::MAX);
        assert_eq!(estimate(&p, f64::NAN), Duration::MAX);
        let p = Prefix::parse(&"0".repeat(64)).unwrap();
        assert_eq!(estimate(&p, 1e-300), Duration::MAX);
    }

    #[test]
    fn durations_read_in_sensible_units() {
        let ms = Duration::from_millis;
        assert_eq!(human(ms(7)), "7 ms");
        assert_eq!(human(ms(1800)), "1.8 s");
        assert_eq!(human(ms(444_000)), "7.4 min");
        assert_eq!(human(ms(7_560_000)), "2.1 h");
        assert_eq!(human(Duration::MAX), "forever");
    }

    #[test]
    fn calibration_is_positive_and_cached() {
        let a = calibrate();
        assert!(a.is_finite() && a > 0.0);
        assert_eq!(calibrate().to_bits(), a.to_bits());
    }
}
