//! Minimal reproducers of what fuzzing found (`core/fuzz/README.md` lists
//! every finding, the target and the input that found it). Each test failed
//! before the fix it names.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rollgate::stats::{compare_rates, sequential_count_test, Alternative};
use rollgate::{append_change_record, verify_change_log, wire, ChangeRecord, ChangeRecordInput};
use serde_json::json;

/// json_text: an unknown key holding a backtick was cut at the backtick when
/// the serde message was parsed — wrong field name, a bogus extra path
/// segment (`/services/0/de`ploy/de`) and a garbled `expected` list.
#[test]
fn unknown_field_named_with_a_backtick() {
    let err =
        rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "a", "de`ploy": 1}]}"#)
            .unwrap_err();
    assert_eq!(err.code(), "unknown_field");
    assert_eq!(err.path(), "/services/0/de`ploy");
    let details = err.details();
    assert_eq!(details["field"], "de`ploy");
    let expected = details["expected"].as_array().unwrap();
    assert!(expected.contains(&json!("deploy_duration")), "{expected:?}");
    assert!(
        expected.iter().all(|e| !e.as_str().unwrap().is_empty()),
        "{expected:?}"
    );
}

/// json_text, json_structured: serde_json reads a decimal number to the
/// nearest double only with its `float_roundtrip` feature; without it about
/// a quarter of all doubles come back one ulp off. A change record stored
/// as JSON then failed verification (`hash_mismatch`), and a schedule read
/// back was not the schedule written.
#[test]
fn numbers_read_from_json_are_the_numbers_written() {
    let v = 1.986_061_915_551_879e-8_f64;
    let back: f64 = wire::from_json(&serde_json::to_string(&v).unwrap()).unwrap();
    assert_eq!(back.to_bits(), v.to_bits());

    let input = ChangeRecordInput {
        kind: "risk".into(),
        at: None,
        inputs: json!({"probability": v}),
        outputs: json!({}),
    };
    let record = append_change_record(None, &input).unwrap();
    let stored: ChangeRecord = wire::from_json(&serde_json::to_string(&record).unwrap()).unwrap();
    let report = verify_change_log(&[stored], None).unwrap();
    assert!(report.valid, "{report:?}");
}

/// stats_kernels: the Bayes factor overflowed to infinity (JSON `null`) for
/// ordinary counts — 1,000 canary errors against none on 10 % of traffic.
#[test]
fn sequential_bayes_factor_stays_finite() {
    let r = sequential_count_test(&[[1000.0, 0.0]], 0.1, 100.0, 0.05).unwrap();
    assert!(r.looks[0].bayes_factor.is_finite(), "{:?}", r.looks[0]);
    assert_eq!(r.looks[0].bayes_factor, f64::MAX);
    assert!(r.reject);
    // Tiny allocations overflow it too (found first).
    let r = sequential_count_test(&[[3.0, 9.0]], 3.47e-164, 57.0, 0.5).unwrap();
    assert!(r.looks[0].bayes_factor.is_finite(), "{:?}", r.looks[0]);
}

/// stats_kernels: a rate that overflows (17 events in 3.5e-310 units of
/// exposure) came back as an infinite `rate_x` and `ratio`.
#[test]
fn overflowing_rate_is_a_typed_error() {
    let err = compare_rates(
        17.0,
        3.476_704_985_785_17e-310,
        9.0,
        3600.0,
        Alternative::TwoSided,
        0.95,
    )
    .unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_count", "exposure_x"));
    // A ratio beyond the double range is unbounded (None), its rates finite.
    let r = compare_rates(1.0, 1e-300, 1.0, 1e10, Alternative::TwoSided, 0.95).unwrap();
    assert_eq!(r.ratio, None);
    assert!(r.rate_x.is_finite() && r.rate_y.is_finite(), "{r:?}");
    // judge_canary names the exposure in its own data.
    let config =
        rollgate::verdict::parse_config(json!({"metrics": [{"name": "errors", "kind": "count"}]}))
            .unwrap();
    let data = rollgate::verdict::parse_data(json!({"errors": {
        "baseline": {"events": 9, "exposure": 3600}, "canary": {"events": 17, "exposure": 3.5e-310}}})).unwrap();
    let err = rollgate::judge_canary(&config, &data).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_count", "data/errors/canary/exposure")
    );
    // Large but representable rates are fine.
    let r = compare_rates(1.0, 1e-300, 1.0, 1.0, Alternative::TwoSided, 0.95).unwrap();
    let ratio = r.ratio.unwrap();
    assert!((ratio / 1e300 - 1.0).abs() < 1e-15, "{ratio}");
}

/// stats_kernels: exposures near the top of the f64 range overflowed their
/// sum, so equal rates looked maximally different (p = 0 instead of 1), and
/// the interval's upper end overflowed to unbounded.
#[test]
fn huge_equal_exposures_are_equal_rates() {
    let r = compare_rates(1.0, 1e308, 1.0, 1e308, Alternative::TwoSided, 0.95).unwrap();
    assert_eq!(r.p_value, 1.0);
    let small = compare_rates(1.0, 1.0, 1.0, 1.0, Alternative::TwoSided, 0.95).unwrap();
    assert_eq!(r.p_value, small.p_value);
    assert_eq!(r.ci, small.ci);
}

/// stats_kernels: a huge prior concentration made the Bayes factor NaN
/// (ln-gamma overflow, from 1e306); reading the code behind it showed the
/// worse failure: from about 1e15 the log-gamma differences cancel, and
/// data that cannot reject (k → ∞ means "the rates are equal") rejected
/// with p = 7.5e-37. Concentrations above 1e9 are now `invalid_config`.
#[test]
fn sequential_concentration_is_bounded() {
    let looks = [[3.0, 9.0], [30.0, 90.0]];
    let r = sequential_count_test(&looks, 0.5, 1e9, 0.05).unwrap();
    assert!(r.p_value > 0.99 && !r.reject, "{r:?}");
    // Beyond that: a typed error, or the same answer (never a rejection of
    // data whose rates agree with the allocation, never a NaN).
    for k in [1e15, 1e16, 1e306, f64::MAX] {
        match sequential_count_test(&looks, 0.5, k, 0.05) {
            Ok(r) => {
                assert!(r.p_value > 0.99 && !r.reject, "{k}: {r:?}");
                assert!(
                    r.looks.iter().all(|l| l.bayes_factor.is_finite()),
                    "{k}: {r:?}"
                );
            }
            Err(err) => assert_eq!(
                (err.code(), err.path()),
                ("invalid_config", "concentration"),
                "{k}"
            ),
        }
    }
}

/// json_structured: JSON text and host values had depth limits one level
/// apart — serde_json's own limit stops text at 127 levels, DepthLimited
/// stops values at 128 — so a document nested exactly 128 levels was read
/// from a binding and rejected from text, and deeper ones failed at paths
/// one segment apart. Text now gets DepthLimited's limit too, and very deep
/// text still cannot overflow a 1 MiB stack (debug build).
#[test]
fn json_text_and_values_share_one_depth_limit() {
    let nest = |n: usize| (0..n).fold(json!(1), |v, _| json!([v]));
    let read = |doc: &serde_json::Value| {
        let by_value = wire::from_value::<ChangeRecordInput>(doc.clone());
        let by_text = wire::from_json::<ChangeRecordInput>(&doc.to_string());
        let key = |r: rollgate::Result<ChangeRecordInput>| {
            r.map(|_| ()).map_err(|e| (e.code(), e.path().to_string()))
        };
        (key(by_value), key(by_text))
    };
    for n in [126, 127, 128, 200] {
        let (by_value, by_text) = read(&json!({"kind": "k", "inputs": nest(n), "outputs": {}}));
        assert_eq!(by_value, by_text, "{n} levels");
        assert_eq!(by_value.is_ok(), n < 128, "{n} levels");
    }
    let text = format!(
        "{{\"kind\": \"k\", \"inputs\": {}1{}, \"outputs\": {{}}}}",
        "[".repeat(1_000_000),
        "]".repeat(1_000_000)
    );
    let small_stack = std::thread::Builder::new().stack_size(1024 * 1024);
    let err = small_stack
        .spawn(move || wire::from_json::<ChangeRecordInput>(&text).unwrap_err())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(err.code(), "invalid_input");
}

/// json_text (CI smoke run, 2026-11-30): in the years before standard time a
/// zone's offset has seconds (New York: −04:56:02). The slot was written as
/// `1013-03-08T09:00:00-04:56`, which names an instant two seconds away, and
/// that instant was not allowed. Such instants are now written in UTC.
#[test]
fn slots_in_local_mean_time_read_back_as_the_same_instant() {
    let calendar: rollgate::CalendarSpec = wire::from_json(
        r#"{"time_zone": "America/New_York",
            "allow": [{"days": ["mon","tue","wed","thu","fri","sat","sun"], "start": "09:00", "end": "10:00"}]}"#,
    )
    .unwrap();
    let after = rollgate::window::parse_timestamp("after", "1013-03-08T00:00:00Z").unwrap();
    let duration = rollgate::DurationSecs(600);
    let slot = rollgate::next_window(
        &calendar,
        after,
        duration,
        rollgate::window::DEFAULT_HORIZON,
    )
    .unwrap();
    assert_eq!(slot.start, "1013-03-08T13:56:02Z");
    let start = rollgate::window::parse_timestamp("start", &slot.start).unwrap();
    assert!(
        rollgate::check_window(&calendar, start, duration)
            .unwrap()
            .allowed
    );

    let at = rollgate::window::parse_timestamp("at", "1013-03-08T12:00:00Z").unwrap();
    let check = rollgate::check_window(&calendar, at, duration).unwrap();
    assert_eq!(
        check.next_allowed_start.as_deref(),
        Some("1013-03-08T13:56:02Z")
    );
}
