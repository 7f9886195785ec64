//! One look at one metric: the anytime-valid p-value of harm beyond the
//! allowed effect, the confidence sequence of the canary/baseline ratio and
//! the estimates, from the state's sufficient statistics; folded into the
//! running evidence.

use super::config::{default_quantile_concentration, MetricPlan, TestKind, WatchConfig};
use super::state::{CountArm, MetricState, Running};
use crate::stats::sequential::counts::CountMixture;
use crate::stats::sequential::histogram::{lower_edge, upper_edge, Histogram};
use crate::stats::sequential::means::{MeanMixture, Moments};
use crate::stats::sequential::quantiles::QuantileMixture;

/// What one look at a metric shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Look {
    /// Whether the test ran (enough samples, something to compare).
    pub(crate) active: bool,
    /// Samples per arm (trials or exposure for counts, 0 if neither).
    pub(crate) samples: [f64; 2],
    /// Events per arm (counts only).
    pub(crate) events: Option<[f64; 2]>,
    /// Each arm's estimate: rate, mean or quantile.
    pub(crate) estimates: [Option<f64>; 2],
    /// The canary/baseline ratio estimate.
    pub(crate) effect: Option<f64>,
    /// The evidence against equal arms at this look (counts and means).
    pub(crate) bayes_factor: Option<f64>,
    /// The quantile the reported numbers are about (quantile tests).
    pub(crate) quantile: Option<f64>,
    /// The running p-value (Bonferroni over a metric's quantiles).
    pub(crate) p_value: f64,
    /// The running confidence sequence of the driving quantity.
    pub(crate) ci: [f64; 2],
    /// Whether every tested quantity's sequence rules out harm beyond the
    /// allowed effect.
    pub(crate) harm_excluded: bool,
    /// The canary's observed share of the traffic, when it contradicts the
    /// allocation (counts with trials or exposure).
    pub(crate) split_mismatch: Option<f64>,
}

/// Whether an interval rules out harm beyond the plan's allowed effect.
fn excludes_harm(plan: &MetricPlan<'_>, ci: [f64; 2]) -> bool {
    plan.up.is_none_or(|up| ci[1] <= up) && plan.down.is_none_or(|down| ci[0] >= down)
}

/// Looks at one metric, updating its running evidence.
pub(crate) fn look(plan: &MetricPlan<'_>, watch: &WatchConfig, state: &mut MetricState) -> Look {
    match state {
        MetricState::DirichletMultinomial {
            baseline,
            canary,
            running,
        } => counts(plan, watch, baseline, canary, running),
        MetricState::NormalMixture {
            baseline,
            canary,
            running,
        } => means(plan, watch, baseline, canary, running),
        MetricState::QuantileSequence {
            baseline,
            canary,
            running,
        } => quantiles(plan, watch, baseline, canary, running),
    }
}

fn counts(
    plan: &MetricPlan<'_>,
    watch: &WatchConfig,
    baseline: &CountArm,
    canary: &CountArm,
    running: &mut Running,
) -> Look {
    let mixture = CountMixture {
        allocation: watch.allocation,
        concentration: watch.count_concentration,
    };
    let (c, b) = (canary.events as f64, baseline.events as f64);
    let size = |arm: &CountArm| arm.trials.map(|t| t as f64).or(arm.exposure);
    let samples = [size(baseline).unwrap_or(0.0), size(canary).unwrap_or(0.0)];
    let rate = |events: f64, arm: &CountArm| size(arm).filter(|s| *s > 0.0).map(|s| events / s);
    // The traffic split the count test assumes, checked with the same
    // mixture on the trials (or exposure) when both arms give them.
    let split_mismatch = match (size(canary), size(baseline)) {
        (Some(tc), Some(tb)) if tc + tb > 0.0 => {
            let [lo, hi] = mixture.ratio_interval(tc, tb, plan.alpha);
            (lo > 1.0 || hi < 1.0).then_some(tc / (tc + tb))
        }
        _ => None,
    };
    let active = (c + b > 0.0 || samples[0] + samples[1] > 0.0)
        && samples[0] >= plan.min_samples as f64
        && samples[1] >= plan.min_samples as f64;
    if active && split_mismatch.is_none() {
        let p_up = plan.up.map_or(1.0, |r| mixture.p_above(c, b, r));
        let p_down = plan.down.map_or(1.0, |r| mixture.p_below(c, b, r));
        running.update(p_up.min(p_down), mixture.ratio_interval(c, b, plan.alpha));
    }
    Look {
        active,
        samples,
        events: Some([b, c]),
        estimates: [rate(b, baseline), rate(c, canary)],
        effect: mixture.ratio_estimate(c, b),
        bayes_factor: (c + b > 0.0).then(|| mixture.ln_bayes_factor(c, b, 1.0).exp()),
        quantile: None,
        p_value: running.p_value,
        ci: running.ci,
        harm_excluded: active && split_mismatch.is_none() && excludes_harm(plan, running.ci),
        split_mismatch,
    }
}

fn means(
    plan: &MetricPlan<'_>,
    watch: &WatchConfig,
    baseline: &Moments,
    canary: &Moments,
    running: &mut Running,
) -> Look {
    let mixture = MeanMixture {
        mixing_sd: watch.mean_mixing_sd,
    };
    let needed = plan.min_samples.max(2);
    let lambda = mixture.ln_lambda(canary, baseline, 1.0);
    let active = canary.n >= needed && baseline.n >= needed && lambda.is_some();
    if active {
        let p_up = plan
            .up
            .map_or(1.0, |r| mixture.p_above(canary, baseline, r));
        let p_down = plan
            .down
            .map_or(1.0, |r| mixture.p_below(canary, baseline, r));
        running.update(
            p_up.min(p_down),
            mixture.ratio_interval(canary, baseline, plan.alpha),
        );
    }
    let mean = |m: &Moments| (m.n > 0).then_some(m.mean);
    Look {
        active,
        samples: [baseline.n as f64, canary.n as f64],
        events: None,
        estimates: [mean(baseline), mean(canary)],
        effect: (baseline.n > 0 && canary.n > 0 && baseline.mean > 0.0)
            .then(|| canary.mean / baseline.mean),
        bayes_factor: lambda.map(|(ln_lambda, _)| ln_lambda.exp()),
        quantile: None,
        p_value: running.p_value,
        ci: running.ci,
        harm_excluded: active && excludes_harm(plan, running.ci),
        split_mismatch: None,
    }
}

/// The middle of the bin holding the value of rank `⌈q·n⌉`.
fn quantile_estimate(h: &Histogram, q: f64) -> Option<f64> {
    let rank = ((q * h.n as f64).ceil() as u64).clamp(1, h.n.max(1));
    let ranks = h.ranks();
    let bin = ranks.bin_index(rank).and_then(|i| ranks.bin(i))?;
    Some(0.5 * (lower_edge(bin) + upper_edge(bin)))
}

fn quantiles(
    plan: &MetricPlan<'_>,
    watch: &WatchConfig,
    baseline: &Histogram,
    canary: &Histogram,
    running: &mut [Running],
) -> Look {
    let levels: &[f64] = match &plan.test {
        TestKind::Quantiles(qs) => qs,
        _ => &[],
    };
    let k = levels.len().max(1) as f64;
    let needed = plan.min_samples.max(1);
    let active = canary.n >= needed && baseline.n >= needed;
    let mut driving = 0;
    let mut best = f64::INFINITY;
    let mut harm_excluded = active;
    for (i, (&q, run)) in levels.iter().zip(running.iter_mut()).enumerate() {
        let mixture = QuantileMixture {
            quantile: q,
            concentration: watch
                .quantile_concentration
                .unwrap_or_else(|| default_quantile_concentration(q)),
        };
        if active {
            let p_up = plan
                .up
                .map_or(1.0, |r| mixture.p_exceeds(canary, baseline, r));
            let p_down = plan
                .down
                .map_or(1.0, |r| mixture.p_exceeds(baseline, canary, 1.0 / r));
            // Each quantile at α/k, each arm's interval at half of that.
            let each = plan.alpha / k / 2.0;
            let [cl, ch] = mixture.interval(canary, each);
            let [bl, bh] = mixture.interval(baseline, each);
            let lower = if bh > 0.0 { cl / bh } else { 0.0 };
            let upper = if bl > 0.0 { ch / bl } else { f64::INFINITY };
            run.update(p_up.min(p_down), [lower, upper]);
        }
        harm_excluded &= excludes_harm(plan, run.ci);
        if run.p_value < best {
            best = run.p_value;
            driving = i;
        }
    }
    let q = levels.get(driving).copied();
    let run = running.get(driving).copied().unwrap_or_default();
    let estimates = [
        q.and_then(|q| quantile_estimate(baseline, q))
            .filter(|_| baseline.n > 0),
        q.and_then(|q| quantile_estimate(canary, q))
            .filter(|_| canary.n > 0),
    ];
    Look {
        active,
        samples: [baseline.n as f64, canary.n as f64],
        events: None,
        estimates,
        effect: match estimates {
            [Some(b), Some(c)] if b > 0.0 => Some(c / b),
            _ => None,
        },
        bayes_factor: None,
        quantile: q,
        p_value: (k * best).min(1.0),
        ci: run.ci,
        harm_excluded,
        split_mismatch: None,
    }
}
