//! The shared vectors (`tests/vectors/*.json`) as fuzzing seeds: every case's
//! function and positional arguments, read once per process.

use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

use crate::calls::{function, Function};

/// One vector case: a valid (or deliberately invalid) call.
pub struct Case {
    /// The function it calls.
    pub function: &'static Function,
    /// Its positional arguments.
    pub input: Vec<Value>,
}

/// The directory of the shared vectors in this checkout.
pub fn directory() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

/// Every case of every vector file whose function the fuzz targets know,
/// sorted by file name then position (the order libFuzzer inputs index).
pub fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        let dir = directory();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        let mut cases = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
            let doc: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
            for case in doc["cases"].as_array().into_iter().flatten() {
                let name = case["function"].as_str().unwrap_or_default();
                let (Some(function), Some(input)) = (function(name), case["input"].as_array())
                else {
                    continue;
                };
                cases.push(Case {
                    function,
                    input: input.clone(),
                });
            }
        }
        assert!(!cases.is_empty(), "no vector cases in {}", dir.display());
        cases
    })
}
