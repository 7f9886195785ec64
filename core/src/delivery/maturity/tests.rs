use super::*;

fn checklist(ids: &[&str]) -> BTreeMap<String, bool> {
    ids.iter().map(|id| (id.to_string(), true)).collect()
}

fn metrics(json: serde_json::Value) -> DeliveryMetrics {
    let mut base = serde_json::json!({
        "deployments": {"total": 10, "succeeded": 9, "failed": 1, "rolled_back": 0},
        "lead_time": {"commits": 20, "median_seconds": 43200.0, "p90_seconds": 90000.0},
        "deployment_frequency": {"deployments": 9, "days": 7.0, "per_day": 1.2857, "per_week": 9.0, "bucket": "daily"},
        "change_fail_rate": {"deployments": 10, "failures": 1, "rate": 0.1},
        "recovery": {"incidents": 1, "resolved": 1, "median_seconds": 1800.0,
                     "failed_deployments": 1, "restored": 1, "median_restore_seconds": 3600.0},
        "rework": {"deployments": 10, "rework": 1, "rate": 0.1},
        "tiers": {"report_year": 2024, "lead_time": null, "deployment_frequency": null,
                  "change_fail_rate": null, "recovery_time": null, "overall": "high"},
        "reasons": []
    });
    if let (Some(b), Some(o)) = (base.as_object_mut(), json.as_object()) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
    crate::wire::from_value(base).unwrap()
}

fn area(a: &MaturityAssessment, area: MaturityArea) -> &AreaMaturity {
    a.areas.iter().find(|x| x.area == area).unwrap()
}

#[test]
fn every_area_is_assessed_and_starts_at_initial() {
    let a = assess_maturity(None, &BTreeMap::new()).unwrap();
    assert_eq!(a.areas.len(), 8);
    assert!(a.areas.iter().all(|x| x.level == 1 && x.name == "Initial"));
    assert_eq!(a.reasons[0].code, "maturity_without_metrics");
    let pipeline = area(&a, MaturityArea::Pipeline);
    assert_eq!(pipeline.next_practices[0].practice, "version_control");
    assert!(pipeline.next_practices[0].supported_by.is_empty());
}

#[test]
fn gated_levels_need_the_measurement() {
    let all: Vec<&str> = MODEL.iter().map(|p| p.id).collect();
    let without = assess_maturity(None, &checklist(&all)).unwrap();
    let release = area(&without, MaturityArea::ReleaseStrategy);
    assert_eq!(release.level, 3);
    assert!(release
        .evidence
        .iter()
        .any(|r| r.code == "metric_missing" && r.subjects == ["change_fail_rate"]));
    assert!(release
        .evidence
        .iter()
        .any(|r| r.code == "practice_ahead" && r.subjects == ["feature_flag_releases"]));
    // Blocked by a metric alone: the next practices are those of the level after.
    assert_eq!(release.next_practices.len(), 0);
    // Ungated areas reach 5 on practices alone.
    assert_eq!(area(&without, MaturityArea::Governance).level, 5);

    let m = metrics(serde_json::json!({}));
    let with = assess_maturity(Some(&m), &checklist(&all)).unwrap();
    // 10 % fail rate: passes level 4 (≤ 15 %), not level 5 (≤ 5 %).
    let release = area(&with, MaturityArea::ReleaseStrategy);
    assert_eq!(release.level, 4);
    assert!(release
        .evidence
        .iter()
        .any(|r| r.code == "metric_below" && r.subjects == ["change_fail_rate"]));
    assert_eq!(area(&with, MaturityArea::Pipeline).level, 5);
    assert_eq!(area(&with, MaturityArea::DeploymentAutomation).level, 5);
    assert_eq!(area(&with, MaturityArea::IncidentResponse).level, 5);
    assert_eq!(area(&with, MaturityArea::ContinuousImprovement).level, 5);
    assert!(with.reasons.is_empty());
}

#[test]
fn metrics_stand_in_for_tracking_them() {
    let m = metrics(serde_json::json!({}));
    let a = assess_maturity(Some(&m), &checklist(&["retrospectives"])).unwrap();
    let ci = area(&a, MaturityArea::ContinuousImprovement);
    assert_eq!(ci.level, 3);
    assert_eq!(ci.next_practices[0].practice, "improvement_targets");
    assert_eq!(ci.next_practices[0].supported_by, ["dora_metrics"]);
}

#[test]
fn slow_recovery_blocks_incident_response() {
    let m = metrics(
        serde_json::json!({"recovery": {"incidents": 2, "resolved": 2, "median_seconds": 200000.0,
        "failed_deployments": 0, "restored": 0, "median_restore_seconds": null}}),
    );
    let ids = [
        "on_call_rotation",
        "incident_runbooks",
        "blameless_postmortems",
    ];
    let a = assess_maturity(Some(&m), &checklist(&ids)).unwrap();
    let ir = area(&a, MaturityArea::IncidentResponse);
    assert_eq!(ir.level, 3);
    let below = ir
        .evidence
        .iter()
        .find(|r| r.code == "metric_below")
        .unwrap();
    assert_eq!(
        below.message,
        "level 4 needs better: recovery time 55.556 h (limit 24 h)"
    );
}

#[test]
fn unknown_practices_are_errors_listing_the_known_ones() {
    let err = assess_maturity(None, &checklist(&["chaos/engineering"])).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_field", "practices/chaos~1engineering")
    );
    assert_eq!(err.family(), crate::ErrorFamily::Delivery);
    assert_eq!(err.details()["expected"].as_array().unwrap().len(), 32);
}

#[test]
fn practice_ids_are_unique_and_levels_complete() {
    let mut ids: Vec<&str> = MODEL.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), MODEL.len());
    for area in AREAS {
        for level in 2..=5 {
            assert!(
                MODEL.iter().any(|p| p.area == area && p.level == level),
                "{area:?} {level}"
            );
        }
    }
}
