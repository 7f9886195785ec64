//! Shared machinery of the rollgate fuzz targets (`fuzz_targets/`):
//!
//! - [`alloc_guard`]: aborts on an allocation out of proportion to any
//!   input (installed as the global allocator of every target);
//! - [`calls`]: every public entry point that takes documents, by name,
//!   with positional JSON arguments;
//! - [`check`]: the invariants asserted on every result;
//! - [`errors`]: the invariants asserted on every error (code, path);
//! - [`finite`]: a serializer that finds non-finite numbers and
//!   probabilities outside [0, 1] in any result;
//! - [`known`]: the one known panic tolerated while its fix is under way;
//! - [`mutate`]: structure-aware edits of valid documents (`arbitrary`);
//! - [`numbers`]: the byte encoding of numbers for the numeric kernels;
//! - [`vectors`]: the shared vectors, the seeds of the structured target.
//!
//! See `core/fuzz/README.md` for how to run the targets and what they found.

pub mod alloc_guard;
pub mod calls;
pub mod check;
pub mod errors;
pub mod finite;
pub mod known;
pub mod mutate;
pub mod numbers;
pub mod vectors;

#[global_allocator]
static GUARD: alloc_guard::Guard = alloc_guard::Guard;
