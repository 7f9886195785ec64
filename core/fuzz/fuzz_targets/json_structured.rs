//! Valid documents from the shared vectors, mutated with structure-aware
//! edits (`rollgate_fuzz::mutate`), passed to their entry point twice: as
//! values (`rollgate::wire::from_value`, like the bindings' tree-shaped
//! readers) and as JSON text (`rollgate::wire::from_json`). Both must give
//! the same result, or errors with the same code and path; each is checked
//! by `rollgate_fuzz::check`.
//!
//! Input: bytes for `arbitrary::Unstructured`: which case, then the edits.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use rollgate_fuzz::calls::{call_checked, Args, FUNCTIONS};
use rollgate_fuzz::mutate::{mutate, Pool};
use rollgate_fuzz::vectors::cases;
use serde_json::Value;

/// Per function (by position in `FUNCTIONS`), the strings, keys and small
/// values of all its cases: material for the edits.
fn pools() -> &'static [Pool] {
    static POOLS: OnceLock<Vec<Pool>> = OnceLock::new();
    POOLS.get_or_init(|| {
        FUNCTIONS
            .iter()
            .map(|f| {
                Pool::new(
                    cases()
                        .iter()
                        .filter(|c| c.function.name == f.name)
                        .flat_map(|c| &c.input),
                )
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let cases = cases();
    let Ok(index) = u.choose_index(cases.len()) else {
        return;
    };
    let case = &cases[index];
    let Some(at) = FUNCTIONS.iter().position(|f| f.name == case.function.name) else {
        return;
    };
    let mut root = Value::Array(case.input.clone());
    // Running out of bytes ends the edits; what was edited so far is used.
    let _ = mutate(&mut u, &mut root, &pools()[at]);
    let args = match root {
        Value::Array(args) => args,
        other => vec![other],
    };
    // To see what a crashing input calls: FUZZ_DUMP=1 <target binary> <input>.
    if std::env::var_os("FUZZ_DUMP").is_some() {
        eprintln!("{}({})", case.function.name, Value::Array(args.clone()));
    }
    let by_value = call_checked(case.function, &Args::Values(&args));
    let texts: Vec<String> = args.iter().map(Value::to_string).collect();
    let by_text = call_checked(
        case.function,
        &Args::Text(texts.iter().map(String::as_str).collect()),
    );
    match (&by_value, &by_text) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{}: value and text reads differ", case.function.name),
        (Err(a), Err(b)) => assert_eq!(
            (a.code(), a.path()),
            (b.code(), b.path()),
            "{}: value and text reads fail differently: {a} / {b}",
            case.function.name
        ),
        (a, b) => panic!(
            "{}: value and text reads disagree: {a:?} / {b:?}",
            case.function.name
        ),
    }
});
