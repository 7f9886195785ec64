use super::*;

fn deployments(json: serde_json::Value) -> Vec<Deployment> {
    crate::wire::from_value(json).unwrap()
}

fn dep(id: &str, service: &str, day: u32, status: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "service": service,
        "started_at": format!("2026-03-{day:02}T09:00:00Z"),
        "finished_at": format!("2026-03-{day:02}T10:00:00Z"),
        "status": status,
    })
}

#[test]
fn change_fail_rate_never_exceeds_one() {
    let ds = deployments(serde_json::json!([
        dep("a", "api", 2, "failed"),
        dep("b", "api", 3, "succeeded")
    ]));
    // Three incidents all blame `a` (already failed) and `b`.
    let incidents: Vec<Incident> = crate::wire::from_value(serde_json::json!([
        {"id": "i1", "created_at": "2026-03-03T11:00:00Z", "caused_by": ["a", "b", "b"]},
        {"id": "i2", "created_at": "2026-03-03T12:00:00Z", "caused_by": ["b"]},
        {"id": "i3", "created_at": "2026-03-03T13:00:00Z", "caused_by": ["a"]}
    ]))
    .unwrap();
    let report = dora_metrics(&ds, &incidents, None, None).unwrap();
    let cfr = report.totals.change_fail_rate;
    assert_eq!((cfr.deployments, cfr.failures, cfr.rate), (2, 2, Some(1.0)));
    assert_eq!(report.totals.recovery.incidents, 3);
    assert_eq!(report.totals.recovery.resolved, 0);
}

#[test]
fn only_the_measured_environment_counts() {
    let mut staging = dep("s", "api", 2, "failed");
    staging["environment"] = "staging".into();
    let ds = deployments(serde_json::json!([
        staging,
        dep("p", "api", 2, "succeeded")
    ]));
    let report = dora_metrics(&ds, &[], None, None).unwrap();
    assert_eq!(report.totals.deployments.total, 1);
    let options = DoraOptions {
        environment: "staging".into(),
        ..DoraOptions::default()
    };
    let report = dora_metrics(&ds, &[], Some(&options), None).unwrap();
    assert_eq!(report.environment, "staging");
    assert_eq!(report.totals.deployments.failed, 1);
    assert_eq!(report.totals.recovery.failed_deployments, 1);
    assert_eq!(report.totals.recovery.restored, 0);
    assert!(report
        .totals
        .reasons
        .iter()
        .any(|r| r.code == "failure_unrestored"));
}

#[test]
fn groups_by_team_from_plan_owners() {
    let ds = deployments(serde_json::json!([
        dep("a", "api", 2, "succeeded"),
        dep("b", "web", 3, "succeeded"),
        dep("c", "db", 4, "failed")
    ]));
    let plan: Plan = crate::wire::from_value(serde_json::json!({"name": "p", "services": [
        {"id": "api", "owner": "core"}, {"id": "web", "owner": "core"}, {"id": "db"}
    ]}))
    .unwrap();
    let options = DoraOptions {
        group_by: GroupBy::Team,
        ..DoraOptions::default()
    };
    let report = dora_metrics(&ds, &[], Some(&options), Some(&plan)).unwrap();
    let names: Vec<&str> = report.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(names, [UNOWNED, "core"]);
    assert_eq!(report.groups[1].services, ["api", "web"]);
    assert_eq!(report.groups[1].metrics.deployments.total, 2);
    assert!(report
        .reasons
        .iter()
        .any(|r| r.code == "unowned_services" && r.subjects == ["db"]));
    // A service the plan does not know, and a team grouping without a plan.
    let ds = deployments(serde_json::json!([
        dep("a", "api", 2, "succeeded"),
        dep("x", "cache", 3, "succeeded")
    ]));
    let err = dora_metrics(&ds, &[], Some(&options), Some(&plan)).unwrap_err();
    assert_eq!((err.code(), err.path()), ("unknown_service", "/1/service"));
    let err = dora_metrics(&ds, &[], Some(&options), None).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_input", "options/group_by")
    );
}

#[test]
fn window_defaults_to_whole_days_and_can_be_empty() {
    let ds = deployments(serde_json::json!([
        dep("a", "api", 2, "succeeded"),
        dep("b", "api", 4, "succeeded")
    ]));
    let report = dora_metrics(&ds, &[], None, None).unwrap();
    assert_eq!(report.from.unwrap().to_string(), "2026-03-02T00:00:00Z");
    assert_eq!(report.to.unwrap().to_string(), "2026-03-05T00:00:00Z");
    assert_eq!(report.totals.deployment_frequency.days, 3.0);
    assert!(report
        .reasons
        .iter()
        .any(|r| r.code == "window_from_records"));
    let empty = dora_metrics(&[], &[], None, None).unwrap();
    assert_eq!((empty.from, empty.to), (None, None));
    assert_eq!(empty.totals.deployment_frequency.per_day, None);
    assert_eq!(empty.totals.tiers.overall, None);
    assert!(empty
        .totals
        .reasons
        .iter()
        .all(|r| r.code == "dora_no_data"));
    // `to` given, records after it: the window is empty, not negative.
    let options = DoraOptions {
        to: Some("2026-03-01T00:00:00Z".parse().unwrap()),
        ..DoraOptions::default()
    };
    let report = dora_metrics(&ds, &[], Some(&options), None).unwrap();
    assert_eq!(report.from, report.to);
    assert_eq!(report.totals.deployments.total, 0);
}

#[test]
fn a_commit_counts_once_at_its_first_successful_shipment() {
    let mut first = dep("a", "api", 2, "succeeded");
    first["commits"] = serde_json::json!([{"sha": "x", "committed_at": "2026-03-01T10:00:00Z"}]);
    let mut again = dep("b", "api", 3, "succeeded");
    again["commits"] = serde_json::json!([{"sha": "x", "committed_at": "2026-03-01T10:00:00Z"}]);
    let mut other = dep("c", "web", 4, "succeeded");
    other["commits"] = serde_json::json!([{"sha": "x", "committed_at": "2026-03-01T10:00:00Z"}]);
    let ds = deployments(serde_json::json!([again, other, first]));
    let report = dora_metrics(&ds, &[], None, None).unwrap();
    // Once for api (1 day), once for web (3 days).
    assert_eq!(report.totals.lead_time.commits, 2);
    assert_eq!(report.totals.lead_time.median_seconds, Some(2.0 * 86_400.0));
}

#[test]
fn series_buckets_are_clipped_weeks() {
    let ds = deployments(serde_json::json!([
        dep("a", "api", 4, "succeeded"),
        dep("b", "api", 10, "failed")
    ]));
    let options = DoraOptions {
        series: Some(crate::delivery::SeriesPeriod::Week),
        ..DoraOptions::default()
    };
    let report = dora_metrics(&ds, &[], Some(&options), None).unwrap();
    let starts: Vec<String> = report.series.iter().map(|b| b.start.to_string()).collect();
    assert_eq!(starts, ["2026-03-04T00:00:00Z", "2026-03-09T00:00:00Z"]);
    assert_eq!(report.series[0].end.to_string(), "2026-03-09T00:00:00Z");
    assert_eq!(report.series[1].metrics.deployments.failed, 1);
}

#[test]
fn a_series_has_a_bounded_number_of_buckets() {
    let ds = deployments(serde_json::json!([dep("a", "api", 4, "succeeded")]));
    let options = DoraOptions {
        from: Some("1900-01-01T00:00:00Z".parse().unwrap()),
        to: Some("2200-01-01T00:00:00Z".parse().unwrap()),
        series: Some(SeriesPeriod::Week),
        ..DoraOptions::default()
    };
    let err = dora_metrics(&ds, &[], Some(&options), None).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_input", "options/series")
    );
    // 300 years of months (3600 buckets) are fine; the fourkeys bucket of
    // 15,000 weeks is computed in linear time.
    let options = DoraOptions {
        series: Some(SeriesPeriod::Month),
        ..options
    };
    let report = dora_metrics(&ds, &[], Some(&options), None).unwrap();
    assert_eq!(report.series.len(), 3600);
    assert_eq!(
        report.totals.deployment_frequency.bucket,
        Some(crate::delivery::FrequencyBucket::Yearly)
    );
}
