//! The change log's canonical JSON against RFC 8785 (JCS, as written by the
//! `serde_json_canonicalizer` crate): identical on the values where the two
//! schemes agree, and different exactly where `rollgate::changelog`
//! documents that they differ.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use rollgate::changelog::canonical_json;
use serde_json::{json, Value};

/// JSON values within the common domain: integers below 2^53, decimals
/// with magnitude in [1e-6, 1e21), strings of the Basic Multilingual Plane
/// (control characters and quotes included), nested up to three levels.
fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(|i| json!(i)),
        (1e-6f64..1e21).prop_map(|f| json!(f)),
        (-1e21f64..-1e-6).prop_map(|f| json!(f)),
        "[\\u{0}-\\u{7f}\\u{e9}\\u{2028}\\u{4e2d}\\u{fffd}]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z0-9_\\u{e9}\\u{4e2d}]{0,6}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x6a63_7300),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn agrees_with_rfc_8785_on_the_common_domain(v in value()) {
        prop_assert_eq!(canonical_json(&v), serde_json_canonicalizer::to_string(&v).unwrap());
    }
}

#[test]
fn differs_from_rfc_8785_where_documented() {
    let jcs = |v: &Value| serde_json_canonicalizer::to_string(v).unwrap();
    // Rust's shortest round-trip digits, written out without an exponent.
    let big = format!("1{}", "0".repeat(300));
    for (v, ours) in [
        (json!(9_007_199_254_740_993_u64), "9007199254740993"),
        (json!(1e300), big.as_str()),
        (json!(1e-7), "0.0000001"),
        (json!(-0.0), "-0"),
    ] {
        assert_eq!(canonical_json(&v), ours);
        assert_ne!(canonical_json(&v), jcs(&v), "{v}");
    }
    // Keys beyond U+FFFF sort after U+E000..U+FFFF by UTF-8 bytes, before them by UTF-16 units.
    let v = json!({"\u{1F600}": 1, "\u{FF21}": 2});
    assert_eq!(canonical_json(&v), "{\"\u{FF21}\":2,\"\u{1F600}\":1}");
    assert_eq!(jcs(&v), "{\"\u{1F600}\":1,\"\u{FF21}\":2}");
}
