//! Seeded simulations of canaries: A/A runs (baseline and canary from the
//! same distribution) keep the false-rollback rate within the bound the
//! configured confidence promises, and A/B runs with a real regression are
//! caught (power), so neither test can pass by never (or always) failing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use rollgate::verdict::{judge_canary, CanaryConfig, CanaryData, Classification, Decision};
use serde_json::json;

/// splitmix64: a small, seeded generator written here so the test needs no
/// extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// Log-normal latency (Box-Muller).
    fn latency(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        let z = (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos();
        (3.0 + 0.5 * z).exp()
    }
    fn binomial(&mut self, n: u64, p: f64) -> u64 {
        (0..n).filter(|_| self.uniform() < p).count() as u64
    }
}

/// A canary's multipliers: latency (applied to every canary sample) and the
/// canary's error rate.
#[derive(Clone, Copy)]
struct Canary {
    latency: f64,
    error_rate: f64,
}

const SAME: Canary = Canary {
    latency: 1.0,
    error_rate: 0.01,
};

fn run(correction: &str, runs: usize, seed: u64) -> (usize, [usize; 3]) {
    simulate(correction, runs, seed, SAME)
}

fn simulate(correction: &str, runs: usize, seed: u64, canary: Canary) -> (usize, [usize; 3]) {
    let config: CanaryConfig = rollgate::wire::from_value(json!({
        "metrics": [
            {"name": "latency", "direction": "increase"},
            {"name": "cpu", "direction": "either"},
            {"name": "errors", "kind": "count", "direction": "increase"}
        ],
        "correction": correction
    }))
    .unwrap();
    let mut rng = Rng(seed);
    let mut rollbacks = 0;
    let mut failures = [0usize; 3];
    for _ in 0..runs {
        let mut sample = |n: usize| (0..n).map(|_| rng.latency()).collect::<Vec<_>>();
        let (lb, mut lc, cb, cc) = (sample(80), sample(80), sample(60), sample(60));
        lc.iter_mut().for_each(|v| *v *= canary.latency);
        let (eb, ec) = (
            rng.binomial(2000, 0.01),
            rng.binomial(2000, canary.error_rate),
        );
        let data: CanaryData = rollgate::wire::from_value(json!({
            "latency": {"baseline": lb, "canary": lc},
            "cpu": {"baseline": cb, "canary": cc},
            "errors": {"baseline": {"events": eb, "trials": 2000}, "canary": {"events": ec, "trials": 2000}}
        }))
        .unwrap();
        let verdict = judge_canary(&config, &data).unwrap();
        if verdict.decision == Decision::Rollback {
            rollbacks += 1;
        }
        for (i, name) in ["latency", "cpu", "errors"].iter().enumerate() {
            if matches!(
                verdict.metrics[*name].classification,
                Classification::High | Classification::Low
            ) {
                failures[i] += 1;
            }
        }
    }
    (rollbacks, failures)
}

/// Upper bound of a binomial rate: α plus three standard errors.
fn bound(alpha: f64, runs: usize) -> f64 {
    alpha + 3.0 * (alpha * (1.0 - alpha) / runs as f64).sqrt()
}

#[test]
fn aa_per_metric_false_failure_rate_is_at_most_alpha() {
    let runs = 300;
    let (_, failures) = run("none", runs, 0xA11CE);
    for (i, f) in failures.iter().enumerate() {
        let rate = *f as f64 / runs as f64;
        assert!(
            rate <= bound(0.05, runs),
            "metric {i}: false failure rate {rate}"
        );
    }
}

#[test]
fn aa_false_rollback_rate_with_holm_is_at_most_alpha() {
    let runs = 300;
    let (rollbacks, _) = run("holm", runs, 0xB0B);
    let rate = rollbacks as f64 / runs as f64;
    // Holm controls the chance that any metric fails falsely at 5 %; a
    // rollback needs a failing metric (score 66.7 < 75).
    assert!(rate <= bound(0.05, runs), "false rollback rate {rate}");
}

#[test]
fn a_30_percent_slower_canary_is_rolled_back_at_least_80_percent_of_the_time() {
    // Log-normal latency with sd 0.5 on the log scale: ×1.3 is a shift of about
    // half a standard deviation, which 80 samples per side detect with
    // Mann-Whitney more than 90 % of the time at 5 %.
    let runs = 200;
    let slower = Canary {
        latency: 1.3,
        ..SAME
    };
    let (rollbacks, failures) = simulate("holm", runs, 0xC0FFEE, slower);
    let power = rollbacks as f64 / runs as f64;
    assert!(power >= 0.8, "power {power}");
    // Only latency changed: the other metrics still fail at most at the A/A rate.
    assert!(failures[1] as f64 / runs as f64 <= bound(0.05, runs));
}

#[test]
fn an_error_rate_of_2_5_percent_against_1_percent_is_caught() {
    // 20 against 50 expected errors in 2,000 requests each.
    let runs = 200;
    let erring = Canary {
        error_rate: 0.025,
        ..SAME
    };
    let (rollbacks, failures) = simulate("none", runs, 0xE44, erring);
    assert!(
        failures[2] as f64 / runs as f64 >= 0.95,
        "errors caught {}",
        failures[2]
    );
    assert!(
        rollbacks as f64 / runs as f64 >= 0.95,
        "rollbacks {rollbacks}"
    );
}

#[test]
fn sequential_test_keeps_its_bound_under_repeated_looks_where_fixed_tests_do_not() {
    let (runs, looks) = (300, 40);
    let mut rng = Rng(0x5E0);
    let (mut sequential, mut fixed) = (0usize, 0usize);
    for _ in 0..runs {
        let (mut c, mut b) = (0u64, 0u64);
        let mut history = Vec::new();
        let mut fixed_rejected = false;
        for _ in 0..looks {
            // 10 events per interval, split 50/50 under no difference.
            let canary = rng.binomial(10, 0.5);
            c += canary;
            b += 10 - canary;
            history.push([c as f64, b as f64]);
            let p = rollgate::compare_rates(
                c as f64,
                1.0,
                b as f64,
                1.0,
                rollgate::Alternative::TwoSided,
                0.95,
            )
            .unwrap()
            .p_value;
            fixed_rejected |= p <= 0.05;
        }
        let r = rollgate::sequential_count_test(&history, 0.5, 100.0, 0.05).unwrap();
        sequential += usize::from(r.reject);
        fixed += usize::from(fixed_rejected);
    }
    let seq_rate = sequential as f64 / runs as f64;
    let fixed_rate = fixed as f64 / runs as f64;
    assert!(
        seq_rate <= bound(0.05, runs),
        "anytime-valid false alarm rate {seq_rate}"
    );
    // Re-testing cumulative data at every look inflates false alarms well
    // beyond 5 % (the problem the sequential test solves).
    assert!(
        fixed_rate > 0.1,
        "repeated fixed-horizon false alarm rate {fixed_rate}"
    );
}

#[test]
fn sequential_test_catches_a_doubled_error_rate() {
    // The canary's rate is twice the baseline's: it gets 2/3 of the events
    // under a 50/50 split. 40 looks of 10 events each.
    let (runs, looks) = (200, 40);
    let mut rng = Rng(0xD0B1E);
    let mut caught = 0;
    let mut first_looks = Vec::new();
    for _ in 0..runs {
        let (mut c, mut b) = (0u64, 0u64);
        let mut history = Vec::new();
        for _ in 0..looks {
            let canary = rng.binomial(10, 2.0 / 3.0);
            c += canary;
            b += 10 - canary;
            history.push([c as f64, b as f64]);
        }
        let r = rollgate::sequential_count_test(&history, 0.5, 100.0, 0.05).unwrap();
        caught += usize::from(r.reject);
        first_looks.extend(r.first_rejection);
    }
    assert!(caught as f64 / runs as f64 >= 0.9, "power {caught}/{runs}");
    first_looks.sort_unstable();
    // Caught early: half of the runs by the 15th look (150 events).
    assert!(first_looks[first_looks.len() / 2] < 15, "{first_looks:?}");
}

/// A watch of errors and mean latency, looked at after every batch.
fn watch_run(seed: u64, latency: f64, error_rate: f64, looks: usize) -> (Option<usize>, bool) {
    let config = rollgate::verdict::parse_config(json!({
        "metrics": [
            {"name": "errors", "kind": "count", "direction": "increase", "critical": true},
            {"name": "latency", "direction": "increase", "critical": true}
        ],
        "watch": {"alpha": 0.05, "min_duration": "0s", "min_samples": 0, "max_duration": null}
    }))
    .unwrap();
    let start = rollgate::window::parse_timestamp("at", "2026-11-26T09:00:00Z").unwrap();
    let mut rng = Rng(seed);
    let mut state = rollgate::verdict::start_canary_watch(&config).unwrap();
    let (mut cumulative_b, mut cumulative_c, mut requests) = (0u64, 0u64, 0u64);
    let mut naive = false;
    for look in 0..looks {
        let (eb, ec) = (rng.binomial(400, 0.01), rng.binomial(400, error_rate));
        let (lb, lc): (Vec<f64>, Vec<f64>) = (0..20)
            .map(|_| (rng.latency(), rng.latency() * latency))
            .unzip();
        let batch = rollgate::verdict::watch::parse_batch(json!({
            "errors": {"baseline": {"events": eb}, "canary": {"events": ec}},
            "latency": {"baseline": lb, "canary": lc}
        }))
        .unwrap();
        let at = start + chrono::TimeDelta::minutes(look as i64);
        let update = rollgate::verdict::update_canary_watch(&config, &state, &batch, at).unwrap();
        state = update.state;
        // The naive way: a fixed-horizon test on the cumulative counts at every look.
        cumulative_b += eb;
        cumulative_c += ec;
        requests += 400;
        let p = rollgate::compare_proportions(
            cumulative_c as f64,
            requests as f64,
            cumulative_b as f64,
            requests as f64,
            rollgate::Alternative::Greater,
            0.95,
        )
        .unwrap()
        .p_value;
        naive |= p <= 0.05;
        if update.verdict.decision == Decision::Rollback {
            return (Some(look), naive);
        }
    }
    (None, naive)
}

#[test]
fn the_watch_keeps_its_false_rollback_rate_under_a_look_after_every_batch() {
    let (runs, looks) = (200usize, 40);
    let mut false_rollbacks = 0;
    let mut naive = 0;
    for i in 0..runs {
        let (rolled_back, naive_alarm) = watch_run(0x3A7C4 + i as u64, 1.0, 0.01, looks);
        false_rollbacks += usize::from(rolled_back.is_some());
        naive += usize::from(naive_alarm);
    }
    let rate = false_rollbacks as f64 / runs as f64;
    assert!(
        rate <= bound(0.05, runs),
        "watch false rollback rate {rate}"
    );
    // Re-testing the cumulative counts at every look alarms far more often.
    let naive_rate = naive as f64 / runs as f64;
    assert!(naive_rate > 0.1, "naive false alarm rate {naive_rate}");
}

#[test]
fn the_watch_rolls_back_real_regressions() {
    let runs = 100;
    // Errors 1 % → 3 %, or latency 40 % slower: most canaries roll back
    // within 40 looks, and early.
    for (latency, errors) in [(1.0, 0.03), (1.4, 0.01)] {
        let mut looks = Vec::new();
        for i in 0..runs {
            looks.extend(watch_run(0x9E5 + i, latency, errors, 40).0);
        }
        assert!(
            looks.len() as f64 / runs as f64 >= 0.9,
            "latency ×{latency}, errors {errors}: {}",
            looks.len()
        );
        looks.sort_unstable();
        assert!(looks[looks.len() / 2] < 20, "{looks:?}");
    }
}
