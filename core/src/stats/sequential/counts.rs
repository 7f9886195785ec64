//! The count test: a Dirichlet-multinomial (beta-binomial) mixture over the
//! canary's share θ of the events, with a confidence sequence on θ and so on
//! the canary/baseline rate ratio.
//!
//! Each arm's events form a Poisson process; given the total, each event is
//! the canary's with probability θ = a·ρ / (a·ρ + 1 − a), where `a` is the
//! canary's traffic share (allocation) and ρ the rate ratio. With the prior
//! θ ~ Beta(k·a, k·(1 − a)) fixed in advance, the marginal likelihood
//! `m = B(k·a + c, k·(1 − a) + b) / B(k·a, k·(1 − a))` over the likelihood at
//! any θ₀, `BF(θ₀) = m / (θ₀^c (1 − θ₀)^b)`, is a nonnegative martingale of
//! mean 1 when θ = θ₀ (Lindon & Malek 2022; at θ₀ = a it is their Bayes
//! factor against equal rates). By Ville's inequality
//! `{θ : BF(θ) < 1/α}` covers the true θ at every look at once with
//! probability at least 1 − α: a confidence sequence. Because the prior is
//! the same for every θ₀, `ln BF` is convex in θ₀ and the set is one
//! interval around `c / (c + b)`.

use statrs::function::gamma::ln_gamma;

/// `ln B(a, b)`.
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The mixture of the count test: the canary's traffic share and the prior
/// concentration `k`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CountMixture {
    /// The canary's share of the traffic (or exposure), in (0, 1).
    pub(crate) allocation: f64,
    /// The prior's concentration `k` (its sum of parameters).
    pub(crate) concentration: f64,
}

impl CountMixture {
    /// `ln m`: the log marginal likelihood of `c` canary and `b` baseline
    /// events under the prior, for the events in their observed order.
    pub(crate) fn ln_marginal(&self, c: f64, b: f64) -> f64 {
        let (pa, pb) = self.prior();
        ln_beta(pa + c, pb + b) - ln_beta(pa, pb)
    }

    fn prior(&self) -> (f64, f64) {
        (
            self.concentration * self.allocation,
            self.concentration * (1.0 - self.allocation),
        )
    }

    /// `ln BF(θ₀)` for the share `θ₀` written as a rate ratio `ρ₀`.
    pub(crate) fn ln_bayes_factor(&self, c: f64, b: f64, ratio: f64) -> f64 {
        self.ln_marginal(c, b) - ln_likelihood(c, b, self.logit_of_ratio(ratio))
    }

    /// The logit of the share θ that a rate ratio ρ gives:
    /// `ln ρ + ln(a / (1 − a))`.
    fn logit_of_ratio(&self, ratio: f64) -> f64 {
        ratio.ln() + (self.allocation / (1.0 - self.allocation)).ln()
    }

    /// The rate ratio of a share's logit (inverse of [`Self::logit_of_ratio`]).
    fn ratio_of_logit(&self, logit: f64) -> f64 {
        (logit - (self.allocation / (1.0 - self.allocation)).ln()).exp()
    }

    /// The estimated rate ratio `(c / a) / (b / (1 − a))`; `None` when
    /// there are no baseline events (unbounded) or no events at all.
    pub(crate) fn ratio_estimate(&self, c: f64, b: f64) -> Option<f64> {
        (b > 0.0).then(|| (c / self.allocation) / (b / (1.0 - self.allocation)))
    }

    /// The anytime-valid p-value of "the rate ratio is at most `ratio`"
    /// (harm above it): `1 / BF` at `ratio` when the canary's share of the
    /// events is above the share that `ratio` gives, else 1. Because `ln BF`
    /// is convex with its minimum at the observed share, `BF` at `ratio` is
    /// the smallest over every ratio at or below it, so this bounds the
    /// whole composite hypothesis.
    pub(crate) fn p_above(&self, c: f64, b: f64, ratio: f64) -> f64 {
        // Observed share above θ₀ ⟺ c·(1 − θ₀) > b·θ₀ ⟺ c / b > odds(θ₀).
        let odds = ratio * self.allocation / (1.0 - self.allocation);
        if c > b * odds {
            (-self.ln_bayes_factor(c, b, ratio)).exp().min(1.0)
        } else {
            1.0
        }
    }

    /// The anytime-valid p-value of "the rate ratio is at least `ratio`"
    /// (harm below it), the mirror of [`Self::p_above`].
    pub(crate) fn p_below(&self, c: f64, b: f64, ratio: f64) -> f64 {
        let odds = ratio * self.allocation / (1.0 - self.allocation);
        if c < b * odds {
            (-self.ln_bayes_factor(c, b, ratio)).exp().min(1.0)
        } else {
            1.0
        }
    }

    /// The confidence sequence for the rate ratio at level `alpha` after
    /// `c` canary and `b` baseline events: `[lower, upper]`, `upper` infinite
    /// without baseline events, `lower` 0 without canary events.
    pub(crate) fn ratio_interval(&self, c: f64, b: f64, alpha: f64) -> [f64; 2] {
        // ℓ(x) > ln m + ln α on the interval, where x is the logit of θ.
        let target = self.ln_marginal(c, b) + alpha.ln();
        let inside = |x: f64| ln_likelihood(c, b, x) > target;
        let centre = if c > 0.0 && b > 0.0 {
            (c / b).ln()
        } else if c > 0.0 {
            LOGIT_LIMIT
        } else {
            -LOGIT_LIMIT
        };
        let lower = if c > 0.0 {
            self.ratio_of_logit(boundary(&inside, centre, -LOGIT_LIMIT))
        } else {
            0.0
        };
        let upper = if b > 0.0 {
            self.ratio_of_logit(boundary(&inside, centre, LOGIT_LIMIT))
        } else {
            f64::INFINITY
        };
        [lower, upper]
    }
}

/// Logits beyond ±700 are shares of 0 or 1 to double precision.
const LOGIT_LIMIT: f64 = 700.0;

/// `ln L = c ln θ + b ln(1 − θ)` for the share with logit `x`, computed
/// without cancellation: `ln θ = −softplus(−x)`, `ln(1 − θ) = −softplus(x)`.
fn ln_likelihood(c: f64, b: f64, x: f64) -> f64 {
    let mut total = 0.0;
    if c > 0.0 {
        total -= c * softplus(-x);
    }
    if b > 0.0 {
        total -= b * softplus(x);
    }
    total
}

/// `ln(1 + eˣ)`.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

/// The edge of the interval `{x : inside(x)}` between `centre` (inside)
/// and `limit` (outside, or the edge itself when inside there too), by
/// bisection to the last bit.
pub(crate) fn boundary(inside: &dyn Fn(f64) -> bool, centre: f64, limit: f64) -> f64 {
    if inside(limit) {
        return limit;
    }
    let (mut a, mut b) = (centre, limit);
    for _ in 0..200 {
        let mid = 0.5 * (a + b);
        if mid == a || mid == b {
            break;
        }
        if inside(mid) {
            a = mid;
        } else {
            b = mid;
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVEN: CountMixture = CountMixture {
        allocation: 0.5,
        concentration: 100.0,
    };

    #[test]
    fn bayes_factor_at_equal_rates_is_lindon_and_maleks() {
        // B(51, 50) / B(50, 50) / 0.5 = 1: one event is no evidence.
        assert!(EVEN.ln_bayes_factor(1.0, 0.0, 1.0).abs() < 1e-12);
        // scipy: exp(betaln(65, 68) - betaln(50, 50) - 33 ln 0.1 ... ) for a = 0.1.
        let tenth = CountMixture {
            allocation: 0.1,
            concentration: 100.0,
        };
        let lbf = tenth.ln_bayes_factor(15.0, 18.0, 1.0);
        assert!(
            (lbf.exp() - 70.6356855925877).abs() < 1e-9 * 70.6,
            "{}",
            lbf.exp()
        );
    }

    #[test]
    fn the_interval_holds_the_estimate_and_excludes_what_the_data_rule_out() {
        // scipy.optimize.brentq on ln BF = ln 20: [0.8400499930329759, 5.21648171706971].
        let [lo, hi] = EVEN.ratio_interval(40.0, 20.0, 0.05);
        assert!(
            (lo - 0.8400499930329759).abs() < 1e-9 && (hi - 5.21648171706971).abs() < 1e-9,
            "{lo} {hi}"
        );
        let [lo, hi] = EVEN.ratio_interval(400.0, 200.0, 0.05);
        assert!(
            1.0 < lo && lo < 2.0 && 2.0 < hi,
            "twice the baseline's events at 600: {lo} {hi}"
        );
        // The edges are where BF reaches 1/α.
        for edge in [lo, hi] {
            let lbf = EVEN.ln_bayes_factor(400.0, 200.0, edge);
            assert!((lbf - 20f64.ln()).abs() < 1e-9, "{lbf}");
        }
        // p at the lower edge is α; above it the ratio is excluded.
        assert!((EVEN.p_above(400.0, 200.0, lo) - 0.05).abs() < 1e-9);
        assert!(EVEN.p_above(400.0, 200.0, 0.9 * lo) < 0.05);
        assert_eq!(EVEN.p_below(400.0, 200.0, lo), 1.0);
    }

    #[test]
    fn one_sided_p_values_ignore_the_other_direction() {
        // Far fewer canary errors: harm upward is not shown.
        assert_eq!(EVEN.p_above(1.0, 40.0, 1.0), 1.0);
        // scipy: 1 / BF = 0.004834 (the two-sided rejection).
        assert!((EVEN.p_below(1.0, 40.0, 1.0) - 0.00483412743607231).abs() < 1e-12);
        // Exactly at the share of the ratio: no evidence either way.
        assert_eq!(EVEN.p_above(10.0, 10.0, 1.0), 1.0);
        assert_eq!(EVEN.p_below(10.0, 10.0, 1.0), 1.0);
    }

    #[test]
    fn missing_sides_leave_the_interval_open() {
        assert_eq!(EVEN.ratio_interval(0.0, 0.0, 0.05), [0.0, f64::INFINITY]);
        let [lo, hi] = EVEN.ratio_interval(9.0, 0.0, 0.05);
        assert!(lo > 0.0 && hi.is_infinite());
        let [lo, hi] = EVEN.ratio_interval(0.0, 9.0, 0.05);
        assert!(lo == 0.0 && hi.is_finite());
        assert_eq!(EVEN.ratio_estimate(9.0, 0.0), None);
        assert_eq!(EVEN.ratio_estimate(3.0, 6.0), Some(0.5));
    }
}
