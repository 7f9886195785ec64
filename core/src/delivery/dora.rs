//! [`dora_metrics`]: the four DORA keys and rework rate of one environment
//! over one window, in total, per group and as a series.

use chrono::{DateTime, Utc};
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::facts::{facts, Facts};
use super::metrics::{measure, DeliveryMetrics, DeployFact, IncidentFact, Window};
use super::records::{
    check_records, check_window, millis, Deployment, DoraOptions, GroupBy, Incident, SeriesPeriod,
};
use super::series::{bucket_count, bucket_index, buckets, MAX_BUCKETS};
use super::tiers::TierTable;
use crate::error::{Error, PlanError, Result};
use crate::explain::Reason;
use crate::plan::Plan;
use crate::wire::time::Timestamp;

const DAY_MS: i64 = 86_400_000;
/// The group of services whose plan entry names no owner.
pub const UNOWNED: &str = "(no owner)";

/// Delivery performance of one environment over one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DoraReport {
    /// The environment measured.
    pub environment: String,
    /// Start of the window (inclusive); none when there are no records and
    /// no `from`.
    pub from: Option<Timestamp>,
    /// End of the window (exclusive).
    pub to: Option<Timestamp>,
    /// How the groups were formed.
    pub group_by: GroupBy,
    /// All records of the environment.
    pub totals: DeliveryMetrics,
    /// The totals per week or month (empty unless `series` was asked for).
    pub series: Vec<SeriesBucket>,
    /// One entry per group, sorted by name (empty for `group_by: none`).
    pub groups: Vec<GroupMetrics>,
    /// Why the window and groups are what they are.
    pub reasons: Vec<Reason>,
}

/// The metrics of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GroupMetrics {
    /// The service, or the team (`"(no owner)"` for services without one).
    pub group: String,
    /// The services in the group, sorted.
    pub services: Vec<String>,
    /// Its metrics; incidents count in each group whose deployment caused them.
    pub metrics: DeliveryMetrics,
    /// Its series (empty unless asked for).
    pub series: Vec<SeriesBucket>,
}

/// The metrics of one week or month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SeriesBucket {
    /// Start of the bucket, clipped to the window.
    pub start: Timestamp,
    /// End of the bucket (exclusive), clipped to the window.
    pub end: Timestamp,
    /// The metrics of the records in the bucket.
    pub metrics: DeliveryMetrics,
}

/// Change lead time, deployment frequency, change fail rate, failed-deployment
/// recovery time and rework rate of one environment, in total, per service
/// or team, and per week or month, each rated against a DORA report's
/// clusters.
///
/// Semantics (all times UTC):
/// - A deployment counts in the window `[from, to)` of its **finish**; an
///   incident, of its creation. Without `from`/`to` the window runs from
///   00:00 of the first record's day to 00:00 after the last record's day.
/// - **Lead time**: over every commit shipped by a successful deployment,
///   once per service, at its first such deployment (a commit redeployed
///   after a failure counts once): median and p90 (R type 7).
/// - **Deployment frequency**: successful deployments per day and per week
///   of the window, and the fourkeys bucket ([`FrequencyBucket`](crate::delivery::FrequencyBucket)).
/// - **Change fail rate**: deployments that failed, were rolled back or
///   caused an incident (each deployment once, whatever links to it) ÷
///   deployments, so never above 1.
/// - **Recovery**: median incident created → resolved; and per failure
///   episode of a service (a failed or rolled-back deployment plus the
///   failures right after it) the time from its first failure's finish to
///   the finish of the service's next successful deployment.
/// - **Rework rate**: deployments that remediate an incident ÷ deployments.
/// - `group_by: team` reads each service's `owner` from `plan`.
///
/// Every count of a series' buckets adds up to the totals.
///
/// ```
/// let deployments: Vec<rollgate::Deployment> = rollgate::wire::from_json(r#"[
///   {"id": "d1", "service": "api", "started_at": "2026-03-02T10:00:00Z", "finished_at": "2026-03-02T10:10:00Z",
///    "status": "succeeded", "commits": [{"sha": "a", "committed_at": "2026-03-01T10:10:00Z"}]},
///   {"id": "d2", "service": "api", "started_at": "2026-03-03T10:00:00Z", "finished_at": "2026-03-03T10:10:00Z",
///    "status": "rolled_back", "commits": [{"sha": "b", "committed_at": "2026-03-03T08:10:00Z"}]},
///   {"id": "d3", "service": "api", "started_at": "2026-03-03T12:00:00Z", "finished_at": "2026-03-03T12:10:00Z",
///    "status": "succeeded", "commits": [{"sha": "b", "committed_at": "2026-03-03T08:10:00Z"}]}
/// ]"#)?;
/// let report = rollgate::dora_metrics(&deployments, &[], None, None)?;
/// let totals = &report.totals;
/// assert_eq!(totals.lead_time.commits, 2);
/// assert_eq!(totals.lead_time.median_seconds, Some(14.0 * 3600.0)); // 24 h and 4 h
/// assert_eq!(totals.change_fail_rate.rate, Some(1.0 / 3.0));
/// assert_eq!(totals.recovery.median_restore_seconds, Some(2.0 * 3600.0));
/// assert_eq!(totals.deployment_frequency.per_day, Some(1.0)); // 2 successes in 2 days
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn dora_metrics(
    deployments: &[Deployment],
    incidents: &[Incident],
    options: Option<&DoraOptions>,
    plan: Option<&Plan>,
) -> Result<DoraReport> {
    let defaults = DoraOptions::default();
    let options = options.unwrap_or(&defaults);
    check_window(options)?;
    let table = TierTable::for_year(options.report_year)?;
    let ids = check_records(deployments, incidents)?;
    let owners = owners(options, plan)?;
    let facts = facts(deployments, incidents, &ids, &options.environment);
    let mut reasons = Vec::new();
    let window = window(options, &facts, &mut reasons);
    check_series(options, window)?;
    let everything: Vec<usize> = (0..facts.deployments.len()).collect();
    let all_incidents: Vec<usize> = (0..facts.incidents.len()).collect();
    let (totals, series) =
        measure_group(&facts, &everything, &all_incidents, window, options, table)?;
    let groups = match options.group_by {
        GroupBy::None => Vec::new(),
        GroupBy::Service => groups(&facts, window, options, table, |service| {
            Ok(service.to_string())
        })?,
        GroupBy::Team => {
            let owners = owners.unwrap_or_default();
            let mut unowned: Vec<String> = Vec::new();
            let groups = groups(&facts, window, options, table, |service| {
                match owners.get(service) {
                    Some(Some(owner)) => Ok(owner.to_string()),
                    Some(None) => {
                        unowned.push(service.to_string());
                        Ok(UNOWNED.to_string())
                    }
                    None => Err(unknown_service(deployments, &facts, service)),
                }
            })?;
            if !unowned.is_empty() {
                unowned.sort_unstable();
                unowned.dedup();
                reasons.push(
                    Reason::new(
                        "unowned_services",
                        format!(
                            "{} service(s) have no owner in the plan and are grouped as {UNOWNED}",
                            unowned.len()
                        ),
                    )
                    .with_subjects(unowned),
                );
            }
            groups
        }
    };
    Ok(DoraReport {
        environment: options.environment.clone(),
        from: window.map(|w| utc(w.from)).transpose()?,
        to: window.map(|w| utc(w.to)).transpose()?,
        group_by: options.group_by,
        totals,
        series,
        groups,
        reasons,
    })
}

/// A series asked for must have at most [`MAX_BUCKETS`] buckets.
fn check_series(options: &DoraOptions, window: Option<Window>) -> Result<()> {
    let (Some(period), Some(w)) = (options.series, window) else {
        return Ok(());
    };
    let n = bucket_count(period, w);
    if n <= MAX_BUCKETS {
        return Ok(());
    }
    Err(Error::invalid_input(
        "options/series",
        format!(
            "a {} series of this window has {n} buckets, more than the {MAX_BUCKETS} allowed: use a shorter window{}",
            match period {
                SeriesPeriod::Week => "weekly",
                SeriesPeriod::Month => "monthly",
            },
            if period == SeriesPeriod::Week { " or a monthly series" } else { "" }
        ),
    ))
}

/// Each plan service's owner, when grouping by team (which needs a plan).
fn owners<'p>(
    options: &DoraOptions,
    plan: Option<&'p Plan>,
) -> Result<Option<HashMap<&'p str, Option<&'p str>>>> {
    if options.group_by != GroupBy::Team {
        return Ok(None);
    }
    let plan = plan.ok_or_else(|| {
        Error::invalid_input(
            "options/group_by",
            "grouping by team needs a plan whose services name their owner",
        )
    })?;
    Ok(Some(
        plan.services
            .iter()
            .map(|s| (s.id.as_str(), s.owner.as_deref()))
            .collect(),
    ))
}

fn unknown_service(deployments: &[Deployment], facts: &Facts<'_>, service: &str) -> Error {
    let index = facts
        .source
        .iter()
        .copied()
        .find(|i| deployments.get(*i).is_some_and(|d| d.service == service))
        .unwrap_or(0);
    Error::new(
        format!("/{index}/service"),
        PlanError::UnknownService {
            service: service.to_string(),
        },
    )
}

/// The measured window: the options', or whole UTC days around the records.
fn window(options: &DoraOptions, facts: &Facts<'_>, reasons: &mut Vec<Reason>) -> Option<Window> {
    let times = facts
        .deployments
        .iter()
        .map(|d| d.finish)
        .chain(facts.incidents.iter().map(|i| i.created));
    let mut span: Option<(i64, i64)> = None;
    for t in times {
        span = Some(span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
    }
    let given_to = options.to.as_ref().map(millis);
    let from = match options.from.as_ref().map(millis) {
        Some(from) => from,
        None => {
            let (first, _) = span?;
            let day = first.div_euclid(DAY_MS) * DAY_MS;
            given_to.map_or(day, |to| day.min(to))
        }
    };
    let to = match given_to {
        Some(to) => to,
        None => span.map_or(from, |(_, last)| {
            ((last.div_euclid(DAY_MS) + 1) * DAY_MS).max(from)
        }),
    };
    if span.is_some() && (options.from.is_none() || options.to.is_none()) {
        reasons.push(Reason::new(
            "window_from_records",
            "the window's open ends are whole UTC days around the first and last records",
        ));
    }
    Some(Window { from, to })
}

/// The metrics (and series) of the deployment and incident facts listed.
fn measure_group(
    facts: &Facts<'_>,
    deployments: &[usize],
    incidents: &[usize],
    window: Option<Window>,
    options: &DoraOptions,
    table: TierTable,
) -> Result<(DeliveryMetrics, Vec<SeriesBucket>)> {
    let w = window.unwrap_or(Window { from: 0, to: 0 });
    let ds: Vec<&DeployFact> = deployments
        .iter()
        .filter_map(|i| facts.deployments.get(*i))
        .filter(|d| w.contains(d.finish))
        .collect();
    let is: Vec<&IncidentFact> = incidents
        .iter()
        .filter_map(|i| facts.incidents.get(*i))
        .filter(|i| w.contains(i.created))
        .collect();
    let totals = measure(
        ds.iter().copied(),
        is.iter().copied(),
        &facts.leads,
        w,
        table,
    );
    let Some(period) = options.series else {
        return Ok((totals, Vec::new()));
    };
    let windows = buckets(period, w);
    let mut by_bucket: Vec<(Vec<&DeployFact>, Vec<&IncidentFact>)> =
        vec![(Vec::new(), Vec::new()); windows.len()];
    for d in ds {
        if let Some(b) = by_bucket.get_mut(bucket_index(period, w, d.finish)) {
            b.0.push(d);
        }
    }
    for i in is {
        if let Some(b) = by_bucket.get_mut(bucket_index(period, w, i.created)) {
            b.1.push(i);
        }
    }
    let series = windows
        .into_iter()
        .zip(by_bucket)
        .map(|(bw, (ds, is))| {
            Ok(SeriesBucket {
                start: utc(bw.from)?,
                end: utc(bw.to)?,
                metrics: measure(ds.into_iter(), is.into_iter(), &facts.leads, bw, table),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((totals, series))
}

/// The services, deployment facts and incident facts of one group.
#[derive(Default)]
struct Members {
    services: Vec<String>,
    deployments: Vec<usize>,
    incidents: Vec<usize>,
}

/// One entry per group, `group_of` naming each service's group.
fn groups(
    facts: &Facts<'_>,
    window: Option<Window>,
    options: &DoraOptions,
    table: TierTable,
    mut group_of: impl FnMut(&str) -> Result<String>,
) -> Result<Vec<GroupMetrics>> {
    let mut names: Vec<String> = Vec::with_capacity(facts.services.len());
    for service in &facts.services {
        names.push(group_of(service)?);
    }
    let mut members: std::collections::BTreeMap<&str, Members> = std::collections::BTreeMap::new();
    for (s, name) in names.iter().enumerate() {
        let entry = members.entry(name.as_str()).or_default();
        entry
            .services
            .extend(facts.services.get(s).map(|s| s.to_string()));
    }
    let group_of_fact = |f: usize| {
        facts
            .deployments
            .get(f)
            .and_then(|d| names.get(d.service as usize))
            .map(String::as_str)
    };
    for f in 0..facts.deployments.len() {
        if let Some(entry) = group_of_fact(f).and_then(|n| members.get_mut(n)) {
            entry.deployments.push(f);
        }
    }
    for (i, causes) in facts.causes.iter().enumerate() {
        let mut mine: Vec<&str> = causes.iter().filter_map(|f| group_of_fact(*f)).collect();
        mine.sort_unstable();
        mine.dedup();
        for name in mine {
            if let Some(entry) = members.get_mut(name) {
                entry.incidents.push(i);
            }
        }
    }
    members
        .into_iter()
        .map(|(name, mut m)| {
            m.services.sort_unstable();
            let (metrics, series) =
                measure_group(facts, &m.deployments, &m.incidents, window, options, table)?;
            Ok(GroupMetrics {
                group: name.to_string(),
                services: m.services,
                metrics,
                series,
            })
        })
        .collect()
}

/// An instant in milliseconds as a UTC timestamp.
fn utc(ms: i64) -> Result<Timestamp> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| Timestamp(t.fixed_offset()))
        .ok_or_else(|| Error::internal(format!("instant {ms} ms is out of range")))
}

#[cfg(test)]
mod tests;
