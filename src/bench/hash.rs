//! `racecourse bench hash`: the app's search loop against a bare `sha2`
//! loop in the same run, and its scaling on every core.
//!
//! Rates are taken as the best of several short rounds, the contenders
//! alternating, so that a neighbour's burst of work on a shared machine
//! lowers one round rather than one contender.

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;
use sha2::{Digest, Sha256};

use crate::demos::hash::{self, BATCH, COUNTERS, Job, Mode, Prefix, search_range};
use crate::runtime::Control;
use crate::trace::Tracer;

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

    let (mut bare, mut app, mut compress) = (0f64, 0f64, 0f64);
    for r in 0..rounds {
        // Alternate who goes first: a clock that drifts during a round
        // then favours neither.
        if r % 2 == 0 {
            bare = bare.max(bare_sha2_rate(round));
            app = app.max(threads_rate(&never, 1, round)?);
        } else {
            app = app.max(threads_rate(&never, 1, round)?);
            bare = bare.max(bare_sha2_rate(round));
        }
        compress = compress.max(compress_rate(round / 2));
    }

    let (mut one, mut all) = (app, 0f64);
    for r in 0..rounds {
        if r % 2 == 0 {
            all = all.max(threads_rate(&never, cores, round)?);
        } else {
            one = one.max(threads_rate(&never, 1, round)?);
        }
    }

    let modes = demo_modes(app, cores, round, rounds.div_ceil(2), processes)?;

    let mhs = |r: f64| format!("{:.2}", r / 1e6);
    let scaling = all / one;
    let mut lines = vec![
        kv("message", String::from_utf8_lossy(MESSAGE)),
        kv(
            "rounds",
            format!("{rounds} x {} ms, best of each", round.as_millis()),
        ),
        kv("bare_sha2_mhs", mhs(bare)),
        kv("sha2_compress_only_mhs", mhs(compress)),
        kv("app_mhs", mhs(app)),
        kv("cores", cores),
        kv("one_thread_mhs", mhs(one)),
        kv("all_threads_mhs", mhs(all)),
        kv("per_core_mhs", mhs(all / cores as f64)),
        kv("scaling", format!("{scaling:.2}")),
        kv("scaling_per_core", format!("{:.3}", scaling / cores as f64)),
    ];
    lines.extend(modes);
    lines.push(kv("vs_bare_sha2", format!("{:.3}", app / bare)));
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
    let one_round = (app_hps * round.as_secs_f64()) as u64;
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

fn kv(key: &str, value: impl ToString) -> (String, String) {
    (key.to_string(), value.to_string())
}

/// The loop anyone would write with the `sha2` crate: message and counter
/// in one buffer, `Sha256::digest`, compare the first bytes.
#[inline(never)]
fn bare_sha2_rate(span: Duration) -> f64 {
    let mut data = MESSAGE.to_vec();
    data.extend_from_slice(&[0; 4]);
    let at = MESSAGE.len();
    let mut counter = 0u32;
    let mut found = 0u64;
    let mut hashes = 0u64;
    let start = Instant::now();
    while start.elapsed() < span {
        for _ in 0..BATCH {
            data[at..].copy_from_slice(&counter.to_le_bytes());
            let digest = Sha256::digest(&data);
            if digest[..8] == [0; 8] {
                found += 1;
            }
            counter = counter.wrapping_add(1);
        }
        hashes += BATCH;
    }
    black_box(found);
    hashes as f64 / start.elapsed().as_secs_f64()
}

/// The ceiling: the compression function alone on one padded block.
#[inline(never)]
fn compress_rate(span: Duration) -> f64 {
    let mut block = [[0u8; 64]];
    block[0][..MESSAGE.len()].copy_from_slice(MESSAGE);
    let mut state = [0u32; 8];
    let mut hashes = 0u64;
    let start = Instant::now();
    while start.elapsed() < span {
        for c in 0..BATCH as u32 {
            block[0][MESSAGE.len()..MESSAGE.len() + 4].copy_from_slice(&c.to_le_bytes());
            let mut s = [1u32; 8];
            sha2::block_api::compress256(&mut s, black_box(&block));
            state[0] ^= s[0];
        }
        hashes += BATCH;
    }
    black_box(state);
    hashes as f64 / start.elapsed().as_secs_f64()
}

/// Total hashes/s of `threads` threads each running the app's
/// [`search_range`] on its own slice of the counters.
fn threads_rate(never: &Prefix, threads: usize, span: Duration) -> anyhow::Result<f64> {
    let slice = COUNTERS / threads as u64;
    let start = Instant::now();
    let hashes = thread::scope(|s| {
        let workers: Vec<_> = (0..threads as u64)
            .map(|k| {
                s.spawn(move || {
                    let range = k * slice..(k + 1) * slice;
                    search_range(MESSAGE, never, range, &mut |_| start.elapsed() < span).hashes
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a bench thread panicked"))
            })
            .sum::<anyhow::Result<u64>>()
    })?;
    Ok(hashes as f64 / start.elapsed().as_secs_f64())
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
            "vs_bare_sha2",
        ] {
            assert!(keys.contains(&key), "{key} missing from {keys:?}");
        }
        assert_eq!(keys.last(), Some(&"vs_bare_sha2"));
        for (k, v) in &lines {
            if k.ends_with("_mhs")
                || k.ends_with("speedup")
                || k == "scaling"
                || k == "vs_bare_sha2"
            {
                let x: f64 = v.parse().unwrap();
                assert!(x > 0.0, "{k}: {v}");
            }
        }
    }
}
