//! Property tests of delivery metrics and flag bucketing (seeded, deterministic).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use rollgate::delivery::{DeliveryMetrics, Flag, FlagAlgorithm, Population, SeriesBucket};
use rollgate::{Deployment, DoraOptions, GroupBy, Incident, SeriesPeriod};
use serde_json::json;

const SERVICES: &[&str] = &["api", "db", "web"];
const STATUSES: &[&str] = &["succeeded", "failed", "rolled_back"];
/// 2026-01-05T00:00:00Z in seconds.
const T0: i64 = 1_767_571_200;

fn at(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// (service, status, finish minute within 120 days, duration minutes, commit ages in minutes, remediates)
type DeploySpec = (usize, usize, i64, i64, Vec<(u8, i64)>, bool);
/// (created minute, resolution minutes or open, causes by deployment index)
type IncidentSpec = (i64, Option<i64>, Vec<usize>);

fn deploy_strategy() -> impl Strategy<Value = Vec<DeploySpec>> {
    prop::collection::vec(
        (
            0..SERVICES.len(),
            0..STATUSES.len(),
            0i64..120 * 1440,
            0i64..120,
            prop::collection::vec((0u8..6, 0i64..20_000), 0..4),
            any::<bool>(),
        ),
        0..40,
    )
}

fn incident_strategy() -> impl Strategy<Value = Vec<IncidentSpec>> {
    prop::collection::vec(
        (
            0i64..120 * 1440,
            prop::option::of(0i64..5000),
            prop::collection::vec(0usize..40, 0..3),
        ),
        0..10,
    )
}

fn build(spec: &[DeploySpec]) -> Vec<Deployment> {
    spec.iter()
        .enumerate()
        .map(
            |(i, (service, status, finish, duration, commits, remediates))| {
                let finish = T0 + finish * 60;
                rollgate::wire::from_value(json!({
                    "id": format!("d{i}"),
                    "service": SERVICES[*service],
                    "started_at": at(finish - duration * 60),
                    "finished_at": at(finish),
                    "status": STATUSES[*status],
                    "commits": commits.iter().map(|(sha, age)| json!({
                        "sha": format!("c{sha}"), "committed_at": at(finish - age * 60)
                    })).collect::<Vec<_>>(),
                    "remediates": if *remediates { vec!["inc"] } else { vec![] },
                }))
                .unwrap()
            },
        )
        .collect()
}

fn build_incidents(spec: &[IncidentSpec], deployments: usize) -> Vec<Incident> {
    spec.iter()
        .enumerate()
        .map(|(i, (created, resolved, causes))| {
            let created = T0 + created * 60;
            let causes: Vec<String> = causes
                .iter()
                .filter(|c| **c < deployments)
                .map(|c| format!("d{c}"))
                .collect();
            let mut incident =
                json!({"id": format!("i{i}"), "created_at": at(created), "caused_by": causes});
            if let Some(r) = resolved {
                incident["resolved_at"] = json!(at(created + r * 60));
            }
            rollgate::wire::from_value(incident).unwrap()
        })
        .collect()
}

fn window(series: Option<SeriesPeriod>, group_by: GroupBy) -> DoraOptions {
    DoraOptions {
        from: Some(at(T0 - 86_400).parse().unwrap()),
        to: Some(at(T0 + 121 * 86_400).parse().unwrap()),
        series,
        group_by,
        ..DoraOptions::default()
    }
}

/// Every count of a metrics block, in a fixed order.
fn counts(m: &DeliveryMetrics) -> [u64; 12] {
    [
        m.deployments.total,
        m.deployments.succeeded,
        m.deployments.failed,
        m.deployments.rolled_back,
        m.lead_time.commits,
        m.deployment_frequency.deployments,
        m.change_fail_rate.failures,
        m.recovery.incidents,
        m.recovery.resolved,
        m.recovery.failed_deployments,
        m.recovery.restored,
        m.rework.rework,
    ]
}

fn sum(buckets: &[SeriesBucket]) -> [u64; 12] {
    let mut total = [0u64; 12];
    for b in buckets {
        for (t, c) in total.iter_mut().zip(counts(&b.metrics)) {
            *t += c;
        }
    }
    total
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5eed_0014),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// A successful deployment that caused no incident never raises the
    /// change fail rate, with the window given or derived from the records.
    #[test]
    fn a_success_never_raises_the_fail_rate(
        spec in deploy_strategy(),
        incidents in incident_strategy(),
        service in 0..SERVICES.len(),
        minute in 0i64..120 * 1440,
        given_window in any::<bool>(),
    ) {
        let before = build(&spec);
        let incidents = build_incidents(&incidents, before.len());
        let mut after = before.clone();
        let mut extra = build(&[(service, 0, minute, 5, vec![], false)]);
        extra[0].id = "extra".into();
        after.push(extra.remove(0));
        let options = given_window.then(|| window(None, GroupBy::None));
        let old = rollgate::dora_metrics(&before, &incidents, options.as_ref(), None).unwrap();
        let new = rollgate::dora_metrics(&after, &incidents, options.as_ref(), None).unwrap();
        let (old, new) = (old.totals.change_fail_rate, new.totals.change_fail_rate);
        prop_assert_eq!(new.deployments, old.deployments + 1);
        prop_assert!(new.rate.unwrap() <= old.rate.unwrap_or(1.0) + 1e-15);
        prop_assert!(new.rate.unwrap() <= 1.0);
    }

    /// The buckets of a weekly or monthly series add up to the totals, for
    /// the totals and for every group; groups add up to the deployments.
    #[test]
    fn series_buckets_sum_to_the_totals(
        spec in deploy_strategy(),
        incidents in incident_strategy(),
        monthly in any::<bool>(),
        by_service in any::<bool>(),
    ) {
        let ds = build(&spec);
        let is = build_incidents(&incidents, ds.len());
        let period = if monthly { SeriesPeriod::Month } else { SeriesPeriod::Week };
        let group_by = if by_service { GroupBy::Service } else { GroupBy::None };
        let report = rollgate::dora_metrics(&ds, &is, Some(&window(Some(period), group_by)), None).unwrap();
        prop_assert_eq!(sum(&report.series), counts(&report.totals));
        for g in &report.groups {
            prop_assert_eq!(sum(&g.series), counts(&g.metrics));
        }
        if by_service {
            let total: u64 = report.groups.iter().map(|g| g.metrics.deployments.total).sum();
            prop_assert_eq!(total, report.totals.deployments.total);
        }
        let cfr = report.totals.change_fail_rate;
        prop_assert!(cfr.failures <= cfr.deployments);
    }

    /// The report does not depend on the order of the records.
    #[test]
    fn order_of_records_does_not_matter(
        spec in deploy_strategy(),
        incidents in incident_strategy(),
        seed in any::<u64>(),
    ) {
        let ds = build(&spec);
        let is = build_incidents(&incidents, ds.len());
        let mut shuffled = ds.clone();
        let n = shuffled.len();
        let mut state = seed;
        for i in (1..n).rev() {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let options = window(Some(SeriesPeriod::Week), GroupBy::Service);
        let a = rollgate::dora_metrics(&ds, &is, Some(&options), None).unwrap();
        let b = rollgate::dora_metrics(&shuffled, &is, Some(&options), None).unwrap();
        prop_assert_eq!(a, b);
    }

    /// Arbitrary records, windows and options never panic: a report or a typed error.
    #[test]
    fn no_panic_on_arbitrary_records(
        raw in prop::collection::vec((any::<u16>(), 0u8..4, any::<i64>(), any::<i64>(), any::<bool>()), 0..20),
        causes in prop::collection::vec(any::<u16>(), 0..6),
        from in prop::option::of(any::<i64>()),
        to in prop::option::of(any::<i64>()),
        year in prop::option::of(2015i64..2030),
        series in prop::option::of(any::<bool>()),
    ) {
        // Timestamps anywhere in RFC 3339's range (years 0000-9999).
        let clamp = |t: i64| t.rem_euclid(253_402_300_799) - 62_167_219_200;
        let ds: Vec<Deployment> = raw.iter().map(|(id, status, a, b, commit)| {
            let (a, b) = (clamp(*a), clamp(*b));
            rollgate::wire::from_value(json!({
                "id": format!("d{}", id % 25), "service": SERVICES[*id as usize % 3],
                "started_at": at(a.min(b)), "finished_at": at(a.max(b)),
                "status": STATUSES[*status as usize % 3],
                "commits": if *commit { vec![json!({"sha": "s", "committed_at": at(a.min(b))})] } else { vec![] },
            })).unwrap()
        }).collect();
        let is: Vec<Incident> = causes.iter().enumerate().map(|(i, c)| rollgate::wire::from_value(json!({
            "id": format!("i{i}"), "created_at": at(clamp(i64::from(*c) * 1_000_000)),
            "caused_by": [format!("d{}", c % 30)],
        })).unwrap()).collect();
        let options = DoraOptions {
            from: from.map(|t| at(clamp(t)).parse().unwrap()),
            to: to.map(|t| at(clamp(t)).parse().unwrap()),
            report_year: year,
            series: series.map(|m| if m { SeriesPeriod::Month } else { SeriesPeriod::Week }),
            group_by: GroupBy::Service,
            ..DoraOptions::default()
        };
        match rollgate::dora_metrics(&ds, &is, Some(&options), None) {
            Ok(report) => {
                let cfr = report.totals.change_fail_rate;
                prop_assert!(cfr.failures <= cfr.deployments);
            }
            Err(err) => prop_assert!(!err.code().is_empty()),
        }
    }

    /// Unleash: raising the percentage never takes the flag away from a unit.
    #[test]
    fn unleash_rollouts_only_grow(unit in "[a-zA-Z0-9é用-]{0,24}", key in "[a-z-]{1,12}", p in 0u32..100) {
        let flag = |p: u32| -> Flag { rollgate::wire::from_value(json!({"key": key, "percentage": p})).unwrap() };
        let before = rollgate::flag_enabled(&flag(p), &unit).unwrap();
        let after = rollgate::flag_enabled(&flag(p + 1), &unit).unwrap();
        prop_assert!(!before.enabled || after.enabled);
        prop_assert!((1..=100).contains(&before.bucket));
        prop_assert_eq!(before.enabled, before.bucket <= p);
        let flagd = rollgate::flag_bucket(&key, &unit, FlagAlgorithm::Flagd);
        prop_assert!(flagd < 100);
    }

    /// Every unit of a population is counted once, enabled or not, and each
    /// served variant once.
    #[test]
    fn exposure_counts_every_unit_once(
        units in prop::collection::vec("[a-z0-9]{1,10}", 0..60),
        p in 0u32..=100,
        flagd in any::<bool>(),
    ) {
        let flag: Flag = rollgate::wire::from_value(json!({
            "key": "k", "algorithm": if flagd { "flagd" } else { "unleash" }, "percentage": p
        })).unwrap();
        let e = rollgate::flag_exposure(&flag, &Population::Units(units.clone())).unwrap();
        prop_assert_eq!(e.enabled.units + e.disabled.units, units.len() as u64);
        if flagd {
            let served: u64 = e.variants.iter().map(|v| v.exposure.units).sum();
            prop_assert_eq!(served, units.len() as u64);
            prop_assert_eq!(e.variants[0].exposure.units, e.enabled.units);
        }
        for id in &e.enabled.unit_ids {
            prop_assert!(rollgate::flag_enabled(&flag, id).unwrap().enabled);
        }
    }
}
