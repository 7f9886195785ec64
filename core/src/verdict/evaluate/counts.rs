//! The tests of count metrics: two proportions (Fisher's exact or the score
//! test) for events over trials, two Poisson rates (exact conditional
//! binomial test) for events over exposure.

use super::reach::Reachable;
use super::{
    alternative_for, bounding_alternative, ratio_of, record_reach, tolerated_sides, Evaluation,
};
use crate::error::{CanaryError, Error, Result};
use crate::stats;
use crate::verdict::config::{invalid, MetricConfig};
use crate::verdict::data::{data_path, Counts};

/// One side's counts, checked: events, and trials or exposure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CheckedCounts {
    /// Number of events.
    pub(crate) events: f64,
    /// Trials (the events are a subset), if given.
    pub(crate) trials: Option<f64>,
    /// Exposure, if given instead of trials.
    pub(crate) exposure: Option<f64>,
}

impl CheckedCounts {
    /// Trials or exposure: the denominator of the rate (0 if neither).
    pub(crate) fn size(&self) -> f64 {
        self.trials.or(self.exposure).unwrap_or(0.0)
    }
}

/// A kernel's error about one of its arguments (`exposure_x`, `trials_y`,
/// ...) named at that value in the canary data instead (`x` is the canary,
/// `y` the baseline): e.g. an exposure so small that the rate overflows.
fn at_data(err: Error, metric: &str) -> Error {
    let Some((field, side)) = err.path().rsplit_once('_') else {
        return err;
    };
    let side = match side {
        "x" => "canary",
        "y" => "baseline",
        _ => return err,
    };
    Error::new(
        format!("{}/{field}", data_path(metric, side)),
        err.kind().clone(),
    )
}

/// Checks one side's counts; `base` is the error path of the side.
pub(crate) fn check_counts(c: &Counts, base: &str) -> Result<CheckedCounts> {
    let events =
        stats::proportions::check_count(c.events, &format!("{base}/events"), false)? as f64;
    match (c.trials, c.exposure) {
        (Some(t), None) => {
            let trials =
                stats::proportions::check_count(t, &format!("{base}/trials"), false)? as f64;
            if events > trials {
                return Err(Error::new(
                    format!("{base}/events"),
                    CanaryError::InvalidCount {
                        value: c.events.to_string(),
                        reason: format!("events exceed trials ({t})"),
                    },
                ));
            }
            Ok(CheckedCounts {
                events,
                trials: Some(trials),
                exposure: None,
            })
        }
        (None, Some(e)) => {
            if !(e.is_finite() && e >= 0.0) {
                return Err(Error::new(
                    format!("{base}/exposure"),
                    CanaryError::InvalidCount {
                        value: e.to_string(),
                        reason: "exposure must be finite and >= 0".into(),
                    },
                ));
            }
            Ok(CheckedCounts {
                events,
                trials: None,
                exposure: Some(e),
            })
        }
        _ => Err(invalid(
            base.to_string(),
            "counts need exactly one of `trials` and `exposure`".into(),
        )),
    }
}

/// Checks both sides' counts, the minimum size and the SLO bounds, and runs
/// the proportion or rate test.
pub(super) fn evaluate_counts(
    metric: &MetricConfig,
    baseline: &Counts,
    canary: &Counts,
    confidence: f64,
    min_samples: usize,
    eval: &mut Evaluation,
) -> Result<()> {
    let b = check_counts(baseline, &data_path(&metric.name, "baseline"))?;
    let c = check_counts(canary, &data_path(&metric.name, "canary"))?;
    eval.n_baseline = b.size();
    eval.n_canary = c.size();
    let empty = |side: &CheckedCounts| side.size() <= 0.0;
    if empty(&b) || empty(&c) {
        eval.no_data = Some("no trials or exposure on one side".into());
        return Ok(());
    }
    let min = min_samples as f64;
    if b.trials.is_some_and(|t| t < min) || c.trials.is_some_and(|t| t < min) {
        eval.short = Some([b.size() as u64, c.size() as u64, min_samples as u64]);
        return Ok(());
    }
    let canary_rate = c.events / c.size();
    if let Some(max) = metric.max {
        eval.slo_violations += usize::from(canary_rate > max);
        eval.slo_side = 1.0;
    }
    if let Some(min) = metric.min {
        if canary_rate < min {
            eval.slo_violations += 1;
            eval.slo_side = -1.0;
        }
    }
    let alternative = alternative_for(metric.direction);
    let bounding = bounding_alternative(metric.direction);
    let check_bounds = tolerated_sides(metric).contains(&true);
    let bounds = match (b.trials, c.trials, b.exposure, c.exposure) {
        (Some(bt), Some(ct), _, _) => {
            let test = |alt| {
                stats::compare_proportions(c.events, ct, b.events, bt, alt, confidence)
                    .map_err(|e| at_data(e, &metric.name))
            };
            let r = test(alternative)?;
            eval.test = r.method;
            eval.p_value = Some(r.p_value);
            eval.effect = r.ratio;
            eval.ci = r.ci;
            eval.sign = stats::mann_whitney::sign(r.difference);
            record_reach(
                eval,
                Reachable::Proportions,
                [bt as u64, ct as u64],
                metric,
                confidence,
            );
            check_bounds
                .then(|| test(bounding))
                .transpose()?
                .map(|r| r.ci)
        }
        (_, _, Some(bx), Some(cx)) => {
            let test = |alt| {
                stats::compare_rates(c.events, cx, b.events, bx, alt, confidence)
                    .map_err(|e| at_data(e, &metric.name))
            };
            let r = test(alternative)?;
            eval.test = r.method;
            eval.p_value = Some(r.p_value);
            eval.effect = r.ratio;
            eval.ci = r.ci;
            eval.sign = stats::mann_whitney::sign(r.rate_x - r.rate_y);
            // Events are unbounded over an exposure: any level is reachable.
            check_bounds
                .then(|| test(bounding))
                .transpose()?
                .map(|r| r.ci)
        }
        _ => {
            return Err(invalid(
                data_path(&metric.name, "canary"),
                "baseline and canary must both use `trials` or both `exposure`".into(),
            ))
        }
    };
    let (ratio, unbounded) = ratio_of(canary_rate, b.events / eval.n_baseline);
    eval.ratio = ratio;
    eval.unbounded = unbounded;
    if let Some(ci) = bounds {
        let [down, up] = tolerated_sides(metric);
        eval.harm_bounds = [
            down.then(|| ci[0].unwrap_or(0.0)),
            up.then(|| ci[1].unwrap_or(f64::INFINITY)),
        ];
        eval.bound_estimate = ratio;
    }
    Ok(())
}
