//! Welch's unequal-variance t-test.

use serde::Serialize;

use super::beta::{t_cdf, t_quantile, t_sf};
use super::{bound, check_confidence, check_sample, check_size, Alternative};
use crate::error::{Error, ErrorFamily, Result};

/// Result of [`welch_t_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// `mean(x) / mean(y)`; `None` when `mean(y)` is 0 or the ratio is
    /// beyond the double range.
    pub ratio: Option<f64>,
    /// Mean of `x`.
    pub mean_x: f64,
    /// Mean of `y`.
    pub mean_y: f64,
    /// `"welch"`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["welch"])))]
    pub method: &'static str,
    /// The alternative tested.
    pub alternative: Alternative,
    /// Confidence level of the interval.
    pub confidence: f64,
}

/// Mean and unbiased variance (two-pass) of `v / scale`.
///
/// `scale` is a power of two, so dividing by it is exact and the results are
/// exactly those of the unscaled computation divided by `scale` and
/// `scale²` — except that nothing overflows: with `scale` the largest
/// power of two at most the largest magnitude, every scaled value is below 2
/// in magnitude, while the squares of values above 1e154 (or their sum)
/// overflow unscaled.
fn scaled_mean_var(v: &[f64], scale: f64) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().map(|a| a / scale).sum::<f64>() / n;
    let ss = v
        .iter()
        .map(|a| (a / scale - mean) * (a / scale - mean))
        .sum::<f64>();
    (mean, if v.len() > 1 { ss / (n - 1.0) } else { 0.0 })
}

/// The largest power of two at most `v` (a positive finite value; 1 for 0).
pub(crate) fn power_of_two_below(v: f64) -> f64 {
    let bits = v.abs().to_bits();
    let exponent = bits >> 52;
    if exponent > 0 {
        // Normal: keep the exponent, clear the mantissa.
        f64::from_bits(exponent << 52)
    } else if bits > 0 {
        // Subnormal: the highest set bit of the mantissa.
        f64::from_bits(1 << (63 - bits.leading_zeros()))
    } else {
        1.0
    }
}

/// Welch's t-test of `mean(x) − mean(y)` with its confidence interval, as R's
/// `t.test(x, y, var.equal = FALSE)` and scipy's `ttest_ind(equal_var =
/// False)`.
///
/// Needs two values per sample. When both samples have zero variance the
/// p-value is 1 for equal means and 0 otherwise, and the interval is the
/// difference itself. Any finite magnitudes, subnormal to ±1.8e308, are
/// tested exactly (the statistic and p-value do not change when both samples
/// are scaled by a power of two); an interval end beyond the double range is
/// unbounded (`None`), and so is a ratio beyond it.
///
/// Errors: `insufficient_data` for fewer than two values in a sample,
/// `invalid_sample` for a NaN or infinite value, `invalid_config` for the
/// confidence, `invalid_input` (path `x`) when the difference of the means
/// is beyond the double range.
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
    // Every intermediate is computed on the samples divided by a power of
    // two (exact), so that magnitudes up to f64::MAX neither overflow the
    // sums of squares nor the degrees of freedom; only the reported
    // differences are scaled back.
    let largest = x.iter().chain(y).fold(0.0_f64, |m, v| m.max(v.abs()));
    let scale = power_of_two_below(largest);
    let (mx, vx) = scaled_mean_var(x, scale);
    let (my, vy) = scaled_mean_var(y, scale);
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let (sx, sy) = (vx / nx, vy / ny);
    let se = (sx + sy).sqrt();
    let diff = mx - my;
    let alpha = 1.0 - confidence;
    let estimate = diff * scale;
    if !estimate.is_finite() {
        return Err(Error::invalid_input(
            "x",
            format!(
                "the difference of the means ({} − {}) exceeds the double range",
                mx * scale,
                my * scale
            ),
        )
        .in_family(ErrorFamily::Canary));
    }
    let (mean_x, mean_y) = (mx * scale, my * scale);
    // The ratio of the scaled means (exact for subnormal means too).
    let ratio = (my != 0.0).then(|| mx / my).and_then(bound);
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
            estimate,
            ci: [Some(estimate), Some(estimate)],
            ratio,
            mean_x,
            mean_y,
            method: "welch",
            alternative,
            confidence,
        });
    }
    // Welch-Satterthwaite, with the variances of the means divided by a
    // power of two near the larger (exact) so that their squares neither
    // overflow nor vanish.
    let unit = power_of_two_below(sx.max(sy));
    let (ax, ay) = (sx / unit, sy / unit);
    let df = (ax + ay) * (ax + ay) / (ax * ax / (nx - 1.0) + ay * ay / (ny - 1.0));
    let t = diff / se;
    let p_value = match alternative {
        Alternative::TwoSided => (2.0 * t_sf(t.abs(), df)).min(1.0),
        Alternative::Greater => t_sf(t, df),
        Alternative::Less => t_cdf(t, df),
    };
    let end = |v: f64| bound(v * scale);
    let ci = match alternative {
        Alternative::TwoSided => {
            let q = t_quantile(1.0 - alpha / 2.0, df);
            [end(diff - q * se), end(diff + q * se)]
        }
        Alternative::Greater => [end(diff - t_quantile(1.0 - alpha, df) * se), None],
        Alternative::Less => [None, end(diff + t_quantile(1.0 - alpha, df) * se)],
    };
    Ok(WelchTest {
        statistic: t,
        df,
        p_value,
        estimate,
        ci,
        ratio,
        mean_x,
        mean_y,
        method: "welch",
        alternative,
        confidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(r: &WelchTest) -> [u64; 3] {
        [r.statistic.to_bits(), r.df.to_bits(), r.p_value.to_bits()]
    }

    #[test]
    fn magnitudes_that_overflowed_the_variance_are_tested_exactly() {
        // Issue 9: the squares overflowed, the degrees of freedom became
        // NaN and statrs panicked. scipy: t = 1, df = 1, p = 0.5.
        let r = welch_t_test(&[1e154, 1.0], &[1.0, 2.0], Alternative::TwoSided, 0.95).unwrap();
        assert_eq!(r.statistic, 1.0);
        assert!((r.df - 1.0).abs() < 1e-12, "{}", r.df);
        assert!((r.p_value - 0.5).abs() < 1e-12, "{}", r.p_value);
        assert_eq!(r.estimate, 5e153 - 1.5);
        let [lo, hi] = r.ci.map(Option::unwrap);
        assert!((lo / -5.853102368087347e154 - 1.0).abs() < 1e-9, "{lo}");
        assert!((hi / 6.853102368087347e154 - 1.0).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn scaling_by_a_power_of_two_changes_no_bit_of_the_test() {
        let x = [3.5, 1.25, 7.0, 2.0, 9.5];
        let y = [1.0, 2.5, 0.75, 3.0];
        let base = welch_t_test(&x, &y, Alternative::Greater, 0.9).unwrap();
        // Every value keeps all its bits down to 2^-1070 (subnormal).
        for power in [-1070, -1000, -300, 0, 300, 1000] {
            // (powi(-1070) alone is 0: it divides by 2^1070 = inf.)
            let scale = 2f64.powi(power / 2) * 2f64.powi(power - power / 2);
            let sx: Vec<f64> = x.iter().map(|v| v * scale).collect();
            let sy: Vec<f64> = y.iter().map(|v| v * scale).collect();
            let r = welch_t_test(&sx, &sy, Alternative::Greater, 0.9).unwrap();
            assert_eq!(bits(&r), bits(&base), "2^{power}");
            assert_eq!(r.estimate, base.estimate * scale, "2^{power}");
        }
        // Subnormal samples: the same test as the integers they count.
        let tiny = f64::from_bits(1);
        let r = welch_t_test(
            &[tiny, 2.0 * tiny, 3.0 * tiny],
            &[0.0, tiny],
            Alternative::TwoSided,
            0.95,
        )
        .unwrap();
        let whole =
            welch_t_test(&[1.0, 2.0, 3.0], &[0.0, 1.0], Alternative::TwoSided, 0.95).unwrap();
        assert_eq!(bits(&r), bits(&whole));
    }

    #[test]
    fn a_difference_beyond_the_double_range_is_a_typed_error() {
        let e = welch_t_test(
            &[1.7e308, 1.6e308],
            &[-1.7e308, -1.6e308],
            Alternative::TwoSided,
            0.95,
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.path(), e.family()),
            ("invalid_input", "x", ErrorFamily::Canary)
        );
        // The largest magnitudes whose difference fits are tested.
        let r = welch_t_test(
            &[f64::MAX, f64::MAX / 2.0],
            &[0.0, 1.0],
            Alternative::Less,
            0.95,
        )
        .unwrap();
        assert!(r.p_value > 0.5 && r.p_value < 1.0, "{r:?}");
        assert_eq!(r.ci[0], None);
        assert!(r.ci[1].is_none_or(f64::is_finite));
        assert!(r.df.is_finite() && r.statistic.is_finite());
    }

    #[test]
    fn constant_samples_give_a_degenerate_but_finite_test() {
        let r = welch_t_test(&[2.0, 2.0], &[1.0, 1.0], Alternative::TwoSided, 0.95).unwrap();
        assert_eq!(
            (r.p_value, r.statistic, r.ci),
            (0.0, f64::MAX, [Some(1.0), Some(1.0)])
        );
        let r = welch_t_test(&[2.0, 2.0], &[2.0, 2.0], Alternative::TwoSided, 0.95).unwrap();
        assert_eq!((r.p_value, r.statistic), (1.0, 0.0));
        assert_eq!(r.ratio, Some(1.0));
        let r = welch_t_test(
            &[1e300, 1e300],
            &[1e-300, 1e-300],
            Alternative::TwoSided,
            0.95,
        )
        .unwrap();
        assert_eq!(r.ratio, None, "1e600 is not a double");
    }
}
