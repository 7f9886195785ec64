//! The tests of sampled metrics: Mann-Whitney (location), Kolmogorov-Smirnov
//! (distribution) and the quantile test, after cleaning the samples.

use super::{alternative_for, mean, ratio_of, Evaluation};
use crate::error::Result;
use crate::stats::{self, quantile::type7};
use crate::verdict::config::{Compare, MetricConfig, MetricKind};
use crate::verdict::data::clean;

/// Cleans both samples, checks their sizes and the SLO bounds, and runs the
/// metric's test.
pub(super) fn evaluate_samples(
    metric: &MetricConfig,
    baseline: &[f64],
    canary: &[f64],
    confidence: f64,
    min_samples: usize,
    eval: &mut Evaluation,
) -> Result<()> {
    let (bs, bn, bo) = clean(metric, baseline, "baseline")?;
    let (cs, cn, co) = clean(metric, canary, "canary")?;
    eval.removed_nan = bn + cn;
    eval.removed_outliers = bo + co;
    eval.n_baseline = bs.len() as f64;
    eval.n_canary = cs.len() as f64;
    if bs.len() < min_samples || cs.len() < min_samples {
        eval.no_data = Some(format!(
            "{} baseline and {} canary samples, fewer than min_samples {min_samples}",
            bs.len(),
            cs.len()
        ));
        return Ok(());
    }
    if bs.len() < 50 || cs.len() < 50 {
        eval.warnings.push("few_samples");
    }
    let (violations, side) = slo_count(metric, &cs);
    eval.slo_violations = violations;
    eval.slo_side = side;
    if metric.kind == MetricKind::Quantile {
        quantile(metric, &bs, &cs, confidence, eval);
    } else {
        location_or_distribution(metric, &bs, &cs, confidence, eval);
    }
    Ok(())
}

/// The quantile test at `metric.quantile` (default 0.99).
fn quantile(metric: &MetricConfig, bs: &[f64], cs: &[f64], confidence: f64, eval: &mut Evaluation) {
    let q = metric.quantile.unwrap_or(0.99);
    let needed = (10.0 / (1.0 - q)).ceil();
    if (bs.len() as f64) < needed || (cs.len() as f64) < needed {
        eval.warnings.push("few_tail_samples");
    }
    let alternative = alternative_for(metric.direction);
    let r = stats::quantile::compare_sorted(cs, bs, q, alternative, confidence);
    eval.test = "quantile_test";
    eval.p_value = Some(r.p_value);
    eval.effect = Some(r.estimate);
    eval.ci = r.ci;
    let (ratio, unbounded) = ratio_of(r.quantile_x, r.quantile_y);
    eval.ratio = ratio;
    eval.unbounded = unbounded;
    eval.sign = stats::mann_whitney::sign(r.estimate);
}

/// Mann-Whitney (location), or Kolmogorov-Smirnov (distribution) with the
/// direction of the change read from the location shift or the spread.
fn location_or_distribution(
    metric: &MetricConfig,
    bs: &[f64],
    cs: &[f64],
    confidence: f64,
    eval: &mut Evaluation,
) {
    let alternative = alternative_for(metric.direction);
    let mw = stats::mann_whitney::mann_whitney_sorted(cs, bs, alternative, confidence, false);
    let (ratio, unbounded) = ratio_of(mean(cs), mean(bs));
    eval.ratio = ratio;
    eval.unbounded = unbounded;
    eval.sign = stats::mann_whitney::sign(mw.estimate);
    if metric.compare == Compare::Distribution {
        let ks = stats::ks::ks_sorted(cs, bs);
        eval.test = "kolmogorov_smirnov";
        eval.statistic = Some(ks.statistic);
        eval.p_value = Some(ks.p_value);
        eval.effect = Some(ks.statistic);
        eval.ci = [None, None];
        // Which way did it change? Location if the shift is clear, else spread.
        let location_clear = mw.ci[0].is_some_and(|l| l > 0.0) || mw.ci[1].is_some_and(|h| h < 0.0);
        if !location_clear {
            let spread = |v: &[f64]| type7(v, 0.75) - type7(v, 0.25);
            eval.sign = stats::mann_whitney::sign(spread(cs) - spread(bs));
            eval.warnings.push("spread_change");
        }
    } else {
        eval.test = "mann_whitney";
        eval.statistic = Some(mw.statistic);
        eval.p_value = Some(mw.p_value);
        eval.effect = Some(mw.estimate);
        eval.ci = mw.ci;
    }
}

fn slo_count(metric: &MetricConfig, canary: &[f64]) -> (usize, f64) {
    let above = metric
        .max
        .map_or(0, |max| canary.iter().filter(|&&v| v > max).count());
    let below = metric
        .min
        .map_or(0, |min| canary.iter().filter(|&&v| v < min).count());
    (above + below, if above >= below { 1.0 } else { -1.0 })
}
