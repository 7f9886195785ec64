//! The data of a canary run: per metric, the baseline's and the canary's
//! samples or event counts, and the cleaning of samples (NaN policy,
//! outliers) before they are compared.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::config::{as_canary_error, MetricConfig, NanPolicy, Outliers};
use crate::error::{pointer_token, CanaryError, Error, Result};
use crate::stats::{self, quantile::type7};

/// The canary and baseline data of every metric, keyed by metric name.
pub type CanaryData = BTreeMap<String, MetricData>;

/// One metric's data.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MetricData {
    /// The reference population.
    pub baseline: Sample,
    /// The population under test.
    pub canary: Sample,
}

/// Samples or counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Sample {
    /// Observations; NaN for missing values (JSON `null`).
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Option<f64>>"))]
    Values(Vec<f64>),
    /// Event counts.
    Counts(Counts),
}

/// Event counts over trials (proportion) or over exposure (rate).
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Number of events (errors, crashes).
    pub events: f64,
    /// Number of trials (requests); the events are a subset.
    pub trials: Option<f64>,
    /// Exposure (time, traffic share) for a Poisson rate.
    pub exposure: Option<f64>,
}

impl<'de> Deserialize<'de> for Sample {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct SampleVisitor;
        impl<'de> Visitor<'de> for SampleVisitor {
            type Value = Sample;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of numbers (null for missing) or {\"events\", \"trials\"}")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Sample, A::Error> {
                crate::wire::read_sample_seq(seq).map(Sample::Values)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Sample, A::Error> {
                Counts::deserialize(de::value::MapAccessDeserializer::new(map)).map(Sample::Counts)
            }
        }
        deserializer.deserialize_any(SampleVisitor)
    }
}

/// Reads canary data from any serde source; malformed input is
/// `invalid_config` with a path starting with `data/`.
///
/// ```
/// let v = serde_json::json!({"cpu": {"baseline": [1, 2], "canary": "x"}});
/// let err = rollgate::verdict::parse_data(v).unwrap_err();
/// assert_eq!((err.code(), err.path()), ("invalid_config", "data/cpu/canary"));
/// ```
pub fn parse_data(value: serde_json::Value) -> Result<CanaryData> {
    crate::wire::from_value(value).map_err(|e| as_canary_error(e, "data"))
}

pub(crate) fn data_path(metric: &str, side: &str) -> String {
    format!("data/{}/{side}", pointer_token(metric))
}

/// Applies the NaN policy and outlier rule to one side's values.
pub(crate) fn clean(
    metric: &MetricConfig,
    values: &[f64],
    side: &str,
) -> Result<(Vec<f64>, usize, usize)> {
    let mut removed_nan = 0;
    let mut kept = Vec::with_capacity(values.len());
    for (index, &v) in values.iter().enumerate() {
        if v.is_finite() {
            kept.push(v + 0.0);
        } else if metric.nan_policy == NanPolicy::Remove {
            removed_nan += 1;
        } else {
            return Err(Error::new(
                format!("{}/{index}", data_path(&metric.name, side)),
                CanaryError::InvalidSample {
                    metric: Some(metric.name.clone()),
                    index,
                    value: stats::format_non_finite(v),
                },
            ));
        }
    }
    let mut kept = stats::sort_values(kept);
    let mut removed_outliers = 0;
    if metric.outliers == Outliers::Iqr && kept.len() >= 4 {
        let factor = metric.outlier_factor.unwrap_or(3.0);
        let q1 = type7(&kept, 0.25);
        let q3 = type7(&kept, 0.75);
        let iqr = q3 - q1;
        let (lo, hi) = (q1 - factor * iqr, q3 + factor * iqr);
        let before = kept.len();
        kept.retain(|&v| v >= lo && v <= hi);
        removed_outliers = before - kept.len();
    }
    Ok((kept, removed_nan, removed_outliers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn metric(extra: serde_json::Value) -> MetricConfig {
        let mut m = json!({"name": "lat/p"});
        m.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        crate::wire::from_value(m).unwrap()
    }

    #[test]
    fn samples_read_lists_with_null_and_counts() {
        let data = parse_data(
            json!({"a": {"baseline": [1, null, 2.5], "canary": {"events": 3, "trials": 10}}}),
        )
        .unwrap();
        let Sample::Values(v) = &data["a"].baseline else {
            panic!()
        };
        assert_eq!((v.len(), v[0], v[2]), (3, 1.0, 2.5));
        assert!(v[1].is_nan());
        assert_eq!(
            data["a"].canary,
            Sample::Counts(Counts {
                events: 3.0,
                trials: Some(10.0),
                exposure: None
            })
        );
        let err = parse_data(json!({"a": {"baseline": [1], "canary": {"events": 1, "colour": 2}}}))
            .unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_config", "data/a/canary/colour")
        );
        let err = parse_data(json!({"a": {"baseline": true, "canary": [1]}})).unwrap_err();
        assert!(err.message().contains("a list of numbers"), "{err}");
    }

    #[test]
    fn reject_names_metric_and_index() {
        let err = clean(&metric(json!({})), &[1.0, f64::NEG_INFINITY], "canary").unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_sample", "data/lat~1p/canary/1")
        );
        assert_eq!(err.details()["metric"], "lat/p");
        assert_eq!(err.details()["value"], "-inf");
    }

    #[test]
    fn remove_drops_non_finite_and_sorts() {
        let (kept, nan, outliers) = clean(
            &metric(json!({"nan_policy": "remove"})),
            &[3.0, f64::NAN, -0.0, 1.0, f64::INFINITY],
            "baseline",
        )
        .unwrap();
        assert_eq!((nan, outliers), (2, 0));
        assert_eq!(kept, [0.0, 1.0, 3.0]);
        assert!(kept[0].is_sign_positive());
    }

    #[test]
    fn iqr_fences_drop_only_beyond_factor_iqrs() {
        // Type-7 quartiles 2.5 and 5.5: IQR 3, factor 1 → fences [−0.5, 8.5].
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 100.0];
        let (kept, _, removed) = clean(
            &metric(json!({"outliers": "iqr", "outlier_factor": 1.0})),
            &values,
            "canary",
        )
        .unwrap();
        let q1 = type7(&values, 0.25);
        let q3 = type7(&values, 0.75);
        assert_eq!((q1, q3), (2.5, 5.5));
        assert_eq!(removed, 1);
        assert_eq!(kept, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        // The fence itself is kept: Q3 + 1·IQR = 8.5.
        let (kept, _, removed) = clean(
            &metric(json!({"outliers": "iqr", "outlier_factor": 1.0})),
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.5],
            "canary",
        )
        .unwrap();
        assert_eq!((kept.len(), removed), (7, 0));
        // Default factor 3 keeps a moderate tail; fewer than 4 values are never trimmed.
        let (_, _, removed) = clean(
            &metric(json!({"outliers": "iqr"})),
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 14.0],
            "canary",
        )
        .unwrap();
        assert_eq!(removed, 0);
        let (_, _, removed) = clean(
            &metric(json!({"outliers": "iqr", "outlier_factor": 0.0})),
            &[1.0, 2.0, 100.0],
            "canary",
        )
        .unwrap();
        assert_eq!(removed, 0);
    }
}
