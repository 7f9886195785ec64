//! Classifies one metric from its evidence: pass, high, low, continue (not
//! enough evidence either way yet), no data, or no data where data is
//! required.
//!
//! The rules, in order:
//! 1. no data on a side: `no_data` (`no_data_fail` when the metric must
//!    have data);
//! 2. fewer samples than `min_samples`: `continue`, with how many are missing;
//! 3. a (corrected) p-value at or below α = 1 − confidence, with the change
//!    in the harmful direction and (except for distributions) beyond the
//!    allowed ratio: `high` or `low`;
//! 4. more SLO violations than `failure_limit`: `high` or `low`;
//! 5. a test that could not have reached α at these sample sizes:
//!    `continue`, with how many more samples it needs;
//! 6. an allowed ratio other than 1 that the interval cannot yet exclude
//!    (its harmful side reaches beyond it): `continue`;
//! 7. otherwise `pass`: the test could have shown harm and did not.

use serde::{Deserialize, Serialize};

use super::config::{Direction, MetricConfig};
use super::evaluate::Evaluation;
use super::DEFAULT_GROUP;
use crate::explain::Reason;

/// Classification of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    /// The test could have shown harm and did not.
    Pass,
    /// A harmful increase.
    High,
    /// A harmful decrease.
    Low,
    /// Not enough evidence either way yet: too few samples for the test to
    /// reach its level, or an interval too wide to rule out the allowed
    /// effect. Excluded from the score; the canary cannot be promoted.
    Continue,
    /// No data; excluded from the score.
    NoData,
    /// No data for a metric that must have it; counts as a failure.
    NoDataFail,
}

/// The evidence and classification of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetricResult {
    /// The classification.
    pub classification: Classification,
    /// Test used: `mann_whitney`, `kolmogorov_smirnov` (direction `either`),
    /// `kolmogorov_smirnov_upper` / `kolmogorov_smirnov_lower` (the
    /// one-sided distribution test on the harmful half), `fisher_exact`,
    /// `score`, `conditional_binomial`, `quantile_test`, or `none`.
    pub test: &'static str,
    /// Test statistic (U of the canary, KS distance, ...), if any.
    pub statistic: Option<f64>,
    /// Raw p-value (one-sided in the harmful direction unless `either`).
    pub p_value: Option<f64>,
    /// P-value after the configured correction (the raw one for dry-run
    /// metrics, which take no part in it).
    pub adjusted_p_value: Option<f64>,
    /// Significance level the adjusted p-value is compared with
    /// (`p ≤ alpha` is significant): `1 − confidence` as the decimal the
    /// configuration states.
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
    /// The smallest p-value the test could give at these sample sizes
    /// (`null` when it was not tested).
    pub min_p_value: Option<f64>,
    /// Evaluated and reported, but takes no part in the score, the
    /// correction or the decision.
    pub dry_run: bool,
    /// Why the metric got its classification (one reason about this metric).
    pub reason: Reason,
}

/// The classification of a metric and why.
struct Finding {
    classification: Classification,
    critical_failure: bool,
    reason: Reason,
}

impl Finding {
    fn new(classification: Classification, reason: Reason) -> Self {
        Finding {
            classification,
            critical_failure: false,
            reason,
        }
    }
}

pub(crate) fn classify(
    metric: &MetricConfig,
    eval: Evaluation,
    adjusted: Option<f64>,
) -> MetricResult {
    let finding = match (&eval.no_data, eval.short) {
        (Some(why), _) => no_data(metric, why),
        (None, Some(short)) => too_few(metric, short),
        (None, None) => with_data(metric, &eval, adjusted.or(eval.p_value).unwrap_or(1.0)),
    };
    let tested = eval.no_data.is_none() && eval.short.is_none();
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
        min_p_value: tested.then_some(eval.min_p),
        dry_run: metric.dry_run,
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
        Finding::new(
            Classification::NoData,
            Reason::new("no_data", format!("{name}: {why}")).with_subjects([name]),
        )
    }
}

fn too_few(metric: &MetricConfig, [baseline, canary, needed]: [u64; 3]) -> Finding {
    let name = &metric.name;
    let reason = Reason::new(
        "too_few_samples",
        format!(
            "{name}: {baseline} baseline and {canary} canary samples, fewer than the {needed} per side it needs before it is tested; keep collecting data"
        ),
    )
    .with_subjects([name])
    .with_evidence("more_baseline", needed.saturating_sub(baseline))
    .with_evidence("more_canary", needed.saturating_sub(canary));
    Finding::new(Classification::Continue, reason)
}

fn ratio_text(ratio: Option<f64>) -> String {
    match ratio {
        Some(r) => format!("{r:.4}"),
        None => "unbounded (baseline is 0)".into(),
    }
}

fn with_data(metric: &MetricConfig, eval: &Evaluation, p: f64) -> Finding {
    let name = &metric.name;
    let significant = p <= eval.alpha;
    let ratio = eval.ratio;
    let exceeds_up = |bound: f64| eval.unbounded || ratio.is_some_and(|r| r > bound);
    let exceeds_down = |bound: f64| ratio.is_some_and(|r| r < bound);
    let distribution = eval.test.starts_with("kolmogorov_smirnov");
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
    let ratio_text = ratio_text(ratio);
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
        return Finding {
            classification,
            critical_failure: metric.critical || bound_hit,
            reason: Reason::new(
                code,
                format!(
                    "{name}: {what} ({}, p = {p:.3e} <= {}), canary/baseline ratio {ratio_text}{beyond}",
                    eval.test, eval.alpha
                ),
            )
            .with_subjects([name]),
        };
    }
    if eval.slo_violations > slo_limit {
        return Finding {
            classification: if eval.slo_side > 0.0 { Classification::High } else { Classification::Low },
            critical_failure: metric.critical,
            reason: Reason::new(
                "slo_violated",
                format!(
                    "{name}: {} canary value(s) outside the SLO bounds, more than failure_limit {slo_limit}",
                    eval.slo_violations
                ),
            )
            .with_subjects([name]),
        };
    }
    if let Some(more) = eval.more {
        return unreachable_level(name, eval, more);
    }
    if let Some(finding) = interval_too_wide(metric, eval) {
        return finding;
    }
    Finding::new(
        Classification::Pass,
        Reason::new(
            "no_harmful_change",
            format!(
                "{name}: no significant harmful change ({}, p = {p:.3e}, level {}), canary/baseline ratio {ratio_text}",
                eval.test, eval.alpha
            ),
        )
        .with_subjects([name]),
    )
}

/// Rule 5: the test cannot reach its level at these sample sizes.
fn unreachable_level(name: &str, eval: &Evaluation, more: Option<[u64; 2]>) -> Finding {
    let needs = match more {
        Some([b, c]) => format!("about {c} more canary and {b} more baseline samples"),
        None => "more than a billion samples".to_string(),
    };
    let mut reason = Reason::new(
        "unreachable_level",
        format!(
            "{name}: with {} baseline and {} canary samples the {} cannot give a p-value below {:.3e}, above its level {}; it needs {needs}",
            eval.n_baseline, eval.n_canary, eval.test, eval.min_p, eval.alpha
        ),
    )
    .with_subjects([name])
    .with_evidence("min_p_value", eval.min_p);
    if let Some([b, c]) = more {
        reason = reason
            .with_evidence("more_baseline", b)
            .with_evidence("more_canary", c);
    }
    Finding::new(Classification::Continue, reason)
}

/// Rule 6: an allowed ratio the interval cannot yet exclude.
fn interval_too_wide(metric: &MetricConfig, eval: &Evaluation) -> Option<Finding> {
    let name = &metric.name;
    let [lower, upper] = eval.harm_bounds;
    let up = upper.zip(metric.allowed_increase).filter(|(b, a)| b > a);
    let down = lower.zip(metric.allowed_decrease).filter(|(b, a)| b < a);
    let (bound, allowed, side) = match (up, down) {
        (Some((b, a)), _) => (b, a, "an increase"),
        (None, Some((b, a))) => (b, a, "a decrease"),
        (None, None) => return None,
    };
    let bound_text = if bound.is_finite() {
        format!("{bound:.4}")
    } else {
        "unbounded".into()
    };
    let mut reason = Reason::new(
        "interval_too_wide",
        format!(
            "{name}: the interval of the canary/baseline ratio reaches {bound_text}, so the data cannot yet rule out {side} beyond the allowed {allowed}; keep collecting data"
        ),
    )
    .with_subjects([name])
    .with_evidence("bound", if bound.is_finite() { serde_json::json!(bound) } else { serde_json::Value::Null })
    .with_evidence("allowed", allowed);
    // The interval narrows like 1/√n: the growth that brings its edge from
    // the estimate's distance to the allowed ratio's.
    if let Some(estimate) = eval.bound_estimate.filter(|_| bound.is_finite()) {
        let (reach, room) = ((bound - estimate).abs(), (allowed - estimate).abs());
        let on_the_right_side = if side == "an increase" {
            estimate < allowed
        } else {
            estimate > allowed
        };
        if on_the_right_side && room > 0.0 {
            let factor = (reach / room).powi(2);
            let grow = |n: f64| ((n * factor).ceil() - n).max(0.0) as u64;
            reason = reason
                .with_evidence("more_baseline", grow(eval.n_baseline))
                .with_evidence("more_canary", grow(eval.n_canary));
        }
    }
    Some(Finding::new(Classification::Continue, reason))
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
            min_p_value: None,
            dry_run: false,
            reason: Reason::new("test", "test"),
        }
    }
}
