//! The `watch` section of a [`CanaryConfig`](crate::verdict::CanaryConfig)
//! and the plan it gives each metric: which anytime-valid test, at what
//! level, against which allowed effect.
//!
//! # Choosing the mixing parameters
//!
//! Each test mixes its likelihood ratio over a prior on the effect; the
//! prior's width decides at which effect size (and so at which sample size)
//! the test is sharpest. Too wide and small effects take long; too narrow
//! and large effects take a little longer than they could. The cost of a
//! poor choice grows only like a logarithm, so the defaults suit most
//! canaries; tune them from the smallest effect worth catching:
//!
//! - `count_concentration` k (default 100, Lindon & Malek's): the prior
//!   on the canary's share θ of the events has standard deviation
//!   `√(a(1 − a)/(k + 1))`. For a smallest rate ratio ρ worth catching, the
//!   share moves by `Δ = aρ/(aρ + 1 − a) − a`; take `k ≈ a(1 − a)/Δ²`
//!   (allocation 0.5: ρ = 1.2 gives k ≈ 120, ρ = 2 gives k ≈ 25).
//! - `mean_mixing_sd` φ (default 0.1): the prior standard deviation of the
//!   difference of means, in standard deviations of the metric. Take the
//!   smallest harmful difference in standard deviations (latency with a
//!   coefficient of variation of 0.5 and +5 % worth catching: 0.1).
//! - `quantile_concentration` c (default `max(100, 4·q/(1 − q))` for q ≥ ½,
//!   mirrored below: 396 for a p99): the prior on the share of values below
//!   the quantile has standard deviation `√(q(1 − q)/(c + 1))`. Take
//!   `c ≈ q(1 − q)/Δ²` with Δ the smallest change of that share worth
//!   catching (for a p99, 1 % of requests above it becoming 1.5 %: Δ = 0.005,
//!   c ≈ 396).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::verdict::config::{CanaryConfig, Compare, Direction, MetricConfig, MetricKind};
use crate::wire::DurationSecs;

/// How a canary watch tests and decides: the run's error level, the bake
/// before a promotion, the budget, the canary's traffic share and the
/// mixing parameters of the tests. Every field has a default.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WatchConfig {
    /// The chance of a false rollback for the whole run, however often it
    /// is looked at (default 0.05); split equally across the deciding
    /// metrics (Bonferroni).
    #[serde(default = "default_alpha")]
    pub alpha: f64,
    /// Bake time before any promotion, from the first update (default 10m).
    #[serde(default = "default_min_duration")]
    pub min_duration: DurationSecs,
    /// Samples per arm every deciding metric must have before a promotion
    /// (trials for counts that give them; default 500).
    #[serde(default = "default_min_samples")]
    pub min_samples: u64,
    /// After this time from the first update without a decision, the
    /// verdict is `inconclusive` (default 24h).
    #[serde(default = "default_max_duration")]
    pub max_duration: Option<DurationSecs>,
    /// After the canary arm of any deciding metric has this many samples
    /// (trials for counts) without a decision, the verdict is
    /// `inconclusive` (default: no limit).
    #[serde(default)]
    pub max_samples: Option<u64>,
    /// The canary's share of the traffic, in (0, 1): the share of events it
    /// gets when its rate equals the baseline's (default 0.5: canary and
    /// baseline of equal size, as Kayenta recommends).
    #[serde(default = "default_allocation")]
    pub allocation: f64,
    /// The count test's prior concentration `k` (default 100).
    #[serde(default = "default_count_concentration")]
    pub count_concentration: f64,
    /// The mean test's mixing standard deviation φ, in standard deviations
    /// of the metric (default 0.1).
    #[serde(default = "default_mean_mixing_sd")]
    pub mean_mixing_sd: f64,
    /// The quantile test's prior concentration `c` (default per quantile,
    /// see the module documentation).
    #[serde(default)]
    pub quantile_concentration: Option<f64>,
}

fn default_alpha() -> f64 {
    0.05
}
fn default_min_duration() -> DurationSecs {
    DurationSecs(600)
}
fn default_min_samples() -> u64 {
    500
}
fn default_max_duration() -> Option<DurationSecs> {
    Some(DurationSecs(86_400))
}
fn default_allocation() -> f64 {
    0.5
}
fn default_count_concentration() -> f64 {
    100.0
}
fn default_mean_mixing_sd() -> f64 {
    0.1
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            alpha: default_alpha(),
            min_duration: default_min_duration(),
            min_samples: default_min_samples(),
            max_duration: default_max_duration(),
            max_samples: None,
            allocation: default_allocation(),
            count_concentration: default_count_concentration(),
            mean_mixing_sd: default_mean_mixing_sd(),
            quantile_concentration: None,
        }
    }
}

impl WatchConfig {
    /// Checks every field; errors are `invalid_config` at `/watch/<field>`.
    pub(crate) fn validate(&self) -> Result<()> {
        let bad = |field: &str, message: String| {
            Err(Error::invalid_config(format!("/watch/{field}"), message))
        };
        let open_unit = |v: f64| v.is_finite() && v > 0.0 && v < 1.0;
        let positive = |v: f64| v.is_finite() && v > 0.0;
        if !open_unit(self.alpha) {
            return bad(
                "alpha",
                format!("alpha must be strictly between 0 and 1, got {}", self.alpha),
            );
        }
        if !open_unit(self.allocation) {
            return bad(
                "allocation",
                format!("allocation (the canary's traffic share) must be strictly between 0 and 1, got {}", self.allocation),
            );
        }
        if !positive(self.count_concentration) {
            return bad(
                "count_concentration",
                format!(
                    "count_concentration must be positive, got {}",
                    self.count_concentration
                ),
            );
        }
        if !positive(self.mean_mixing_sd) {
            return bad(
                "mean_mixing_sd",
                format!(
                    "mean_mixing_sd must be positive, got {}",
                    self.mean_mixing_sd
                ),
            );
        }
        if let Some(c) = self.quantile_concentration {
            if !positive(c) {
                return bad(
                    "quantile_concentration",
                    format!("quantile_concentration must be positive, got {c}"),
                );
            }
        }
        if let Some(max) = self.max_duration {
            if max.0 < self.min_duration.0 {
                return bad(
                    "max_duration",
                    format!(
                        "max_duration ({} s) is shorter than min_duration ({} s)",
                        max.0, self.min_duration.0
                    ),
                );
            }
        }
        if self.max_samples.is_some_and(|max| max < self.min_samples) {
            return bad(
                "max_samples",
                format!("max_samples is below min_samples ({})", self.min_samples),
            );
        }
        Ok(())
    }
}

/// Which anytime-valid test watches a metric.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TestKind {
    /// Counts: the Dirichlet-multinomial mixture.
    Counts,
    /// Samples compared by their means: the normal mixture.
    Means,
    /// Samples compared at these quantiles: the beta-binomial sequences.
    Quantiles(Vec<f64>),
}

impl TestKind {
    /// The test's name in results and states.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            TestKind::Counts => "dirichlet_multinomial",
            TestKind::Means => "normal_mixture",
            TestKind::Quantiles(_) => "quantile_sequence",
        }
    }
}

/// How one metric is watched.
#[derive(Debug, Clone)]
pub(crate) struct MetricPlan<'a> {
    pub(crate) metric: &'a MetricConfig,
    pub(crate) test: TestKind,
    /// The metric's level: the run's alpha over the number of deciding metrics.
    pub(crate) alpha: f64,
    /// The largest harmless canary/baseline ratio, when an increase harms.
    pub(crate) up: Option<f64>,
    /// The smallest harmless ratio, when a decrease harms.
    pub(crate) down: Option<f64>,
    /// Samples per arm before the test may decide.
    pub(crate) min_samples: u64,
}

/// The quantiles a `compare: distribution` metric is watched at: the upper
/// ones for an increase, the lower ones for a decrease, both for either.
fn distribution_quantiles(direction: Direction) -> Vec<f64> {
    match direction {
        Direction::Increase => vec![0.5, 0.9, 0.99],
        Direction::Decrease => vec![0.01, 0.1, 0.5],
        Direction::Either => vec![0.01, 0.1, 0.5, 0.9, 0.99],
    }
}

/// The default quantile concentration: `max(100, 4·q/(1 − q))` for q ≥ ½,
/// mirrored below.
pub(crate) fn default_quantile_concentration(q: f64) -> f64 {
    let complement = crate::verdict::config::alpha_of_confidence(q);
    let (tail, body) = if q >= 0.5 {
        (complement, q)
    } else {
        (q, complement)
    };
    (4.0 * body / tail).max(100.0)
}

/// The watch section of a configuration (defaults when absent) and each
/// metric's plan, in configuration order.
pub(crate) fn plan(config: &CanaryConfig) -> Result<(WatchConfig, Vec<MetricPlan<'_>>)> {
    crate::verdict::config::validate_config(config)?;
    let watch = config.watch.clone().unwrap_or_default();
    watch.validate()?;
    let deciding = config.metrics.iter().filter(|m| !m.dry_run).count().max(1);
    let alpha = watch.alpha / deciding as f64;
    let plans = config
        .metrics
        .iter()
        .map(|metric| {
            let test = match (metric.kind, metric.compare) {
                (MetricKind::Count, _) => TestKind::Counts,
                (MetricKind::Quantile, _) => {
                    TestKind::Quantiles(vec![metric.quantile.unwrap_or(0.99)])
                }
                (MetricKind::Continuous, Compare::Location) => TestKind::Means,
                (MetricKind::Continuous, Compare::Distribution) => {
                    TestKind::Quantiles(distribution_quantiles(metric.direction))
                }
            };
            let min_samples = metric
                .min_samples
                .map(|m| m as u64)
                .unwrap_or(if test == TestKind::Means { 30 } else { 0 });
            let up = matches!(metric.direction, Direction::Increase | Direction::Either)
                .then(|| metric.allowed_increase.unwrap_or(1.0));
            let down = matches!(metric.direction, Direction::Decrease | Direction::Either)
                .then(|| metric.allowed_decrease.unwrap_or(1.0));
            MetricPlan {
                metric,
                test,
                alpha,
                up,
                down,
                min_samples,
            }
        })
        .collect();
    Ok((watch, plans))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(v: serde_json::Value) -> CanaryConfig {
        crate::verdict::parse_config(v).unwrap()
    }

    #[test]
    fn defaults_and_plans() {
        let c = config(json!({"metrics": [
            {"name": "errors", "kind": "count", "direction": "increase", "allowed_increase": 1.2},
            {"name": "latency", "direction": "increase"},
            {"name": "p99", "kind": "quantile", "direction": "either", "allowed_decrease": 0.5},
            {"name": "dist", "compare": "distribution", "direction": "decrease"},
            {"name": "new", "dry_run": true}
        ]}));
        let (watch, plans) = plan(&c).unwrap();
        assert_eq!(watch, WatchConfig::default());
        assert_eq!(plans.len(), 5);
        assert!(plans.iter().all(|p| p.alpha == 0.05 / 4.0));
        assert_eq!(
            (
                plans[0].test.name(),
                plans[0].up,
                plans[0].down,
                plans[0].min_samples
            ),
            ("dirichlet_multinomial", Some(1.2), None, 0)
        );
        assert_eq!(
            (plans[1].test.name(), plans[1].up, plans[1].min_samples),
            ("normal_mixture", Some(1.0), 30)
        );
        assert_eq!(plans[2].test, TestKind::Quantiles(vec![0.99]));
        assert_eq!((plans[2].up, plans[2].down), (Some(1.0), Some(0.5)));
        assert_eq!(plans[3].test, TestKind::Quantiles(vec![0.01, 0.1, 0.5]));
        assert_eq!(plans[4].test, TestKind::Means);
        assert_eq!(default_quantile_concentration(0.99), 396.0);
        assert_eq!(default_quantile_concentration(0.9), 100.0);
        assert_eq!(default_quantile_concentration(0.5), 100.0);
        assert_eq!(
            default_quantile_concentration(0.01),
            default_quantile_concentration(0.99)
        );
    }

    #[test]
    fn every_field_is_checked() {
        for (watch, field) in [
            (json!({"alpha": 0}), "alpha"),
            (json!({"alpha": 1}), "alpha"),
            (json!({"allocation": 0}), "allocation"),
            (json!({"allocation": 1.0}), "allocation"),
            (json!({"count_concentration": 0}), "count_concentration"),
            (json!({"mean_mixing_sd": -1}), "mean_mixing_sd"),
            (
                json!({"quantile_concentration": 0}),
                "quantile_concentration",
            ),
            (
                json!({"min_duration": "1h", "max_duration": "30m"}),
                "max_duration",
            ),
            (json!({"min_samples": 10, "max_samples": 9}), "max_samples"),
        ] {
            let c = config(json!({"metrics": [{"name": "a"}], "watch": watch}));
            let err = plan(&c).unwrap_err();
            assert_eq!(
                (err.code(), err.path()),
                ("invalid_config", format!("/watch/{field}").as_str()),
                "{err}"
            );
        }
        let c = config(
            json!({"metrics": [{"name": "a"}], "watch": {"max_duration": null, "max_samples": 500}}),
        );
        assert!(plan(&c).is_ok());
        let err = crate::verdict::parse_config(json!({"metrics": [], "watch": {"colour": 1}}))
            .unwrap_err();
        assert_eq!(err.path(), "/watch/colour");
    }
}
