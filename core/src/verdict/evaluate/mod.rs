//! Runs each metric's test and collects the raw evidence: Mann-Whitney,
//! the one-sided distribution test ([`distribution`]) or the quantile test
//! for samples ([`samples`]), Fisher/score or the exact Poisson test for
//! counts ([`counts`]), the SLO bounds on the canary, and whether the test
//! could have shown harm at all ([`reach`]).

pub(crate) mod counts;
mod distribution;
mod reach;
mod samples;

use super::config::{invalid, Compare, Direction, MetricConfig, MetricKind};
use super::data::{data_path, MetricData, Sample};
use crate::error::Result;
use crate::stats::Alternative;

/// The outcome of a metric's test before classification.
#[derive(Debug, Default)]
pub(crate) struct Evaluation {
    pub(crate) no_data: Option<String>,
    pub(crate) test: &'static str,
    pub(crate) statistic: Option<f64>,
    pub(crate) p_value: Option<f64>,
    pub(crate) effect_kind: &'static str,
    pub(crate) effect: Option<f64>,
    pub(crate) ci: [Option<f64>; 2],
    /// Canary/baseline ratio; `None` with `unbounded` when the baseline is 0.
    pub(crate) ratio: Option<f64>,
    pub(crate) unbounded: bool,
    /// Sign of the estimated change: +1 increase, −1 decrease, 0 none.
    pub(crate) sign: f64,
    pub(crate) n_baseline: f64,
    pub(crate) n_canary: f64,
    pub(crate) removed_nan: usize,
    pub(crate) removed_outliers: usize,
    pub(crate) slo_violations: usize,
    pub(crate) slo_side: f64,
    pub(crate) alpha: f64,
    pub(crate) warnings: Vec<&'static str>,
    /// Fewer samples than `min_samples`: `[baseline, canary, needed]`.
    pub(crate) short: Option<[u64; 3]>,
    /// The smallest p-value the test could give at these sample sizes.
    pub(crate) min_p: f64,
    /// More samples `[baseline, canary]` the test needs to reach its level,
    /// when it cannot yet (`None` inside: beyond a billion).
    pub(crate) more: Option<Option<[u64; 2]>>,
    /// The canary/baseline ratio's bounds on the harmful sides at the
    /// metric's confidence, computed where an allowed effect other than 1 is
    /// configured: `[lower (decrease), upper (increase)]`.
    pub(crate) harm_bounds: [Option<f64>; 2],
    /// The ratio estimate the bounds go with.
    pub(crate) bound_estimate: Option<f64>,
}

pub(super) fn alternative_for(direction: Direction) -> Alternative {
    match direction {
        Direction::Increase => Alternative::Greater,
        Direction::Decrease => Alternative::Less,
        Direction::Either => Alternative::TwoSided,
    }
}

pub(super) fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// The alternative on the other side of the harmful one: its interval bounds
/// the harmful side (for `either`, both sides at once).
pub(super) fn bounding_alternative(direction: Direction) -> Alternative {
    match direction {
        Direction::Increase => Alternative::Less,
        Direction::Decrease => Alternative::Greater,
        Direction::Either => Alternative::TwoSided,
    }
}

/// Which harmful sides have an allowed effect other than 1 to check the
/// interval against: `[decrease, increase]`.
pub(super) fn tolerated_sides(metric: &MetricConfig) -> [bool; 2] {
    let up = matches!(metric.direction, Direction::Increase | Direction::Either)
        && metric.allowed_increase.is_some_and(|r| r != 1.0);
    let down = matches!(metric.direction, Direction::Decrease | Direction::Either)
        && metric.allowed_decrease.is_some_and(|r| r != 1.0);
    [down, up]
}

/// Records the smallest reachable p-value of `test` and, when it misses
/// the level, how many more samples would reach it.
fn record_reach(
    eval: &mut Evaluation,
    test: reach::Reachable,
    sizes: [u64; 2],
    metric: &MetricConfig,
    confidence: f64,
) {
    let alternative = alternative_for(metric.direction);
    let [b, c] = sizes;
    eval.min_p = reach::min_p(test, c, b, alternative, confidence);
    if eval.min_p > eval.alpha {
        eval.more = Some(reach::more_needed(
            test,
            c,
            b,
            alternative,
            confidence,
            eval.alpha,
        ));
    }
}

pub(super) fn ratio_of(canary: f64, baseline: f64) -> (Option<f64>, bool) {
    if baseline != 0.0 {
        (Some(canary / baseline), false)
    } else if canary == 0.0 {
        (Some(1.0), false)
    } else {
        (None, true)
    }
}

/// Runs the test of one metric on its data (`None`: no data was given).
pub(crate) fn evaluate(metric: &MetricConfig, data: Option<&MetricData>) -> Result<Evaluation> {
    let confidence = metric.confidence.unwrap_or(0.95);
    let mut eval = Evaluation {
        alpha: metric.alpha(),
        test: "none",
        effect_kind: match (metric.kind, metric.compare) {
            (MetricKind::Count, _) => "ratio",
            (MetricKind::Quantile, _) => "quantile_difference",
            (MetricKind::Continuous, Compare::Distribution) => "ks_distance",
            (MetricKind::Continuous, Compare::Location) => "shift",
        },
        ..Evaluation::default()
    };
    let Some(data) = data else {
        eval.no_data = Some("no data was given".into());
        return Ok(eval);
    };
    let min_samples = metric.judge_min_samples();
    match (metric.kind, &data.baseline, &data.canary) {
        (MetricKind::Count, Sample::Counts(b), Sample::Counts(c)) => {
            counts::evaluate_counts(metric, b, c, confidence, min_samples, &mut eval)?;
        }
        (MetricKind::Count, _, _) => {
            return Err(invalid(
                data_path(&metric.name, "canary"),
                format!(
                    "metric `{}` is a count metric: give {{\"events\", \"trials\"}} or {{\"events\", \"exposure\"}} for baseline and canary",
                    metric.name
                ),
            ))
        }
        (_, Sample::Values(b), Sample::Values(c)) => {
            samples::evaluate_samples(metric, b, c, confidence, min_samples, &mut eval)?;
        }
        _ => {
            return Err(invalid(
                data_path(&metric.name, "canary"),
                format!(
                    "metric `{}` takes lists of samples for baseline and canary",
                    metric.name
                ),
            ))
        }
    }
    if eval.unbounded {
        eval.warnings.push("zero_baseline");
    }
    Ok(eval)
}
