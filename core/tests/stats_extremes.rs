//! Every statistical kernel on extreme but valid input (issue 9): ±1e300,
//! ±1e-300, subnormals, ±f64::MAX, 2^53 ± 1, huge counts, all ties, one
//! value. Each call returns a result whose reported numbers are finite
//! (p-values in [0, 1]; an unbounded side is `None`) or a typed error of
//! the canary family; none panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use rollgate::stats::{
    adjust_p_values, compare_proportions, compare_quantiles, compare_rates, ks_test, mann_whitney,
    quantile_ci, welch_t_test, Alternative, Correction,
};
use rollgate::ErrorFamily;

const EXTREMES: [f64; 18] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    1e300,
    -1e300,
    1e-300,
    -1e-300,
    5e-324,
    -5e-324,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    9007199254740991.0, // 2^53 − 1
    9007199254740992.0, // 2^53 (2^53 + 1 rounds to it)
    1e154,
    -1e154,
    3.5,
];

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        proptest::sample::select(EXTREMES.to_vec()),
        -1e6f64..1e6,
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
    ]
}

fn sample(max: usize) -> impl Strategy<Value = Vec<f64>> {
    prop_oneof![
        proptest::collection::vec(value(), 1..max),
        // All ties.
        (value(), 1..max).prop_map(|(v, n)| vec![v; n]),
    ]
}

fn alternative() -> impl Strategy<Value = Alternative> {
    proptest::sample::select(vec![
        Alternative::TwoSided,
        Alternative::Greater,
        Alternative::Less,
    ])
}

fn finite(name: &str, v: f64) -> Result<(), TestCaseError> {
    prop_assert!(v.is_finite(), "{} is {}", name, v);
    Ok(())
}

fn p_value(v: f64) -> Result<(), TestCaseError> {
    prop_assert!((0.0..=1.0).contains(&v), "p-value {}", v);
    Ok(())
}

fn ends(ci: [Option<f64>; 2]) -> Result<(), TestCaseError> {
    for end in ci.into_iter().flatten() {
        finite("interval end", end)?;
    }
    Ok(())
}

fn typed(err: &rollgate::Error) -> Result<(), TestCaseError> {
    prop_assert_eq!(err.family(), ErrorFamily::Canary, "{}", err);
    prop_assert!(
        ["invalid_input", "invalid_count", "insufficient_data"].contains(&err.code()),
        "{}",
        err
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn two_sample_kernels_report_finite_numbers_or_a_typed_error(
        x in sample(40),
        y in sample(40),
        alt in alternative(),
        confidence in proptest::sample::select(vec![0.95, 1e-300, 0.5, 1.0 - f64::EPSILON]),
        quantile in proptest::sample::select(vec![0.5, 0.99, 1e-300, 1.0 - f64::EPSILON]),
    ) {
        match mann_whitney(&x, &y, alt, confidence) {
            Ok(r) => {
                finite("statistic", r.statistic)?;
                p_value(r.p_value)?;
                finite("estimate", r.estimate)?;
                ends(r.ci)?;
                if let Some(z) = r.z { finite("z", z)?; }
            }
            Err(e) => typed(&e)?,
        }
        match welch_t_test(&x, &y, alt, confidence) {
            Ok(r) => {
                p_value(r.p_value)?;
                finite("df", r.df)?;
                finite("statistic", r.statistic)?;
                finite("estimate", r.estimate)?;
                finite("mean_x", r.mean_x)?;
                finite("mean_y", r.mean_y)?;
                ends(r.ci)?;
                if let Some(v) = r.ratio { finite("ratio", v)?; }
            }
            Err(e) => typed(&e)?,
        }
        let r = ks_test(&x, &y).unwrap();
        p_value(r.p_value)?;
        finite("location", r.location)?;
        match compare_quantiles(&x, &y, quantile, alt, confidence) {
            Ok(r) => {
                p_value(r.p_value)?;
                finite("estimate", r.estimate)?;
                finite("quantile_x", r.quantile_x)?;
                finite("quantile_y", r.quantile_y)?;
                ends(r.ci)?;
                if let Some(v) = r.ratio { finite("ratio", v)?; }
            }
            Err(e) => typed(&e)?,
        }
        let r = quantile_ci(&x, quantile, confidence).unwrap();
        finite("estimate", r.estimate)?;
        ends(r.ci)?;
        p_value(r.achieved_confidence)?;
    }

    #[test]
    fn count_kernels_report_finite_numbers_or_a_typed_error(
        counts in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(vec![0.0, 1.0, 2.0, 5.0, 1e6, 1e12, 1e15, 9e15, 9007199254740991.0]),
                0.0f64..1e4,
            ],
            4,
        ),
        exposures in proptest::collection::vec(proptest::sample::select(EXTREMES.to_vec()), 2),
        alt in alternative(),
        confidence in proptest::sample::select(vec![0.95, 1e-300, 1.0 - f64::EPSILON]),
    ) {
        let c: Vec<f64> = counts.iter().map(|v| v.round()).collect();
        match compare_proportions(c[0].min(c[1]), c[1].max(1.0), c[2].min(c[3]), c[3].max(1.0), alt, confidence) {
            Ok(r) => {
                p_value(r.p_value)?;
                finite("difference", r.difference)?;
                ends(r.ci)?;
                if let Some(v) = r.ratio { finite("ratio", v)?; }
            }
            Err(e) => typed(&e)?,
        }
        match compare_rates(c[0], exposures[0], c[2], exposures[1], alt, confidence) {
            Ok(r) => {
                p_value(r.p_value)?;
                finite("rate_x", r.rate_x)?;
                finite("rate_y", r.rate_y)?;
                ends(r.ci)?;
                if let Some(v) = r.ratio { finite("ratio", v)?; }
            }
            Err(e) => typed(&e)?,
        }
    }

    #[test]
    fn adjusted_p_values_stay_in_range(
        p in proptest::collection::vec(
            prop_oneof![proptest::sample::select(vec![0.0, 1.0, 5e-324, 1e-300, 0.5]), 0.0f64..=1.0],
            0..50,
        ),
        method in proptest::sample::select(vec![Correction::None, Correction::Holm, Correction::Bh]),
    ) {
        let adjusted = adjust_p_values(&p, method).unwrap();
        prop_assert_eq!(adjusted.len(), p.len());
        for (a, raw) in adjusted.iter().zip(&p) {
            p_value(*a)?;
            prop_assert!(a >= raw, "{} < {}", a, raw);
        }
    }
}

#[test]
fn non_finite_values_are_typed_errors_naming_the_value() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = mann_whitney(&[1.0, bad], &[1.0], Alternative::TwoSided, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "x/1"));
        let e = welch_t_test(&[1.0, 2.0], &[bad, 1.0], Alternative::TwoSided, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "y/0"));
        let e = ks_test(&[bad], &[1.0]).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "x/0"));
        let e = quantile_ci(&[1.0, bad], 0.5, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "x/1"));
        let e =
            compare_quantiles(&[1.0], &[1.0, 2.0, bad], 0.5, Alternative::Less, 0.9).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "y/2"));
        let e = compare_proportions(bad, 10.0, 1.0, 10.0, Alternative::TwoSided, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "events_x"));
        let e = compare_rates(1.0, 1.0, 1.0, bad, Alternative::TwoSided, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_count", "exposure_y"));
        let e = adjust_p_values(&[0.5, bad], Correction::Holm).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_sample", "p_values/1"));
        let e = mann_whitney(&[1.0], &[2.0], Alternative::TwoSided, bad).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_config", "confidence"));
        let e = quantile_ci(&[1.0], bad, 0.95).unwrap_err();
        assert_eq!((e.code(), e.path()), ("invalid_config", "quantile"));
    }
}

#[test]
fn overflowing_differences_are_typed_errors() {
    let e = mann_whitney(&[1e308], &[-1e308], Alternative::TwoSided, 0.95).unwrap_err();
    assert_eq!(
        (e.code(), e.path(), e.family()),
        ("invalid_input", "x", ErrorFamily::Canary)
    );
    let e =
        compare_quantiles(&[f64::MAX], &[f64::MIN], 0.5, Alternative::TwoSided, 0.95).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_input", "x"));
    // The largest shift that fits is reported.
    let r = mann_whitney(&[1e308], &[-7e307], Alternative::TwoSided, 0.95).unwrap();
    assert_eq!(r.estimate, 1e308 + 7e307);
    // A rate beyond the double range.
    let e = compare_rates(5.0, 5e-324, 1.0, 1.0, Alternative::TwoSided, 0.95).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_count", "exposure_x"));
    // Exposures near f64::MAX: equal rates, not a division by infinity.
    let r = compare_rates(10.0, f64::MAX, 10.0, f64::MAX, Alternative::TwoSided, 0.95).unwrap();
    assert_eq!(r.p_value, 1.0);
}

#[test]
fn type7_quantile_of_opposite_extremes_is_not_nan() {
    let r = quantile_ci(&[f64::MIN, f64::MAX], 0.5, 0.5).unwrap();
    assert_eq!(r.estimate, 0.0);
    let r = quantile_ci(&[f64::MIN, f64::MAX, f64::MAX], 0.5, 0.5).unwrap();
    assert_eq!(r.estimate, f64::MAX);
}
