//! Deterministic pseudo-random numbers as pure functions of their inputs.
//!
//! The simulator never keeps generated data: every value is recomputed from
//! (seed, entity, time), so hashing must be cheap and stable across runs and
//! platforms. SplitMix64's finaliser gives good avalanche for sequential keys.

/// Mixes one 64-bit word (SplitMix64 finaliser).
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Hashes a short sequence of words into one.
pub fn hash(parts: &[u64]) -> u64 {
    parts
        .iter()
        .fold(0x6A09_E667_F3BC_C908, |acc, &p| mix(acc ^ mix(p)))
}

/// Hashes a string (entity kinds, names) into a word.
pub fn hash_str(s: &str) -> u64 {
    // FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |acc, b| {
        (acc ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// Uniform in [0, 1).
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Uniform in [-1, 1).
pub fn signed(h: u64) -> f64 {
    unit(h) * 2.0 - 1.0
}

/// Uniform in [lo, hi).
pub fn range(h: u64, lo: f64, hi: f64) -> f64 {
    lo + unit(h) * (hi - lo)
}
