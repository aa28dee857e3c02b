//! `racecourse bench NAME`: measured figures as `key: value` lines, the
//! headline figure last.

mod download;
pub mod frame;
mod frame_states;
pub mod hash;
mod latency;
mod lesson;
pub mod pty;
mod queue_state;
mod startup;

/// The benchmarks there are.
pub const NAMES: [&str; 6] = ["startup", "hash", "latency", "download", "frame", "lesson"];

/// Runs one benchmark and prints its figures.
pub fn run(name: &str) -> anyhow::Result<i32> {
    let lines: Vec<(String, String)> = match name {
        "startup" => startup::bench_startup()?,
        "hash" => hash::bench_hash()?,
        "latency" => latency::bench_latency()?,
        "download" => download::bench_download_with(frame::waterfall_frames)?,
        "frame" => frame::bench_frame()?,
        "lesson" => lesson::bench_lesson()?,
        other => anyhow::bail!(
            "unknown benchmark `{other}`{} (benchmarks: {})",
            crate::suggest::hint(other, NAMES),
            NAMES.join(", ")
        ),
    };
    for (k, v) in lines {
        crate::out!("{k}: {v}");
    }
    Ok(0)
}
