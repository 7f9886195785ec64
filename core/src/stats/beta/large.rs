//! The regularized incomplete beta function `I_x(a, b)` for large
//! parameters (a binomial with 10^12 trials, Student's t with 10^9 degrees
//! of freedom), where statrs' continued fraction stops after 140 terms and
//! its prefactor, `exp(ln Γ(a+b) − ln Γ(a) − ln Γ(b) + …)`, loses about
//! `eps · (a+b) ln(a+b)` to cancellation (it returned p = −208 at 10^12).
//!
//! Three pieces, each accurate to a few ulps on its own:
//!
//! - the prefactor `x^a y^b / B(a, b)` in Loader's saddle-point form
//!   (C. Loader, "Fast and accurate computation of binomial probabilities",
//!   2000): Stirling's error `δ(n) = ln Γ(n+1) − (n+½) ln n + n − ln √(2π)`
//!   and the deviance `a ln(a/nx) + b ln(b/ny)`, here written as
//!   `nx φ(λ/nx) + ny φ(−λ/ny)` with `φ(t) = (1+t) ln(1+t) − t` and
//!   `λ = a − (a+b)x`, so that no two large terms cancel;
//! - the classical continued fraction (Abramowitz & Stegun 26.5.8) in its
//!   even contraction, whose partial denominators are polynomials in `λ`
//!   with positive coefficients: `λ` is computed from whichever of `x` and
//!   `y = 1 − x` is the smaller (the exact one), so `x` near 1 (a binomial
//!   with a tiny success probability, t with huge degrees of freedom) loses
//!   nothing. It converges in under ~300 terms at least one standard
//!   deviation from the mean, but needs O(√min(a, b)) terms at the mean;
//! - so within one standard deviation of the mean, when both parameters
//!   exceed [`QUADRATURE_MIN`], the tail is the continued fraction two
//!   standard deviations out plus the integral of the density (near-normal
//!   there: skewness below 0.07) over the remaining ≤ 2 standard deviations
//!   by 20-point Gauss-Legendre quadrature.
//!
//! Checked against scipy (Boost's `ibeta`) in `tests.rs` and in
//! `tests/vectors/stats.json`.

/// ln √(2π).
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Both parameters at least this large: the mean region is integrated
/// rather than reached by the continued fraction (which would need
/// O(√min(a, b)) terms there).
pub(super) const QUADRATURE_MIN: f64 = 1000.0;

/// A safety bound on the continued fraction's terms; the measured maximum
/// over the tests' grid is a few hundred.
const MAX_TERMS: u32 = 20_000;

/// Nodes in (0, 1) and weights of the 20-point Gauss-Legendre rule on
/// [−1, 1] (numpy.polynomial.legendre.leggauss(20)); the rule is symmetric.
const GAUSS_LEGENDRE_20: [(f64, f64); 10] = [
    (0.076_526_521_133_497_34, 0.152_753_387_130_726_28),
    (0.227_785_851_141_645_07, 0.149_172_986_472_604_24),
    (0.373_706_088_715_419_55, 0.142_096_109_318_382_4),
    (0.510_867_001_950_827_1, 0.131_688_638_449_176_9),
    (0.636_053_680_726_515, 0.118_194_531_961_518_6),
    (0.746_331_906_460_150_8, 0.101_930_119_817_240_7),
    (0.839_116_971_822_218_8, 0.083_276_741_576_704_71),
    (0.912_234_428_251_326, 0.062_672_048_334_108_79),
    (0.963_971_927_277_913_8, 0.040_601_429_800_386_446),
    (0.993_128_599_185_095, 0.017_614_007_139_150_893),
];

/// Stirling's error `δ(n) = ln Γ(n+1) − (n+½) ln n + n − ln √(2π)`, `n > 0`:
/// its asymptotic series above 15 (the first omitted term is below
/// 3e-16 · δ there), libm's `lgamma` below (where the terms are small).
fn stirlerr(n: f64) -> f64 {
    if n > 15.0 {
        let nn = n * n;
        let s = 1.0 / 12.0
            - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * nn)) / nn) / nn) / nn;
        s / n
    } else {
        libm::lgamma(n + 1.0) - (n + 0.5) * n.ln() + n - LN_SQRT_2PI
    }
}

/// `φ(t) = (1+t) ln(1+t) − t` for `t ≥ −1`, without cancellation near 0
/// (its series `Σ_{k≥2} (−t)^k / (k(k−1))` below |t| = 1/2).
fn phi(t: f64) -> f64 {
    if t.abs() < 0.5 {
        let mut sum = 0.0;
        let mut power = t * t;
        for k in 2..200u32 {
            let kf = f64::from(k);
            let term = power / (kf * (kf - 1.0));
            let next = if k % 2 == 0 { sum + term } else { sum - term };
            if next == sum {
                break;
            }
            sum = next;
            power *= t;
        }
        sum
    } else if t <= -1.0 {
        1.0
    } else {
        (1.0 + t) * t.ln_1p() - t
    }
}

/// `u · v` as an unevaluated sum `hi + lo` (Dekker's exact product, by
/// splitting each factor into 26-bit halves; no fused multiply-add, which
/// is a slow library call on targets without the instruction).
fn two_product(u: f64, v: f64) -> (f64, f64) {
    const SPLIT: f64 = 134_217_729.0; // 2^27 + 1
    let split = |w: f64| {
        let c = SPLIT * w;
        let high = c - (c - w);
        (high, w - high)
    };
    let hi = u * v;
    let ((uh, ul), (vh, vl)) = (split(u), split(v));
    let lo = ((uh * vh - hi) + uh * vl + ul * vh) + ul * vl;
    (hi, lo)
}

/// `λ = a − (a+b)x = (a+b)y − b`, computed from the smaller of `x` and `y`
/// (taken as exact; the other is `1 −` it) with an exact product: near the
/// mean `a` and `(a+b)x` agree in most of their digits, and at 10^15 one
/// rounding of the product is 1e-9 standard deviations.
pub(super) fn lambda(a: f64, b: f64, x: f64, y: f64) -> f64 {
    let n = a + b;
    if x <= y {
        let (hi, lo) = two_product(n, x);
        (a - hi) - lo
    } else {
        let (hi, lo) = two_product(n, y);
        (hi - b) + lo
    }
}

/// `ln(x^a y^b / B(a, b))` (Loader's form, see the module docs).
fn ln_power_terms(a: f64, b: f64, x: f64, y: f64) -> f64 {
    ln_power_terms_at(a, b, x, y, lambda(a, b, x, y))
}

/// [`ln_power_terms`] given `λ` (which carries the position to full
/// precision; `x` and `y` only scale).
fn ln_power_terms_at(a: f64, b: f64, x: f64, y: f64, lam: f64) -> f64 {
    let n = a + b;
    let (nx, ny) = if x <= y {
        (n * x, n - n * x)
    } else {
        (n - n * y, n * y)
    };
    let deviance = nx * phi(lam / nx) + ny * phi(-lam / ny);
    -deviance + 0.5 * (a.ln() + b.ln() - n.ln()) - LN_SQRT_2PI - stirlerr(a) - stirlerr(b)
        + stirlerr(n)
}

/// ln P(X = k) for X ~ Binomial(n, p), `q = 1 − p` (Loader's saddle-point
/// form; the smaller of `p` and `q` is taken as exact).
pub(super) fn ln_binom_pmf(k: f64, n: f64, p: f64, q: f64) -> f64 {
    if k <= 0.0 {
        n * (-p).ln_1p()
    } else if k >= n {
        n * p.ln()
    } else {
        let m = n - k;
        ln_power_terms(k, m, p, q) - (k.ln() + m.ln() - n.ln())
    }
}

/// `I_x(a, b)` for `a, b > 0`, `x, y` in [0, 1] with `x + y = 1` (the
/// smaller of the two is taken as exact).
pub(super) fn ibeta(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if y <= 0.0 {
        return 1.0;
    }
    let lam = lambda(a, b, x, y);
    if lam < 0.0 {
        1.0 - lower_tail(b, a, y, x, -lam)
    } else {
        lower_tail(a, b, x, y, lam)
    }
}

/// `I_x(a, b)` for `x` at or below the mean (`λ ≥ 0`).
fn lower_tail(a: f64, b: f64, x: f64, y: f64, lam: f64) -> f64 {
    let n = a + b;
    let sd = (a * b / (n + 1.0)).sqrt();
    let z = lam / sd;
    if a.min(b) >= QUADRATURE_MIN && z < 1.0 {
        // From about two standard deviations below the mean up to x; the
        // start is moved to where the exact (smaller) side of it is a
        // double, so the integral's interval ends exactly there.
        let shift = (2.0 - z) * sd / n;
        let (x1, y1, shift) = if x <= y {
            let x1 = x - shift;
            (x1, y + (x - x1), x - x1)
        } else {
            let y1 = y + shift;
            (x - (y1 - y), y1, y1 - y)
        };
        let start = continued_fraction(a, b, x1, y1, lambda(a, b, x1, y1));
        start + integral(a, b, x, y, shift)
    } else {
        continued_fraction(a, b, x, y, lam)
    }
}

/// `∫_{x − w}^{x} t^{a−1} (1−t)^{b−1} / B(a, b) dt` by 20-point
/// Gauss-Legendre.
fn integral(a: f64, b: f64, x: f64, y: f64, width: f64) -> f64 {
    let half = 0.5 * width;
    let (n, lam) = (a + b, lambda(a, b, x, y));
    // The node x − s is not a double; λ(x − s) = λ(x) + (a+b)s is, to a
    // rounding of the small (a+b)s.
    let density = |s: f64| {
        let (t, u) = (x - s, y + s);
        ln_power_terms_at(a, b, t, u, lam + n * s).exp() / (t * u)
    };
    let mut sum = 0.0;
    for (node, weight) in GAUSS_LEGENDRE_20 {
        sum += weight * (density(half * (1.0 - node)) + density(half * (1.0 + node)));
    }
    sum * half
}

/// `I_x(a, b)` by the even contraction of A&S 26.5.8, evaluated by the
/// modified Lentz method; `λ = a − (a+b)x ≥ 0`.
fn continued_fraction(a: f64, b: f64, x: f64, y: f64, lam: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let n = a + b;
    let prefactor = ln_power_terms(a, b, x, y).exp() / a;
    if prefactor == 0.0 {
        return 0.0;
    }
    let guard = |v: f64| if v.abs() < TINY { TINY } else { v };
    let mut f = guard((lam + 1.0) / (a + 1.0));
    let (mut c, mut d) = (f, 0.0);
    let x2 = x * x;
    for m in 1..=MAX_TERMS {
        let m = f64::from(m);
        let big = a + 2.0 * m;
        let alpha = (a + m - 1.0) * (n + m - 1.0) / ((big - 2.0) * (big - 1.0))
            * (m * (b - m) / ((big - 1.0) * big))
            * x2;
        let beta = (n * (a - 1.0)
            + 2.0 * m * (a + m) * (a + 2.0 * b)
            + lam * (n * (a - 1.0) + 2.0 * a * m + 2.0 * m * m))
            / (n * (big - 1.0) * (big + 1.0));
        d = 1.0 / guard(beta + alpha * d);
        c = guard(beta + alpha / c);
        let delta = c * d;
        f *= delta;
        if (delta - 1.0).abs() <= f64::EPSILON {
            break;
        }
    }
    prefactor / f
}
