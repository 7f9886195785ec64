//! Welch's unequal-variance t-test.

use serde::Serialize;

use super::proportions::inverse_beta;
use super::{bound, check_confidence, check_sample, check_size, Alternative};
use crate::error::Result;

/// Result of [`welch_t_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WelchTest {
    /// The t statistic of `mean(x) − mean(y)`.
    pub statistic: f64,
    /// Welch-Satterthwaite degrees of freedom.
    pub df: f64,
    /// P-value for the chosen alternative.
    pub p_value: f64,
    /// `mean(x) − mean(y)`.
    pub estimate: f64,
    /// Confidence interval of the difference of means; `None` is unbounded.
    #[serde(serialize_with = "crate::stats::as_list")]
    pub ci: [Option<f64>; 2],
    /// `mean(x) / mean(y)`; `None` when `mean(y)` is 0.
    pub ratio: Option<f64>,
    /// Mean of `x`.
    pub mean_x: f64,
    /// Mean of `y`.
    pub mean_y: f64,
    /// `"welch"`.
    pub method: &'static str,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Confidence level of the interval.
    pub confidence: f64,
}

/// Mean and unbiased variance (two-pass).
pub(crate) fn mean_var(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let ss = v.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>();
    (mean, if v.len() > 1 { ss / (n - 1.0) } else { 0.0 })
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
pub(crate) fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return if t > 0.0 { 1.0 } else { 0.0 };
    }
    let x = df / (df + t * t);
    let tail = 0.5 * statrs::function::beta::beta_reg(0.5 * df, 0.5, x);
    if t > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// P(T > t).
pub(crate) fn t_sf(t: f64, df: f64) -> f64 {
    t_cdf(-t, df)
}

/// The `p` quantile of Student's t with `df` degrees of freedom.
pub(crate) fn t_quantile(p: f64, df: f64) -> f64 {
    let lower = p.min(1.0 - p);
    let y = inverse_beta(2.0 * lower, 0.5 * df, 0.5);
    let t = (df * (1.0 - y) / y).sqrt();
    if p < 0.5 {
        -t
    } else {
        t
    }
}

/// Welch's t-test of `mean(x) − mean(y)` with its confidence interval, as R's
/// `t.test(x, y, var.equal = FALSE)` and scipy's `ttest_ind(equal_var =
/// False)`.
///
/// Needs two values per sample. When both samples have zero variance the
/// p-value is 1 for equal means and 0 otherwise, and the interval is the
/// difference itself.
///
/// ```
/// use rollgate::stats::{welch_t_test, Alternative};
/// let r = welch_t_test(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0, 4.0], Alternative::TwoSided, 0.95).unwrap();
/// assert_eq!(r.statistic, 0.0);
/// assert!((r.p_value - 1.0).abs() < 1e-12);
/// ```
pub fn welch_t_test(
    x: &[f64],
    y: &[f64],
    alternative: Alternative,
    confidence: f64,
) -> Result<WelchTest> {
    check_size(x, 2, "x")?;
    check_size(y, 2, "y")?;
    check_sample(x, "x")?;
    check_sample(y, "y")?;
    check_confidence(confidence, "confidence")?;
    let (mx, vx) = mean_var(x);
    let (my, vy) = mean_var(y);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let (sx, sy) = (vx / nx, vy / ny);
    let se = (sx + sy).sqrt();
    let diff = mx - my;
    let alpha = 1.0 - confidence;
    let ratio = (my != 0.0).then(|| mx / my);
    if se == 0.0 {
        let p = if diff == 0.0 { 1.0 } else { 0.0 };
        return Ok(WelchTest {
            statistic: if diff == 0.0 {
                0.0
            } else {
                diff.signum() * f64::MAX
            },
            df: nx + ny - 2.0,
            p_value: p,
            estimate: diff,
            ci: [Some(diff), Some(diff)],
            ratio,
            mean_x: mx,
            mean_y: my,
            method: "welch",
            alternative,
            confidence,
        });
    }
    let df = (sx + sy) * (sx + sy) / (sx * sx / (nx - 1.0) + sy * sy / (ny - 1.0));
    let t = diff / se;
    let p_value = match alternative {
        Alternative::TwoSided => (2.0 * t_sf(t.abs(), df)).min(1.0),
        Alternative::Greater => t_sf(t, df),
        Alternative::Less => t_cdf(t, df),
    };
    let ci = match alternative {
        Alternative::TwoSided => {
            let q = t_quantile(1.0 - alpha / 2.0, df);
            [bound(diff - q * se), bound(diff + q * se)]
        }
        Alternative::Greater => [bound(diff - t_quantile(1.0 - alpha, df) * se), None],
        Alternative::Less => [None, bound(diff + t_quantile(1.0 - alpha, df) * se)],
    };
    Ok(WelchTest {
        statistic: t,
        df,
        p_value,
        estimate: diff,
        ci,
        ratio,
        mean_x: mx,
        mean_y: my,
        method: "welch",
        alternative,
        confidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantile_inverts_cdf() {
        for df in [1.0, 2.5, 10.0, 300.0] {
            for p in [0.01, 0.2, 0.975] {
                let t = t_quantile(p, df);
                assert!((t_cdf(t, df) - p).abs() < 1e-13, "df {df} p {p}");
            }
        }
    }
}
