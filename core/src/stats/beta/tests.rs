//! Unit tests of the beta-function family, small and large parameters.
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

#[test]
fn out_of_domain_arguments_give_nan_instead_of_panicking() {
    assert!(beta_reg(f64::NAN, 0.5, 0.5).is_nan());
    assert!(beta_reg(1.0, 0.5, f64::NAN).is_nan());
    assert!(beta_reg(0.0, 0.5, 0.5).is_nan());
    assert!(beta_reg(1.0, 0.5, 1.5).is_nan());
    assert!((beta_reg(1.0, 1.0, 0.25) - 0.25).abs() < 1e-15);
    assert!(t_cdf(1.0, f64::NAN).is_nan());
    assert_eq!(t_cdf(f64::INFINITY, 3.0), 1.0);
    assert_eq!(t_cdf(f64::NEG_INFINITY, 3.0), 0.0);
}

#[test]
fn binomial_tails_match_hand_computation() {
    // Binomial(4, 1/2): P(X ≤ 1) = 5/16, P(X ≥ 3) = 5/16.
    assert!((pbinom(1, 4, 0.5) - 5.0 / 16.0).abs() < 1e-15);
    assert!((pbinom_upper(3, 4, 0.5) - 5.0 / 16.0).abs() < 1e-15);
    assert_eq!(pbinom(4, 4, 0.3), 1.0);
    assert_eq!(pbinom_upper(0, 4, 0.3), 1.0);
    assert_eq!(pbinom_upper(5, 4, 0.3), 0.0);
    // Beta(2, 2) median is 1/2; its 0.15625 quantile is 1/4.
    assert!((inverse_beta(0.5, 2.0, 2.0) - 0.5).abs() < 1e-15);
    assert!((inverse_beta(0.15625, 2.0, 2.0) - 0.25).abs() < 1e-15);
}

/// Relative error of `got` against `want` (of the complement when `want`
/// is above 1/2, whose digits are what a tail carries).
fn rel(got: f64, want: f64, complement: Option<f64>) -> f64 {
    match complement {
        Some(c) => ((1.0 - got) - c).abs() / c,
        None => ((got - want) / want).abs(),
    }
}

#[test]
fn beta_reg_is_accurate_for_huge_parameters() {
    // mpmath at 60 digits (quadrature of the density at the exact x);
    // scipy's betainc (Boost) is off by the amount in each comment.
    for (a, b, x, y, want, complement) in [
        // scipy 0.246 (2e-1): its continued fraction is cut short.
        (
            1e15,
            1e15,
            0.499_999_994_409_830_06,
            0.500_000_005_590_169_9,
            0.308_537_538_905_040_1,
            None,
        ),
        // scipy 1e-3.
        (
            1e12,
            1e12,
            0.499_999_964_644_660_95,
            0.500_000_035_355_339_1,
            0.460_172_162_738_717_86,
            None,
        ),
        // scipy 5e-8.
        (
            11.0,
            1e9,
            1.431_662_461_297_278e-8,
            1.0 - 1.431_662_461_297_278e-8,
            0.844_367_466_591_230_6,
            None,
        ),
        // x near 1 given by its exact complement y; scipy 4e-13.
        (
            1e15,
            1e12,
            0.999_000_989_015_980_3,
            0.000_999_010_984_019_693_2,
            7.622_391_451_351_343e-24,
            None,
        ),
        // The upper tail of I(1e12, 1e15, x) as I_y(b, a), x exact;
        // scipy 1e-9.
        (
            1e15,
            1e12,
            1.0 - 0.000_999_005_991_510_363,
            0.000_999_005_991_510_363,
            2.866_634_480_630_459_6e-7,
            None,
        ),
        (
            1e6,
            1e6,
            0.496_464_466_977_950_4,
            0.503_535_533_022_049_7,
            7.610_528_724_904_922e-24,
            None,
        ),
        (
            1e8,
            11.0,
            0.999_999_856_833_769_8,
            1.431_662_301_614_737e-7,
            0.155_632_535_234_657_5,
            None,
        ),
    ] {
        let got = beta_reg_pair(a, b, x, y);
        let err = rel(got, want, complement);
        assert!(
            err < 1e-13,
            "I({a}, {b}, {x}) = {got}, want {want}: {err:e}"
        );
    }
}

#[test]
fn statrs_is_kept_below_the_threshold_and_replaced_above() {
    // Below: the very same bits as statrs (existing vectors hold).
    for (a, b, x) in [
        (1530.0, 1401.0, 0.51),
        (3000.0, 0.5, 0.9995),
        (2.0, 3000.0, 1e-4),
    ] {
        let want = statrs::function::beta::checked_beta_reg(a, b, x).unwrap();
        assert_eq!(beta_reg(a, b, x).to_bits(), want.to_bits());
    }
    // Just above, statrs and the new method agree to 1e-11 (statrs' own
    // error there); at 1e5 statrs is off by 6e-7.
    let (a, b, x) = (3001.0, 3001.0, 0.49);
    let old = statrs::function::beta::checked_beta_reg(a, b, x).unwrap();
    assert!(((beta_reg(a, b, x) - old) / old).abs() < 1e-11);
    assert!(beta_reg(f64::NAN, 5000.0, 0.5).is_nan());
    assert!(beta_reg(5000.0, -1.0, 0.5).is_nan());
    assert!(beta_reg(5000.0, 5000.0, 1.5).is_nan());
    assert_eq!(beta_reg(5000.0, 5000.0, 0.0), 0.0);
    assert_eq!(beta_reg(5000.0, 5000.0, 1.0), 1.0);
}

#[test]
fn student_t_is_accurate_for_huge_degrees_of_freedom() {
    // mpmath quadrature of the t density (scipy.stats.t.sf agrees to 1e-15).
    for (t, df, want) in [
        (2.5, 1e7, 0.006_209_673_268_289_235),
        (2.5, 1e9, 0.006_209_665_405_201_247),
        (-1.0, 1e12, 0.841_344_746_068_421_9),
        (6.0, 1e9, 9.865_879_822_492_458e-10),
        (0.3, 1e15, 0.382_088_577_811_047_4),
        (4.0, 5e4, 3.171_676_734_042_601e-5),
    ] {
        let got = t_sf(t, df);
        assert!(
            ((got - want) / want).abs() < 1e-12,
            "t_sf({t}, {df}) = {got}, want {want}"
        );
        // P(T ≤ −t) = want: the quantile inverts it.
        let back = t_quantile(want, df);
        assert!(
            ((back + t) / t).abs() < 1e-12,
            "t_quantile: {back} for {t} at {df}"
        );
    }
    // Beyond 1e20 degrees of freedom: the normal distribution.
    assert_eq!(t_sf(1.5, 1e300), norm_sf(1.5));
    assert_eq!(t_quantile(0.975, f64::INFINITY), norm_quantile(0.975));
}

#[test]
fn binomial_tails_are_accurate_for_huge_trials() {
    // mpmath (60-digit quadrature of the beta density); scipy's binom.cdf
    // is off by 6e-14, 3e-16 and 7e-11 respectively.
    for (k, n, p, lower, upper) in [
        (
            500_000_700,
            1_000_000_000,
            0.5,
            0.517_668_763_081_987_1,
            0.482_356_443_528_640_2,
        ),
        // A tiny success probability keeps its digits (Poisson(10) at 12).
        (
            12,
            1_000_000_000_000,
            1e-11,
            0.791_556_476_395_822_2,
            0.303_223_853_696_324_56,
        ),
        (
            999_999_003_000,
            4_000_000_000_000,
            0.25,
            0.124_817_601_760_390_67,
            0.875_182_635_696_311_6,
        ),
    ] {
        let got = pbinom(k, n, p);
        assert!(
            ((got - lower) / lower).abs() < 1e-13,
            "pbinom({k}, {n}, {p}) = {got}"
        );
        let got = pbinom_upper(k, n, p);
        assert!(
            ((got - upper) / upper).abs() < 1e-13,
            "pbinom_upper({k}, {n}, {p}) = {got}"
        );
    }
    // ln P(X = n/2) at n = 2e12, p = 1/2: ln √(1/(π·1e12)) − 1/(8·1e12)·…
    let want = (1.0 / (std::f64::consts::PI * 1e12)).sqrt().ln() - 1.0 / 8e12;
    let got = ln_binom_pmf(1_000_000_000_000, 2_000_000_000_000, 0.5);
    assert!((got - want).abs() < 1e-14, "{got} vs {want}");
}
