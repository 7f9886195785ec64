use super::*;

fn rate(year: i64, metric: DoraMetric, value: f64) -> TierRating {
    TierTable::for_year(Some(year))
        .unwrap()
        .rate(metric, value)
        .unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-9 * b.abs().max(1.0))
}

#[test]
fn lead_time_in_a_range_and_its_target() {
    let r = rate(2024, DoraMetric::LeadTime, 3.0 * DAY);
    assert_eq!(r.tier, DoraTier::High);
    assert_eq!(r.next_tier, Some(DoraTier::Elite));
    assert_eq!(r.target, Some(DAY));
    assert_eq!(r.gap, Some(2.0 * DAY));
    assert_eq!(r.range, "between one day and one week");
}

#[test]
fn fail_rate_is_rated_by_the_nearest_cluster_not_by_rank() {
    // 2024: Elite 5 %, High 20 %, Medium 10 %, Low 40 %.
    let r = rate(2024, DoraMetric::ChangeFailRate, 0.08);
    assert_eq!(r.tier, DoraTier::Medium);
    // High's 20 % is worse: the next tier up on this metric is Elite,
    // reached below the midpoint of 5 % and 10 %.
    assert_eq!(r.next_tier, Some(DoraTier::Elite));
    assert!(close(r.target, 0.075));
    assert!(close(r.gap, 0.005));
    let r = rate(2024, DoraMetric::ChangeFailRate, 0.18);
    assert_eq!(r.tier, DoraTier::High);
    assert_eq!(r.next_tier, Some(DoraTier::Elite));
    assert!(close(r.target, 0.075));
    let r = rate(2024, DoraMetric::ChangeFailRate, 0.04);
    assert_eq!(
        (r.tier, r.next_tier, r.target),
        (DoraTier::Elite, None, None)
    );
    // 2022 ranges: 31 % is nearer 16–30 % than 46–60 %.
    assert_eq!(
        rate(2022, DoraMetric::ChangeFailRate, 0.31).tier,
        DoraTier::Medium
    );
    assert_eq!(
        rate(2022, DoraMetric::ChangeFailRate, 0.39).tier,
        DoraTier::Low
    );
}

#[test]
fn inside_several_ranges_the_best_outside_the_worst() {
    // 2024 recovery: Elite < 1 h, High and Medium < 1 day, Low 1 week–1 month.
    assert_eq!(
        rate(2024, DoraMetric::RecoveryTime, 1800.0).tier,
        DoraTier::Elite
    );
    assert_eq!(
        rate(2024, DoraMetric::RecoveryTime, 5.0 * HOUR).tier,
        DoraTier::High
    );
    let r = rate(2024, DoraMetric::RecoveryTime, 1.5 * DAY);
    assert_eq!(r.tier, DoraTier::Medium);
    assert_eq!(r.next_tier, Some(DoraTier::High));
    assert!(close(r.target, DAY));
    // log scale: 3 days is nearer one week (ln 7/3 = 0.85) than one day (ln 3 = 1.10).
    assert_eq!(
        rate(2024, DoraMetric::RecoveryTime, 3.0 * DAY).tier,
        DoraTier::Low
    );
    // 2023: Medium and Low deploy equally often; below both ranges: Low.
    let r = rate(2023, DoraMetric::DeploymentFrequency, 0.01);
    assert_eq!(r.tier, DoraTier::Low);
    assert_eq!(r.next_tier, Some(DoraTier::Medium));
    assert!(close(r.target, 1.0 / 30.0), "{r:?}");
    assert!(close(r.gap, 1.0 / 30.0 - 0.01));
    assert_eq!(
        rate(2023, DoraMetric::DeploymentFrequency, 0.05).tier,
        DoraTier::Medium
    );
}

#[test]
fn frequency_improves_upwards() {
    let r = rate(2024, DoraMetric::DeploymentFrequency, 0.5);
    assert_eq!(r.tier, DoraTier::High);
    assert_eq!(r.next_tier, Some(DoraTier::Elite));
    assert!(close(r.target, 1.0));
    assert!(close(r.gap, 0.5));
    assert_eq!(
        rate(2024, DoraMetric::DeploymentFrequency, 0.0).tier,
        DoraTier::Low
    );
    assert_eq!(
        rate(2024, DoraMetric::DeploymentFrequency, 40.0).tier,
        DoraTier::Elite
    );
}

#[test]
fn the_2022_table_has_no_elite() {
    let r = rate(2022, DoraMetric::LeadTime, 0.5 * DAY);
    assert_eq!((r.tier, r.next_tier), (DoraTier::High, None));
}

#[test]
fn unknown_years_are_errors_naming_the_known_ones() {
    let err = TierTable::for_year(Some(2019)).err().unwrap();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_report_year", "options/report_year")
    );
    assert_eq!(
        err.details()["known"],
        serde_json::json!([2022, 2023, 2024])
    );
    assert_eq!(TierTable::for_year(None).unwrap().year(), 2024);
}

#[test]
fn overall_is_what_a_majority_reaches() {
    use DoraTier::*;
    assert_eq!(overall(&[Elite, High, Medium, Low]), Some(Medium));
    assert_eq!(overall(&[High, Low, High]), Some(High));
    assert_eq!(overall(&[Low]), Some(Low));
    assert_eq!(overall(&[]), None);
}

#[test]
fn reasons_say_tier_and_target() {
    let r = rate(2024, DoraMetric::LeadTime, 3.0 * DAY);
    let reason = r.reason(2024);
    assert_eq!(reason.code, "dora_tier");
    assert_eq!(reason.subjects, ["lead_time"]);
    assert_eq!(
        reason.message,
        "change lead time of 3 days is High in the 2024 report (between one day and one week); Elite needs at most 1 day"
    );
    assert_eq!(reason.evidence["next_tier"], "elite");
    assert_eq!(human_duration(90.0), "1.5 min");
    assert_eq!(human_duration(2.5 * HOUR), "2.5 h");
}
