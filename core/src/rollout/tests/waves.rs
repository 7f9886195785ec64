//! Wave formation: tiers, growth, caps, pairs, region dependencies.

use super::*;

#[test]
fn explicit_first_wave_and_growth_factor_one() {
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "x", "deploy_duration": 60}],
            "regions": [{"id": "a", "traffic_share": 0.1}, {"id": "b", "traffic_share": 0.2},
                        {"id": "c", "traffic_share": 0.3}],
            "rollout": {"first_wave": ["b"], "growth_factor": 1}}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["b"], vec!["a"], vec!["c"]]);
    assert_eq!(s.waves[0].reasons[0].code, "first_wave");
    assert_eq!(s.waves[0].reasons[0].subjects, ["b"]);
    assert_eq!(s.total_duration_seconds, 180);
    let growth = &s.waves[1].reasons[0];
    assert_eq!(growth.code, "growth");
    assert_eq!(growth.subjects, ["c"]);
    assert_eq!(
        growth.message,
        "target wave size 1 (growth factor 1); deferred: c"
    );
    assert_eq!(growth.evidence["target_size"], 1);
    assert_eq!(growth.evidence["growth_factor"], 1.0);
}

#[test]
fn a_wave_never_mixes_tiers() {
    // Issue 9: the pilot went into one wave with standard regions.
    let s = schedule(
        r#"{"name": "p", "services": [{"id": "x", "deploy_duration": 60}],
            "regions": [{"id": "c", "tier": "canary", "traffic_share": 0.01},
                        {"id": "p", "tier": "pilot", "traffic_share": 0.2},
                        {"id": "s1", "traffic_share": 0.05}, {"id": "s2", "traffic_share": 0.1},
                        {"id": "s3", "traffic_share": 0.3}],
            "rollout": {"growth_factor": 3}}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["c"], vec!["p"], vec!["s1", "s2", "s3"]]);
    let tier = &s.waves[1].reasons[1];
    assert_eq!(codes(&s.waves[1]), ["growth", "tier_order"]);
    assert_eq!(tier.subjects, ["s1", "s2", "s3"]);
    assert_eq!(
        tier.message,
        "a wave holds one tier (canary, then pilot, then standard): pilot regions first; deferred: s1, s2, s3"
    );
    assert_eq!(
        s.waves[1].reasons[0].message,
        "target wave size 3 (growth factor 3)"
    );
    assert_eq!(codes(&s.waves[2]), ["growth"]);
    assert_eq!(s.waves[2].reasons[0].evidence["target_size"], 9);
}

#[test]
fn canaries_that_wait_for_a_canary_make_a_canary_wave() {
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "c1", "tier": "canary"}, {"id": "c2", "tier": "canary", "depends_on": ["c1"]},
                        {"id": "p1", "tier": "pilot"}, {"id": "s1"}]}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["c1"], vec!["c2"], vec!["p1"], vec!["s1"]]);
    assert_eq!(s.waves[1].gate.checks.last().unwrap(), "canary_verdict");
    assert_eq!(s.waves[2].gate.checks, ["alarms_clear", "health", "smoke"]);
    assert_eq!(
        codes(&s.waves[1]),
        ["growth", "tier_order", "region_dependency"]
    );
    assert_eq!(s.waves[1].reasons[1].subjects, ["p1", "s1"]);
}

#[test]
fn without_canaries_the_first_wave_is_the_smallest_of_the_first_tier() {
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "s", "traffic_share": 0.01}, {"id": "p1", "tier": "pilot", "traffic_share": 0.5},
                        {"id": "p2", "tier": "pilot", "traffic_share": 0.3}]}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["p2"], vec!["p1"], vec!["s"]]);
    assert_eq!(codes(&s.waves[0]), ["smallest_first"]);
    assert_eq!(s.waves[0].reasons[0].subjects, ["p2"]);
}

#[test]
fn a_dependency_may_put_a_pilot_after_a_standard_region() {
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "c", "tier": "canary"}, {"id": "p", "tier": "pilot", "depends_on": ["s"]},
                        {"id": "s"}]}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["c"], vec!["s"], vec!["p"]]);
    let dep = s.waves[2].reasons.last().unwrap();
    assert_eq!(dep.code, "region_dependency");
    assert_eq!(dep.subjects, ["p", "s"]);
    assert_eq!(dep.message, "p follows s (earlier waves)");
}

#[test]
fn an_explicit_first_wave_is_taken_as_named() {
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "c", "tier": "canary"}, {"id": "p", "tier": "pilot"}, {"id": "s"}],
            "rollout": {"first_wave": ["s", "p"]}}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["p", "s"], vec!["c"]]);
    assert_eq!(s.waves[0].reasons[0].subjects, ["p", "s"]);
    assert_eq!(s.waves[0].gate.checks.len(), 3);
}

#[test]
fn a_long_chain_of_regions_makes_one_wave_per_region() {
    let regions: Vec<String> = (0..2000)
        .map(|i| {
            if i == 0 {
                r#"{"id": "r0000"}"#.to_string()
            } else {
                format!(r#"{{"id": "r{i:04}", "depends_on": ["r{:04}"]}}"#, i - 1)
            }
        })
        .collect();
    let s = schedule(&format!(
        r#"{{"name": "chain", "services": [{{"id": "api", "deploy_duration": 60}}], "regions": [{}]}}"#,
        regions.join(",")
    ))
    .unwrap();
    assert_eq!(s.waves.len(), 2000);
    for (k, w) in s.waves.iter().enumerate() {
        assert_eq!(w.regions, [format!("r{k:04}")]);
        assert_eq!(w.start_seconds, 60 * k as u64);
    }
    assert_eq!(s.total_duration_seconds, 2000 * 60);
}

#[test]
fn caps_pairs_and_the_traffic_cap_explain_themselves() {
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "c", "tier": "canary", "traffic_share": 0.05},
                        {"id": "a", "traffic_share": 0.1, "pair": "b"}, {"id": "b", "traffic_share": 0.1, "pair": "a"},
                        {"id": "d", "traffic_share": 0.1}, {"id": "e", "traffic_share": 0.1},
                        {"id": "z", "traffic_share": 0.5}],
            "rollout": {"growth_factor": 8, "max_concurrent_regions": 2, "max_traffic_per_wave": 0.25}}"#,
    )
    .unwrap();
    assert_eq!(
        waves(&s),
        [vec!["c"], vec!["a", "d"], vec!["b", "e"], vec!["z"]]
    );
    let w = &s.waves[1];
    assert_eq!(codes(w), ["growth", "concurrency_cap", "pair_separated"]);
    assert_eq!(w.reasons[1].subjects, ["e", "z"]);
    assert_eq!(
        w.reasons[1].message,
        "at most 2 regions at once; deferred: e, z"
    );
    assert_eq!(w.reasons[1].evidence["max_concurrent_regions"], 2);
    assert_eq!(w.reasons[2].subjects, ["a", "b"]);
    assert_eq!(
        w.reasons[2].message,
        "b deferred: its pair a is in this wave; it waits for a's bake"
    );
    let w = &s.waves[2];
    assert_eq!(codes(w), ["growth", "concurrency_cap"]);
    assert_eq!(w.reasons[1].subjects, ["z"]);
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "c", "tier": "canary", "traffic_share": 0.05},
                        {"id": "a", "traffic_share": 0.1}, {"id": "b", "traffic_share": 0.1},
                        {"id": "d", "traffic_share": 0.2}, {"id": "z", "traffic_share": 0.5}],
            "rollout": {"growth_factor": 4, "max_traffic_per_wave": 0.25}}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["c"], vec!["a", "b"], vec!["d"], vec!["z"]]);
    let w = &s.waves[1];
    assert_eq!(codes(w), ["growth", "traffic_cap"]);
    assert_eq!(w.reasons[1].subjects, ["d", "z"]);
    assert_eq!(w.reasons[1].evidence["max_traffic_per_wave"], 0.25);
    assert_eq!(
        w.reasons[1].message,
        "at most 0.25 of traffic per wave; deferred: d, z"
    );
    assert!((w.traffic_share - 0.2).abs() < 1e-12);
    assert_eq!(codes(&s.waves[2]), ["growth", "traffic_cap"]);
    let w = &s.waves[3];
    assert_eq!(codes(w), ["growth", "over_traffic_cap"]);
    assert_eq!(w.reasons[1].subjects, ["z"]);
    assert_eq!(w.reasons[1].evidence["traffic_share"], 0.5);
    assert_eq!(w.reasons[1].evidence["max_traffic_per_wave"], 0.25);
    assert_eq!(
        w.reasons[1].message,
        "its traffic share 0.5 alone exceeds the cap 0.25: it gets a wave of its own"
    );
    assert!((w.traffic_share - 0.5).abs() < 1e-12);
}

#[test]
fn unbounded_growth_has_no_target_size() {
    let s = schedule(
        r#"{"name": "p", "services": [], "regions": [{"id": "a", "traffic_share": 0.1}, {"id": "b"}, {"id": "c"}],
            "rollout": {"growth_factor": 1e12}}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["b"], vec!["a", "c"]]);
    let growth = &s.waves[1].reasons[0];
    assert_eq!(
        growth.message,
        "target wave size unbounded (growth factor 1000000000000)"
    );
    assert!(!growth.evidence.contains_key("target_size"));
}

#[test]
fn a_wave_may_fill_the_traffic_cap_exactly() {
    // 0.1 + 0.1 is exactly 0.2 in binary floating point.
    let s = schedule(
        r#"{"name": "p", "services": [],
            "regions": [{"id": "c", "tier": "canary", "traffic_share": 0.2}, {"id": "a", "traffic_share": 0.1},
                        {"id": "b", "traffic_share": 0.1}, {"id": "d", "traffic_share": 0.3}],
            "rollout": {"growth_factor": 4, "max_traffic_per_wave": 0.2}}"#,
    )
    .unwrap();
    assert_eq!(waves(&s), [vec!["c"], vec!["a", "b"], vec!["d"]]);
    // The canary alone at exactly the cap is not over it.
    assert_eq!(codes(&s.waves[0]), ["canary_first"]);
    assert_eq!(codes(&s.waves[1]), ["growth", "traffic_cap"]);
    assert_eq!(codes(&s.waves[2]), ["growth", "over_traffic_cap"]);
}
