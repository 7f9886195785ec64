//! Reading numbers for the numeric kernels from the fuzzer's bytes.
//!
//! The encoding favours what breaks numeric code while keeping every `f64`
//! reachable. A number starts with a tag byte:
//!
//! | tag        | value                                                  |
//! |------------|--------------------------------------------------------|
//! | 0–31       | [`SPECIALS`]: NaN, ±inf, ±0, subnormals, ±1e300, 2⁵³+1, … |
//! | 32–159     | the integer `tag − 96` (−64 … 63): counts and ties     |
//! | 160–191    | `(tag − 176) / 8` (−2 … 1.875 in eighths)              |
//! | 192–255    | the next 8 bytes as the little-endian bits of an `f64` |
//!
//! A probability-like parameter (confidence, quantile, alpha, allocation, a
//! p-value) uses [`Bytes::unit`]: tags 0–199 give `tag / 199` (0 … 1 with both
//! ends), 200–231 a special, 232–255 raw bits.
//!
//! A sample is a little-endian `u16` length (at most 4,096 values read),
//! the values, then a tiling byte: from 0xF8 the sample is repeated 2, 4, …
//! 256 times, copy `k` shifted by `k · delta` (`delta` is the next number),
//! up to 50,000 values — large enough for the two-thread sort and the
//! pairwise-difference search of the rank tests.
//!
//! Bytes past the end read as 0. `core/fuzz/seeds.py` writes the shared
//! vectors in this encoding (every number with tag 0xFF, no tiling).

/// Values that numeric code gets wrong most often.
pub const SPECIALS: [f64; 32] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    f64::MIN_POSITIVE,
    5e-324,
    -5e-324,
    f64::MAX,
    f64::MIN,
    1e300,
    -1e300,
    1e-300,
    -1e-300,
    1e154,
    -1e154,
    9_007_199_254_740_992.0,
    9_007_199_254_740_994.0,
    18_446_744_073_709_551_616.0,
    9e15,
    9.000_000_000_000_002e15,
    1e15,
    1e16,
    4_294_967_295.0,
    0.5,
    1e-9,
    1.0 - 1e-16,
    1e-16,
    0.999_999_999,
    1e20,
    -1e20,
    f64::EPSILON,
];

/// Most values a sample may hold after tiling.
pub const MAX_SAMPLE: usize = 50_000;

/// A cursor over the fuzzer's bytes.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    /// The next byte (0 past the end).
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn raw(&mut self) -> f64 {
        let mut bits = [0u8; 8];
        for b in &mut bits {
            *b = self.byte();
        }
        f64::from_le_bytes(bits)
    }

    fn special(tag: u8) -> f64 {
        SPECIALS[usize::from(tag) % SPECIALS.len()]
    }

    /// Any number (see the module table).
    pub fn f64(&mut self) -> f64 {
        match self.byte() {
            tag @ 0..=31 => Self::special(tag),
            tag @ 32..=159 => f64::from(i16::from(tag) - 96),
            tag @ 160..=191 => (f64::from(tag) - 176.0) / 8.0,
            _ => self.raw(),
        }
    }

    /// A probability-like parameter.
    pub fn unit(&mut self) -> f64 {
        match self.byte() {
            tag @ 0..=199 => f64::from(tag) / 199.0,
            tag @ 200..=231 => Self::special(tag - 200),
            _ => self.raw(),
        }
    }

    /// A sample whose values come from `read`.
    pub fn sample(&mut self, read: fn(&mut Self) -> f64) -> Vec<f64> {
        let len = usize::from(u16::from_le_bytes([self.byte(), self.byte()])).min(4096);
        let mut values = Vec::with_capacity(len.min(self.0.len()));
        for _ in 0..len {
            if self.is_empty() {
                break;
            }
            values.push(read(self));
        }
        let tile = self.byte();
        if tile >= 0xF8 && !values.is_empty() {
            let copies = 2usize << (tile - 0xF8);
            let delta = self.f64();
            let base = values.clone();
            for k in 1..copies {
                if values.len() + base.len() > MAX_SAMPLE {
                    break;
                }
                values.extend(base.iter().map(|v| v + k as f64 * delta));
            }
        }
        values
    }

    /// A count of items to read (a little-endian `u16`, at most `max`).
    pub fn len(&mut self, max: usize) -> usize {
        usize::from(u16::from_le_bytes([self.byte(), self.byte()])).min(max)
    }
}
