//! Distribution-free confidence intervals for a quantile (e.g. p99) and the
//! comparison of one quantile between two samples.

use serde::Serialize;

use super::beta::pbinom;
use super::{bound, check_confidence, check_sample, check_size, sorted, sorted_pair, Alternative};
use crate::error::{Error, ErrorFamily, Result};

/// Result of [`quantile_ci`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuantileInterval {
    /// The quantile level in (0, 1).
    pub quantile: f64,
    /// Sample quantile (linear interpolation, R type 7 / numpy default).
    pub estimate: f64,
    /// Order-statistic interval `[x_(l), x_(u)]`; `None` when the sample is
    /// too small for that side at this confidence.
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// 1-based ranks `l` and `u` of the interval ends (0 and n + 1 when
    /// unbounded).
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ranks: [usize; 2],
    /// The exact coverage of the interval, at least the requested confidence.
    pub achieved_confidence: f64,
    /// `"order_statistics"`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["order_statistics"])))]
    pub method: &'static str,
    /// Sample size.
    pub n: usize,
}

/// Result of [`compare_quantiles`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QuantileComparison {
    /// The quantile level.
    pub quantile: f64,
    /// `quantile(x) − quantile(y)`.
    pub estimate: f64,
    /// Conservative interval of the difference from the two order-statistic
    /// intervals at confidence `1 − α/2` each (Bonferroni); `None` is an
    /// unbounded side (also an end beyond the double range).
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// `quantile(x) / quantile(y)`; `None` when `quantile(y)` is 0 or the
    /// ratio is beyond the double range.
    pub ratio: Option<f64>,
    /// Quantile of `x`.
    pub quantile_x: f64,
    /// Quantile of `y`.
    pub quantile_y: f64,
    /// P-value of the generalised median test: the shares of `x` and `y`
    /// above the pooled quantile, compared by [`compare_proportions`](super::compare_proportions).
    pub p_value: f64,
    /// `"quantile_test"`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["quantile_test"])))]
    pub method: &'static str,
    /// The alternative tested (`"greater"`: `x` has the higher quantile).
    pub alternative: Alternative,
    /// Confidence level of the interval.
    pub confidence: f64,
}

fn check_level(q: f64) -> Result<()> {
    if q.is_finite() && q > 0.0 && q < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid_config(
            "quantile",
            format!("quantile must be strictly between 0 and 1, got {q}"),
        ))
    }
}

/// Type-7 sample quantile of sorted values.
pub(crate) fn type7(xs: &[f64], q: f64) -> f64 {
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor();
    let a = xs.get(lo as usize).copied().unwrap_or(f64::NAN);
    let b = xs.get((lo as usize + 1).min(n - 1)).copied().unwrap_or(a);
    let frac = h - lo;
    let step = b - a;
    if step.is_finite() {
        a + frac * step
    } else if frac == 0.0 {
        // 0 · inf would be NaN.
        a
    } else {
        // b − a overflowed (values near ±1.8e308 of opposite signs).
        a * (1.0 - frac) + b * frac
    }
}

/// Smallest k with P(B ≤ k) ≥ p for B ~ Binomial(n, q) (R's `qbinom`).
fn qbinom(p: f64, n: u64, q: f64) -> u64 {
    let target = p * (1.0 - 64.0 * f64::EPSILON);
    let (mut lo, mut hi) = (0u64, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pbinom(mid, n, q) >= target {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

fn interval(xs: &[f64], q: f64, confidence: f64) -> QuantileInterval {
    let n = xs.len();
    let nu = n as u64;
    let alpha = 1.0 - confidence;
    // P(x_(l) ≤ ξ_q ≤ x_(u)) = P(l ≤ B ≤ u − 1), B ~ Binomial(n, q).
    let l = qbinom(alpha / 2.0, nu, q) as usize;
    let u = qbinom(1.0 - alpha / 2.0, nu, q) as usize + 1;
    let at = |rank: usize| xs.get(rank.wrapping_sub(1)).copied();
    let lower = if l >= 1 { at(l) } else { None };
    let upper = if u <= n { at(u) } else { None };
    let cdf = |k: usize| {
        if k == 0 {
            0.0
        } else {
            pbinom((k - 1) as u64, nu, q)
        }
    };
    QuantileInterval {
        quantile: q,
        estimate: type7(xs, q),
        ci: [lower, upper],
        ranks: [l, u.min(n + 1)],
        achieved_confidence: cdf(u.min(n + 1)) - cdf(l),
        method: "order_statistics",
        n,
    }
}

/// Distribution-free confidence interval for the `quantile` of a sample:
/// order statistics `x_(l)`, `x_(u)` with `l = qbinom(α/2, n, q)` and
/// `u = qbinom(1 − α/2, n, q) + 1`, so that `P(l ≤ B < u) ≥ confidence` for
/// `B ~ Binomial(n, q)`. No assumption about the distribution; with too few
/// values for a high quantile the upper side is unbounded (`None`).
///
/// ```
/// use rollgate::stats::quantile_ci;
/// let x: Vec<f64> = (1..=100).map(f64::from).collect();
/// let r = quantile_ci(&x, 0.5, 0.95).unwrap();
/// assert_eq!(r.ranks, [40, 61]);
/// assert!(r.achieved_confidence >= 0.95);
/// ```
pub fn quantile_ci(x: &[f64], quantile: f64, confidence: f64) -> Result<QuantileInterval> {
    check_size(x, 1, "x")?;
    check_sample(x, "x")?;
    check_level(quantile)?;
    check_confidence(confidence, "confidence")?;
    Ok(interval(&sorted(x), quantile, confidence))
}

/// Compares one quantile of `x` and `y` (e.g. canary and baseline p99).
///
/// Errors: `insufficient_data` for an empty sample, `invalid_sample` for a
/// NaN or infinite value, `invalid_config` for the quantile or confidence,
/// `invalid_input` (path `x`) when the difference of the quantiles is
/// beyond the double range.
///
/// ```
/// use rollgate::stats::{compare_quantiles, Alternative};
/// let y: Vec<f64> = (0..500).map(|i| f64::from(i % 100)).collect();
/// let x: Vec<f64> = y.iter().map(|v| v + 30.0).collect();
/// let r = compare_quantiles(&x, &y, 0.9, Alternative::Greater, 0.95).unwrap();
/// assert!(r.p_value < 1e-6);
/// ```
pub fn compare_quantiles(
    x: &[f64],
    y: &[f64],
    quantile: f64,
    alternative: Alternative,
    confidence: f64,
) -> Result<QuantileComparison> {
    check_size(x, 1, "x")?;
    check_size(y, 1, "y")?;
    check_sample(x, "x")?;
    check_sample(y, "y")?;
    check_level(quantile)?;
    check_confidence(confidence, "confidence")?;
    let (xs, ys) = sorted_pair(x, y);
    let result = compare_sorted(&xs, &ys, quantile, alternative, confidence);
    if !result.estimate.is_finite() {
        return Err(Error::invalid_input(
            "x",
            format!(
                "the difference of the quantiles ({} − {}) exceeds the double range",
                result.quantile_x, result.quantile_y
            ),
        )
        .in_family(ErrorFamily::Canary));
    }
    Ok(result)
}

pub(crate) fn compare_sorted(
    xs: &[f64],
    ys: &[f64],
    quantile: f64,
    alternative: Alternative,
    confidence: f64,
) -> QuantileComparison {
    let each = 1.0 - (1.0 - confidence) / 2.0;
    let ix = interval(xs, quantile, each);
    let iy = interval(ys, quantile, each);
    // An end beyond the double range is unbounded.
    let ci = [
        match (ix.ci[0], iy.ci[1]) {
            (Some(a), Some(b)) => bound(a - b),
            _ => None,
        },
        match (ix.ci[1], iy.ci[0]) {
            (Some(a), Some(b)) => bound(a - b),
            _ => None,
        },
    ];
    let ci = match alternative {
        Alternative::TwoSided => ci,
        Alternative::Greater => [ci[0], None],
        Alternative::Less => [None, ci[1]],
    };
    // Pooled quantile by merging the sorted samples.
    let mut pooled = Vec::with_capacity(xs.len() + ys.len());
    pooled.extend_from_slice(xs);
    pooled.extend_from_slice(ys);
    pooled.sort_unstable_by(f64::total_cmp);
    let threshold = type7(&pooled, quantile);
    let above_x = xs.len() - xs.partition_point(|&v| v <= threshold);
    let above_y = ys.len() - ys.partition_point(|&v| v <= threshold);
    let p_value = super::proportions::compare_proportions(
        above_x as f64,
        xs.len() as f64,
        above_y as f64,
        ys.len() as f64,
        alternative,
        confidence,
    )
    .map(|r| r.p_value)
    .unwrap_or(1.0);
    let (qx, qy) = (ix.estimate, iy.estimate);
    QuantileComparison {
        quantile,
        estimate: qx - qy,
        ci,
        ratio: (qy != 0.0).then(|| qx / qy).and_then(bound),
        quantile_x: qx,
        quantile_y: qy,
        p_value,
        method: "quantile_test",
        alternative,
        confidence,
    }
}
