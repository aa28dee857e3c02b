//! The search loop: SHA-256 of `message + counter` with the message hashed
//! once, the padding laid out once, and the prefix checked on the raw state.
//!
//! The notes hash `message.encode() + struct.pack("<I", i)` and compare the
//! hex digest with a prefix. Here the 64-byte blocks that hold only message
//! bytes are compressed once (the midstate); each counter then patches four
//! bytes of a pre-padded tail and runs the compression function on it, and
//! the first state word is compared with a mask. Nothing is allocated or
//! formatted per hash.

use std::ops::Range;

use sha2::block_api::compress256;

/// Counters the notes try: `range(2**32-1)`, so 0 to 2^32 - 2.
pub const COUNTERS: u64 = (1 << 32) - 1;

/// Counters checked between two calls of `on_batch`.
pub const BATCH: u64 = 4096;

/// SHA-256's initial state (FIPS 180-4, 5.3.3).
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

/// A hex prefix the digest must start with, kept as nibbles and as masks
/// over the state words so that no hash is ever formatted as hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    nibbles: Vec<u8>,
    /// Bits of each big-endian state word that the prefix fixes.
    mask: [u32; 8],
    /// The values those bits must have.
    want: [u32; 8],
    /// State words the prefix reaches (at least 1, so the hot check is one
    /// comparison).
    words: usize,
}

impl Prefix {
    /// Parses a hex prefix such as `0000` (at most 64 digits).
    pub fn parse(hex: &str) -> Result<Prefix, String> {
        if hex.len() > 64 {
            return Err("a SHA-256 digest has only 64 hex digits".into());
        }
        let nibbles: Vec<u8> = hex
            .chars()
            .map(|c| {
                c.to_digit(16)
                    .and_then(|d| u8::try_from(d).ok())
                    .ok_or_else(|| format!("`{c}` is not a hex digit"))
            })
            .collect::<Result<_, _>>()?;
        let mut mask = [0u32; 8];
        let mut want = [0u32; 8];
        for (i, &n) in nibbles.iter().enumerate() {
            let shift = 28 - 4 * (i % 8);
            mask[i / 8] |= 0xf << shift;
            want[i / 8] |= u32::from(n) << shift;
        }
        let words = nibbles.len().div_ceil(8).max(1);
        Ok(Prefix {
            nibbles,
            mask,
            want,
            words,
        })
    }

    /// Number of hex digits.
    pub fn len(&self) -> usize {
        self.nibbles.len()
    }

    /// Whether the prefix is empty (every digest matches).
    pub fn is_empty(&self) -> bool {
        self.nibbles.is_empty()
    }

    /// The prefix as hex text, as the learner typed it (lower case).
    pub fn hex(&self) -> String {
        self.nibbles
            .iter()
            .filter_map(|&n| char::from_digit(u32::from(n), 16))
            .collect()
    }

    /// Whether a raw digest (bytes) starts with this prefix; a digest too
    /// short to hold the prefix does not.
    pub fn matches(&self, digest: &[u8]) -> bool {
        self.nibbles.iter().enumerate().all(|(i, &n)| {
            digest.get(i / 2).is_some_and(|&byte| {
                let got = if i % 2 == 0 { byte >> 4 } else { byte & 0x0f };
                got == n
            })
        })
    }

    /// Whether a final SHA-256 state (the digest as eight big-endian words)
    /// starts with this prefix.
    #[expect(
        clippy::inline_always,
        reason = "the search's inner loop, measured by `bench hash`"
    )]
    #[inline(always)]
    pub fn matches_state(&self, state: &[u32; 8]) -> bool {
        // The first word rejects all but one hash in 16^min(len, 8).
        (state[0] & self.mask[0]) == self.want[0] && self.matches_rest(state)
    }

    #[cold]
    fn matches_rest(&self, state: &[u32; 8]) -> bool {
        (1..self.words).all(|w| state[w] & self.mask[w] == self.want[w])
    }

    /// Expected number of hashes to find a match: 16^len.
    pub fn expected_hashes(&self) -> f64 {
        // At most 64 digits (`parse` checks), so the exponent fits.
        16f64.powi(i32::try_from(self.nibbles.len()).unwrap_or(i32::MAX))
    }
}

/// A message prepared for the search: its counter-free blocks compressed
/// once, and the padded tail that each counter is written into.
#[derive(Debug, Clone)]
pub struct Challenge {
    midstate: [u32; 8],
    /// The last one or two blocks: the message's remainder, the counter
    /// (zero here), the 0x80 byte, zeros and the length in bits.
    tail: [u8; 128],
    tail_blocks: usize,
    /// Where the counter's four bytes start in `tail`.
    counter_at: usize,
}

impl Challenge {
    /// Prepares `message` (the UTF-8 bytes the notes encode).
    pub fn new(message: &[u8]) -> Challenge {
        let full = message.len() / 64;
        let mut midstate = IV;
        let (blocks, rest) = message.as_chunks::<64>();
        compress256(&mut midstate, &blocks[..full]);
        let counter_at = rest.len();
        let total = message.len() + 4;
        // The remainder, 4 counter bytes, 0x80 and 8 length bytes must fit.
        let tail_blocks = if counter_at + 4 + 1 + 8 <= 64 { 1 } else { 2 };
        let mut tail = [0u8; 128];
        tail[..counter_at].copy_from_slice(rest);
        tail[counter_at + 4] = 0x80;
        let end = tail_blocks * 64;
        tail[end - 8..end].copy_from_slice(&(total as u64 * 8).to_be_bytes());
        Challenge {
            midstate,
            tail,
            tail_blocks,
            counter_at,
        }
    }

    /// Compression-function calls per hash: 1, or 2 when the message's
    /// last block has no room for the counter and the padding.
    pub fn blocks_per_hash(&self) -> usize {
        self.tail_blocks
    }

    /// The digest of `message + counter` as eight big-endian words.
    pub fn state(&self, counter: u32) -> [u32; 8] {
        let mut tail = self.tail;
        self.state_with(&mut tail, counter)
    }

    /// The digest of `message + counter` as bytes.
    pub fn digest(&self, counter: u32) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state(counter)) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    #[expect(
        clippy::inline_always,
        reason = "the search's inner loop, measured by `bench hash`"
    )]
    #[inline(always)]
    fn state_with(&self, tail: &mut [u8; 128], counter: u32) -> [u32; 8] {
        tail[self.counter_at..self.counter_at + 4].copy_from_slice(&counter.to_le_bytes());
        let (blocks, _) = tail.as_chunks::<64>();
        let mut state = self.midstate;
        compress256(&mut state, &blocks[..self.tail_blocks]);
        state
    }

    /// Searches `range` in order for the first counter whose digest starts
    /// with `prefix`; see [`search_range`].
    pub fn search(
        &self,
        prefix: &Prefix,
        range: Range<u64>,
        on_batch: &mut dyn FnMut(u64) -> bool,
    ) -> RangeSearch {
        let start = range.start;
        let end = range.end.min(COUNTERS);
        let mut tail = self.tail;
        let mut i = start;
        while i < end {
            let batch_end = (i + BATCH).min(end);
            // Both bounds are at most 2^32 - 1 (`COUNTERS`), so they fit.
            let counters =
                u32::try_from(i).unwrap_or(u32::MAX)..u32::try_from(batch_end).unwrap_or(u32::MAX);
            for c in counters {
                let state = self.state_with(&mut tail, c);
                if prefix.matches_state(&state) {
                    return RangeSearch {
                        found: Some(u64::from(c)),
                        hashes: u64::from(c) - start + 1,
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

/// Searches `range` in order for the first counter whose digest matches.
///
/// `on_batch(hashes_so_far)` is called every [`BATCH`] hashes (and after a
/// last, shorter batch); returning `false` stops the search (an interrupt,
/// or another worker found a smaller nonce). Counters from [`COUNTERS`] on
/// are never tried, as in the notes.
pub fn search_range(
    message: &[u8],
    prefix: &Prefix,
    range: Range<u64>,
    on_batch: &mut dyn FnMut(u64) -> bool,
) -> RangeSearch {
    Challenge::new(message).search(prefix, range, on_batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sha2::{Digest, Sha256};

    fn reference(message: &[u8], counter: u32) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(message);
        h.update(counter.to_le_bytes());
        h.finalize().into()
    }

    #[test]
    fn digest_matches_sha2_for_every_tail_layout() {
        // Lengths around 51..=60 move the padding into a second block, and
        // 61..=63 make the counter straddle two blocks.
        for len in 0..=200usize {
            let message: Vec<u8> = (0..len)
                .map(|i| u8::try_from((i * 7 + 3) % 256).unwrap())
                .collect();
            let c = Challenge::new(&message);
            for counter in [0u32, 1, 255, 256, 61130, u32::MAX - 1] {
                assert_eq!(c.digest(counter), reference(&message, counter), "len {len}");
            }
        }
    }

    #[test]
    fn tail_needs_two_blocks_only_when_padding_does_not_fit() {
        assert_eq!(Challenge::new(&[b'a'; 51]).blocks_per_hash(), 1);
        assert_eq!(Challenge::new(&[b'a'; 52]).blocks_per_hash(), 2);
        assert_eq!(Challenge::new(&[b'a'; 64]).blocks_per_hash(), 1);
    }

    #[test]
    fn prefix_masks_agree_with_nibbles() {
        let digest = reference(b"hello world", 61130);
        let state = Challenge::new(b"hello world").state(61130);
        for hex in ["", "0", "0000", "00000", "1", "0001", "00000000000"] {
            let p = Prefix::parse(hex).unwrap();
            assert_eq!(p.matches_state(&state), p.matches(&digest), "{hex}");
        }
        assert!(Prefix::parse("0000").unwrap().matches_state(&state));
        assert!(!Prefix::parse("00000").unwrap().matches_state(&state));
    }

    #[test]
    fn prefix_rejects_bad_input() {
        assert!(Prefix::parse("00g0").is_err());
        assert!(Prefix::parse(&"0".repeat(65)).is_err());
        assert_eq!(Prefix::parse("00aF").unwrap().hex(), "00af");
        // A digest too short for the prefix never matches (no panic).
        assert!(!Prefix::parse("0000").unwrap().matches(&[0]));
    }

    #[test]
    fn finds_the_notes_nonces() {
        let p = Prefix::parse("0000").unwrap();
        let r = search_range(b"hello world", &p, 0..COUNTERS, &mut |_| true);
        assert_eq!(r.found, Some(61130));
        assert_eq!(r.hashes, 61131);
        let p = Prefix::parse("00000").unwrap();
        let r = search_range(b"hello world", &p, 0..COUNTERS, &mut |_| true);
        assert_eq!(r.found, Some(761_006));
    }

    #[test]
    #[ignore = "295 M hashes: about 30 s on one core in release"]
    fn finds_the_seven_zero_nonce() {
        let p = Prefix::parse("0000000").unwrap();
        let r = search_range(b"hello world", &p, 0..COUNTERS, &mut |_| true);
        assert_eq!(r.found, Some(295_141_246));
    }

    #[test]
    fn batches_report_progress_and_can_stop() {
        let p = Prefix::parse("0000000000").unwrap();
        let mut seen = Vec::new();
        let r = search_range(b"x", &p, 10..10 + 3 * BATCH + 5, &mut |h| {
            seen.push(h);
            true
        });
        assert_eq!(seen, vec![BATCH, 2 * BATCH, 3 * BATCH, 3 * BATCH + 5]);
        assert_eq!((r.found, r.hashes, r.stopped), (None, 3 * BATCH + 5, false));
        let r = search_range(b"x", &p, 0..10 * BATCH, &mut |h| h < 2 * BATCH);
        assert_eq!((r.found, r.hashes, r.stopped), (None, 2 * BATCH, true));
    }

    #[test]
    fn never_tries_counters_past_the_notes_range() {
        let p = Prefix::parse("").unwrap();
        let r = search_range(b"x", &p, COUNTERS..COUNTERS + 10, &mut |_| true);
        assert_eq!((r.found, r.hashes), (None, 0));
        let r = search_range(b"x", &p, COUNTERS - 1..u64::MAX, &mut |_| true);
        assert_eq!(r.found, Some(COUNTERS - 1));
    }

    proptest! {
        #[test]
        fn search_finds_the_first_match(message in proptest::collection::vec(any::<u8>(), 0..150),
                                        start in 0u64..5000, len in 0u64..3000) {
            let p = Prefix::parse("0").unwrap();
            let c = Challenge::new(&message);
            let expect = (start..start + len)
                .find(|&i| reference(&message, u32::try_from(i).unwrap())[0] >> 4 == 0);
            let r = c.search(&p, start..start + len, &mut |_| true);
            prop_assert_eq!(r.found, expect);
        }
    }
}
