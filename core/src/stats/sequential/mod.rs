//! Anytime-valid sequential tests, safe to re-check after every interval:
//! the chance of ever rejecting a true hypothesis stays at most `alpha`
//! however often the test is looked at (Ville's inequality). A
//! fixed-horizon test re-run on cumulative data at every interval does not
//! have this guarantee.
//!
//! - `counts`: event counts (errors, crashes), a Dirichlet-multinomial
//!   mixture with a confidence sequence on the rate ratio (Lindon & Malek,
//!   NeurIPS 2022); [`sequential_count_test`] is its public form.
//! - [`means`]: the difference of two means, a normal-mixture SPRT with the
//!   variance estimated from the data.
//! - `quantiles` over a [`histogram`]: a quantile of each arm (p95, p99),
//!   with state of bounded size.
//!
//! Every test is one-sided in the direction asked: evidence of the other
//! direction never rejects.

pub(crate) mod counts;
pub mod histogram;
pub mod means;
pub(crate) mod quantiles;

use serde::Serialize;

use super::proportions::check_count;
use crate::error::{CanaryError, Error, Result};
use counts::CountMixture;

/// One look of a [`sequential_count_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SequentialLook {
    /// Cumulative canary events at this look.
    pub canary_events: u64,
    /// Cumulative baseline events at this look.
    pub baseline_events: u64,
    /// Bayes factor against equal rates at this look (the evidence of a
    /// difference in either direction).
    pub bayes_factor: f64,
    /// Anytime-valid p-value of "the canary's rate is not higher" up to
    /// this look.
    pub p_value: f64,
}

/// Result of [`sequential_count_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SequentialTest {
    /// Anytime-valid p-value after the last look.
    pub p_value: f64,
    /// Whether the p-value has reached `alpha`: the canary's rate is higher
    /// than the baseline's — stop and roll back.
    pub reject: bool,
    /// Index of the first look at which the test rejected, if any.
    pub first_rejection: Option<usize>,
    /// Every look.
    pub looks: Vec<SequentialLook>,
    /// `"dirichlet_multinomial"`.
    #[cfg_attr(feature = "schema", schemars(extend("enum" = ["dirichlet_multinomial"])))]
    pub method: &'static str,
}

/// Sequential (anytime-valid) test of whether the canary has a higher event
/// rate than the baseline.
///
/// `looks` are cumulative `[canary_events, baseline_events]` at each check,
/// non-decreasing; `allocation` is the canary's share of traffic (or
/// exposure) in (0, 1); `concentration` is the prior's `k` (100 is a common
/// default); `alpha` the error bound.
///
/// Model (Lindon & Malek 2022): each arm's events form a Poisson process;
/// given the total, each event is the canary's with probability
/// `allocation` when the rates are equal. The Dirichlet-multinomial Bayes
/// factor against that split is `BF = [B(k·a + c, k·(1 − a) + b) /
/// B(k·a, k·(1 − a))] / (a^c (1 − a)^b)`. The test is one-sided: a look
/// counts as evidence only when the canary holds more than its share of the
/// events, so fewer canary errors never reject. The p-value after look `t`
/// is the smallest `1 / BF` over the looks `s ≤ t` where the canary's share
/// was above `allocation` (1 if none); under equal or lower canary rates,
/// the chance that it ever falls to `alpha` is at most `alpha`.
///
/// Errors: `invalid_count` (path `looks/i/j`) for a negative, fractional or
/// decreasing count; `invalid_config` for `allocation`, `concentration` or
/// `alpha` out of range.
///
/// ```
/// use rollgate::stats::sequential_count_test;
/// // 10 % of traffic on the canary; its share of errors grows look by look.
/// let r = sequential_count_test(&[[3.0, 9.0], [8.0, 14.0], [15.0, 18.0]], 0.1, 100.0, 0.05).unwrap();
/// assert!(r.reject);
/// assert_eq!(r.first_rejection, Some(2));
/// ```
pub fn sequential_count_test(
    looks: &[[f64; 2]],
    allocation: f64,
    concentration: f64,
    alpha: f64,
) -> Result<SequentialTest> {
    let bad = |path: &str, message: String| Error::invalid_config(path.to_string(), message);
    if !(allocation.is_finite() && allocation > 0.0 && allocation < 1.0) {
        return Err(bad(
            "allocation",
            format!("allocation must be strictly between 0 and 1, got {allocation}"),
        ));
    }
    if !(concentration.is_finite() && concentration > 0.0) {
        return Err(bad(
            "concentration",
            format!("concentration must be positive, got {concentration}"),
        ));
    }
    if !(alpha.is_finite() && alpha > 0.0 && alpha < 1.0) {
        return Err(bad(
            "alpha",
            format!("alpha must be strictly between 0 and 1, got {alpha}"),
        ));
    }
    let mixture = CountMixture {
        allocation,
        concentration,
    };
    let mut previous = [0u64; 2];
    let mut p_value = 1.0_f64;
    let mut first_rejection = None;
    let mut out = Vec::with_capacity(looks.len());
    for (i, look) in looks.iter().enumerate() {
        let mut counts = [0u64; 2];
        for (j, (slot, value)) in counts.iter_mut().zip(look).enumerate() {
            let path = format!("looks/{i}/{j}");
            *slot = check_count(*value, &path, false)?;
            if *slot < previous.get(j).copied().unwrap_or(0) {
                return Err(Error::new(
                    path,
                    CanaryError::InvalidCount {
                        value: value.to_string(),
                        reason: "cumulative counts must not decrease".into(),
                    },
                ));
            }
        }
        previous = counts;
        let (c, b) = (counts[0] as f64, counts[1] as f64);
        // Saturates at f64::MAX: the evidence is overwhelming long before,
        // and an infinity would be written as JSON `null`.
        let bayes_factor = mixture.ln_bayes_factor(c, b, 1.0).exp().min(f64::MAX);
        p_value = p_value.min(mixture.p_above(c, b, 1.0));
        if first_rejection.is_none() && p_value <= alpha {
            first_rejection = Some(i);
        }
        out.push(SequentialLook {
            canary_events: counts[0],
            baseline_events: counts[1],
            bayes_factor,
            p_value,
        });
    }
    Ok(SequentialTest {
        p_value,
        reject: p_value <= alpha,
        first_rejection,
        looks: out,
        method: "dirichlet_multinomial",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_event_is_no_evidence() {
        // B(51, 50) / B(50, 50) = 1/2 = 0.5^1.
        let r = sequential_count_test(&[[1.0, 0.0]], 0.5, 100.0, 0.05).unwrap();
        assert!((r.looks[0].bayes_factor - 1.0).abs() < 1e-12);
        assert_eq!(r.p_value, 1.0);
    }

    #[test]
    fn fewer_canary_events_never_reject() {
        // The canary has 1 of 41 errors with half the traffic: far better.
        let r = sequential_count_test(&[[0.0, 10.0], [0.0, 20.0], [1.0, 40.0]], 0.5, 100.0, 0.05)
            .unwrap();
        assert!(!r.reject);
        assert_eq!(r.p_value, 1.0);
        assert!(
            r.looks[2].bayes_factor > 20.0,
            "the evidence of a difference is strong"
        );
    }

    #[test]
    fn rejects_decreasing_counts() {
        let e = sequential_count_test(&[[3.0, 1.0], [2.0, 1.0]], 0.5, 100.0, 0.05).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "looks/1/0"));
    }
}
