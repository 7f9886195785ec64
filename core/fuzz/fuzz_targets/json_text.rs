//! Arbitrary bytes as the JSON arguments of every public entry point.
//!
//! Input: one selector byte (the function, by position in
//! `rollgate_fuzz::calls::FUNCTIONS`, modulo their number), then the
//! positional arguments as JSON texts separated by NUL bytes (a NUL can
//! never occur inside JSON text). Each argument is read with
//! `rollgate::wire::from_json`, as a caller handing over JSON would; the
//! result or error is checked by `rollgate_fuzz::check`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rollgate_fuzz::calls::{call_checked, Args, FUNCTIONS};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Some(function) = FUNCTIONS.get(usize::from(selector) % FUNCTIONS.len()) else {
        return;
    };
    // Text that is not UTF-8 cannot reach `from_json` (it takes `&str`).
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let _ = call_checked(function, &Args::Text(text.split('\0').collect()));
});
