//! The button pane's live side: clicks, their latency, and the two search
//! modes that must run on the UI's own thread (blocking, cooperative).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::demos::DemoRequest;
use crate::demos::hash::{Challenge, Prefix};
use crate::runtime::Control;
use crate::trace::{EventKind, Tracer};

/// How long the blocking mode may freeze the screen at most.
pub const FREEZE_LIMIT: Duration = Duration::from_secs(4);

/// Clicks and what the learner felt of them.
#[derive(Debug, Default)]
pub struct ButtonState {
    pub clicks: u64,
    /// Clicks taken into account but not yet on a frame: (arrived, counted).
    unshown: Vec<Instant>,
    /// Key-to-frame latency of every click of this run, in ms.
    pub latencies: Vec<f64>,
    pub last_click: Option<Instant>,
    /// The blocking mode waits for one frame (its warning) before freezing.
    pub blocking_armed: bool,
    /// After a blocking run: how long the screen froze.
    pub froze_for: Option<Duration>,
    /// Hashes between yields in cooperative mode, changed live.
    pub yield_every: Arc<AtomicU64>,
}

impl ButtonState {
    /// A fresh state with `k` hashes between yields.
    pub fn new(k: u64) -> ButtonState {
        ButtonState {
            yield_every: Arc::new(AtomicU64::new(k.max(1))),
            ..ButtonState::default()
        }
    }

    /// A click that arrived at `at`.
    pub fn press(&mut self, at: Instant) {
        self.clicks += 1;
        self.unshown.push(at);
        self.last_click = Some(at);
    }

    /// A frame showing every click so far is on screen now.
    pub fn frame_shown(&mut self, now: Instant) {
        for at in self.unshown.drain(..) {
            self.latencies
                .push(now.saturating_duration_since(at).as_secs_f64() * 1000.0);
        }
        if self.latencies.len() > 100_000 {
            self.latencies.drain(..50_000);
        }
    }

    /// Whether clicks still wait for a frame.
    pub fn has_unshown(&self) -> bool {
        !self.unshown.is_empty()
    }

    /// Latency figures: last, p50, p99 and max in ms.
    pub fn stats(&self) -> Option<LatencyStats> {
        let last = *self.latencies.last()?;
        let mut v = self.latencies.clone();
        v.sort_by(f64::total_cmp);
        let pick = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        Some(LatencyStats {
            last,
            p50: pick(0.5),
            p99: pick(0.99),
            max: v[v.len() - 1],
            n: v.len(),
        })
    }

    /// Clears the figures for a new run, keeping the click count.
    pub fn new_run(&mut self) {
        self.latencies.clear();
        self.unshown.clear();
        self.froze_for = None;
        self.blocking_armed = false;
    }
}

/// This machine's one-core hash rate, measured on a helper thread the first
/// time it is asked for (about 30 ms), so no frame ever waits for it.
pub fn measured_rate() -> Option<f64> {
    static RATE: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    static STARTED: std::sync::Once = std::sync::Once::new();
    if let Some(r) = RATE.get() {
        return Some(*r);
    }
    STARTED.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("calibrate".into())
            .spawn(|| {
                let _ = RATE.set(crate::demos::hash::calibrate());
            });
    });
    None
}

/// Summary of click latencies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyStats {
    pub last: f64,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub n: usize,
}

fn challenge_of(req: &DemoRequest) -> Result<(Challenge, Prefix), String> {
    let prefix = Prefix::parse(req.text("prefix"))?;
    Ok((Challenge::new(req.text("message").as_bytes()), prefix))
}

/// The blocking mode: searches on the calling (UI) thread until found or
/// [`FREEZE_LIMIT`] has passed. Nothing else runs meanwhile.
pub fn search_blocking(req: &DemoRequest, tracer: &Tracer) -> Result<serde_json::Value, String> {
    let (challenge, prefix) = challenge_of(req)?;
    tracer.emit(
        0,
        EventKind::LaneUp {
            name: "UI thread".into(),
            pid: None,
        },
    );
    let unit = tracer.next_unit();
    tracer.emit(
        0,
        EventKind::Spawned {
            unit,
            label: "challenge()".into(),
        },
    );
    tracer.emit(0, EventKind::Started { unit });
    let start = Instant::now();
    let mut next = 0u64;
    loop {
        let r = challenge.search(&prefix, next..next + (1 << 20), &mut |_| true);
        next += r.hashes;
        tracer.emit(0, EventKind::Progress { unit, done: next });
        if let Some(nonce) = r.found {
            tracer.emit(
                0,
                EventKind::Finished {
                    unit,
                    value: nonce.to_string(),
                },
            );
            return Ok(serde_json::json!({ "nonce": nonce, "hashes": next, "mode": "blocking" }));
        }
        if start.elapsed() >= FREEZE_LIMIT || r.hashes == 0 {
            tracer.emit(0, EventKind::Cancelled { unit });
            return Err(format!(
                "stopped after {:.1} s without a nonce ({next} hashes): the freeze is capped",
                FREEZE_LIMIT.as_secs_f64()
            ));
        }
    }
}

/// The cooperative mode: a task on the UI's own event loop that searches
/// `yield_every` hashes, then yields so the loop can serve keys and frames.
pub async fn search_cooperative(
    req: DemoRequest,
    tracer: Tracer,
    control: Control,
    yield_every: Arc<AtomicU64>,
) -> Result<serde_json::Value, String> {
    let (challenge, prefix) = challenge_of(&req)?;
    tracer.emit(
        0,
        EventKind::LaneUp {
            name: "event loop".into(),
            pid: None,
        },
    );
    let unit = tracer.next_unit();
    tracer.emit(
        0,
        EventKind::Spawned {
            unit,
            label: "search task".into(),
        },
    );
    tracer.emit(0, EventKind::Started { unit });
    let mut next = 0u64;
    let mut reported = 0u64;
    let mut yields = 0u64;
    while next < crate::demos::hash::COUNTERS {
        let k = yield_every.load(Ordering::Relaxed).max(1);
        let r = challenge.search(&prefix, next..next + k, &mut |_| true);
        next += r.hashes;
        if let Some(nonce) = r.found {
            tracer.emit(0, EventKind::Progress { unit, done: next });
            tracer.emit(
                0,
                EventKind::Finished {
                    unit,
                    value: nonce.to_string(),
                },
            );
            return Ok(serde_json::json!({
                "nonce": nonce, "hashes": next, "yields": yields, "mode": "cooperative"
            }));
        }
        // Progress events are batched: one per 64 k hashes at most.
        if next - reported >= 1 << 16 {
            tracer.emit(0, EventKind::Progress { unit, done: next });
            reported = next;
        }
        if control.checkpoint_async(0).await.is_err() {
            tracer.emit(0, EventKind::Cancelled { unit });
            return Err("interrupted (KeyboardInterrupt)".into());
        }
        yields += 1;
        tokio::task::yield_now().await;
    }
    tracer.emit(
        0,
        EventKind::Finished {
            unit,
            value: "none".into(),
        },
    );
    Ok(serde_json::json!({ "nonce": null, "hashes": next, "mode": "cooperative" }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_measured_from_arrival_to_frame() {
        let mut b = ButtonState::new(100);
        let t0 = Instant::now();
        b.press(t0);
        b.press(t0 + Duration::from_millis(5));
        b.frame_shown(t0 + Duration::from_millis(10));
        let s = b.stats().unwrap();
        assert_eq!(s.n, 2);
        assert!((s.max - 10.0).abs() < 0.01);
        assert!((s.last - 5.0).abs() < 0.01);
        assert_eq!(b.clicks, 2);
        assert!(!b.has_unshown());
    }

    #[test]
    fn cooperative_search_finds_the_notes_nonce() {
        let mut req = DemoRequest::new("button").unwrap();
        req.set("prefix", "0000").unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (tracer, _rx) = Tracer::new();
        let v = rt
            .block_on(search_cooperative(
                req,
                tracer,
                Control::new(),
                Arc::new(AtomicU64::new(1000)),
            ))
            .unwrap();
        assert_eq!(v["nonce"], 61130);
        assert!(v["yields"].as_u64().unwrap() >= 61);
    }
}
