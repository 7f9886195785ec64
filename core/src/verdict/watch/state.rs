//! The state of a canary watch between updates: per metric and arm the
//! sufficient statistics of its test (never the raw samples), the running
//! anytime-valid p-values and confidence sequences, the times of the first
//! and last update, and a fingerprint of the configuration it belongs to.
//!
//! Its size depends on the number of metrics and, for quantile tests, on
//! the spread of the values (one counter per occupied histogram bin), never
//! on the number of samples.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::config::{MetricPlan, TestKind};
use crate::change::Timestamp;
use crate::error::{CanaryError, Error, Result};
use crate::stats::sequential::histogram::Histogram;
use crate::stats::sequential::means::Moments;
use crate::verdict::config::CanaryConfig;

/// The version of the state format this build reads and writes.
pub const WATCH_STATE_VERSION: u32 = 1;

/// The stored state of a canary watch: a small versioned JSON value the
/// caller keeps between [`update_canary_watch`](super::update_canary_watch) calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WatchState {
    /// The state format's version ([`WATCH_STATE_VERSION`]).
    pub version: u32,
    /// Hex of the first 8 bytes of the SHA-256 of the configuration's
    /// canonical JSON: a state only continues under the configuration it
    /// was started with.
    pub fingerprint: String,
    /// Number of updates so far.
    pub looks: u64,
    /// Time of the first update (`null` before it): the bake counts from here.
    pub started_at: Option<Timestamp>,
    /// Time of the last update; a batch may not be earlier.
    pub last_at: Option<Timestamp>,
    /// Per metric, by name.
    pub metrics: BTreeMap<String, MetricState>,
}

/// One metric's sufficient statistics and running evidence, by test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "test", rename_all = "snake_case", deny_unknown_fields)]
pub enum MetricState {
    /// Event counts per arm.
    DirichletMultinomial {
        /// The baseline's counts.
        baseline: CountArm,
        /// The canary's counts.
        canary: CountArm,
        /// The running evidence.
        running: Running,
    },
    /// Count, mean and M2 per arm.
    NormalMixture {
        /// The baseline's moments.
        baseline: Moments,
        /// The canary's moments.
        canary: Moments,
        /// The running evidence.
        running: Running,
    },
    /// A fixed-bin histogram per arm.
    QuantileSequence {
        /// The baseline's histogram.
        baseline: Histogram,
        /// The canary's histogram.
        canary: Histogram,
        /// The running evidence, one per watched quantile.
        running: Vec<Running>,
    },
}

/// One arm's event counts, with the trials or exposure they came from when
/// the batches give them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CountArm {
    /// Events (errors, crashes).
    pub events: u64,
    /// Trials (requests), when every batch gave them.
    pub trials: Option<u64>,
    /// Exposure (time, traffic), when every batch gave it.
    pub exposure: Option<f64>,
}

/// The evidence a test has gathered over all looks: the smallest
/// anytime-valid p-value seen and the intersection of the confidence
/// sequences (both only ever tighten).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Running {
    /// The anytime-valid p-value of "no harm beyond the allowed effect".
    pub p_value: f64,
    /// The canary/baseline ratio's confidence sequence; `null` above is
    /// unbounded.
    #[serde(with = "crate::verdict::watch::state::interval")]
    #[cfg_attr(feature = "schema", schemars(with = "[Option<f64>; 2]"))]
    pub ci: [f64; 2],
}

impl Default for Running {
    fn default() -> Self {
        Running {
            p_value: 1.0,
            ci: [0.0, f64::INFINITY],
        }
    }
}

impl Running {
    /// Folds in one look's p-value and interval.
    pub(crate) fn update(&mut self, p_value: f64, ci: [f64; 2]) {
        self.p_value = self.p_value.min(p_value);
        self.ci = [self.ci[0].max(ci[0]), self.ci[1].min(ci[1])];
    }
}

/// An interval `[lo, hi]` with `hi` infinite written as `null`.
pub(crate) mod interval {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &[f64; 2], s: S) -> Result<S::Ok, S::Error> {
        let hi = v[1].is_finite().then_some(v[1]);
        s.collect_seq([Some(v[0]), hi])
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[f64; 2], D::Error> {
        let [lo, hi] = <[Option<f64>; 2]>::deserialize(d)?;
        Ok([lo.unwrap_or(0.0), hi.unwrap_or(f64::INFINITY)])
    }
}

/// The fingerprint of a configuration: its canonical JSON (the parsed
/// configuration with the watch section's defaults filled in, `null`
/// fields dropped, keys sorted, no spaces), hashed with SHA-256; the first
/// 8 bytes in lower-case hex.
pub(crate) fn fingerprint(config: &CanaryConfig) -> String {
    let mut config = config.clone();
    config.watch = Some(config.watch.unwrap_or_default());
    let value = serde_json::to_value(&config)
        .map(drop_nulls)
        .unwrap_or(serde_json::Value::Null);
    let digest = Sha256::digest(value.to_string().as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn drop_nulls(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, drop_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(drop_nulls).collect()),
        other => other,
    }
}

/// A new state for a configuration's plans.
pub(crate) fn fresh(fingerprint: String, plans: &[MetricPlan<'_>]) -> WatchState {
    let metrics = plans
        .iter()
        .map(|p| {
            let state = match &p.test {
                TestKind::Counts => MetricState::DirichletMultinomial {
                    baseline: CountArm::default(),
                    canary: CountArm::default(),
                    running: Running::default(),
                },
                TestKind::Means => MetricState::NormalMixture {
                    baseline: Moments::default(),
                    canary: Moments::default(),
                    running: Running::default(),
                },
                TestKind::Quantiles(qs) => MetricState::QuantileSequence {
                    baseline: Histogram::default(),
                    canary: Histogram::default(),
                    running: vec![Running::default(); qs.len()],
                },
            };
            (p.metric.name.clone(), state)
        })
        .collect();
    WatchState {
        version: WATCH_STATE_VERSION,
        fingerprint,
        looks: 0,
        started_at: None,
        last_at: None,
        metrics,
    }
}

fn incompatible(path: &str, message: String) -> Error {
    Error::new(path.to_string(), CanaryError::IncompatibleState { message })
}

/// Checks that a stored state belongs to this configuration and fits its
/// plans: same version and fingerprint, the same metrics with the same
/// tests, consistent histograms and running evidence.
pub(crate) fn check(state: &WatchState, fingerprint: &str, plans: &[MetricPlan<'_>]) -> Result<()> {
    if state.version != WATCH_STATE_VERSION {
        return Err(incompatible(
            "state/version",
            format!(
                "the state has version {}, this build reads version {WATCH_STATE_VERSION}",
                state.version
            ),
        ));
    }
    if state.fingerprint != fingerprint {
        return Err(incompatible(
            "state/fingerprint",
            format!(
                "the state was started with another configuration (fingerprint {}, this configuration's is {fingerprint})",
                state.fingerprint
            ),
        ));
    }
    if state.metrics.len() != plans.len() {
        return Err(incompatible(
            "state/metrics",
            "the state's metrics are not the configuration's".into(),
        ));
    }
    for plan in plans {
        let name = &plan.metric.name;
        let path = format!("state/metrics/{}", crate::error::pointer_token(name));
        let fits = match (state.metrics.get(name), &plan.test) {
            (Some(MetricState::DirichletMultinomial { .. }), TestKind::Counts) => true,
            (
                Some(MetricState::NormalMixture {
                    baseline, canary, ..
                }),
                TestKind::Means,
            ) => [baseline, canary]
                .iter()
                .all(|m| m.mean.is_finite() && m.m2.is_finite() && m.m2 >= 0.0),
            (
                Some(MetricState::QuantileSequence {
                    baseline,
                    canary,
                    running,
                }),
                TestKind::Quantiles(qs),
            ) => running.len() == qs.len() && baseline.is_consistent() && canary.is_consistent(),
            _ => false,
        };
        if !fits {
            return Err(incompatible(
                &path,
                format!("the state of metric `{name}` does not fit its configuration"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: serde_json::Value) -> CanaryConfig {
        crate::verdict::parse_config(v).unwrap()
    }

    #[test]
    fn fingerprints_ignore_spelling_but_not_meaning() {
        let a = config(json!({"metrics": [{"name": "e", "kind": "count"}]}));
        let b = config(
            json!({"watch": {"alpha": 0.05}, "metrics": [{"kind": "count", "name": "e", "group": null}]}),
        );
        let c =
            config(json!({"metrics": [{"name": "e", "kind": "count"}], "watch": {"alpha": 0.01}}));
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert_ne!(fingerprint(&a), fingerprint(&c));
        assert_eq!(fingerprint(&a).len(), 16);
        assert!(fingerprint(&a).bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn states_round_trip_through_json() {
        let c = config(
            json!({"metrics": [{"name": "e", "kind": "count"}, {"name": "l"}, {"name": "p", "kind": "quantile"}]}),
        );
        let (_, plans) = super::super::config::plan(&c).unwrap();
        let mut state = fresh(fingerprint(&c), &plans);
        if let Some(MetricState::QuantileSequence {
            canary, running, ..
        }) = state.metrics.get_mut("p")
        {
            canary.add(&[1.0, 2.0, 2.0]);
            running[0].update(0.3, [0.5, 2.0]);
        }
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(json["metrics"]["e"]["test"], "dirichlet_multinomial");
        assert_eq!(json["metrics"]["e"]["running"]["ci"], json!([0.0, null]));
        assert_eq!(json["metrics"]["p"]["running"][0]["ci"], json!([0.5, 2.0]));
        let back: WatchState = serde_json::from_value(json).unwrap();
        assert_eq!(back, state);
        assert!(check(&back, &fingerprint(&c), &plans).is_ok());
    }

    #[test]
    fn foreign_states_are_incompatible() {
        let c = config(json!({"metrics": [{"name": "e", "kind": "count"}]}));
        let (_, plans) = super::super::config::plan(&c).unwrap();
        let state = fresh(fingerprint(&c), &plans);
        let code_path = |s: &WatchState| {
            let e = check(s, &fingerprint(&c), &plans).unwrap_err();
            (e.code(), e.path().to_string())
        };
        let mut newer = state.clone();
        newer.version = 2;
        assert_eq!(
            code_path(&newer),
            ("incompatible_state", "state/version".into())
        );
        let mut other = state.clone();
        other.fingerprint = "0000000000000000".into();
        assert_eq!(
            code_path(&other),
            ("incompatible_state", "state/fingerprint".into())
        );
        let mut wrong = state.clone();
        wrong.metrics.insert(
            "e".into(),
            MetricState::NormalMixture {
                baseline: Moments::default(),
                canary: Moments::default(),
                running: Running::default(),
            },
        );
        assert_eq!(
            code_path(&wrong),
            ("incompatible_state", "state/metrics/e".into())
        );
        let mut extra = state;
        extra.metrics.insert(
            "x".into(),
            MetricState::NormalMixture {
                baseline: Moments::default(),
                canary: Moments::default(),
                running: Running::default(),
            },
        );
        assert_eq!(
            code_path(&extra),
            ("incompatible_state", "state/metrics".into())
        );
    }

    #[test]
    fn running_evidence_only_tightens() {
        let mut r = Running::default();
        r.update(0.5, [0.8, 1.5]);
        r.update(0.7, [0.7, 1.2]);
        assert_eq!(
            r,
            Running {
                p_value: 0.5,
                ci: [0.8, 1.2]
            }
        );
    }
}
