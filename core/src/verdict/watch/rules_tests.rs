//! Unit tests of the watch's verdict rules (a sibling file keeps
//! `rules.rs` short).

use super::super::config::plan;
use super::*;
use serde_json::json;

fn config(metrics: serde_json::Value, watch: serde_json::Value) -> crate::verdict::CanaryConfig {
    crate::verdict::parse_config(json!({"metrics": metrics, "watch": watch})).unwrap()
}

fn look(active: bool, p_value: f64, ci: [f64; 2], harm_excluded: bool) -> Look {
    Look {
        active,
        samples: [100.0, 100.0],
        events: None,
        estimates: [Some(1.0), Some(1.0)],
        effect: Some(1.0),
        bayes_factor: None,
        quantile: None,
        p_value,
        ci,
        harm_excluded,
        split_mismatch: None,
    }
}

#[test]
fn a_metric_shows_harm_at_its_level_and_rules_it_out_within_its_allowance() {
    let c = config(
        json!([{"name": "lat", "direction": "increase", "allowed_increase": 1.05}]),
        json!({}),
    );
    let (_, plans) = plan(&c).unwrap();
    let p = &plans[0];
    let (v, r) = metric_verdict(p, &look(true, 0.05, [1.12, 1.3], false));
    assert_eq!(
        (v, r.code.as_str()),
        (MetricVerdict::Rollback, "harm_detected")
    );
    assert_eq!(
        r.message,
        "lat is at least 12% higher than baseline, with 95% confidence, valid at any stopping time; allowed: up to 5% above baseline"
    );
    assert_eq!(r.evidence["ci"], json!([1.12, 1.3]));
    // Just above the level: not yet.
    let (v, r) = metric_verdict(p, &look(true, 0.0500001, [0.98, 1.3], false));
    assert_eq!((v, r.code.as_str()), (MetricVerdict::Continue, "undecided"));
    assert!(r.message.contains("between 0.98 and 1.3"), "{}", r.message);
    let (v, r) = metric_verdict(p, &look(true, 1.0, [0.97, 1.04], true));
    assert_eq!(
        (v, r.code.as_str()),
        (MetricVerdict::Promote, "harm_ruled_out")
    );
    assert!(
        r.message
            .starts_with("lat is at most 4% higher than baseline"),
        "{}",
        r.message
    );
    let (v, r) = metric_verdict(p, &look(false, 1.0, [0.0, f64::INFINITY], false));
    assert_eq!(
        (v, r.code.as_str()),
        (MetricVerdict::Continue, "too_few_samples")
    );
    assert_eq!(
        r.message,
        "lat: the samples do not vary yet, so their means cannot be compared"
    );
    let mut empty = look(false, 1.0, [0.0, f64::INFINITY], false);
    empty.samples = [0.0, 0.0];
    assert_eq!(metric_verdict(p, &empty).0, MetricVerdict::NoData);
    empty.samples = [0.0, 12.0];
    let (v, r) = metric_verdict(p, &empty);
    assert_eq!(v, MetricVerdict::Continue);
    assert_eq!(
        r.message,
        "lat: 0 of 30 samples per arm before the test may decide"
    );
}

#[test]
fn decreases_and_split_mismatches_read_right() {
    let c = config(
        json!([{"name": "tput", "direction": "decrease", "allowed_decrease": 0.9}, {"name": "e", "kind": "count"}]),
        json!({}),
    );
    let (_, plans) = plan(&c).unwrap();
    let (v, r) = metric_verdict(&plans[0], &look(true, 0.001, [0.5, 0.8], false));
    assert_eq!(v, MetricVerdict::Rollback);
    assert!(
        r.message
            .starts_with("tput is at least 20% lower than baseline"),
        "{}",
        r.message
    );
    let (v, r) = metric_verdict(&plans[0], &look(true, 1.0, [0.95, 1.2], true));
    assert_eq!(v, MetricVerdict::Promote);
    assert!(
        r.message
            .starts_with("tput is at most 5% lower than baseline"),
        "{}",
        r.message
    );
    let mut l = look(true, 1.0, [0.5, 2.0], false);
    l.split_mismatch = Some(0.6);
    let (v, r) = metric_verdict(&plans[1], &l);
    assert_eq!(
        (v, r.code.as_str()),
        (MetricVerdict::Continue, "traffic_split_mismatch")
    );
    assert_eq!(r.evidence["canary_share"], 0.6);
    // Events alone are data.
    let mut counts = look(true, 1.0, [0.2, 3.0], false);
    counts.samples = [0.0, 0.0];
    counts.events = Some([0.0, 2.0]);
    assert_eq!(
        metric_verdict(&plans[1], &counts).0,
        MetricVerdict::Continue
    );
    counts.events = Some([0.0, 0.0]);
    assert_eq!(metric_verdict(&plans[1], &counts).0, MetricVerdict::NoData);
}

fn run(
    metrics: serde_json::Value,
    watch: serde_json::Value,
    verdicts: &[MetricVerdict],
    elapsed: u64,
) -> (Decision, Vec<String>, f64, bool) {
    let c = config(metrics, watch);
    let (w, plans) = plan(&c).unwrap();
    let looks: Vec<Look> = verdicts
        .iter()
        .map(|_| look(true, 1.0, [0.9, 1.1], true))
        .collect();
    let reasons: Vec<Reason> = plans
        .iter()
        .map(|p| Reason::new("x", format!("{} says", p.metric.name)))
        .collect();
    let seen: Vec<Seen<'_>> = plans
        .iter()
        .zip(&looks)
        .zip(verdicts)
        .zip(&reasons)
        .map(|(((plan, look), verdict), reason)| Seen {
            plan,
            verdict: *verdict,
            look,
            reason,
        })
        .collect();
    let prog = progress(&w, elapsed, &seen);
    let (d, r, score) = decide(&c, &prog, &seen);
    (
        d,
        r.iter().map(|r| r.code.clone()).collect(),
        score,
        prog.bake_complete,
    )
}

#[test]
fn the_run_decides_by_the_documented_rules() {
    use MetricVerdict::*;
    let four = json!([{"name": "a", "critical": true}, {"name": "b"}, {"name": "c"}, {"name": "d"}, {"name": "x", "dry_run": true}]);
    let w = json!({"min_duration": "10m", "min_samples": 50, "max_duration": "1h"});
    let at = |v: &[MetricVerdict], t: u64| run(four.clone(), w.clone(), v, t);
    assert_eq!(
        at(&[Rollback, Promote, Promote, Promote, Promote], 0).0,
        Decision::Rollback
    );
    assert_eq!(
        at(&[Rollback, Promote, Promote, Promote, Promote], 0).1,
        ["critical_metric_failed"]
    );
    // One non-critical failure of four: score 75, marginal: a person decides.
    let (d, codes, score, _) = at(&[Promote, Rollback, Continue, Continue, Continue], 0);
    assert_eq!(
        (d, codes, score),
        (
            Decision::Inconclusive,
            vec!["score_marginal".to_string()],
            75.0
        )
    );
    // Two: 50, below the marginal 75: roll back.
    let (d, codes, _, _) = at(&[Promote, Rollback, Rollback, Continue, Rollback], 0);
    assert_eq!(
        (d, codes),
        (
            Decision::Rollback,
            vec!["score_below_marginal".to_string(), "dry_run".to_string()]
        )
    );
    // Everything rules out harm: promote after the bake only.
    let (d, codes, _, bake) = at(&[Promote, Promote, Promote, Promote, Continue], 599);
    assert_eq!(
        (d, codes, bake),
        (Decision::Continue, vec!["baking".to_string()], false)
    );
    let (d, codes, _, bake) = at(&[Promote, Promote, Promote, Promote, Continue], 600);
    assert_eq!(
        (d, codes, bake),
        (Decision::Promote, vec!["harm_ruled_out".to_string()], true)
    );
    // Budget spent: inconclusive; a promotion at the same look still wins.
    assert_eq!(
        at(&[Promote, Continue, Promote, Promote, Promote], 3600).0,
        Decision::Inconclusive
    );
    assert_eq!(
        at(&[Promote, Promote, Promote, Promote, Promote], 3600).0,
        Decision::Promote
    );
    assert_eq!(
        at(&[Promote, Continue, Promote, Promote, Promote], 3599).1,
        ["undecided"]
    );
    assert_eq!(
        at(&[NoData, NoData, NoData, NoData, Promote], 0).1,
        ["no_data"]
    );
    assert_eq!(
        at(&[NoData, NoData, NoData, NoData, Promote], 0).0,
        Decision::Continue
    );
}

#[test]
fn must_have_data_fails_after_the_bake_and_samples_bake() {
    use MetricVerdict::*;
    let metrics = json!([{"name": "a", "must_have_data": true, "critical": true}, {"name": "b"}]);
    let (d, codes, _, _) = run(
        metrics.clone(),
        json!({"min_duration": "1m", "min_samples": 100}),
        &[NoData, Promote],
        60,
    );
    assert_eq!(
        (d, codes),
        (
            Decision::Rollback,
            vec!["critical_metric_failed".to_string()]
        )
    );
    let (d, _, _, _) = run(
        metrics.clone(),
        json!({"min_duration": "1m", "min_samples": 100}),
        &[NoData, Promote],
        59,
    );
    assert_eq!(d, Decision::Continue);
    // 100 samples per arm is not yet 101.
    let (_, _, _, bake) = run(
        metrics,
        json!({"min_duration": "0s", "min_samples": 101}),
        &[Promote, Promote],
        0,
    );
    assert!(!bake);
    let (d, _, _, _) = run(
        json!([{"name": "a"}]),
        json!({"max_samples": 100, "min_samples": 0}),
        &[Continue],
        0,
    );
    assert_eq!(d, Decision::Inconclusive);
}
