//! The challenge on 4 KiB inputs: the message repeated to fill the input,
//! then the counter, hashed in full for every counter as CPython's
//! `hashlib.sha256(data)` does (no block is prepared once).
//!
//! CPython's hashlib lets go of the GIL while it hashes an input of 2048
//! bytes or more (`HASHLIB_GIL_MINSIZE`), so threads hashing such inputs run
//! at the same moment; the notes' 15-byte inputs keep it.

use std::ops::Range;

use sha2::block_api::compress256;

use crate::sha::{COUNTERS, Prefix, RangeSearch};

/// SHA-256's initial state.
const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The input and its padding: 64 blocks of input, one of padding.
const PADDED: usize = INPUT_BYTES + 64;

/// Bytes hashed per counter in the wide mode: 4 KiB.
pub const INPUT_BYTES: usize = 4096;

/// Hashes between two calls of the batch callback: a GIL hand-over in the
/// wide mode costs one lock, amortised over this many 4 KiB hashes.
pub const WIDE_BATCH: u64 = 32;

/// A 4 KiB input whose last four bytes are the counter, with SHA-256's
/// padding block after it: every block is compressed for every counter.
#[derive(Debug, Clone)]
pub struct Wide {
    input: Vec<u8>,
}

/// Where the counter's four bytes start.
const COUNTER_AT: usize = INPUT_BYTES - 4;

impl Wide {
    /// `message` repeated (and cut) to fill all but the counter's 4 bytes;
    /// an empty message gives zeros.
    pub fn new(message: &[u8]) -> Wide {
        let fill = INPUT_BYTES - 4;
        let mut input: Vec<u8> = if message.is_empty() {
            vec![0; fill]
        } else {
            message.iter().copied().cycle().take(fill).collect()
        };
        input.extend_from_slice(&[0; 4]);
        // Padding: 0x80, zeros, the length in bits.
        input.push(0x80);
        input.resize(PADDED - 8, 0);
        input.extend_from_slice(&(INPUT_BYTES as u64 * 8).to_be_bytes());
        Wide { input }
    }

    /// Compression-function calls per hash: 64 blocks of input, one of
    /// padding.
    pub fn blocks_per_hash() -> usize {
        INPUT_BYTES / 64 + 1
    }

    /// The digest of the input with `counter` (4 bytes, little-endian).
    pub fn digest(&self, counter: u32) -> [u8; 32] {
        let mut input = self.input.clone();
        Self::digest_of(&mut input, counter)
    }

    fn digest_of(input: &mut [u8], counter: u32) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(Self::state_of(input, counter)) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    /// The digest as eight words: all 65 blocks compressed (in `sha2`,
    /// optimised even in debug builds).
    fn state_of(input: &mut [u8], counter: u32) -> [u32; 8] {
        input[COUNTER_AT..INPUT_BYTES].copy_from_slice(&counter.to_le_bytes());
        let (blocks, _) = input.as_chunks::<64>();
        let mut state = IV;
        compress256(&mut state, blocks);
        state
    }

    /// Searches `range` in order for the first counter whose digest starts
    /// with `prefix`, calling `on_batch(hashes so far)` every
    /// [`WIDE_BATCH`] hashes; `false` from it stops the search.
    pub fn search(
        &self,
        prefix: &Prefix,
        range: Range<u64>,
        on_batch: &mut dyn FnMut(u64) -> bool,
    ) -> RangeSearch {
        let (start, end) = (range.start, range.end.min(COUNTERS));
        let mut input = self.input.clone();
        let mut i = start;
        while i < end {
            let batch_end = (i + WIDE_BATCH).min(end);
            for c in i..batch_end {
                // Below `COUNTERS`, so it fits.
                let counter = u32::try_from(c).unwrap_or(u32::MAX);
                if prefix.matches_state(&Self::state_of(&mut input, counter)) {
                    return RangeSearch {
                        found: Some(c),
                        hashes: c - start + 1,
                        stopped: false,
                    };
                }
            }
            i = batch_end;
            if !on_batch(i - start) && i < end {
                return RangeSearch {
                    found: None,
                    hashes: i - start,
                    stopped: true,
                };
            }
        }
        RangeSearch {
            found: None,
            hashes: end.saturating_sub(start),
            stopped: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_is_the_message_repeated_then_the_counter() {
        use sha2::{Digest, Sha256};
        let w = Wide::new(b"hello world");
        assert_eq!(w.input.len(), PADDED);
        assert_eq!(&w.input[..12], b"hello worldh");
        let mut data = w.input[..INPUT_BYTES].to_vec();
        data[COUNTER_AT..].copy_from_slice(&7u32.to_le_bytes());
        let want: [u8; 32] = Sha256::digest(&data).into();
        assert_eq!(w.digest(7), want);
        // As CPython finds it: (b"hello world" * 373)[:4092] + pack("<I", n).
        let prefix = Prefix::parse("0000").unwrap();
        let r = w.search(&prefix, 0..20_000, &mut |_| true);
        assert_eq!(r.found, Some(9241));
    }

    #[test]
    fn finds_the_first_match_and_stops_when_asked() {
        let w = Wide::new(b"hello world");
        let prefix = Prefix::parse("00").unwrap();
        let first = (0..10_000u32)
            .find(|&c| prefix.matches(&w.digest(c)))
            .map(u64::from);
        let r = w.search(&prefix, 0..10_000, &mut |_| true);
        assert_eq!(r.found, first);
        let stopped = w.search(&Prefix::parse("0000000").unwrap(), 0..1000, &mut |_| false);
        assert_eq!((stopped.hashes, stopped.stopped), (WIDE_BATCH, true));
    }
}
