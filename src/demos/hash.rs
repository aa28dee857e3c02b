//! The notes' hash challenge: the smallest counter whose SHA-256 digest of
//! `message + counter (4 bytes, little-endian)` starts with a hex prefix.

use std::ops::Range;

use sha2::{Digest, Sha256};

use super::{Choice, DemoRequest, DemoSpec, OptKind, OptSpec, PaneKind};
use crate::runtime::Control;
use crate::trace::Tracer;

/// Difficulty choices: 4 to 8 leading zeros.
pub const PREFIXES: &[&str] = &["0000", "00000", "000000", "0000000", "00000000"];

/// Modes and options of `hash`.
pub static SPEC: DemoSpec = DemoSpec {
    name: "hash",
    title: "The hash challenge on N workers",
    pane: PaneKind::HashRace,
    modes: &[
        Choice {
            name: "sequential",
            help: "one loop, as the notes' challenge()",
        },
        Choice {
            name: "threads-gil",
            help: "threads sharing a simulated GIL, as CPython",
        },
        Choice {
            name: "threads",
            help: "threads without a GIL, as Rust or free-threaded Python",
        },
        Choice {
            name: "processes",
            help: "a pool of OS processes, as multiprocessing",
        },
    ],
    options: &[
        OptSpec {
            name: "message",
            help: "the text to hash",
            kind: OptKind::Text { max_len: 200 },
            default: "hello world",
        },
        OptSpec {
            name: "prefix",
            help: "hex prefix the digest must start with",
            kind: OptKind::OneOf(PREFIXES),
            default: "000000",
        },
        OptSpec {
            name: "workers",
            help: "threads or processes",
            kind: OptKind::Int { min: 1, max: 64 },
            default: "2",
        },
        OptSpec {
            name: "chunk",
            help: "counters handed out at a time",
            kind: OptKind::Int {
                min: 1_000,
                max: 100_000_000,
            },
            default: "262144",
        },
    ],
};

/// Runs the search in the chosen mode; the result holds the nonce.
pub fn run(
    req: &DemoRequest,
    tracer: &Tracer,
    control: &Control,
) -> anyhow::Result<serde_json::Value> {
    let _ = (req, tracer, control);
    anyhow::bail!("hash is not built yet")
}

/// A hex prefix the digest must start with, kept as nibbles so that no hash
/// is ever formatted as hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    nibbles: Vec<u8>,
}

impl Prefix {
    /// Parses a hex prefix such as `0000` (at most 64 digits).
    pub fn parse(hex: &str) -> Result<Prefix, String> {
        if hex.len() > 64 {
            return Err("a SHA-256 digest has only 64 hex digits".into());
        }
        let nibbles = hex
            .chars()
            .map(|c| {
                c.to_digit(16)
                    .map(|d| d as u8)
                    .ok_or_else(|| format!("`{c}` is not a hex digit"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Prefix { nibbles })
    }

    /// Number of hex digits.
    pub fn len(&self) -> usize {
        self.nibbles.len()
    }

    /// Whether the prefix is empty (every digest matches).
    pub fn is_empty(&self) -> bool {
        self.nibbles.is_empty()
    }

    /// Whether a raw digest starts with this prefix.
    #[inline]
    pub fn matches(&self, digest: &[u8]) -> bool {
        self.nibbles.iter().enumerate().all(|(i, &n)| {
            let byte = digest[i / 2];
            let got = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
            got == n
        })
    }

    /// Expected number of hashes to find a match: 16^len.
    pub fn expected_hashes(&self) -> f64 {
        16f64.powi(self.nibbles.len() as i32)
    }
}

/// What one call to [`search_range`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeSearch {
    /// The smallest matching counter in the range, if one was found.
    pub found: Option<u64>,
    /// Hashes computed.
    pub hashes: u64,
    /// Whether `on_batch` asked to stop before the range was done.
    pub stopped: bool,
}

/// Counters checked between two calls of `on_batch`.
pub const BATCH: u64 = 4096;

/// Searches `range` in order for the first counter whose digest matches.
///
/// `on_batch(hashes_so_far)` is called every [`BATCH`] hashes; returning
/// `false` stops the search (an interrupt, or another worker found a smaller
/// nonce). Counters above `u32::MAX` are never tried, as in the notes.
pub fn search_range(
    message: &[u8],
    prefix: &Prefix,
    range: Range<u64>,
    on_batch: &mut dyn FnMut(u64) -> bool,
) -> RangeSearch {
    let end = range.end.min(1 << 32);
    let mut base = Sha256::new();
    base.update(message);
    let mut hashes = 0u64;
    let mut i = range.start;
    while i < end {
        let batch_end = (i + BATCH).min(end);
        while i < batch_end {
            let mut h = base.clone();
            h.update((i as u32).to_le_bytes());
            let digest = h.finalize();
            if prefix.matches(&digest) {
                return RangeSearch {
                    found: Some(i),
                    hashes: i - range.start + 1,
                    stopped: false,
                };
            }
            i += 1;
        }
        hashes = i - range.start;
        if !on_batch(hashes) {
            return RangeSearch {
                found: None,
                hashes,
                stopped: true,
            };
        }
    }
    RangeSearch {
        found: None,
        hashes,
        stopped: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_notes_nonces() {
        let p = Prefix::parse("0000").unwrap();
        let r = search_range(b"hello world", &p, 0..1 << 32, &mut |_| true);
        assert_eq!(r.found, Some(61130));
        let p = Prefix::parse("00000").unwrap();
        let r = search_range(b"hello world", &p, 0..1 << 32, &mut |_| true);
        assert_eq!(r.found, Some(761006));
    }
}
