//! Node bindings of rollgate: converts JS values to the canonical wire types
//! and back, maps errors to JS `Error`s with `code` and `path`, and holds no
//! decision logic of its own. One module per area of the engine; napi-rs
//! registers every `#[napi]` function. The public typings live in
//! `index.d.ts` and `types/`.
#![deny(clippy::all)]
// Under `cfg(test)` napi-derive registers nothing, so the exported functions look unused.
#![cfg_attr(test, allow(dead_code))]

mod convert;
mod delivery;
mod graph;
mod risk;
mod rollout;
mod verdict;
mod window;
