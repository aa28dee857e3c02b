//! The measured loops, and how a run is timed: by the wall clock, and by
//! the CPU time the machine actually gave the process.

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::MESSAGE;
use crate::sha::{BATCH, COUNTERS, Prefix, search_range};

/// Hashes done in one timed run.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sample {
    pub hashes: u64,
    pub wall: Duration,
    pub cpu: Duration,
}

impl Sample {
    /// Hashes per wall-clock second.
    pub fn rate(&self) -> f64 {
        self.hashes as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    /// Hashes per second of CPU time: what the loop costs, whatever else
    /// runs on the machine.
    pub fn cpu_rate(&self) -> f64 {
        self.hashes as f64 / self.cpu.as_secs_f64().max(1e-9)
    }

    /// Cores the process really had during the run (CPU time / wall time).
    pub fn cores(&self) -> f64 {
        self.cpu.as_secs_f64() / self.wall.as_secs_f64().max(1e-9)
    }
}

/// The best of several samples, by wall rate and by CPU rate.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Best {
    /// The best hashes per wall second.
    pub wall: f64,
    /// Cores held during that best sample.
    pub cores: f64,
    /// The best hashes per CPU second.
    pub cpu: f64,
}

impl Best {
    /// Takes a sample into account.
    pub fn keep(&mut self, s: Sample) {
        if s.rate() > self.wall {
            self.wall = s.rate();
            self.cores = s.cores();
        }
        self.cpu = self.cpu.max(s.cpu_rate());
    }
}

/// Times `run`, which returns the hashes it did.
pub(super) fn timed(run: impl FnOnce() -> anyhow::Result<u64>) -> anyhow::Result<Sample> {
    let (wall0, cpu0) = (Instant::now(), process_cpu());
    let hashes = run()?;
    Ok(Sample {
        hashes,
        wall: wall0.elapsed(),
        cpu: process_cpu().saturating_sub(cpu0),
    })
}

/// CPU time used by every thread of this process so far.
fn process_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: std has no CPU clock; clock_gettime only writes the timespec
    // we own, and CLOCK_PROCESS_CPUTIME_ID exists on every Unix we build for.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &raw mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec.clamp(0, 999_999_999)).unwrap_or(0),
    )
}

/// The loop anyone would write with the `sha2` crate: message and counter
/// in one buffer, `Sha256::digest`, compare the first bytes.
#[inline(never)]
pub(super) fn bare_sha2(span: Duration) -> u64 {
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
    hashes
}

/// The ceiling: the compression function alone on one padded block.
#[inline(never)]
pub(super) fn compress_only(span: Duration) -> u64 {
    let mut block = [[0u8; 64]];
    block[0][..MESSAGE.len()].copy_from_slice(MESSAGE);
    let mut state = [0u32; 8];
    let mut hashes = 0u64;
    let start = Instant::now();
    while start.elapsed() < span {
        for c in 0..u32::try_from(BATCH).unwrap_or(u32::MAX) {
            block[0][MESSAGE.len()..MESSAGE.len() + 4].copy_from_slice(&c.to_le_bytes());
            let mut s = [1u32; 8];
            sha2::block_api::compress256(&mut s, black_box(&block));
            state[0] ^= s[0];
        }
        hashes += BATCH;
    }
    black_box(state);
    hashes
}

/// Hashes of `threads` threads each running the app's [`search_range`] on
/// its own slice of the counters for `span`.
pub(super) fn threads_search(
    never: &Prefix,
    threads: usize,
    span: Duration,
) -> anyhow::Result<u64> {
    let slice = COUNTERS / threads as u64;
    let start = Instant::now();
    thread::scope(|s| {
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
    })
}
