//! The button pane's live side: clicks, their latency, and the two search
//! modes that must run on the UI's own thread (blocking, cooperative).

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use crate::demos::button::{ButtonSearch, SearchEnd};
use crate::demos::hash::Prefix;
use crate::demos::{self, DemoRequest};
use crate::runtime::Control;
use crate::trace::{EventKind, Tracer};

/// How long the blocking mode may freeze the screen at most.
pub const FREEZE_LIMIT: Duration = demos::button::BLOCKING_LIMIT;

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

fn search_of(req: &DemoRequest, tracer: &Tracer, lane_name: &str) -> Result<ButtonSearch, String> {
    let prefix = Prefix::parse(req.text("prefix"))?;
    tracer.emit(
        0,
        EventKind::LaneUp {
            name: lane_name.into(),
            pid: None,
            role: if lane_name == "event loop" {
                crate::trace::LaneRole::EventLoop
            } else {
                crate::trace::LaneRole::Main
            },
        },
    );
    Ok(ButtonSearch::new(req.text("message"), prefix, tracer, 0))
}

fn result_of(end: SearchEnd, mode: &str) -> Result<serde_json::Value, String> {
    if !end.complete {
        return Err(format!(
            "stopped after {:.1} s without a nonce ({} hashes): the freeze is capped",
            end.elapsed.as_secs_f64(),
            end.hashes
        ));
    }
    Ok(serde_json::json!({
        "nonce": end.nonce, "hashes": end.hashes, "yields": end.yields,
        "rate_hps": end.rate_hps(), "mode": mode,
    }))
}

/// The blocking mode: searches on the calling (UI) thread until found or
/// [`FREEZE_LIMIT`] worth of hashes is spent. Nothing else runs meanwhile.
pub fn search_blocking(req: &DemoRequest, tracer: &Tracer) -> Result<serde_json::Value, String> {
    let search = search_of(req, tracer, "UI thread")?;
    let end = search
        .run_to_end(demos::button::blocking_budget(), &Control::new())
        .map_err(|e| e.to_string())?;
    result_of(end, "blocking")
}

/// The cooperative mode: a task on the UI's own event loop that searches
/// `yield_every` hashes, then yields so the loop can serve keys and frames.
pub async fn search_cooperative(
    req: DemoRequest,
    tracer: Tracer,
    control: Control,
    yield_every: Arc<AtomicU64>,
) -> Result<serde_json::Value, String> {
    let search = search_of(&req, &tracer, "event loop")?;
    let end = search
        .run_cooperative(&yield_every, &control)
        .await
        .map_err(|e| e.to_string())?;
    result_of(end, "cooperative")
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
