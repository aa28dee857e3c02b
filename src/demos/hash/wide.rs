//! The challenge on 4 KiB inputs: the message repeated to fill the input,
//! then the counter, hashed in full for every counter as CPython's
//! `hashlib.sha256(data)` does (no block is prepared once).
//!
//! CPython's hashlib lets go of the GIL while it hashes an input of 2048
//! bytes or more (`HASHLIB_GIL_MINSIZE`), so threads hashing such inputs run
//! at the same moment; the notes' 15-byte inputs keep it.

use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::sha::{COUNTERS, Prefix, RangeSearch};

/// Bytes hashed per counter in the wide mode: 4 KiB.
pub const INPUT_BYTES: usize = 4096;

/// Hashes between two calls of the batch callback: a GIL hand-over in the
/// wide mode costs one lock, amortised over this many 4 KiB hashes.
pub const WIDE_BATCH: u64 = 32;

/// A 4 KiB input whose last four bytes are the counter.
#[derive(Debug, Clone)]
pub struct Wide {
    input: Vec<u8>,
}

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
        self.digest_with(&mut input, counter)
    }

    fn digest_with(&self, input: &mut [u8], counter: u32) -> [u8; 32] {
        input[INPUT_BYTES - 4..].copy_from_slice(&counter.to_le_bytes());
        Sha256::digest(&*input).into()
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
                if prefix.matches(&self.digest_with(&mut input, counter)) {
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
        let w = Wide::new(b"hello world");
        assert_eq!(w.input.len(), INPUT_BYTES);
        assert_eq!(&w.input[..12], b"hello worldh");
        let mut data = w.input.clone();
        data[INPUT_BYTES - 4..].copy_from_slice(&7u32.to_le_bytes());
        let want: [u8; 32] = Sha256::digest(&data).into();
        assert_eq!(w.digest(7), want);
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
