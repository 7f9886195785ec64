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

#[cfg(test)]
mod tests {
    use super::super::config::plan;
    use super::*;
    use crate::stats::sequential::quantiles::QuantileMixture;
    use serde_json::json;

    fn setup(metrics: serde_json::Value) -> crate::verdict::CanaryConfig {
        crate::verdict::parse_config(json!({"metrics": metrics, "watch": {"allocation": 0.5}}))
            .unwrap()
    }

    fn counts(events: u64, trials: Option<u64>) -> CountArm {
        CountArm {
            events,
            trials,
            exposure: None,
        }
    }

    #[test]
    fn counts_use_the_allocation_and_check_the_split() {
        let c = setup(
            json!([{"name": "e", "kind": "count", "direction": "increase", "min_samples": 100}]),
        );
        let (w, plans) = plan(&c).unwrap();
        let mut run = Running::default();
        let l = counts_look(
            &plans[0],
            &w,
            &counts(10, Some(1000)),
            &counts(40, Some(1000)),
            &mut run,
        );
        assert!(l.active && l.split_mismatch.is_none());
        let mixture = CountMixture {
            allocation: 0.5,
            concentration: 100.0,
        };
        assert_eq!(l.p_value, mixture.p_above(40.0, 10.0, 1.0));
        assert_eq!(l.ci, mixture.ratio_interval(40.0, 10.0, plans[0].alpha));
        assert_eq!(l.effect, Some(4.0));
        assert_eq!(l.estimates, [Some(0.01), Some(0.04)]);
        assert_eq!(
            l.bayes_factor,
            Some(mixture.ln_bayes_factor(40.0, 10.0, 1.0).exp())
        );
        assert!(!l.harm_excluded);
        // Too few trials: the test does not run and the evidence is unchanged.
        let mut fresh = Running::default();
        let l = counts_look(
            &plans[0],
            &w,
            &counts(1, Some(99)),
            &counts(9, Some(99)),
            &mut fresh,
        );
        assert!(!l.active);
        assert_eq!(fresh, Running::default());
        // 30% more canary trials than the allocation gives: no test at all.
        let mut fresh = Running::default();
        let l = counts_look(
            &plans[0],
            &w,
            &counts(10, Some(10_000)),
            &counts(13, Some(13_000)),
            &mut fresh,
        );
        assert!((l.split_mismatch.unwrap() - 13.0 / 23.0).abs() < 1e-15);
        assert_eq!(fresh, Running::default());
        assert!(!l.harm_excluded);
    }

    fn counts_look(
        plan: &MetricPlan<'_>,
        w: &WatchConfig,
        b: &CountArm,
        c: &CountArm,
        run: &mut Running,
    ) -> Look {
        super::counts(plan, w, b, c, run)
    }

    #[test]
    fn means_wait_for_their_samples() {
        let c = setup(
            json!([{"name": "l", "direction": "either", "allowed_increase": 1.5, "allowed_decrease": 0.5}]),
        );
        let (w, plans) = plan(&c).unwrap();
        let values = |n: u32, k: f64| {
            (0..n)
                .map(|i| k * (10.0 + f64::from(i % 7)))
                .collect::<Vec<_>>()
        };
        let mut run = Running::default();
        let l = means(
            &plans[0],
            &w,
            &Moments::of(&values(29, 1.0)),
            &Moments::of(&values(40, 1.0)),
            &mut run,
        );
        assert!(!l.active);
        assert_eq!(run, Running::default());
        let (b, c2) = (
            Moments::of(&values(3000, 1.0)),
            Moments::of(&values(3000, 1.02)),
        );
        let l = means(&plans[0], &w, &b, &c2, &mut run);
        assert!(l.active && l.harm_excluded, "{l:?}");
        assert!((l.effect.unwrap() - 1.02).abs() < 1e-12);
        assert_eq!(l.samples, [3000.0, 3000.0]);
        assert!(l.ci[0] > 0.5 && l.ci[1] < 1.5);
    }

    #[test]
    fn quantile_metrics_report_the_quantile_with_the_strongest_evidence() {
        let c = setup(json!([{"name": "d", "compare": "distribution", "direction": "increase"}]));
        let (w, plans) = plan(&c).unwrap();
        let base: Vec<f64> = (1..=4000).map(|i| f64::from(i % 1000) + 1.0).collect();
        // Only the top 2% is slower: the p99 carries the evidence.
        let slow: Vec<f64> = base
            .iter()
            .map(|v| if *v > 980.0 { v * 3.0 } else { *v })
            .collect();
        let (mut hb, mut hc) = (Histogram::default(), Histogram::default());
        hb.add(&base);
        hc.add(&slow);
        let mut runs = vec![Running::default(); 3];
        let l = quantiles(&plans[0], &w, &hb, &hc, &mut runs);
        assert_eq!(l.quantile, Some(0.99));
        let mixture = QuantileMixture {
            quantile: 0.99,
            concentration: 396.0,
        };
        let p99 = mixture.p_exceeds(&hc, &hb, 1.0);
        // 80 of 4,000 canary values above the baseline's p99: strong evidence.
        assert!(p99 < 1e-4, "{p99}");
        assert_eq!(l.p_value, (3.0 * p99).min(1.0));
        assert_eq!(runs[2].p_value, p99);
        assert!(runs[0].p_value > runs[2].p_value);
        assert!(l.effect.unwrap() > 2.0);
        assert!(!l.harm_excluded);
        // No samples: nothing is tested.
        let mut runs = vec![Running::default(); 3];
        let l = quantiles(&plans[0], &w, &Histogram::default(), &hc, &mut runs);
        assert!(!l.active && l.estimates[0].is_none());
        assert_eq!(l.p_value, 1.0);
        assert_eq!(runs, vec![Running::default(); 3]);
    }
}
