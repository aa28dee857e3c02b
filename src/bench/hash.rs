//! `racecourse bench hash`: the app's search loop against a bare `sha2`
//! loop in the same run, and its scaling on every core.
//!
//! Rates are taken as the best of several short rounds, the contenders
//! alternating, so that a neighbour's burst of work on a shared machine
//! lowers one round rather than one contender. Beside the wall-clock
//! figures, the same runs per second of CPU time (`*_per_cpu_s`,
//! `vs_bare_sha2_cpu`, `parallel_efficiency_cpu`) and the cores the
//! process was really given (`cores_given`) tell the loop's cost apart from
//! a busy machine.

mod loops;

use std::thread;
use std::time::Duration;

use anyhow::Context;

use crate::demos::Modes;
use crate::demos::hash::{self, BATCH, Job, Mode, Prefix};
use crate::runtime::Control;
use crate::trace::{Micros, Tracer};
use loops::{Best, bare_sha2, compress_only, threads_search, timed};

/// The notes' message.
const MESSAGE: &[u8] = b"hello world";

/// Sixteen zeros: in practice never found, so every loop runs its round.
const NEVER: &str = "0000000000000000";

/// Figures as `key: value` lines, the headline (`vs_bare_sha2`) last.
///
/// Worker processes run this very executable (`racecourse __worker`), so
/// call it from the `racecourse` binary.
pub fn bench_hash() -> anyhow::Result<Vec<(String, String)>> {
    bench_with(Duration::from_millis(500), 4, true)
}

/// The bench with `rounds` rounds of `round` per contender; the demo's
/// modes run in half as many rounds, processes only when asked.
fn bench_with(
    round: Duration,
    rounds: usize,
    processes: bool,
) -> anyhow::Result<Vec<(String, String)>> {
    let never = Prefix::parse(NEVER).map_err(anyhow::Error::msg)?;
    let cores = thread::available_parallelism()
        .context("cannot tell how many cores this machine has")?
        .get();

    let (mut bare, mut app, mut compress) = (Best::default(), Best::default(), Best::default());
    for r in 0..rounds {
        // Alternate who goes first: a clock that drifts during a round
        // then favours neither.
        if r % 2 == 0 {
            bare.keep(timed(|| Ok(bare_sha2(round)))?);
            app.keep(timed(|| threads_search(&never, 1, round))?);
        } else {
            app.keep(timed(|| threads_search(&never, 1, round))?);
            bare.keep(timed(|| Ok(bare_sha2(round)))?);
        }
        compress.keep(timed(|| Ok(compress_only(round / 2)))?);
    }

    let (mut one, mut all) = (app, Best::default());
    for r in 0..rounds {
        if r % 2 == 0 {
            all.keep(timed(|| threads_search(&never, cores, round))?);
        } else {
            one.keep(timed(|| threads_search(&never, 1, round))?);
        }
    }

    let modes = demo_modes(app.wall, cores, round, rounds.div_ceil(2), processes)?;

    let mhs = |r: f64| format!("{:.2}", r / 1e6);
    let scaling = all.wall / one.wall;
    let mut lines = vec![
        kv("message", String::from_utf8_lossy(MESSAGE)),
        kv(
            "rounds",
            format!("{rounds} x {} ms, best of each", round.as_millis()),
        ),
        kv("bare_sha2_mhs", mhs(bare.wall)),
        kv("sha2_compress_only_mhs", mhs(compress.wall)),
        kv("app_mhs", mhs(app.wall)),
        kv("bare_sha2_mhs_per_cpu_s", mhs(bare.cpu)),
        kv("app_mhs_per_cpu_s", mhs(app.cpu)),
        kv("vs_bare_sha2_cpu", format!("{:.3}", app.cpu / bare.cpu)),
        kv("cores", cores.to_string()),
        kv("one_thread_mhs", mhs(one.wall)),
        kv("all_threads_mhs", mhs(all.wall)),
        kv("per_core_mhs", mhs(all.wall / cores as f64)),
        kv("cores_given", format!("{:.2}", all.cores)),
        kv(
            "parallel_efficiency_cpu",
            format!("{:.3}", all.cpu / one.cpu),
        ),
        kv("scaling", format!("{scaling:.2}")),
        kv("scaling_per_core", format!("{:.3}", scaling / cores as f64)),
    ];
    lines.extend(modes);
    lines.push(kv("vs_bare_sha2", format!("{:.3}", app.wall / bare.wall)));
    Ok(lines)
}

/// The demo's own modes on `cores` workers, as `racecourse run hash` runs
/// them (ranges, futures, trace): rates and speed-ups against its
/// sequential mode. Each run is sized to take about `round`.
fn demo_modes(
    app_hps: f64,
    cores: usize,
    round: Duration,
    rounds: usize,
    processes: bool,
) -> anyhow::Result<Vec<(String, String)>> {
    let one_round = Micros::from_duration(round).count_at(app_hps);
    let rate = |mode: Mode, workers: usize| -> anyhow::Result<f64> {
        // The GIL lets one thread run at a time: size its run as one core's.
        let scale = if matches!(mode, Mode::Sequential | Mode::ThreadsGil) {
            1
        } else {
            workers as u64
        };
        let mut job = Job::new(
            &String::from_utf8_lossy(MESSAGE),
            Prefix::parse(NEVER).map_err(anyhow::Error::msg)?,
            1 << 20,
        );
        job.range = 0..(one_round * scale).max(BATCH);
        // Nobody listens: the events are dropped as they are made.
        let (tracer, _) = Tracer::new();
        let found = hash::search(mode, &job, workers, &tracer, &Control::new())
            .with_context(|| format!("hash --mode {}", mode.name()))?;
        Ok(found.rate_hps())
    };
    let (mut seq, mut gil, mut threads) = (0f64, 0f64, 0f64);
    let (mut proc_one, mut proc_all) = (0f64, 0f64);
    let mut proc_error = None;
    for _ in 0..rounds {
        seq = seq.max(rate(Mode::Sequential, 1)?);
        gil = gil.max(rate(Mode::ThreadsGil, cores)?);
        threads = threads.max(rate(Mode::Threads, cores)?);
        if processes && proc_error.is_none() {
            match (rate(Mode::Processes, 1), rate(Mode::Processes, cores)) {
                (Ok(a), Ok(b)) => (proc_one, proc_all) = (proc_one.max(a), proc_all.max(b)),
                (Err(e), _) | (_, Err(e)) => proc_error = Some(format!("{e:#}")),
            }
        }
    }
    let mhs = |r: f64| format!("{:.2}", r / 1e6);
    let x = |r: f64| format!("{r:.2}");
    let mut lines = vec![
        kv("demo_sequential_mhs", mhs(seq)),
        kv("demo_threads_gil_mhs", mhs(gil)),
        kv("demo_threads_mhs", mhs(threads)),
        kv("gil_speedup", x(gil / seq)),
        kv("threads_speedup", x(threads / seq)),
    ];
    if processes {
        match proc_error {
            Some(e) => lines.push(kv("processes", format!("unavailable: {e}"))),
            None => lines.extend([
                kv("demo_processes_mhs", mhs(proc_all)),
                kv("processes_speedup", x(proc_all / seq)),
                kv("process_pool_scaling", x(proc_all / proc_one)),
            ]),
        }
    }
    Ok(lines)
}

fn kv(key: &str, value: impl Into<String>) -> (String, String) {
    (key.to_string(), value.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_hold_every_figure_and_end_with_the_headline() {
        // Worker processes would be this test harness: not here.
        let lines = bench_with(Duration::from_millis(20), 2, false).unwrap();
        let keys: Vec<&str> = lines.iter().map(|(k, _)| k.as_str()).collect();
        for key in [
            "bare_sha2_mhs",
            "app_mhs",
            "cores",
            "scaling",
            "gil_speedup",
            "threads_speedup",
            "vs_bare_sha2_cpu",
            "cores_given",
            "vs_bare_sha2",
        ] {
            assert!(keys.contains(&key), "{key} missing from {keys:?}");
        }
        assert_eq!(keys.last(), Some(&"vs_bare_sha2"));
        for (k, v) in &lines {
            let numeric = [
                "_mhs",
                "_cpu_s",
                "speedup",
                "scaling",
                "_cpu",
                "vs_bare_sha2",
            ];
            if numeric.iter().any(|end| k.ends_with(end)) {
                let x: f64 = v.parse().unwrap();
                assert!(x > 0.0, "{k}: {v}");
            }
        }
    }
}
