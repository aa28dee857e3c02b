//! The figures of `racecourse bench download`: the notes' 160 downloads at
//! 100 ms latency in each mode, then 10,000 concurrent async requests with
//! the process's peak memory.

use std::time::Duration;

use tokio::sync::mpsc::error::TryRecvError;

use anyhow::Context as _;

use crate::demos::download::{self, DownloadOptions, DownloadOutput, Mode};
use crate::demos::{Modes, Options};
use crate::runtime::Control;
use crate::trace::Tracer;
use crate::trace::fold::RunState;

/// Latency of every benchmark request, as in the reference figures.
const LATENCY_MS: &str = "100";

/// One example run folded into pane state, as the app would hold it.
pub struct Folded {
    pub result: DownloadOutput,
    pub state: RunState,
}

/// Runs `download` with these options while another thread folds its
/// events into a [`RunState`] (what the app's pane keeps).
pub fn run_folded(mode: &str, opts: &[(&str, &str)]) -> anyhow::Result<Folded> {
    let mode = Mode::ALL
        .iter()
        .copied()
        .find(|m| m.name() == mode)
        .with_context(|| format!("download has no mode `{mode}`"))?;
    let mut options = DownloadOptions::default();
    for (k, v) in opts {
        options.set(k, v);
    }
    let (tracer, mut rx) = Tracer::new();
    let folder = std::thread::Builder::new()
        .name("bench-fold".into())
        .spawn(move || {
            // Drained in batches, as a frame loop would: waiting on every
            // event would cost a thread wake-up each.
            let mut state = RunState::new();
            loop {
                match rx.try_recv() {
                    Ok(ev) => state.apply(&ev),
                    Err(TryRecvError::Empty) => std::thread::sleep(Duration::from_millis(5)),
                    Err(TryRecvError::Disconnected) => return state,
                }
            }
        })
        .context("starting the folding thread")?;
    let result = download::run(mode, &options, &tracer, &Control::new());
    drop(tracer);
    let state = folder
        .join()
        .map_err(|_| anyhow::anyhow!("the folding thread panicked"))?;
    let result = result.with_context(|| format!("download --mode {}", mode.name()))?;
    Ok(Folded { result, state })
}

/// The process's peak resident memory so far, in MiB (`VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The benchmark's `key: value` lines, headline last; `frames` gets the pane state of the 10,000-request
/// run (for the UI's frame-time figures) and its lines go before the
/// headline.
pub fn bench_download_with(
    frames: impl FnOnce(&RunState) -> anyhow::Result<Vec<(String, String)>>,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut lines = Vec::new();
    let mut line = |k: &str, v: String| lines.push((k.to_string(), v));
    let base = [("count", "160"), ("latency", LATENCY_MS)];
    let sync = run_folded("sync", &base)?;
    line("download_160_sync_s", secs(&sync));
    let threads = run_folded("threads", &[base[0], base[1], ("workers", "10")])?;
    line("download_160_threads10_s", secs(&threads));
    let asyncio = run_folded("async", &base)?;
    line("download_160_async_s", secs(&asyncio));
    let big = run_folded("async", &[("count", "10000"), ("latency", LATENCY_MS)])?;
    line("async_10000_s", secs(&big));
    line(
        "async_10000_completed",
        format!("{} ok, {} failed", big.result.downloaded, big.result.failed),
    );
    line(
        "async_10000_units_folded",
        big.state.units.len().to_string(),
    );
    let rss = peak_rss_mib().map_or("unknown".into(), |m| format!("{m:.1} MiB"));
    line("peak_rss", rss);
    lines.extend(frames(&big.state)?);
    let speedup = seconds(&sync) / seconds(&asyncio).max(1e-9);
    lines.push(("speedup_async_vs_sync_160".into(), format!("{speedup:.0}x")));
    Ok(lines)
}

fn seconds(f: &Folded) -> f64 {
    f.result.seconds
}

fn secs(f: &Folded) -> String {
    format!("{:.3}", seconds(f))
}
