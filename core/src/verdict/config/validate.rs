//! Validation of a canary configuration that has been read: what its types
//! alone cannot say (value ranges, unique metric names, group weights), each
//! fault an `invalid_config` error at the offending value's path.

use std::collections::{BTreeMap, BTreeSet};

use super::{CanaryConfig, Compare, MetricKind};
use crate::error::{pointer_token, Error, Result};
use crate::stats;
use crate::verdict::DEFAULT_GROUP;

/// An `invalid_config` error of the canary family at `path`.
pub(crate) fn invalid(path: String, message: String) -> Error {
    Error::invalid_config(path, message)
}

/// Checks a configuration that has been read: thresholds, each metric's
/// fields, group weights.
pub(crate) fn validate_config(config: &CanaryConfig) -> Result<()> {
    let t = config.thresholds;
    if !(t.pass.is_finite() && t.marginal.is_finite())
        || t.marginal < 0.0
        || t.pass > 100.0
        || t.marginal > t.pass
    {
        return Err(invalid(
            "/thresholds".into(),
            format!(
                "thresholds must satisfy 0 <= marginal <= pass <= 100, got pass {} and marginal {}",
                t.pass, t.marginal
            ),
        ));
    }
    let mut seen = BTreeMap::new();
    let mut groups_used = BTreeSet::new();
    for (i, m) in config.metrics.iter().enumerate() {
        let at = |field: &str| format!("/metrics/{i}/{field}");
        if m.name.is_empty() {
            return Err(invalid(at("name"), "metric name must not be empty".into()));
        }
        if let Some(first) = seen.insert(m.name.clone(), i) {
            return Err(invalid(
                at("name"),
                format!(
                    "duplicate metric `{}` (already at /metrics/{first})",
                    m.name
                ),
            ));
        }
        if let Some(c) = m.confidence {
            stats::check_confidence(c, &at("confidence"))?;
        }
        if let Some(q) = m.quantile {
            if !(q.is_finite() && q > 0.0 && q < 1.0) {
                return Err(invalid(
                    at("quantile"),
                    format!("quantile must be strictly between 0 and 1, got {q}"),
                ));
            }
        }
        for (field, value) in [
            ("allowed_increase", m.allowed_increase),
            ("allowed_decrease", m.allowed_decrease),
            ("critical_increase", m.critical_increase),
            ("critical_decrease", m.critical_decrease),
            ("outlier_factor", m.outlier_factor),
        ] {
            if let Some(v) = value {
                if !(v.is_finite() && v >= 0.0) {
                    return Err(invalid(
                        at(field),
                        format!("{field} must be a finite ratio >= 0, got {v}"),
                    ));
                }
            }
        }
        for (field, value) in [("min", m.min), ("max", m.max)] {
            if value.is_some_and(|v| !v.is_finite()) {
                return Err(invalid(at(field), format!("{field} must be finite")));
            }
        }
        if m.kind == MetricKind::Count && m.compare == Compare::Distribution {
            return Err(invalid(
                at("compare"),
                "count metrics cannot be compared as distributions".into(),
            ));
        }
        groups_used.insert(m.group.clone().unwrap_or_else(|| DEFAULT_GROUP.into()));
    }
    let mut total = 0.0;
    for (name, weight) in &config.groups {
        let path = format!("/groups/{}", pointer_token(name));
        if !(weight.is_finite() && *weight >= 0.0) {
            return Err(invalid(
                path,
                format!("group weight must be >= 0, got {weight}"),
            ));
        }
        if !groups_used.contains(name) {
            return Err(invalid(
                path,
                format!("no metric belongs to group `{name}`"),
            ));
        }
        total += weight;
    }
    if total > 100.0 + 1e-9 {
        return Err(invalid(
            "/groups".into(),
            format!("group weights add up to {total}, more than 100"),
        ));
    }
    Ok(())
}
