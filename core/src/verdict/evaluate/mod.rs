//! Runs each metric's test and collects the raw evidence: Mann-Whitney or
//! Kolmogorov-Smirnov for samples and the quantile test ([`samples`]),
//! Fisher/score or the exact Poisson test for counts ([`counts`]), plus the
//! SLO bounds on the canary.

mod counts;
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
        alpha: 1.0 - confidence,
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
    let min_samples = metric.min_samples.unwrap_or(1).max(1);
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
