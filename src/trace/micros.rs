//! Whole microseconds: the unit of the trace's clock.
//!
//! Conversions between µs, ms, seconds and `f64` live here, once, instead of
//! as `as` casts wherever a time is stored, summed or shown.

use std::fmt;
use std::ops::{Add, AddAssign};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// A span of time in whole microseconds, or a time since a run began.
///
/// Serialises as a bare number, so a `t_us` field on the wire stays one.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Micros(u64);

impl Micros {
    /// No time at all.
    pub const ZERO: Micros = Micros(0);
    /// The longest span there is; longer durations saturate to it.
    pub const MAX: Micros = Micros(u64::MAX);

    /// `us` microseconds.
    pub const fn from_us(us: u64) -> Micros {
        Micros(us)
    }

    /// `ms` milliseconds, saturating.
    pub const fn from_ms(ms: u64) -> Micros {
        Micros(ms.saturating_mul(1000))
    }

    /// A [`Duration`], truncated to whole microseconds and saturating.
    pub fn from_duration(d: Duration) -> Micros {
        Micros(u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
    }

    /// Milliseconds as a float, rounded to the microsecond; negative or
    /// not-a-number figures are no time, huge ones saturate.
    pub fn from_ms_f64(ms: f64) -> Micros {
        match Duration::try_from_secs_f64(ms / 1000.0) {
            Ok(d) => Micros::from_duration(d + Duration::from_nanos(500)),
            Err(_) if ms > 0.0 => Micros::MAX,
            Err(_) => Micros::ZERO,
        }
    }

    /// The time since `start`.
    pub fn since(start: Instant) -> Micros {
        Micros::from_duration(start.elapsed())
    }

    /// The count of microseconds.
    pub const fn as_us(self) -> u64 {
        self.0
    }

    /// Whole milliseconds, rounded down.
    pub const fn as_whole_ms(self) -> u64 {
        self.0 / 1000
    }

    /// The same span as a [`Duration`].
    pub const fn as_duration(self) -> Duration {
        Duration::from_micros(self.0)
    }

    /// Milliseconds as a float, for figures people read and JSON reports.
    pub fn as_ms_f64(self) -> f64 {
        // Exact below 2^53 µs (285 years).
        self.0 as f64 / 1e3
    }

    /// Seconds as a float, for figures people read.
    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }

    /// How many of `count` happen per second over this span (zero over no
    /// time at all).
    pub fn per_sec(self, count: u64) -> f64 {
        if self.0 == 0 {
            0.0
        } else {
            count as f64 * 1e6 / self.0 as f64
        }
    }

    /// How many of something that happens `per_sec` times a second happen
    /// over this span, rounded down (zero for a negative or unknown rate).
    pub fn count_at(self, per_sec: f64) -> u64 {
        whole(per_sec * self.as_secs_f64())
    }

    /// The span from `earlier` to `self`, or zero if `earlier` is later.
    #[must_use]
    pub const fn saturating_sub(self, earlier: Micros) -> Micros {
        Micros(self.0.saturating_sub(earlier.0))
    }
}

/// A non-negative float rounded down to a count.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "`as` from a float saturates and maps NaN to 0, which a count wants"
)]
fn whole(x: f64) -> u64 {
    x as u64
}

impl Add for Micros {
    type Output = Micros;

    /// Saturating: a sum of spans never wraps.
    fn add(self, other: Micros) -> Micros {
        Micros(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Micros {
    fn add_assign(&mut self, other: Micros) {
        *self = *self + other;
    }
}

impl From<Duration> for Micros {
    fn from(d: Duration) -> Micros {
        Micros::from_duration(d)
    }
}

impl From<Micros> for Duration {
    fn from(m: Micros) -> Duration {
        m.as_duration()
    }
}

/// A count of microseconds, as the trace's `…_us` fields hold them.
impl From<u64> for Micros {
    fn from(us: u64) -> Micros {
        Micros(us)
    }
}

impl From<Micros> for u64 {
    fn from(m: Micros) -> u64 {
        m.0
    }
}

/// A figure a person reads: `850 µs`, `12.3 ms`, `4.56 s`.
impl fmt::Display for Micros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            us @ 0..1000 => write!(f, "{us} µs"),
            1000..1_000_000 => write!(f, "{:.1} ms", self.as_ms_f64()),
            _ => write!(f, "{:.2} s", self.as_secs_f64()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_without_losing_microseconds() {
        let m = Micros::from_duration(Duration::from_nanos(1_234_567_890));
        assert_eq!(m.as_us(), 1_234_567);
        assert_eq!(m.as_whole_ms(), 1234);
        assert!((m.as_ms_f64() - 1234.567).abs() < 1e-9);
        assert!((m.as_secs_f64() - 1.234_567).abs() < 1e-12);
        assert_eq!(m.as_duration(), Duration::from_micros(1_234_567));
        assert_eq!(Micros::from_ms(3), Micros::from_us(3000));
    }

    #[test]
    fn floats_of_milliseconds_round_to_the_microsecond() {
        assert_eq!(Micros::from_ms_f64(1234.567), Micros::from_us(1_234_567));
        assert_eq!(Micros::from_ms_f64(0.0004), Micros::ZERO);
        assert_eq!(Micros::from_ms_f64(0.0006), Micros::from_us(1));
        assert_eq!(Micros::from_ms_f64(-5.0), Micros::ZERO);
        assert_eq!(Micros::from_ms_f64(f64::NAN), Micros::ZERO);
        assert_eq!(Micros::from_ms_f64(f64::INFINITY), Micros::MAX);
        let back = Micros::from_ms_f64(Micros::from_us(98_765).as_ms_f64());
        assert_eq!(back, Micros::from_us(98_765));
    }

    #[test]
    fn arithmetic_saturates() {
        let a = Micros::from_us(10);
        let b = Micros::from_us(25);
        assert_eq!(b.saturating_sub(a), Micros::from_us(15));
        assert_eq!(a.saturating_sub(b), Micros::ZERO);
        assert_eq!(Micros::MAX + a, Micros::MAX);
        let mut sum = Micros::ZERO;
        sum += a;
        sum += b;
        assert_eq!(sum.as_us(), 35);
        assert_eq!(
            Micros::from_duration(Duration::MAX),
            Micros::MAX,
            "a duration past u64 µs saturates"
        );
    }

    #[test]
    fn rates_over_a_span() {
        assert!((Micros::from_ms(500).per_sec(100) - 200.0).abs() < 1e-9);
        assert!(Micros::ZERO.per_sec(100).abs() < f64::EPSILON);
        assert_eq!(Micros::from_ms(500).count_at(1e6), 500_000);
        assert_eq!(Micros::from_ms(500).count_at(-3.0), 0);
        assert_eq!(Micros::from_ms(500).count_at(f64::NAN), 0);
        assert_eq!(Micros::MAX.count_at(f64::INFINITY), u64::MAX);
    }

    #[test]
    fn shows_a_human_figure() {
        assert_eq!(Micros::from_us(850).to_string(), "850 µs");
        assert_eq!(Micros::from_us(12_345).to_string(), "12.3 ms");
        assert_eq!(Micros::from_us(4_561_000).to_string(), "4.56 s");
    }

    #[test]
    fn serialises_as_a_bare_number() {
        let json = serde_json::to_string(&Micros::from_us(42)).unwrap();
        assert_eq!(json, "42");
        let back: Micros = serde_json::from_str("42").unwrap();
        assert_eq!(back, Micros::from_us(42));
    }
}
