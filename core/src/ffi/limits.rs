//! The documented limits on what a host may hand over in one call, enforced
//! while reading, before anything is allocated for the values they bound.
//!
//! They make "no unbounded allocation from small input" hold: a sparse
//! JavaScript array (`new Array(2**32 - 1)` is a few bytes), a broadcast
//! numpy view (`np.broadcast_to(np.nan, (10**9,))` is 8 bytes) or a Python
//! `Mapping` whose `__len__` lies cannot make rollgate allocate gigabytes.
//! Real inputs stay far below them: the largest benchmarked plan (100,000
//! services, 500,000 dependencies) is about 1.5 million values; the largest
//! benchmarked sample one million numbers per arm.

/// The most items one list, sample, numeric array or object may hold.
pub const MAX_ITEMS: usize = 10_000_000;

/// The most values (numbers, strings, lists, objects, each element counted)
/// all of one argument may hold together.
pub const MAX_VALUES: usize = 40_000_000;

/// The deepest nesting of lists and objects (as `serde_json`).
pub const MAX_DEPTH: usize = crate::wire::MAX_DEPTH;
