//! Unit tests of the strategy choice: the points table, feasibility, the
//! tie rule and the feature-flag advice.

use super::*;
use crate::wire::from_value;
use serde_json::json;

fn profile(v: serde_json::Value) -> ServiceProfile {
    let mut doc = json!({"id": "api"});
    if let (Some(d), Some(extra)) = (doc.as_object_mut(), v.as_object()) {
        d.extend(extra.clone());
    }
    from_value(doc).unwrap()
}

fn change(v: serde_json::Value) -> Change {
    let mut doc = json!({"id": "c", "author": "a", "services": ["api"]});
    if let (Some(d), Some(extra)) = (doc.as_object_mut(), v.as_object()) {
        d.extend(extra.clone());
    }
    from_value(doc).unwrap()
}

fn rec(
    service: serde_json::Value,
    c: serde_json::Value,
    level: RiskLevel,
) -> StrategyRecommendation {
    let c = change(c);
    recommend(
        &profile(service),
        Checked::new(&c, "change").unwrap(),
        level,
    )
    .unwrap()
}

/// `code:points` of every reason of each option (for, then against).
fn table(r: &StrategyRecommendation) -> Vec<Vec<String>> {
    r.options
        .iter()
        .map(|o| {
            o.reasons_for
                .iter()
                .chain(&o.reasons_against)
                .map(|x| {
                    format!(
                        "{}:{}{}",
                        x.code,
                        points(x),
                        if blocking(x) { "!" } else { "" }
                    )
                })
                .collect()
        })
        .collect()
}

fn scores(r: &StrategyRecommendation) -> Vec<(bool, i32)> {
    r.options.iter().map(|o| (o.feasible, o.score)).collect()
}

#[test]
fn the_points_table() {
    let r = rec(
        json!({"traffic_routing": true, "metric_quality": "good", "spare_capacity": 1.0, "stateful": true}),
        json!({"has_migration": true}),
        RiskLevel::Critical,
    );
    assert_eq!(
        table(&r),
        [
            vec![
                "fast_rollback:1",
                "good_metrics:1",
                "limits_exposure:2",
                "shared_state:-1",
                "mixed_versions_schema:-1"
            ],
            vec![
                "instant_switch_back:2",
                "duplicated_state:-2",
                "migration_outlives_switch:-1",
                "full_exposure:-1"
            ],
            vec![
                "suits_stateful:1",
                "always_possible:0",
                "mixed_versions_schema:-1",
                "slow_rollback:-1"
            ],
        ]
    );
    assert_eq!(scores(&r), [(true, 2), (true, -2), (true, -1)]);
    assert_eq!(r.strategy, Strategy::Canary);
    let r = rec(
        json!({"metric_quality": "poor"}),
        json!({}),
        RiskLevel::Medium,
    );
    assert_eq!(
        table(&r),
        [
            vec![
                "limits_exposure:1",
                "no_traffic_routing:-1!",
                "poor_metrics:-2"
            ],
            vec!["insufficient_capacity:-1!"],
            vec![
                "little_capacity_needed:1",
                "always_possible:0",
                "slow_rollback:-1"
            ],
        ]
    );
    // Blocking reasons make an option infeasible and do not count.
    assert_eq!(scores(&r), [(false, -1), (false, 0), (true, 0)]);
    assert_eq!(r.options[0].reasons_against[0].subjects, ["api"]);
    let r = rec(json!({}), json!({}), RiskLevel::High);
    assert_eq!(
        table(&r)[0],
        [
            "limits_exposure:2",
            "no_traffic_routing:-1!",
            "no_metrics:-1!"
        ]
    );
    assert_eq!(table(&r)[2].last().unwrap(), "unwatched_exposure:-1");
    assert_eq!(
        r.options[1].reasons_against[0].message,
        "needs a full second copy (spare capacity 0% < 100%)"
    );
}

#[test]
fn a_schema_coupling_comes_from_the_migration_the_kind_or_the_service() {
    let schema_reasons = |service: serde_json::Value, c: serde_json::Value| {
        table(&rec(service, c, RiskLevel::Low))
            .concat()
            .iter()
            .filter(|r| {
                r.starts_with("mixed_versions_schema") || r.starts_with("migration_outlives")
            })
            .count()
    };
    assert_eq!(schema_reasons(json!({}), json!({})), 0);
    assert_eq!(schema_reasons(json!({}), json!({"has_migration": true})), 3);
    assert_eq!(schema_reasons(json!({}), json!({"kind": "schema"})), 3);
    assert_eq!(
        schema_reasons(json!({"schema_coupled": true}), json!({"kind": "config"})),
        3
    );
}

#[test]
fn the_highest_score_wins_and_ties_keep_the_order_of_exposure_control() {
    // Canary 1 + 1 = 2 ties blue-green's 2: canary.
    let r = rec(
        json!({"traffic_routing": true, "metric_quality": "good", "spare_capacity": 1.0}),
        json!({}),
        RiskLevel::Low,
    );
    assert_eq!(scores(&r), [(true, 2), (true, 2), (true, -1)]);
    assert_eq!(r.strategy, Strategy::Canary);
    // Poor metrics: blue-green's 2 beats canary's −1 although canary comes first.
    let r = rec(
        json!({"traffic_routing": true, "metric_quality": "poor", "spare_capacity": 1.0}),
        json!({}),
        RiskLevel::Low,
    );
    assert_eq!(r.strategy, Strategy::BlueGreen);
    // Rolling wins over a feasible canary with a lower score.
    let r = rec(
        json!({"traffic_routing": true, "metric_quality": "poor", "stateful": true}),
        json!({}),
        RiskLevel::Low,
    );
    assert_eq!(scores(&r), [(true, -2), (false, -2), (true, 1)]);
    assert_eq!(r.strategy, Strategy::Rolling);
    assert_eq!(best(&[]), Strategy::Rolling);
}

#[test]
fn rollback_time_against_deploy_duration() {
    let last = |service: serde_json::Value| {
        table(&rec(service, json!({}), RiskLevel::Low))[2]
            .last()
            .cloned()
            .unwrap()
    };
    assert_eq!(
        last(json!({"max_rollback_time": "5m", "deploy_duration": "20m"})),
        "rollback_too_slow:-3"
    );
    assert_eq!(
        last(json!({"max_rollback_time": "20m", "deploy_duration": "20m"})),
        "slow_rollback:-1"
    );
    assert_eq!(
        last(json!({"max_rollback_time": "5m"})),
        "rollback_speed_unknown:-1"
    );
    assert_eq!(last(json!({"deploy_duration": "5m"})), "slow_rollback:-1");
    assert!(!table(&rec(
        json!({"spare_capacity": 1.0}),
        json!({}),
        RiskLevel::Low
    ))[2]
        .contains(&"little_capacity_needed:1".to_string()));
}

#[test]
fn the_feature_flag_advice() {
    let advice = |c: serde_json::Value, level: RiskLevel, service: serde_json::Value| {
        let r = rec(service, c, level);
        (r.feature_flag, r.feature_flag_reason.code)
    };
    let routed = json!({"traffic_routing": true, "metric_quality": "good"});
    assert_eq!(
        advice(
            json!({"behind_feature_flag": true, "kind": "schema"}),
            RiskLevel::Low,
            json!({})
        ),
        (true, "flag_in_place".into())
    );
    assert_eq!(
        advice(json!({"kind": "config"}), RiskLevel::Critical, json!({})),
        (false, "flag_impossible".into())
    );
    assert_eq!(
        advice(json!({"kind": "fix"}), RiskLevel::High, routed.clone()),
        (true, "flag_for_risk".into())
    );
    assert_eq!(
        advice(json!({}), RiskLevel::Medium, json!({})),
        (true, "flag_for_slow_rollback".into())
    );
    assert_eq!(
        advice(json!({}), RiskLevel::Low, json!({})),
        (false, "flag_optional".into())
    );
    assert_eq!(
        advice(json!({}), RiskLevel::Medium, routed),
        (false, "flag_optional".into())
    );
    let r = rec(json!({}), json!({}), RiskLevel::Low);
    assert_eq!(
        r.feature_flag_reason.message,
        "low risk with rolling: a flag is optional"
    );
}

#[test]
fn checks_and_their_paths() {
    let c = change(json!({}));
    let err = recommend(
        &profile(json!({"id": "db"})),
        Checked::new(&c, "change").unwrap(),
        RiskLevel::Low,
    )
    .unwrap_err();
    assert_eq!((err.code(), err.path()), ("unknown_service", "/id"));
    for bad in [-0.5, f64::NAN, f64::INFINITY] {
        let mut p = profile(json!({}));
        p.spare_capacity = bad;
        let err = recommend(&p, Checked::new(&c, "change").unwrap(), RiskLevel::Low).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("negative_size", "/spare_capacity")
        );
    }
    let mut p = profile(json!({}));
    p.spare_capacity = 0.0;
    assert!(recommend(&p, Checked::new(&c, "change").unwrap(), RiskLevel::Low).is_ok());
    let bad = change(json!({"files_changed": -1}));
    let err = recommend_strategy(&profile(json!({})), &bad, None).unwrap_err();
    assert_eq!(err.path(), "change/files_changed");
}

#[test]
fn without_a_level_the_change_is_assessed() {
    let small = change(json!({}));
    let big = change(
        json!({"lines_added": 50000, "files_changed": 400, "has_migration": true,
        "reversible": false, "change_type": "emergency", "tests": {"suites_failed": ["e2e"]}}),
    );
    let service = profile(json!({"traffic_routing": true, "metric_quality": "good"}));
    assert_eq!(
        recommend_strategy(&service, &small, None)
            .unwrap()
            .risk_level,
        RiskLevel::Low
    );
    let r = recommend_strategy(&service, &big, None).unwrap();
    assert_eq!(r.risk_level, RiskLevel::Critical);
    let given = recommend_strategy(
        &service,
        &big,
        Some(&RiskRef {
            level: RiskLevel::Low,
        }),
    )
    .unwrap();
    assert_eq!(given.risk_level, RiskLevel::Low);
    assert_eq!((r.service.as_str(), r.change.as_str()), ("api", "c"));
}
