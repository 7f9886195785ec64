//! Brute-force checks: the selection against sorting all n·m differences,
//! the statistic against counting all pairs.

use super::exact::UDistribution;
use super::pairs::{PairDiffs, PARALLEL_ROWS};
use super::ranks::RankSummary;
use super::*;

fn brute(x: &[f64], y: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = x
        .iter()
        .flat_map(|a| y.iter().map(move |b| a - b))
        .collect();
    d.sort_by(f64::total_cmp);
    d
}

#[test]
fn kayenta_vector() {
    let r = mann_whitney(
        &[10.0, 20.0, 30.0, 40.0],
        &[1.0, 2.0, 3.0, 4.0],
        Alternative::TwoSided,
        0.95,
    )
    .unwrap();
    assert_eq!(r.estimate, 22.5);
    // Kayenta forces the normal approximation.
    let a = mann_whitney_sorted(
        &[10.0, 20.0, 30.0, 40.0],
        &[1.0, 2.0, 3.0, 4.0],
        Alternative::TwoSided,
        0.95,
        true,
    );
    assert_eq!(a.ci, [Some(6.0), Some(39.0)]);
    assert_eq!(a.estimate, 22.5);
}

#[test]
fn selection_matches_brute_force() {
    let mut rng = SplitMix64(7);
    for case in 0..24 {
        let (n, m) = if case < 4 {
            // Large enough to run the interpolation steps.
            (600 + case * 37, 700 - case * 41)
        } else {
            (1 + (rng.below(300) as usize), 1 + (rng.below(400) as usize))
        };
        let levels = if case % 3 == 0 { 5 } else { 1_000_000 };
        let x: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64).collect();
        let y: Vec<f64> = (0..m).map(|_| rng.below(levels) as f64 * 0.5).collect();
        let (xs, ys) = crate::stats::sorted_pair(&x, &y);
        let mut pairs = PairDiffs::new(&xs, &ys);
        pairs.small = None; // exercise the selection itself
        if case % 2 == 1 {
            pairs.band_limit = 32; // and every stage of it
        }
        let all = brute(&xs, &ys);
        let last = all.len() - 1;
        let ks: Vec<u64> = [
            0,
            1,
            last / 40,
            last / 3,
            last / 2,
            last / 2 + 1,
            last - 1,
            last,
        ]
        .iter()
        .map(|&k| k.min(last) as u64)
        .collect();
        // Together, and each alone (a different search path).
        let together = pairs.select_many(&ks);
        for (&k, &v) in ks.iter().zip(&together) {
            assert_eq!(v, all[k as usize], "case {case} k {k}");
            assert_eq!(
                pairs.select_many(&[k]),
                vec![all[k as usize]],
                "case {case} k {k}"
            );
        }
    }
}

#[test]
fn large_selection_matches_brute_force() {
    // Big enough for every stage: sample brackets, one aimed point,
    // listed bands and, with ties, bisection.
    let mut rng = SplitMix64(5);
    for (levels, parallel_rows) in [
        (u64::MAX >> 11, 64),
        (50, 64),
        (u64::MAX >> 11, PARALLEL_ROWS),
    ] {
        let x: Vec<f64> = (0..2500)
            .map(|_| (rng.below(levels) as f64).sqrt())
            .collect();
        let y: Vec<f64> = (0..1800)
            .map(|_| (rng.below(levels) as f64).sqrt() * 1.1)
            .collect();
        let (xs, ys) = crate::stats::sorted_pair(&x, &y);
        let mut pairs = PairDiffs::new(&xs, &ys);
        let all = brute(&xs, &ys);
        let last = all.len() as u64 - 1;
        pairs.band_limit = 64;
        pairs.parallel_rows = parallel_rows;
        let mid = last / 2;
        let ks = [
            0,
            77,
            mid - 3_000_000 / 100,
            mid,
            mid + 1,
            mid + 17_000,
            last - 5,
            last,
        ];
        let got = pairs.select_many(&ks);
        for (&k, &v) in ks.iter().zip(&got) {
            assert_eq!(v, all[k as usize], "levels {levels} k {k}");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// Any samples (few levels for ties, extremes, mixed signs), any
    /// ranks, every stage and the first sample forced small: the same order statistics as
    /// sorting all the differences.
    #[test]
    fn selection_is_exact_on_arbitrary_samples(
        x in proptest::collection::vec(-6i32..6, 1..120),
        y in proptest::collection::vec(-6i32..6, 1..120),
        scale in proptest::sample::select(vec![1.0, 0.1, 1e-300, 1e300, 3.7]),
        picks in proptest::collection::vec(0.0f64..1.0, 1..6),
        band_limit in 1u64..40,
        sample in 1usize..200,
    ) {
        let x: Vec<f64> = x.iter().map(|&v| f64::from(v) * scale).collect();
        let y: Vec<f64> = y.iter().map(|&v| f64::from(v) * scale * 0.75).collect();
        let (xs, ys) = crate::stats::sorted_pair(&x, &y);
        let all = brute(&xs, &ys);
        let mut pairs = PairDiffs::new(&xs, &ys);
        pairs.small = None;
        pairs.band_limit = band_limit;
        pairs.sample = sample;
        pairs.parallel_rows = 16;
        let last = all.len() - 1;
        let ks: Vec<u64> = picks.iter().map(|p| (p * last as f64).round() as u64).collect();
        let got = pairs.select_many(&ks);
        for (&k, &v) in ks.iter().zip(&got) {
            proptest::prop_assert_eq!(v.to_bits(), all[k as usize].to_bits(), "k {}", k);
        }
    }
}

#[test]
fn untied_walk_agrees_with_the_merge() {
    let mut rng = SplitMix64(11);
    for case in 0..40 {
        let n = 1 + rng.below(500) as usize;
        let m = 1 + rng.below(500) as usize;
        // Few levels give ties across and within; many give none.
        let levels = if case % 2 == 0 { 1 << 40 } else { 20 };
        let x: Vec<f64> = (0..n).map(|_| rng.below(levels) as f64 - 7.0).collect();
        let y: Vec<f64> = (0..m).map(|_| rng.below(levels) as f64).collect();
        let (xs, ys) = crate::stats::sorted_pair(&x, &y);
        let mut pairs = PairDiffs::new(&xs, &ys);
        pairs.parallel_rows = if case % 4 < 2 { 8 } else { PARALLEL_ROWS };
        let fast = RankSummary::of(&pairs);
        let slow = RankSummary::merged(&xs, &ys);
        assert_eq!(fast.u_x, slow.u_x, "case {case}");
        assert_eq!(fast.has_ties, slow.has_ties, "case {case}");
        assert_eq!(fast.tie_sum, slow.tie_sum, "case {case}");
        let brute: f64 = x
            .iter()
            .flat_map(|a| {
                y.iter()
                    .map(move |b| (a > b) as u8 as f64 + 0.5 * (a == b) as u8 as f64)
            })
            .sum();
        assert_eq!(fast.u_x, brute, "case {case}");
    }
}

#[test]
fn exact_distribution_sums_to_one_and_is_symmetric() {
    let d = UDistribution::new(4, 6);
    assert!((d.pmf.iter().sum::<f64>() - 1.0).abs() < 1e-14);
    for u in 0..=24 {
        assert!((d.pmf[u] - d.pmf[24 - u]).abs() < 1e-15);
    }
    // 1 / C(10, 4) for the extreme.
    assert!((d.pmf[0] - 1.0 / 210.0).abs() < 1e-16);
}

#[test]
fn rejects_bad_input() {
    let e = mann_whitney(&[1.0, f64::NAN], &[1.0], Alternative::TwoSided, 0.95).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_sample", "x/1"));
    let e = mann_whitney(&[], &[1.0], Alternative::TwoSided, 0.95).unwrap_err();
    assert_eq!(e.code(), "insufficient_data");
    let e = mann_whitney(&[1.0], &[1.0], Alternative::TwoSided, 1.0).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_config", "confidence"));
}

#[test]
fn constant_data_is_not_a_shift() {
    let r = mann_whitney(&[5.0; 60], &[5.0; 60], Alternative::TwoSided, 0.95).unwrap();
    assert_eq!(r.p_value, 1.0);
    assert_eq!(r.ci, [Some(0.0), Some(0.0)]);
}
