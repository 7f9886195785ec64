//! The fixed-horizon comparison: the sample size per arm at which
//! `judge_canary`'s own one-sided test reaches 80 % power.

use rollgate::Alternative;

use crate::sim::{self, Arm, Rng, BASE};

/// Which regression and test.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Error rates (baseline, canary): Fisher's exact or the score test.
    Proportions(f64, f64),
    /// Every latency sample multiplied: Mann-Whitney.
    Location(f64),
    /// The p99 stretched: the quantile test.
    Quantile(f64),
}

/// The share of `runs` simulated canaries of `n` per arm that the fixed
/// test rejects at `alpha`.
fn power(kind: Kind, n: usize, alpha: f64, seed: u64, runs: usize) -> f64 {
    let mut rng = Rng(seed);
    let confidence = 1.0 - alpha;
    let mut hits = 0;
    for _ in 0..runs {
        let p = match kind {
            Kind::Proportions(b, c) => {
                let (eb, ec) = (rng.binomial(n as u64, b), rng.binomial(n as u64, c));
                rollgate::compare_proportions(
                    ec as f64,
                    n as f64,
                    eb as f64,
                    n as f64,
                    Alternative::Greater,
                    confidence,
                )
                .unwrap()
                .p_value
            }
            Kind::Location(factor) => {
                let b = sim::latency(&mut rng, &BASE, n);
                let c = sim::latency(
                    &mut rng,
                    &Arm {
                        latency: factor,
                        ..BASE
                    },
                    n,
                );
                rollgate::mann_whitney_owned(c, b, Alternative::Greater, confidence)
                    .unwrap()
                    .p_value
            }
            Kind::Quantile(factor) => {
                let b = sim::latency(&mut rng, &BASE, n);
                let c = sim::latency(
                    &mut rng,
                    &Arm {
                        tail: factor,
                        ..BASE
                    },
                    n,
                );
                rollgate::compare_quantiles(&c, &b, 0.99, Alternative::Greater, confidence)
                    .unwrap()
                    .p_value
            }
        };
        hits += usize::from(p <= alpha);
    }
    hits as f64 / runs as f64
}

/// The smallest n per arm (to about 3 %) with at least 80 % power.
pub fn n_at_80(kind: Kind, alpha: f64, seed: u64, runs: usize) -> f64 {
    let mut hi = 64usize;
    while power(kind, hi, alpha, seed, runs) < 0.8 {
        hi *= 2;
        if hi > 1 << 24 {
            return f64::INFINITY;
        }
    }
    let mut lo = hi / 2;
    while (hi - lo) as f64 > 0.03 * hi as f64 {
        let mid = (lo + hi) / 2;
        if power(kind, mid, alpha, seed, runs) >= 0.8 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi as f64
}
