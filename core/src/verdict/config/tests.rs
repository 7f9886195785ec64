//! Unit tests of the canary configuration: defaults, validation, reading.

use super::*;
use crate::error::{Error, Result};
use serde_json::json;

fn check(config: serde_json::Value) -> Result<()> {
    validate_config(&parse_config(config)?)
}

fn fails_at(config: serde_json::Value, path: &str) {
    let err = check(config).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_config", path), "{err}");
}

#[test]
fn defaults_are_kayentas() {
    let config = parse_config(json!({"metrics": [{"name": "a"}]})).unwrap();
    assert_eq!(
        config.thresholds,
        Thresholds {
            pass: 95.0,
            marginal: 75.0
        }
    );
    assert_eq!(config.correction, Correction::None);
    let m = &config.metrics[0];
    assert_eq!(
        (m.kind, m.compare, m.direction),
        (MetricKind::Continuous, Compare::Location, Direction::Either)
    );
    assert_eq!(
        (m.nan_policy, m.outliers),
        (NanPolicy::Reject, Outliers::Keep)
    );
    assert!(check(json!({"metrics": [{"name": "a"}]})).is_ok());
}

#[test]
fn alpha_is_the_decimal_complement_of_the_confidence() {
    assert_eq!(1.0 - 0.95, 0.050000000000000044);
    for (confidence, alpha) in [
        (0.95, 0.05),
        (0.9, 0.1),
        (0.99, 0.01),
        (0.999, 0.001),
        (0.975, 0.025),
        (0.5, 0.5),
        (0.1234, 0.8766),
        (0.9999999999999999, 1e-16),
        (1e-20, 0.99999999999999999999),
    ] {
        assert_eq!(alpha_of_confidence(confidence), alpha, "{confidence}");
    }
}

#[test]
fn min_samples_defaults_by_kind() {
    let m = |v: serde_json::Value| -> MetricConfig { crate::wire::from_value(v).unwrap() };
    assert_eq!(m(json!({"name": "a"})).judge_min_samples(), 30);
    assert_eq!(
        m(json!({"name": "a", "kind": "count"})).judge_min_samples(),
        1
    );
    assert_eq!(
        m(json!({"name": "a", "kind": "quantile"})).judge_min_samples(),
        1000
    );
    assert_eq!(
        m(json!({"name": "a", "kind": "quantile", "quantile": 0.95})).judge_min_samples(),
        200
    );
    assert_eq!(
        m(json!({"name": "a", "min_samples": 0})).judge_min_samples(),
        1
    );
    assert_eq!(
        m(json!({"name": "a", "min_samples": 7})).judge_min_samples(),
        7
    );
    assert_eq!(m(json!({"name": "a", "confidence": 0.9})).alpha(), 0.1);
    assert_eq!(m(json!({"name": "a"})).alpha(), 0.05);
}

#[test]
fn thresholds_must_be_ordered_within_0_and_100() {
    for (pass, marginal) in [(95.0, 96.0), (101.0, 75.0), (95.0, -1.0)] {
        fails_at(
            json!({"metrics": [], "thresholds": {"pass": pass, "marginal": marginal}}),
            "/thresholds",
        );
    }
    assert!(check(json!({"metrics": [], "thresholds": {"pass": 100, "marginal": 100}})).is_ok());
    assert!(check(json!({"metrics": [], "thresholds": {"pass": 0, "marginal": 0}})).is_ok());
}

#[test]
fn metric_fields_are_checked_with_their_path() {
    fails_at(json!({"metrics": [{"name": ""}]}), "/metrics/0/name");
    fails_at(
        json!({"metrics": [{"name": "a"}, {"name": "a"}]}),
        "/metrics/1/name",
    );
    fails_at(
        json!({"metrics": [{"name": "a", "confidence": 1.0}]}),
        "/metrics/0/confidence",
    );
    fails_at(
        json!({"metrics": [{"name": "a", "quantile": 0.0}]}),
        "/metrics/0/quantile",
    );
    fails_at(
        json!({"metrics": [{"name": "a", "quantile": 1.0}]}),
        "/metrics/0/quantile",
    );
    for field in [
        "allowed_increase",
        "allowed_decrease",
        "critical_increase",
        "critical_decrease",
        "outlier_factor",
    ] {
        fails_at(
            json!({"metrics": [{"name": "a", field: -0.5}]}),
            &format!("/metrics/0/{field}"),
        );
        assert!(
            check(json!({"metrics": [{"name": "a", field: 0.0}]})).is_ok(),
            "{field}"
        );
    }
    fails_at(
        json!({"metrics": [{"name": "a", "kind": "count", "compare": "distribution"}]}),
        "/metrics/0/compare",
    );
    assert!(check(
        json!({"metrics": [{"name": "a", "kind": "quantile", "compare": "distribution"}]})
    )
    .is_ok());
}

#[test]
fn non_finite_bounds_are_rejected() {
    let mut config = parse_config(json!({"metrics": [{"name": "a"}]})).unwrap();
    config.metrics[0].max = Some(f64::INFINITY);
    let err = validate_config(&config).unwrap_err();
    assert_eq!(err.path(), "/metrics/0/max");
    config.metrics[0].max = Some(1.0);
    config.metrics[0].min = Some(f64::NAN);
    assert_eq!(
        validate_config(&config).unwrap_err().path(),
        "/metrics/0/min"
    );
    config.metrics[0].min = Some(-1.0);
    config.thresholds.pass = f64::NAN;
    assert_eq!(validate_config(&config).unwrap_err().path(), "/thresholds");
}

#[test]
fn group_weights_name_used_groups_and_add_up_to_at_most_100() {
    let metrics = json!([{"name": "a", "group": "x/y"}, {"name": "b"}]);
    fails_at(
        json!({"metrics": metrics, "groups": {"x/y": -1}}),
        "/groups/x~1y",
    );
    fails_at(
        json!({"metrics": metrics, "groups": {"z": 10}}),
        "/groups/z",
    );
    fails_at(
        json!({"metrics": metrics, "groups": {"x/y": 60, "default": 41}}),
        "/groups",
    );
    assert!(check(json!({"metrics": metrics, "groups": {"x/y": 60, "default": 40}})).is_ok());
}

#[test]
fn wire_errors_become_canary_errors_with_their_path() {
    let err = parse_config(json!({"metrics": [{"name": "a", "kind": "gauge"}]})).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_config", "/metrics/0/kind")
    );
    assert_eq!(err.family(), crate::ErrorFamily::Canary);
    let err = as_canary_error(Error::invalid_input("a/1", "bad"), "data");
    assert_eq!(
        (err.code(), err.path(), err.message().as_str()),
        ("invalid_config", "data/a/1", "bad")
    );
    let own = Error::new(
        "x",
        crate::error::CanaryError::UnknownMetric { metric: "m".into() },
    );
    assert_eq!(as_canary_error(own.clone(), ""), own);
}
