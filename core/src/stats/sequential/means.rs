//! The mean test: a normal-mixture sequential probability ratio test
//! (mSPRT, Robbins' normal mixture) for a contrast of two means, with the
//! variance estimated from the data rather than known in advance.
//!
//! For the contrast `D = μ_c − r·μ_b` (canary mean against `r` times the
//! baseline mean) with estimate `D̂` and estimated variance
//! `V = s_c²/n_c + r²·s_b²/n_b`, the mixture over a normal prior of the
//! effect with standard deviation τ gives
//! `ln Λ = −½ ln(1 + ν) + ν Z² / (2 (1 + ν))` with `Z = D̂ / √V` and
//! `ν = τ² / V` (Johari, Pekelis & Walsh, "Always valid inference"). rollgate
//! sets `τ = φ·σ̄`, `σ̄² = (s_c² + r² s_b²) / 2`: φ is the mixing standard
//! deviation of the effect in standard deviations of the metric, so the test
//! does not depend on the metric's unit. Under `D = 0`, `P(Λ ever ≥ 1/α) ≤ α`
//! holds in the limit of large samples for any distribution with a finite
//! variance (Waudby-Smith, Arnold, Wu, Wang & Ramdas 2021, asymptotic
//! confidence sequences); the A/A simulations in `benches/watch_quality`
//! measure it at canary sizes.

use serde::{Deserialize, Serialize};

/// Count, mean and sum of squared deviations (M2) of a sample, updated
/// with Welford's recurrence and merged as Chan, Golub & LeVeque: never
/// the raw samples, and no cancellation in the variance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Their mean (0 when `n` is 0).
    pub mean: f64,
    /// Sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// The moments of `values`.
    pub(crate) fn of(values: &[f64]) -> Self {
        let mut m = Moments::default();
        for &v in values {
            m.n += 1;
            let delta = v - m.mean;
            m.mean += delta / m.n as f64;
            m.m2 += delta * (v - m.mean);
        }
        m
    }

    /// Adds another sample's moments.
    pub(crate) fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * nb / n;
        self.m2 += other.m2 + delta * delta * na * nb / n;
        self.n += other.n;
    }

    /// The sample variance (`n − 1` in the denominator); 0 below 2 values.
    pub(crate) fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).max(0.0)
        }
    }
}

/// The normal mixture for the means of a canary and a baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MeanMixture {
    /// φ: the mixing standard deviation of the effect, in standard
    /// deviations of the metric.
    pub(crate) mixing_sd: f64,
}

impl MeanMixture {
    /// `(ln Λ, D̂)` for the contrast `μ_c − r·μ_b`; `None` when either arm
    /// has fewer than 2 values or both have no spread (the variance cannot
    /// be estimated).
    pub(crate) fn ln_lambda(
        &self,
        canary: &Moments,
        baseline: &Moments,
        r: f64,
    ) -> Option<(f64, f64)> {
        if canary.n < 2 || baseline.n < 2 {
            return None;
        }
        let (vc, vb) = (canary.variance(), baseline.variance());
        let v = vc / canary.n as f64 + r * r * vb / baseline.n as f64;
        if !(v > 0.0 && v.is_finite()) {
            return None;
        }
        let d = canary.mean - r * baseline.mean;
        let tau2 = self.mixing_sd * self.mixing_sd * (vc + r * r * vb) / 2.0;
        let nu = tau2 / v;
        let z2 = d * d / v;
        Some((-0.5 * nu.ln_1p() + nu * z2 / (2.0 * (1.0 + nu)), d))
    }

    /// The anytime-valid p-value of "`μ_c ≤ r·μ_b`" (harm above `r`):
    /// `1 / Λ` when the estimate is above, else 1.
    pub(crate) fn p_above(&self, canary: &Moments, baseline: &Moments, r: f64) -> f64 {
        match self.ln_lambda(canary, baseline, r) {
            Some((ln_lambda, d)) if d > 0.0 => (-ln_lambda).exp().min(1.0),
            _ => 1.0,
        }
    }

    /// The anytime-valid p-value of "`μ_c ≥ r·μ_b`" (harm below `r`).
    pub(crate) fn p_below(&self, canary: &Moments, baseline: &Moments, r: f64) -> f64 {
        match self.ln_lambda(canary, baseline, r) {
            Some((ln_lambda, d)) if d < 0.0 => (-ln_lambda).exp().min(1.0),
            _ => 1.0,
        }
    }

    /// The confidence sequence at level `alpha` for the ratio of means
    /// `μ_c / μ_b`: the ratios `r` whose contrast the mixture does not
    /// reject. `[0, ∞]` while the test cannot run or the baseline's mean
    /// is not positive.
    pub(crate) fn ratio_interval(
        &self,
        canary: &Moments,
        baseline: &Moments,
        alpha: f64,
    ) -> [f64; 2] {
        let open = [0.0, f64::INFINITY];
        if baseline.mean.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) || canary.mean < 0.0
        {
            return open;
        }
        let threshold = -alpha.ln();
        let inside = |r: f64| match self.ln_lambda(canary, baseline, r) {
            Some((ln_lambda, _)) => ln_lambda < threshold,
            None => true,
        };
        let centre = canary.mean / baseline.mean;
        if self.ln_lambda(canary, baseline, centre).is_none() {
            return open;
        }
        // Bisect in ln r for relative precision at any scale.
        let ln_inside = |x: f64| inside(x.exp());
        let ln_centre = centre.max(f64::MIN_POSITIVE).ln();
        let lower = if centre > 0.0 {
            let x = super::counts::boundary(&ln_inside, ln_centre, -RATIO_LIMIT.ln());
            if x <= -RATIO_LIMIT.ln() {
                0.0
            } else {
                x.exp()
            }
        } else {
            0.0
        };
        let x = super::counts::boundary(&ln_inside, ln_centre, RATIO_LIMIT.ln());
        let upper = if x >= RATIO_LIMIT.ln() {
            f64::INFINITY
        } else {
            x.exp()
        };
        [lower, upper]
    }
}

/// Ratios beyond 10¹² (or below 10⁻¹²) are reported as unbounded (or 0).
const RATIO_LIMIT: f64 = 1e12;

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(values: &[f64]) -> Moments {
        Moments::of(values)
    }

    #[test]
    fn welford_and_chan_agree_with_the_two_pass_formulas() {
        let values: Vec<f64> = (0..1000).map(|i| 1e6 + f64::from(i % 37) * 0.25).collect();
        let whole = moments(&values);
        let mean = values.iter().sum::<f64>() / 1000.0;
        let m2: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        assert_eq!(whole.n, 1000);
        assert!((whole.mean - mean).abs() < 1e-9);
        assert!((whole.m2 - m2).abs() < 1e-9 * m2);
        let mut merged = moments(&values[..313]);
        merged.merge(&moments(&values[313..]));
        merged.merge(&Moments::default());
        assert_eq!(merged.n, 1000);
        assert!((merged.mean - mean).abs() < 1e-9);
        assert!((merged.m2 - m2).abs() < 1e-9 * m2);
        let mut empty = Moments::default();
        empty.merge(&whole);
        assert_eq!(empty, whole);
        assert_eq!(moments(&[3.0]).variance(), 0.0);
        assert_eq!(moments(&[1.0, 3.0]).variance(), 2.0);
    }

    #[test]
    fn lambda_is_robbins_normal_mixture() {
        let mix = MeanMixture { mixing_sd: 0.5 };
        let c = moments(&[1.0, 2.0, 3.0, 4.0]); // mean 2.5, var 5/3
        let b = moments(&[0.0, 1.0, 2.0]); // mean 1, var 1
        let (ln_lambda, d) = mix.ln_lambda(&c, &b, 1.0).unwrap();
        let v: f64 = (5.0 / 3.0) / 4.0 + 1.0 / 3.0;
        let nu: f64 = 0.25 * (5.0 / 3.0 + 1.0) / 2.0 / v;
        let z2 = 1.5 * 1.5 / v;
        assert_eq!(d, 1.5);
        assert!(
            (ln_lambda - (-0.5 * (1.0 + nu).ln() + nu * z2 / (2.0 * (1.0 + nu)))).abs() < 1e-14
        );
        assert!(mix.ln_lambda(&moments(&[1.0]), &b, 1.0).is_none());
        assert!(mix
            .ln_lambda(&moments(&[2.0, 2.0]), &moments(&[1.0, 1.0]), 1.0)
            .is_none());
    }

    #[test]
    fn p_values_are_one_sided_and_match_the_interval() {
        let mix = MeanMixture { mixing_sd: 0.1 };
        let base: Vec<f64> = (0..4000).map(|i| 100.0 + f64::from(i % 41)).collect();
        let slow: Vec<f64> = base.iter().map(|v| v * 1.1).collect();
        let (b, c) = (moments(&base), moments(&slow));
        assert!(mix.p_above(&c, &b, 1.0) < 1e-6);
        assert_eq!(mix.p_below(&c, &b, 1.0), 1.0);
        assert_eq!(mix.p_above(&b, &c, 1.0), 1.0);
        let [lo, hi] = mix.ratio_interval(&c, &b, 0.05);
        assert!(1.0 < lo && lo < 1.1 && 1.1 < hi && hi < 1.2, "{lo} {hi}");
        assert!((mix.p_above(&c, &b, lo) - 0.05).abs() < 1e-9);
        assert!((mix.p_below(&c, &b, hi) - 0.05).abs() < 1e-9);
        // A baseline without a positive mean has no ratio.
        assert_eq!(
            mix.ratio_interval(&c, &moments(&[-1.0, 1.0]), 0.05),
            [0.0, f64::INFINITY]
        );
    }
}
