//! Count comparisons: two proportions (events out of trials) and two Poisson
//! rates (events over exposure).
//!
//! A baseline with zero events against a canary with events is a finite,
//! testable situation here: the exact tests give a proper p-value, the ratio
//! is unbounded (`None`) and the interval's lower bound says how large the
//! increase is at least.

use serde::Serialize;

use super::beta::{inverse_beta_pair, ln_binom_pmf, pbinom, pbinom_upper};
use super::{bound, check_confidence, norm_cdf, norm_quantile, norm_sf, Alternative};
use crate::error::{CanaryError, Error, Result};

/// Relative tolerance when comparing point probabilities in two-sided exact
/// tests (R's `fisher.test` and `binom.test` use 1 + 1e-7).
const REL_ERR: f64 = 1.0 + 1e-7;

/// Result of [`compare_proportions`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ProportionTest {
    /// P-value for the chosen alternative.
    pub p_value: f64,
    /// Risk ratio `(events_x / trials_x) / (events_y / trials_y)`; `None` when
    /// `y` has no events (unbounded, or undefined when `x` has none either).
    pub ratio: Option<f64>,
    /// Confidence interval of the ratio (Katz log method; 0.5 added to every
    /// cell when an event count is zero); `None` is an unbounded side.
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// Difference of proportions `p_x − p_y`.
    pub difference: f64,
    /// Proportion of `x`.
    pub proportion_x: f64,
    /// Proportion of `y`.
    pub proportion_y: f64,
    /// `"fisher_exact"` (some expected cell count below 5) or `"score"`
    /// (Pearson's chi-square / pooled z test without continuity correction).
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["fisher_exact", "score"])))]
    pub method: &'static str,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Confidence level of the interval.
    pub confidence: f64,
}

/// Result of [`compare_rates`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateTest {
    /// P-value for the chosen alternative.
    pub p_value: f64,
    /// Rate ratio `(events_x / exposure_x) / (events_y / exposure_y)`; `None`
    /// when `y` has no events or the ratio is beyond the double range.
    pub ratio: Option<f64>,
    /// Exact (Clopper-Pearson) confidence interval of the rate ratio;
    /// `None` is an unbounded side.
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// Rate of `x` (events per unit of exposure).
    pub rate_x: f64,
    /// Rate of `y`.
    pub rate_y: f64,
    /// `"conditional_binomial"`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["conditional_binomial"])))]
    pub method: &'static str,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Confidence level of the interval.
    pub confidence: f64,
}

/// Checks a count: finite, whole, non-negative (positive when `positive`).
pub(crate) fn check_count(value: f64, path: &str, positive: bool) -> Result<u64> {
    let reason = if !value.is_finite() {
        Some("must be finite")
    } else if value < 0.0 {
        Some("must not be negative")
    } else if value.fract() != 0.0 {
        Some("must be a whole number")
    } else if positive && value == 0.0 {
        Some("must be positive")
    } else if value > 9.0e15 {
        Some("is too large")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::new(
            path.to_string(),
            CanaryError::InvalidCount {
                value: value.to_string(),
                reason: reason.to_string(),
            },
        )),
        // Whole and below 2^53: exact.
        None => Ok(value as u64),
    }
}

fn check_events(events: f64, trials: f64, ev_path: &str, tr_path: &str) -> Result<(u64, u64)> {
    let t = check_count(trials, tr_path, true)?;
    let e = check_count(events, ev_path, false)?;
    if e > t {
        return Err(Error::new(
            ev_path.to_string(),
            CanaryError::InvalidCount {
                value: events.to_string(),
                reason: format!("events exceed trials ({trials})"),
            },
        ));
    }
    Ok((e, t))
}

/// Compares two proportions `events_x / trials_x` and `events_y / trials_y`.
///
/// Uses Fisher's exact test when some expected cell count of the 2×2 table is
/// below 5 (two-sided p-value as R's `fisher.test`: the total probability of
/// tables no more likely than the observed one), otherwise the score test
/// (R's `prop.test(correct = FALSE)`, scipy's `chi2_contingency(correction =
/// False)`). `"greater"` means `x` has the higher proportion.
///
/// Errors: `invalid_count` (negative, fractional, zero trials, events above
/// trials) with the argument's name as path; `invalid_config` for the
/// confidence.
///
/// ```
/// use rollgate::stats::{compare_proportions, Alternative};
/// // Zero baseline errors against six canary errors: detectable.
/// let r = compare_proportions(6.0, 10_000.0, 0.0, 10_000.0, Alternative::Greater, 0.95).unwrap();
/// assert_eq!(r.method, "fisher_exact");
/// assert!(r.p_value < 0.02);
/// assert_eq!(r.ratio, None);
/// ```
pub fn compare_proportions(
    events_x: f64,
    trials_x: f64,
    events_y: f64,
    trials_y: f64,
    alternative: Alternative,
    confidence: f64,
) -> Result<ProportionTest> {
    let (a, n1) = check_events(events_x, trials_x, "events_x", "trials_x")?;
    let (c, n2) = check_events(events_y, trials_y, "events_y", "trials_y")?;
    check_confidence(confidence, "confidence")?;
    let (af, cf, n1f, n2f) = (a as f64, c as f64, n1 as f64, n2 as f64);
    let total = n1f + n2f;
    let events = af + cf;
    let min_expected = [
        n1f * events / total,
        n1f * (total - events) / total,
        n2f * events / total,
        n2f * (total - events) / total,
    ]
    .into_iter()
    .fold(f64::INFINITY, f64::min);
    let (p_value, method) = if min_expected < 5.0 {
        (fisher_exact(a, n1, c, n2, alternative), "fisher_exact")
    } else {
        let pooled = events / total;
        let z = if n1 + n2 <= EXACT_SCORE_MIN_TRIALS {
            let se = (pooled * (1.0 - pooled) * (1.0 / n1f + 1.0 / n2f)).sqrt();
            (af / n1f - cf / n2f) / se
        } else {
            // The difference of the proportions from exact integers: at
            // 10^15 events `a/n1 − c/n2` keeps 7 digits (p off by 2.7e-9).
            let complement = (n1 + n2 - a - c) as f64 / total;
            let se = (pooled * complement * (1.0 / n1f + 1.0 / n2f)).sqrt();
            let cross = i128::from(a) * i128::from(n2) - i128::from(c) * i128::from(n1);
            (cross as f64 / (n1f * n2f)) / se
        };
        let p = match alternative {
            Alternative::TwoSided => 2.0 * norm_sf(z.abs()),
            Alternative::Greater => norm_sf(z),
            Alternative::Less => norm_cdf(z),
        };
        (p.min(1.0), "score")
    };
    let (px, py) = (af / n1f, cf / n2f);
    let ratio = (c > 0).then(|| px / py);
    // Katz log interval, Haldane-corrected when a count is zero.
    let (ca, cc, cn1, cn2) = if a == 0 || c == 0 {
        (af + 0.5, cf + 0.5, n1f + 1.0, n2f + 1.0)
    } else {
        (af, cf, n1f, n2f)
    };
    let log_ratio = ((ca / cn1) / (cc / cn2)).ln();
    let se = (1.0 / ca - 1.0 / cn1 + 1.0 / cc - 1.0 / cn2)
        .max(0.0)
        .sqrt();
    let alpha = 1.0 - confidence;
    let lower = |q: f64| {
        if a == 0 {
            0.0
        } else {
            (log_ratio - q * se).exp()
        }
    };
    let upper = |q: f64| {
        if c == 0 {
            f64::INFINITY
        } else {
            (log_ratio + q * se).exp()
        }
    };
    let ci = match alternative {
        Alternative::TwoSided => {
            let q = norm_quantile(1.0 - alpha / 2.0);
            [bound(lower(q)), bound(upper(q))]
        }
        Alternative::Greater => [bound(lower(norm_quantile(1.0 - alpha))), None],
        Alternative::Less => [Some(0.0), bound(upper(norm_quantile(1.0 - alpha)))],
    };
    Ok(ProportionTest {
        p_value,
        ratio,
        ci,
        difference: px - py,
        proportion_x: px,
        proportion_y: py,
        method,
        alternative,
        confidence,
    })
}

/// Fisher's exact test on the table `[[a, n1 − a], [c, n2 − c]]`.
///
/// Conditioned on the margins, `a` is hypergeometric. Its probabilities are
/// taken relative to the mode, by the ratio of consecutive terms
/// `P(x + 1) / P(x) = (n1 − x)(k − x) / ((x + 1)(n2 − k + x + 1))`, and
/// normalised by their sum (R's `fisher.test` normalises its densities the
/// same way). Unlike differences of log-factorials, which cancel
/// catastrophically from about 10^10 trials (p-values off by 1e-4 at 10^10,
/// meaningless at 10^14), this stays accurate to about 1e-13 at any count:
/// each term is a product of at most a few hundred exact ratios, because in
/// this test's regime (an expected cell below 5) the terms underflow within
/// a few hundred steps of the mode.
fn fisher_exact(a: u64, n1: u64, c: u64, n2: u64, alternative: Alternative) -> f64 {
    let k = a + c;
    let lo = k.saturating_sub(n2);
    let hi = k.min(n1);
    let (n1f, n2f, kf) = (n1 as f64, n2 as f64, k as f64);
    // P(x + 1) / P(x).
    let ratio = |x: f64| ((n1f - x) * (kf - x)) / ((x + 1.0) * (n2f - kf + x + 1.0));
    let mode = ((u128::from(k) + 1) * (u128::from(n1) + 1) / (u128::from(n1 + n2) + 2)) as u64;
    let mode = mode.clamp(lo, hi);
    // Relative weights from the mode outwards, until they underflow.
    let mut up = Vec::new(); // x = mode, mode + 1, ...
    let mut w = 1.0_f64;
    let mut x = mode;
    while w > 0.0 {
        up.push(w);
        if x == hi {
            break;
        }
        w *= ratio(x as f64);
        x += 1;
    }
    let mut down = Vec::new(); // x = mode − 1, mode − 2, ...
    let (mut w, mut x) = (1.0_f64, mode);
    while x > lo {
        w /= ratio((x - 1) as f64);
        if w <= 0.0 {
            break;
        }
        down.push(w);
        x -= 1;
    }
    let weight = |x: u64| -> f64 {
        if x >= mode {
            up.get((x - mode) as usize).copied().unwrap_or(0.0)
        } else {
            down.get((mode - x - 1) as usize).copied().unwrap_or(0.0)
        }
    };
    let terms = || {
        let first = mode - down.len() as u64;
        (first..mode + up.len() as u64).map(|x| (x, weight(x)))
    };
    let total: f64 = terms().map(|(_, w)| w).sum();
    let p = match alternative {
        Alternative::Greater => terms()
            .filter(|&(x, _)| x >= a)
            .map(|(_, w)| w)
            .sum::<f64>(),
        Alternative::Less => terms()
            .filter(|&(x, _)| x <= a)
            .map(|(_, w)| w)
            .sum::<f64>(),
        Alternative::TwoSided => {
            let observed = weight(a) * REL_ERR;
            terms()
                .map(|(_, w)| w)
                .filter(|&w| w <= observed)
                .sum::<f64>()
        }
    };
    (p / total).min(1.0)
}

/// ln C(n, k).
fn ln_choose(n: u64, k: u64) -> f64 {
    statrs::function::factorial::ln_binomial(n, k)
}

/// Compares two Poisson rates, `events_x / exposure_x` against
/// `events_y / exposure_y`, by the exact conditional binomial test: given
/// the total, `events_x ~ Binomial(events_x + events_y, exposure_x /
/// (exposure_x + exposure_y))` under equal rates. Matches R's two-sample
/// `poisson.test` (p-value of `binom.test`, Clopper-Pearson interval mapped
/// to the rate ratio). Exposures may be fractional (seconds, requests).
///
/// Errors: `invalid_count` for negative or fractional events, a
/// non-positive exposure, or an exposure so small that a rate exceeds the
/// double range; `invalid_config` for the confidence.
///
/// ```
/// use rollgate::stats::{compare_rates, Alternative};
/// // 5 canary errors in 10 % of the traffic, 0 in the baseline's 90 %.
/// let r = compare_rates(5.0, 0.1, 0.0, 0.9, Alternative::Greater, 0.95).unwrap();
/// assert!((r.p_value - 1e-5).abs() < 1e-15);
/// ```
pub fn compare_rates(
    events_x: f64,
    exposure_x: f64,
    events_y: f64,
    exposure_y: f64,
    alternative: Alternative,
    confidence: f64,
) -> Result<RateTest> {
    let ex = check_count(events_x, "events_x", false)?;
    let ey = check_count(events_y, "events_y", false)?;
    for (value, path) in [(exposure_x, "exposure_x"), (exposure_y, "exposure_y")] {
        if !(value.is_finite() && value > 0.0) {
            return Err(Error::new(
                path.to_string(),
                CanaryError::InvalidCount {
                    value: value.to_string(),
                    reason: "exposure must be positive and finite".into(),
                },
            ));
        }
    }
    check_confidence(confidence, "confidence")?;
    let n = ex + ey;
    let total_exposure = exposure_x + exposure_y;
    let pi = if total_exposure.is_finite() {
        exposure_x / total_exposure
    } else {
        // Both near 1.8e308: halving is exact.
        (0.5 * exposure_x) / (0.5 * exposure_x + 0.5 * exposure_y)
    };
    let p_value = binom_test(ex, n, pi, alternative);
    // `(p, 1 − p)`, each to full relative precision.
    let to_ratio = |(p, q): (f64, f64)| {
        let ratio = p / q * exposure_y / exposure_x;
        if ratio.is_finite() {
            ratio
        } else {
            // The product overflowed before the division brought it back.
            p / q * (exposure_y / exposure_x)
        }
    };
    let alpha = 1.0 - confidence;
    let (lo_p, hi_p) = match alternative {
        Alternative::TwoSided => clopper_pearson(ex, n, alpha / 2.0, alpha / 2.0),
        Alternative::Greater => (clopper_pearson(ex, n, alpha, 0.0).0, (1.0, 0.0)),
        Alternative::Less => ((0.0, 1.0), clopper_pearson(ex, n, 0.0, alpha).1),
    };
    let rate_x = ex as f64 / exposure_x;
    let rate_y = ey as f64 / exposure_y;
    for (rate, exposure, path) in [
        (rate_x, exposure_x, "exposure_x"),
        (rate_y, exposure_y, "exposure_y"),
    ] {
        if !rate.is_finite() {
            return Err(Error::new(
                path.to_string(),
                CanaryError::InvalidCount {
                    value: exposure.to_string(),
                    reason: "exposure is so small that the rate exceeds the double range".into(),
                },
            ));
        }
    }
    Ok(RateTest {
        p_value,
        ratio: (ey > 0).then(|| rate_x / rate_y).and_then(bound),
        ci: [bound(to_ratio(lo_p)), bound(to_ratio(hi_p))],
        rate_x,
        rate_y,
        method: "conditional_binomial",
        alternative,
        confidence,
    })
}

/// Total trials above which the score statistic's difference of
/// proportions is formed from exact integers (below, the double formula
/// loses at most `eps · √n` ≈ 5e-13 relative, and stays bit-identical).
const EXACT_SCORE_MIN_TRIALS: u64 = 1 << 24;

/// Trials above which the binomial pmf is Loader's saddle-point form: the
/// difference of log-factorials loses `eps · n ln n` (1e-3 absolute at
/// 10^12 trials, enough to move R's two-sided boundary), the saddle-point
/// form nothing; below, the log-factorials are kept (bit-identical results).
const LOADER_MIN_TRIALS: u64 = 3000;

/// ln P(X = k) for X ~ Binomial(n, p).
fn ln_dbinom(k: u64, n: u64, p: f64) -> f64 {
    if n > LOADER_MIN_TRIALS {
        return ln_binom_pmf(k, n, p);
    }
    if p <= 0.0 {
        return if k == 0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if p >= 1.0 {
        return if k == n { 0.0 } else { f64::NEG_INFINITY };
    }
    ln_choose(n, k) + k as f64 * p.ln() + (n - k) as f64 * (-p).ln_1p()
}

/// Exact binomial test of `k` successes in `n` trials against probability
/// `p`, with R's `binom.test` two-sided rule.
fn binom_test(k: u64, n: u64, p: f64, alternative: Alternative) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let out = match alternative {
        Alternative::Greater => pbinom_upper(k, n, p),
        Alternative::Less => pbinom(k, n, p),
        Alternative::TwoSided => {
            let d = ln_dbinom(k, n, p);
            let threshold = d + REL_ERR.ln();
            let mean = n as f64 * p;
            if k as f64 == mean {
                1.0
            } else if (k as f64) < mean {
                // Count values above the mean whose probability is at most d:
                // the pmf decreases above the mode, so they form a tail.
                let start = mean.ceil() as u64;
                let first = first_at_most(start, n, |j| ln_dbinom(j, n, p) <= threshold);
                let y = (n + 1).saturating_sub(first.unwrap_or(n + 1));
                pbinom(k, n, p)
                    + if y > 0 {
                        pbinom_upper(n - y + 1, n, p)
                    } else {
                        0.0
                    }
            } else {
                let end = mean.floor() as u64;
                // Values 0..=end whose probability is at most d: a lower tail.
                let last = last_at_most(end, |j| ln_dbinom(j, n, p) <= threshold);
                let y = last.map_or(0, |l| l + 1);
                (if y > 0 { pbinom(y - 1, n, p) } else { 0.0 }) + pbinom_upper(k, n, p)
            }
        }
    };
    out.min(1.0)
}

/// The first `j` in `start..=end` for which the monotone predicate holds.
fn first_at_most(start: u64, end: u64, pred: impl Fn(u64) -> bool) -> Option<u64> {
    if start > end || !pred(end) {
        return None;
    }
    let (mut lo, mut hi) = (start, end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// The last `j` in `0..=end` for which the (downward-closed) predicate holds.
fn last_at_most(end: u64, pred: impl Fn(u64) -> bool) -> Option<u64> {
    if !pred(0) {
        return None;
    }
    let (mut lo, mut hi) = (0u64, end);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if pred(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// Clopper-Pearson bounds for `k` successes in `n` trials with tail
/// probabilities `alpha_lo` below and `alpha_hi` above (0 means that side
/// is not computed), each as `(p, 1 − p)` to full relative precision (a
/// bound within 1e-12 of 1 keeps the digits of its complement).
fn clopper_pearson(k: u64, n: u64, alpha_lo: f64, alpha_hi: f64) -> ((f64, f64), (f64, f64)) {
    let (kf, nf) = (k as f64, n as f64);
    let lower = if k == 0 || alpha_lo <= 0.0 {
        (0.0, 1.0)
    } else {
        inverse_beta_pair(alpha_lo, kf, nf - kf + 1.0)
    };
    let upper = if k == n || alpha_hi <= 0.0 {
        (1.0, 0.0)
    } else {
        inverse_beta_pair(1.0 - alpha_hi, kf + 1.0, nf - kf)
    };
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fisher_matches_hand_computation() {
        // [[3, 1], [1, 3]]: one-sided P = (16 + 1) / 70.
        let p = fisher_exact(3, 4, 1, 4, Alternative::Greater);
        assert!((p - 17.0 / 70.0).abs() < 1e-14);
        let p = fisher_exact(3, 4, 1, 4, Alternative::TwoSided);
        assert!((p - 34.0 / 70.0).abs() < 1e-14);
    }

    #[test]
    fn fisher_stays_exact_at_huge_trial_counts() {
        // scipy.stats.fisher_exact([[3, T - 3], [0, T]]): the limit 1/4
        // (three events, each on either side with probability 1/2) within
        // 1e-13 once T is large; 1e4: 0.24996249812490623.
        let p = fisher_exact(3, 10_000, 0, 10_000, Alternative::TwoSided);
        assert!((p - 0.24996249812490623).abs() < 1e-13, "{p}");
        for trials in [1e10, 1e12, 1e14, 9e15] {
            let t = trials as u64;
            let p = fisher_exact(3, t, 0, t, Alternative::TwoSided);
            assert!((p - 0.25).abs() < 1e-9, "{trials}: {p}");
            // P(a ≥ 7 | 9 events split evenly) = (36 + 9 + 1) / 512.
            let p = fisher_exact(7, t, 2, t, Alternative::Greater);
            assert!((p - 46.0 / 512.0).abs() < 1e-9, "{trials}: {p}");
        }
        // Every table of a margin sums to one.
        let p = fisher_exact(0, 40, 30, 50, Alternative::Greater);
        assert!((p - 1.0).abs() < 1e-14, "{p}");
    }

    #[test]
    fn zero_baseline_is_detected() {
        let r = compare_rates(6.0, 1.0, 0.0, 1.0, Alternative::Greater, 0.95).unwrap();
        assert!((r.p_value - 1.0 / 64.0).abs() < 1e-15);
        assert_eq!(r.ratio, None);
        assert_eq!(r.ci[1], None);
        assert!(r.ci[0].unwrap() > 1.0);
    }

    #[test]
    fn binomial_two_sided_is_symmetric_at_one_half() {
        let p = binom_test(2, 10, 0.5, Alternative::TwoSided);
        let expected = 2.0 * (1.0 + 10.0 + 45.0) / 1024.0;
        assert!((p - expected).abs() < 1e-14, "{p}");
        let p = binom_test(8, 10, 0.5, Alternative::TwoSided);
        assert!((p - expected).abs() < 1e-14, "{p}");
    }

    #[test]
    fn rejects_bad_counts() {
        let e = compare_proportions(5.0, 4.0, 0.0, 1.0, Alternative::TwoSided, 0.9).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "events_x"));
        let e = compare_proportions(1.0, 4.0, -1.0, 1.0, Alternative::TwoSided, 0.9).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "events_y"));
        let e = compare_rates(1.0, 0.0, 1.0, 1.0, Alternative::TwoSided, 0.9).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "exposure_x"));
    }
}
