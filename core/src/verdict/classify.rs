//! Classifies one metric from its evidence: pass, high, low, no data, or
//! no data where data is required.

use serde::{Deserialize, Serialize};

use super::config::{Direction, MetricConfig};
use super::evaluate::Evaluation;
use super::DEFAULT_GROUP;
use crate::explain::Reason;

/// Classification of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// No harmful change found.
    Pass,
    /// A harmful increase.
    High,
    /// A harmful decrease.
    Low,
    /// Too little data; excluded from the score.
    NoData,
    /// Too little data for a metric that must have it; counts as a failure.
    NoDataFail,
}

/// The evidence and classification of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricResult {
    /// The classification.
    pub classification: Classification,
    /// Test used: `mann_whitney`, `kolmogorov_smirnov`, `fisher_exact`,
    /// `score`, `conditional_binomial`, `quantile_test`, or `none`.
    pub test: &'static str,
    /// Test statistic (U of the canary, KS distance, ...), if any.
    pub statistic: Option<f64>,
    /// Raw p-value (one-sided in the harmful direction unless `either`).
    pub p_value: Option<f64>,
    /// P-value after the configured correction.
    pub adjusted_p_value: Option<f64>,
    /// Significance level the adjusted p-value is compared with.
    pub alpha: f64,
    /// What `effect` measures: `shift` (Hodges-Lehmann canary − baseline),
    /// `ratio` (counts), `quantile_difference`, `ks_distance`.
    pub effect_kind: &'static str,
    /// Effect estimate.
    pub effect: Option<f64>,
    /// Confidence interval of `effect`; `null` sides are unbounded.
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// Canary/baseline ratio of means (continuous), rates (count) or
    /// quantiles; `null` when the baseline is 0.
    pub effect_ratio: Option<f64>,
    /// Harmful direction.
    pub direction: Direction,
    /// Whether the metric is critical.
    pub critical: bool,
    /// Whether the failure is critical (critical metric or critical bound).
    pub critical_failure: bool,
    /// Group of the metric.
    pub group: String,
    /// Baseline size after cleaning (trials for counts).
    pub n_baseline: f64,
    /// Canary size after cleaning (trials for counts).
    pub n_canary: f64,
    /// NaN values removed (baseline + canary).
    pub removed_nan: usize,
    /// Outliers removed (baseline + canary).
    pub removed_outliers: usize,
    /// Canary values outside the SLO bounds `min`/`max`.
    pub slo_violations: usize,
    /// Warning codes: `few_samples`, `few_tail_samples`, `zero_baseline`, ...
    pub warnings: Vec<&'static str>,
    /// Why the metric got its classification (one reason about this metric).
    pub reason: Reason,
}

/// The classification of a metric with data, before SLO bounds.
struct Finding {
    classification: Classification,
    critical_failure: bool,
    reason: Reason,
}

pub(crate) fn classify(
    metric: &MetricConfig,
    eval: Evaluation,
    adjusted: Option<f64>,
) -> MetricResult {
    let finding = match &eval.no_data {
        Some(why) => no_data(metric, why),
        None => with_data(metric, &eval, adjusted.or(eval.p_value).unwrap_or(1.0)),
    };
    MetricResult {
        classification: finding.classification,
        test: eval.test,
        statistic: eval.statistic,
        p_value: eval.p_value,
        adjusted_p_value: adjusted.or(eval.p_value),
        alpha: eval.alpha,
        effect_kind: eval.effect_kind,
        effect: eval.effect,
        ci: eval.ci,
        effect_ratio: eval.ratio,
        direction: metric.direction,
        critical: metric.critical,
        critical_failure: finding.critical_failure,
        group: metric.group.clone().unwrap_or_else(|| DEFAULT_GROUP.into()),
        n_baseline: eval.n_baseline,
        n_canary: eval.n_canary,
        removed_nan: eval.removed_nan,
        removed_outliers: eval.removed_outliers,
        slo_violations: eval.slo_violations,
        warnings: eval.warnings,
        reason: finding.reason,
    }
}

fn no_data(metric: &MetricConfig, why: &str) -> Finding {
    let name = &metric.name;
    if metric.must_have_data {
        Finding {
            classification: Classification::NoDataFail,
            critical_failure: metric.critical,
            reason: Reason::new(
                "no_data_fail",
                format!("{name}: {why}, and the metric must have data"),
            )
            .with_subjects([name]),
        }
    } else {
        Finding {
            classification: Classification::NoData,
            critical_failure: false,
            reason: Reason::new("no_data", format!("{name}: {why}")).with_subjects([name]),
        }
    }
}

fn with_data(metric: &MetricConfig, eval: &Evaluation, p: f64) -> Finding {
    let name = &metric.name;
    let significant = p < eval.alpha;
    let ratio = eval.ratio;
    let exceeds_up = |bound: f64| eval.unbounded || ratio.is_some_and(|r| r > bound);
    let exceeds_down = |bound: f64| ratio.is_some_and(|r| r < bound);
    let distribution = eval.test == "kolmogorov_smirnov";
    let up_bad = matches!(metric.direction, Direction::Increase | Direction::Either);
    let down_bad = matches!(metric.direction, Direction::Decrease | Direction::Either);
    let high = significant
        && eval.sign > 0.0
        && up_bad
        && (distribution || exceeds_up(metric.allowed_increase.unwrap_or(1.0)));
    let low = significant
        && eval.sign < 0.0
        && down_bad
        && (distribution || exceeds_down(metric.allowed_decrease.unwrap_or(1.0)));
    let ratio_text = match ratio {
        Some(r) => format!("{r:.4}"),
        None => "unbounded (baseline is 0)".into(),
    };
    let slo_limit = metric.failure_limit.unwrap_or(0);
    if high || low {
        let bound_hit = if high {
            metric.critical_increase.is_some_and(exceeds_up)
        } else {
            metric.critical_decrease.is_some_and(exceeds_down)
        };
        let (classification, code, what) = if high {
            (
                Classification::High,
                "significant_increase",
                "significant increase",
            )
        } else {
            (
                Classification::Low,
                "significant_decrease",
                "significant decrease",
            )
        };
        let beyond = if bound_hit {
            ", beyond the critical bound"
        } else {
            ""
        };
        Finding {
            classification,
            critical_failure: metric.critical || bound_hit,
            reason: Reason::new(
                code,
                format!(
                    "{name}: {what} ({}, p = {p:.3e} < {:.3}), canary/baseline ratio {ratio_text}{beyond}",
                    eval.test, eval.alpha
                ),
            )
            .with_subjects([name]),
        }
    } else if eval.slo_violations > slo_limit {
        Finding {
            classification: if eval.slo_side > 0.0 {
                Classification::High
            } else {
                Classification::Low
            },
            critical_failure: metric.critical,
            reason: Reason::new(
                "slo_violated",
                format!(
                    "{name}: {} canary value(s) outside the SLO bounds, more than failure_limit {slo_limit}",
                    eval.slo_violations
                ),
            )
            .with_subjects([name]),
        }
    } else {
        Finding {
            classification: Classification::Pass,
            critical_failure: false,
            reason: Reason::new(
                "no_harmful_change",
                format!(
                    "{name}: no significant harmful change ({}, p = {p:.3e}, level {:.3}), canary/baseline ratio {ratio_text}",
                    eval.test, eval.alpha
                ),
            )
            .with_subjects([name]),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::verdict::config::Direction;

    /// A metric result with the given classification, for score and decision tests.
    pub(crate) fn result(classification: Classification, group: &str) -> MetricResult {
        MetricResult {
            classification,
            test: "none",
            statistic: None,
            p_value: None,
            adjusted_p_value: None,
            alpha: 0.05,
            effect_kind: "shift",
            effect: None,
            ci: [None, None],
            effect_ratio: None,
            direction: Direction::Either,
            critical: false,
            critical_failure: false,
            group: group.into(),
            n_baseline: 0.0,
            n_canary: 0.0,
            removed_nan: 0,
            removed_outliers: 0,
            slo_violations: 0,
            warnings: Vec::new(),
            reason: Reason::new("test", "test"),
        }
    }
}
