//! Latency and injected failures, chosen per request.
//!
//! A request's query may force them (`?latency=MS&jitter=MS&fail=500|drop|slow`)
//! so that tests and lessons can show one on purpose; otherwise the server's
//! `fail_rate` picks one of the three kinds at random.

use std::time::Duration;

/// The longest latency a query may ask for, so a typo cannot park a
/// connection for hours.
pub const MAX_QUERY_LATENCY: Duration = Duration::from_secs(60);

/// A way for the server to misbehave on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer `500 Internal Server Error` with a JSON body.
    Error500,
    /// Answer correctly, but only after the server's `slow` delay (longer
    /// than a client's usual timeout).
    Slow,
    /// Close the connection without answering.
    Drop,
}

impl Fault {
    /// Every kind, in the order a random pick uses.
    pub const ALL: [Fault; 3] = [Fault::Error500, Fault::Slow, Fault::Drop];

    /// The name used in `?fail=`.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Error500 => "500",
            Fault::Slow => "slow",
            Fault::Drop => "drop",
        }
    }
}

/// What a request's query asks of the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub latency: Option<Duration>,
    pub jitter: Option<Duration>,
    /// `Some(None)` is `fail=none`: no fault, whatever the fail rate.
    pub fault: Option<Option<Fault>>,
}

/// Reads `latency`, `jitter` and `fail` from a query string; other keys are
/// ignored (pokeapi clients send their own).
pub fn parse_query(query: &str) -> Result<Overrides, String> {
    let mut o = Overrides::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "latency" => o.latency = Some(millis(key, value)?),
            "jitter" => o.jitter = Some(millis(key, value)?),
            "fail" => {
                o.fault = Some(match value {
                    "none" | "" => None,
                    "500" | "error" => Some(Fault::Error500),
                    "slow" => Some(Fault::Slow),
                    "drop" => Some(Fault::Drop),
                    other => {
                        return Err(format!("fail={other}: expected 500, slow, drop or none"));
                    }
                })
            }
            _ => {}
        }
    }
    Ok(o)
}

fn millis(key: &str, value: &str) -> Result<Duration, String> {
    let ms: u64 = value
        .parse()
        .map_err(|_| format!("{key}={value}: expected whole milliseconds"))?;
    let d = Duration::from_millis(ms);
    if d > MAX_QUERY_LATENCY {
        return Err(format!(
            "{key}={value}: at most {} ms",
            MAX_QUERY_LATENCY.as_millis()
        ));
    }
    Ok(d)
}

/// The delay and fault for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub delay: Duration,
    pub fault: Option<Fault>,
}

/// Decides one request's delay (latency plus uniform jitter) and fault.
pub fn plan(
    latency: Duration,
    jitter: Duration,
    fail_rate: f64,
    o: &Overrides,
    rng: &mut fastrand::Rng,
) -> Plan {
    let latency = o.latency.unwrap_or(latency);
    let jitter = o.jitter.unwrap_or(jitter);
    let extra = rng.u64(0..=jitter.as_micros().min(u64::MAX as u128) as u64);
    let fault = match o.fault {
        Some(forced) => forced,
        None if fail_rate > 0.0 && rng.f64() < fail_rate => rng.choice(Fault::ALL),
        None => None,
    };
    Plan {
        delay: latency + Duration::from_micros(extra),
        fault,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_force_latency_and_faults() {
        let o = parse_query("latency=250&fail=drop&limit=20").unwrap();
        assert_eq!(o.latency, Some(Duration::from_millis(250)));
        assert_eq!(o.fault, Some(Some(Fault::Drop)));
        assert_eq!(parse_query("fail=none").unwrap().fault, Some(None));
        assert!(parse_query("latency=abc").is_err());
        assert!(parse_query("latency=999999").is_err());
        assert!(parse_query("fail=teapot").unwrap_err().contains("teapot"));
        assert_eq!(parse_query("").unwrap(), Overrides::default());
    }

    #[test]
    fn plans_add_jitter_within_bounds_and_follow_the_fail_rate() {
        let mut rng = fastrand::Rng::with_seed(1);
        let none = Overrides::default();
        let (lat, jit) = (Duration::from_millis(100), Duration::from_millis(20));
        let mut faults = [0usize; 3];
        for _ in 0..3000 {
            let p = plan(lat, jit, 0.5, &none, &mut rng);
            assert!(p.delay >= lat && p.delay <= lat + jit);
            if let Some(f) = p.fault {
                faults[Fault::ALL.iter().position(|x| *x == f).unwrap()] += 1;
            }
        }
        let total: usize = faults.iter().sum();
        assert!((1200..1800).contains(&total), "{faults:?}");
        assert!(faults.iter().all(|&n| n > 300), "{faults:?}");
        let p = plan(lat, jit, 0.0, &none, &mut rng);
        assert_eq!(p.fault, None);
        let forced = parse_query("fail=500&latency=0&jitter=0").unwrap();
        let p = plan(lat, jit, 0.0, &forced, &mut rng);
        assert_eq!(
            p,
            Plan {
                delay: Duration::ZERO,
                fault: Some(Fault::Error500)
            }
        );
        let calm = parse_query("fail=none").unwrap();
        assert_eq!(plan(lat, jit, 1.0, &calm, &mut rng).fault, None);
    }

    #[test]
    fn the_same_seed_plans_the_same_faults() {
        let none = Overrides::default();
        let (lat, jit) = (Duration::from_millis(10), Duration::from_millis(50));
        let plans = |seed| {
            let mut rng = fastrand::Rng::with_seed(seed);
            (0..50)
                .map(|_| plan(lat, jit, 0.3, &none, &mut rng))
                .collect::<Vec<_>>()
        };
        assert_eq!(plans(7), plans(7));
        assert_ne!(plans(7), plans(8));
    }
}
