//! Anytime-valid sequential test for event counts (errors, crashes), safe to
//! re-check after every interval: the chance of ever rejecting when canary
//! and baseline have the same rate stays at most `alpha`, however often the
//! test is looked at (Ville's inequality). A fixed-horizon test re-run on
//! cumulative data at every interval does not have this guarantee.
//!
//! Model (Lindon & Malek, NeurIPS 2022): each arm's events form a Poisson
//! process; given the total, the split between canary and baseline is
//! binomial with `θ₀ = (allocation, 1 − allocation)` under no difference.
//! The Dirichlet-multinomial Bayes factor against `θ₀` is
//! `BF = [B(α₀ + n) / B(α₀)] / Π θ₀ᵢ^{nᵢ}` with `α₀ = k·θ₀`, and the
//! anytime-valid p-value after look `t` is `min(1, min over s ≤ t of 1/BFₛ)`.

use serde::Serialize;

use super::proportions::check_count;
use crate::error::{Error, Result};

/// One look of a [`sequential_count_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequentialLook {
    /// Cumulative canary events at this look.
    pub canary_events: u64,
    /// Cumulative baseline events at this look.
    pub baseline_events: u64,
    /// Bayes factor against equal rates at this look; saturates at
    /// `f64::MAX` (the evidence is overwhelming long before).
    pub bayes_factor: f64,
    /// Anytime-valid p-value up to this look.
    pub p_value: f64,
}

/// Result of [`sequential_count_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequentialTest {
    /// Anytime-valid p-value after the last look.
    pub p_value: f64,
    /// Whether the p-value has reached `alpha`: stop and roll back (or
    /// investigate) — the rates differ.
    pub reject: bool,
    /// Index of the first look at which the test rejected, if any.
    pub first_rejection: Option<usize>,
    /// Every look.
    pub looks: Vec<SequentialLook>,
    /// `"dirichlet_multinomial"`.
    pub method: &'static str,
}

/// Largest prior concentration: ln B(k·θ + n) − ln B(k·θ) cancels about
/// k·ln(k)·2⁻⁵² of its precision, 5e-6 at 1e9; at 1e15 the error reaches
/// whole units of ln BF and equal-rate data was rejected.
const MAX_CONCENTRATION: f64 = 1e9;

fn ln_beta2(a: f64, b: f64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// Sequential (anytime-valid) comparison of canary and baseline event
/// counts.
///
/// `looks` are cumulative `[canary_events, baseline_events]` at each check,
/// non-decreasing; `allocation` is the canary's share of traffic (or
/// exposure) in (0, 1); `concentration` is the prior's `k` in (0, 1e9] (100
/// is a common default; above 1e9 the log-gamma differences lose their
/// precision); `alpha` the error bound.
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
    let bad = |path: &str, message: String| Error::InvalidConfig {
        path: path.to_string(),
        message,
    };
    if !(allocation.is_finite() && allocation > 0.0 && allocation < 1.0) {
        return Err(bad(
            "allocation",
            format!("allocation must be strictly between 0 and 1, got {allocation}"),
        ));
    }
    if !(concentration > 0.0 && concentration <= MAX_CONCENTRATION) {
        return Err(bad(
            "concentration",
            format!("concentration must be in (0, 1e9], got {concentration}"),
        ));
    }
    if !(alpha.is_finite() && alpha > 0.0 && alpha < 1.0) {
        return Err(bad(
            "alpha",
            format!("alpha must be strictly between 0 and 1, got {alpha}"),
        ));
    }
    let theta = [allocation, 1.0 - allocation];
    let prior = [concentration * theta[0], concentration * theta[1]];
    let ln_prior = ln_beta2(prior[0], prior[1]);
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
                return Err(Error::InvalidCount {
                    path,
                    value: value.to_string(),
                    reason: "cumulative counts must not decrease".into(),
                });
            }
        }
        previous = counts;
        let (c, b) = (counts[0] as f64, counts[1] as f64);
        let ln_bf = ln_beta2(prior[0] + c, prior[1] + b)
            - ln_prior
            - (c * theta[0].ln() + b * theta[1].ln());
        let bayes_factor = if ln_bf > f64::MAX.ln() {
            f64::MAX
        } else {
            ln_bf.exp()
        };
        p_value = p_value.min((-ln_bf).exp()).min(1.0);
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
    fn rejects_decreasing_counts() {
        let e = sequential_count_test(&[[3.0, 1.0], [2.0, 1.0]], 0.5, 100.0, 0.05).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "looks/1/0"));
    }
}
