//! The tests of sampled metrics — Mann-Whitney (location), the one-sided
//! distribution test, the quantile test — after cleaning the samples, with
//! the evidence that they could have shown harm.

use super::distribution::{lower_excess, one_sided_p, upper_excess};
use super::reach::Reachable;
use super::{
    alternative_for, bounding_alternative, mean, ratio_of, record_reach, tolerated_sides,
    Evaluation,
};
use crate::error::Result;
use crate::stats::{self, quantile::type7};
use crate::verdict::config::{Compare, Direction, MetricConfig, MetricKind};
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
    if bs.is_empty() || cs.is_empty() {
        eval.no_data = Some(format!(
            "{} baseline and {} canary samples",
            bs.len(),
            cs.len()
        ));
        return Ok(());
    }
    if bs.len() < min_samples || cs.len() < min_samples {
        eval.short = Some([bs.len() as u64, cs.len() as u64, min_samples as u64]);
        return Ok(());
    }
    if bs.len() < 50 || cs.len() < 50 {
        eval.warnings.push("few_samples");
    }
    let (violations, side) = slo_count(metric, &cs);
    eval.slo_violations = violations;
    eval.slo_side = side;
    let sizes = [bs.len() as u64, cs.len() as u64];
    match (metric.kind, metric.compare) {
        (MetricKind::Quantile, _) => {
            let q = metric.quantile.unwrap_or(0.99);
            quantile(metric, q, &bs, &cs, confidence, eval);
            record_reach(eval, Reachable::Quantile(q), sizes, metric, confidence);
        }
        (_, Compare::Distribution) => {
            distribution(metric, &bs, &cs, confidence, eval);
            record_reach(eval, Reachable::Distribution, sizes, metric, confidence);
        }
        _ => {
            location(metric, &bs, &cs, confidence, eval);
            record_reach(eval, Reachable::Location, sizes, metric, confidence);
        }
    }
    Ok(())
}

/// The harmful-side ratio bounds from an interval of `canary − baseline` at
/// the metric's confidence, relative to the baseline's `centre`.
fn bounds_from_difference(
    metric: &MetricConfig,
    ci: [Option<f64>; 2],
    centre: f64,
    estimate: f64,
    eval: &mut Evaluation,
) {
    let [down, up] = tolerated_sides(metric);
    if !(down || up) || centre <= 0.0 {
        return;
    }
    let ratio = |d: Option<f64>, unbounded: f64| d.map_or(unbounded, |d| (centre + d) / centre);
    eval.harm_bounds = [
        down.then(|| ratio(ci[0], f64::NEG_INFINITY)),
        up.then(|| ratio(ci[1], f64::INFINITY)),
    ];
    eval.bound_estimate = Some((centre + estimate) / centre);
}

/// The quantile test at level `q`.
fn quantile(
    metric: &MetricConfig,
    q: f64,
    bs: &[f64],
    cs: &[f64],
    confidence: f64,
    eval: &mut Evaluation,
) {
    let needed = (10.0 / crate::verdict::config::alpha_of_confidence(q)).ceil();
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
    if tolerated_sides(metric).contains(&true) {
        let bounding = stats::quantile::compare_sorted(
            cs,
            bs,
            q,
            bounding_alternative(metric.direction),
            confidence,
        );
        bounds_from_difference(metric, bounding.ci, r.quantile_y, r.estimate, eval);
    }
}

/// Mann-Whitney: a shift of location, with the Hodges-Lehmann estimate.
fn location(metric: &MetricConfig, bs: &[f64], cs: &[f64], confidence: f64, eval: &mut Evaluation) {
    let alternative = alternative_for(metric.direction);
    let mw = stats::mann_whitney::mann_whitney_sorted(cs, bs, alternative, confidence, false);
    let (ratio, unbounded) = ratio_of(mean(cs), mean(bs));
    eval.ratio = ratio;
    eval.unbounded = unbounded;
    eval.sign = stats::mann_whitney::sign(mw.estimate);
    eval.test = "mann_whitney";
    eval.statistic = Some(mw.statistic);
    eval.p_value = Some(mw.p_value);
    eval.effect = Some(mw.estimate);
    eval.ci = mw.ci;
    if tolerated_sides(metric).contains(&true) {
        let bounding = if metric.direction == Direction::Either {
            mw.ci
        } else {
            stats::mann_whitney::mann_whitney_sorted(
                cs,
                bs,
                bounding_alternative(metric.direction),
                confidence,
                false,
            )
            .ci
        };
        bounds_from_difference(metric, bounding, mean(bs), mw.estimate, eval);
    }
}

/// The distribution test: one-sided on the harmful half for `increase` and
/// `decrease` ([`super::distribution`]), the two-sided Kolmogorov-Smirnov
/// test for `either` (with the direction read from the location shift, or
/// the spread when the shift is unclear).
fn distribution(
    metric: &MetricConfig,
    bs: &[f64],
    cs: &[f64],
    confidence: f64,
    eval: &mut Evaluation,
) {
    let (ratio, unbounded) = ratio_of(mean(cs), mean(bs));
    eval.ratio = ratio;
    eval.unbounded = unbounded;
    eval.ci = [None, None];
    let (n, m) = (cs.len(), bs.len());
    let nm = n as f64 * m as f64;
    let one_sided = |test: &'static str, dnm: i128, sign: f64, eval: &mut Evaluation| {
        let d = dnm as f64 / nm;
        eval.test = test;
        eval.statistic = Some(d);
        eval.effect = Some(d);
        eval.p_value = Some(one_sided_p(n, m, dnm));
        eval.sign = if dnm > 0 { sign } else { 0.0 };
    };
    match metric.direction {
        Direction::Increase => {
            one_sided("kolmogorov_smirnov_upper", upper_excess(cs, bs), 1.0, eval)
        }
        Direction::Decrease => {
            one_sided("kolmogorov_smirnov_lower", lower_excess(cs, bs), -1.0, eval)
        }
        Direction::Either => {
            let ks = stats::ks::ks_sorted(cs, bs);
            eval.test = "kolmogorov_smirnov";
            eval.statistic = Some(ks.statistic);
            eval.p_value = Some(ks.p_value);
            eval.effect = Some(ks.statistic);
            let mw = stats::mann_whitney::mann_whitney_sorted(
                cs,
                bs,
                alternative_for(metric.direction),
                confidence,
                false,
            );
            eval.sign = stats::mann_whitney::sign(mw.estimate);
            let location_clear =
                mw.ci[0].is_some_and(|l| l > 0.0) || mw.ci[1].is_some_and(|h| h < 0.0);
            if !location_clear {
                let spread = |v: &[f64]| type7(v, 0.75) - type7(v, 0.25);
                eval.sign = stats::mann_whitney::sign(spread(cs) - spread(bs));
                eval.warnings.push("spread_change");
            }
        }
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
