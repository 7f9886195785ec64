use super::*;

fn flag(json: &str) -> Flag {
    crate::wire::from_json(json).unwrap()
}

#[test]
fn murmur3_reference_values() {
    // SMHasher's MurmurHash3_x86_32 (also Python mmh3.hash(..., signed=False)).
    assert_eq!(murmur3_32("", 0), 0);
    assert_eq!(murmur3_32("", 1), 0x514E_28B7);
    assert_eq!(murmur3_32("", 0xffff_ffff), 0x81F1_6F39);
    assert_eq!(murmur3_32("hello", 0), 0x248B_FA47);
    assert_eq!(murmur3_32("hello, world", 0), 0x149B_BB7F);
    assert_eq!(
        murmur3_32("The quick brown fox jumps over the lazy dog", 0),
        0x2E4F_F723
    );
}

#[test]
fn published_sdk_vectors() {
    // Unleash: "AB12A:122" → 23 (REFERENCE.md); the Java SDK's cross-client vectors.
    assert_eq!(flag_bucket("AB12A", "122", FlagAlgorithm::Unleash), 23);
    assert_eq!(flag_bucket("gr1", "123", FlagAlgorithm::Unleash), 73);
    assert_eq!(flag_bucket("groupX", "999", FlagAlgorithm::Unleash), 25);
    assert_eq!(murmur3_32("gr1:123", UNLEASH_VARIANT_SEED) % 100 + 1, 96);
    assert_eq!(murmur3_32("groupX:999", UNLEASH_VARIANT_SEED) % 100 + 1, 60);
    // flagd: "fractional-flagjack", total 100 → 62.
    assert_eq!(
        flag_bucket("fractional-flag", "jack", FlagAlgorithm::Flagd),
        62
    );
}

#[test]
fn unleash_rollout_is_bucket_at_most_percentage() {
    let at = |p: u32| {
        flag_enabled(
            &flag(&format!(r#"{{"key": "AB12A", "percentage": {p}}}"#)),
            "122",
        )
        .unwrap()
    };
    assert!(!at(22).enabled);
    assert!(at(23).enabled);
    assert!(!at(0).enabled);
    assert_eq!(at(22).reasons[0].code, "flag_rollout_out");
    // The group id, not the key, is hashed.
    let f = flag(r#"{"key": "other", "group_id": "AB12A", "percentage": 23}"#);
    assert_eq!(flag_enabled(&f, "122").unwrap().bucket, 23);
}

#[test]
fn flagd_fractional_picks_by_running_weight() {
    let f = flag(
        r#"{"key": "fractional-flag", "algorithm": "flagd", "variants": [
        {"name": "clubs", "weight": 25}, {"name": "diamonds", "weight": 25},
        {"name": "hearts", "weight": 25}, {"name": "spades", "weight": 25}]}"#,
    );
    let d = flag_enabled(&f, "jack").unwrap();
    assert_eq!(
        (d.bucket, d.variant.as_deref(), d.enabled),
        (62, Some("hearts"), true)
    );
    assert_eq!(
        d.reasons[1].message,
        "variant `hearts` holds weights 50–75 of 100"
    );
    let on_off = |p: u32| {
        flag_enabled(
            &flag(&format!(
                r#"{{"key": "fractional-flag", "algorithm": "flagd", "percentage": {p}}}"#
            )),
            "jack",
        )
        .unwrap()
    };
    assert_eq!(on_off(63).variant.as_deref(), Some("on"));
    assert!(on_off(63).enabled);
    assert!(!on_off(62).enabled);
    assert_eq!(on_off(62).variant.as_deref(), Some("off"));
}

#[test]
fn unleash_variants_use_the_variant_seed() {
    // target = hash("gr1:123", 86028157) mod 100 + 1 = 96 → the second variant (50 < 96 ≤ 100).
    let f = flag(
        r#"{"key": "gr1", "variants": [{"name": "a", "weight": 50}, {"name": "b", "weight": 50}]}"#,
    );
    assert_eq!(
        flag_enabled(&f, "123").unwrap().variant.as_deref(),
        Some("b")
    );
    let f = flag(
        r#"{"key": "gr1", "variants": [{"name": "a", "weight": 96}, {"name": "b", "weight": 4}]}"#,
    );
    assert_eq!(
        flag_enabled(&f, "123").unwrap().variant.as_deref(),
        Some("a")
    );
    let f = flag(
        r#"{"key": "gr1", "variants": [{"name": "z", "weight": 0}, {"name": "a", "weight": 95}, {"name": "b", "weight": 5}]}"#,
    );
    assert_eq!(
        flag_enabled(&f, "123").unwrap().variant.as_deref(),
        Some("b")
    );
}

#[test]
fn bad_flags_are_typed_errors() {
    for (json, code, path) in [
        (
            r#"{"key": "k", "percentage": 101}"#,
            "invalid_percentage",
            "/percentage",
        ),
        (
            r#"{"key": "k", "percentage": -1}"#,
            "invalid_percentage",
            "/percentage",
        ),
        (
            r#"{"key": "k", "percentage": 2.5}"#,
            "invalid_percentage",
            "/percentage",
        ),
        (
            r#"{"key": "k", "variants": [{"name": "a"}, {"name": "a"}]}"#,
            "duplicate_record",
            "/variants/1/name",
        ),
        (
            r#"{"key": "k", "algorithm": "flagd", "percentage": 5, "variants": [{"name": "a"}]}"#,
            "invalid_input",
            "/percentage",
        ),
        (
            r#"{"key": "k", "algorithm": "flagd", "group_id": "g"}"#,
            "invalid_input",
            "/group_id",
        ),
        (
            r#"{"key": "k", "algorithm": "flagd", "variants": [{"name": "a", "weight": 4294967295}]}"#,
            "invalid_input",
            "/variants",
        ),
    ] {
        let err = flag_enabled(&flag(json), "u").unwrap_err();
        assert_eq!((err.code(), err.path()), (code, path), "{json}");
    }
}
