//! The input records of delivery performance — deployments and incidents —
//! the options of [`dora_metrics`](crate::dora_metrics), and the checks that
//! turn inconsistent records into typed errors before anything is measured.

use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use crate::error::{CalendarError, DeliveryError, Error, Result};
use crate::wire::time::Timestamp;

/// One deployment of one service to one environment.
///
/// ```
/// let d: rollgate::Deployment = rollgate::wire::from_json(r#"{
///   "id": "d1", "service": "api",
///   "started_at": "2026-03-02T10:00:00Z", "finished_at": "2026-03-02T10:20:00Z",
///   "status": "succeeded",
///   "commits": [{"sha": "a1", "committed_at": "2026-03-01T09:00:00Z"}]
/// }"#).unwrap();
/// assert_eq!(d.environment, "production");
/// assert_eq!(d.status, rollgate::DeploymentStatus::Succeeded);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// Unique id of the deployment.
    pub id: String,
    /// The service deployed (a plan's service id when grouping by team).
    pub service: String,
    /// The environment deployed to (default `production`).
    #[serde(default = "production")]
    pub environment: String,
    /// When the deployment started.
    pub started_at: Timestamp,
    /// When it finished (succeeded, failed or was rolled back); not before
    /// `started_at`.
    pub finished_at: Timestamp,
    /// How it ended.
    pub status: DeploymentStatus,
    /// The commits it shipped; a commit's lead time counts once per service,
    /// at the first successful deployment that shipped it.
    #[serde(default)]
    pub commits: Vec<Commit>,
    /// Ids of the incidents this deployment remediates (rework). They need
    /// not be among the incidents given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remediates: Vec<String>,
}

/// How a deployment ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeploymentStatus {
    /// The new version runs.
    Succeeded,
    /// The deployment failed.
    Failed,
    /// The deployment was undone.
    RolledBack,
}

/// A commit shipped by a deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Commit {
    /// The commit's id.
    pub sha: String,
    /// When it was committed; not after the deployment finished.
    pub committed_at: Timestamp,
}

/// An incident in production, optionally caused by deployments.
///
/// ```
/// let i: rollgate::Incident = rollgate::wire::from_json(r#"{
///   "id": "inc-1", "created_at": "2026-03-02T11:00:00Z", "resolved_at": "2026-03-02T11:45:00Z",
///   "caused_by": ["d1"], "severity": "sev2"
/// }"#).unwrap();
/// assert_eq!(i.caused_by, ["d1"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Incident {
    /// Unique id of the incident.
    pub id: String,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was resolved (absent: still open); not before `created_at`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    /// Ids of the deployments that caused it; each must be among the
    /// deployments given.
    #[serde(default)]
    pub caused_by: Vec<String>,
    /// Free-form severity, e.g. `sev1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
}

/// How to group the measured records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One group: the totals only.
    #[default]
    None,
    /// One group per service.
    Service,
    /// One group per owning team, from the plan's `owner` of each service.
    Team,
}

/// The length of one bucket of a time series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SeriesPeriod {
    /// ISO weeks, Monday 00:00 UTC to the next Monday.
    Week,
    /// Calendar months, the 1st 00:00 UTC to the next 1st.
    Month,
}

/// Options of [`dora_metrics`](crate::dora_metrics).
///
/// ```
/// let o: rollgate::DoraOptions = rollgate::wire::from_json(r#"{"group_by": "service", "series": "week"}"#).unwrap();
/// assert_eq!(o.environment, "production");
/// assert_eq!(o.report_year, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DoraOptions {
    /// Start of the measured window (inclusive). Default: 00:00 UTC of the
    /// day of the earliest record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Timestamp>,
    /// End of the measured window (exclusive); not before `from`. Default:
    /// 00:00 UTC of the day after the latest record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Timestamp>,
    /// The environment measured (default `production`).
    #[serde(default = "production")]
    pub environment: String,
    /// Groups besides the totals (default none).
    #[serde(default)]
    pub group_by: GroupBy,
    /// A series per week or month, for the totals and each group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<SeriesPeriod>,
    /// The DORA report whose tier table rates the metrics (2022, 2023 or
    /// 2024; default the latest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_year: Option<i64>,
}

impl Default for DoraOptions {
    fn default() -> Self {
        DoraOptions {
            from: None,
            to: None,
            environment: production(),
            group_by: GroupBy::None,
            series: None,
            report_year: None,
        }
    }
}

fn production() -> String {
    "production".to_string()
}

/// Milliseconds since the epoch: lead and recovery times keep sub-second
/// precision, and whole milliseconds add and compare exactly.
pub(crate) fn millis(t: &Timestamp) -> i64 {
    t.timestamp_millis()
}

fn out_of_order(path: String, value: &Timestamp, message: String) -> Error {
    Error::new(
        path,
        CalendarError::InvalidTimestamp {
            value: value.to_string(),
            message,
        },
    )
}

/// Checks the records: unique ids, no deployment finishing before it
/// started, no commit after its deployment finished, no incident resolved
/// before it was created, every `caused_by` a known deployment. Returns the
/// index (first occurrence) of each deployment id that an incident names.
///
/// The first error in input order is reported, as a sequential scan would.
/// Paths: deployments are the main document (`/3/finished_at`), incidents
/// the `incidents` argument (`incidents/0/caused_by/1`).
pub(crate) fn check_records<'a>(
    deployments: &'a [Deployment],
    incidents: &'a [Incident],
) -> Result<HashMap<&'a str, usize>> {
    // Repeated ids on a second thread while this one checks the times; the
    // error reported is the one a sequential scan meets first.
    let (duplicate, bad_time) = crate::parallel::join(
        deployments.len() >= PARALLEL_FROM,
        || first_duplicate(deployments.iter().map(|d| d.id.as_str())),
        || first_time_error(deployments),
    );
    match (duplicate, bad_time) {
        (Some((dup, first)), bad) if bad.as_ref().is_none_or(|(i, _)| dup <= *i) => {
            let id = deployments
                .get(dup)
                .map(|d| d.id.clone())
                .unwrap_or_default();
            return Err(Error::new(
                format!("/{dup}/id"),
                DeliveryError::DuplicateRecord {
                    id,
                    first_path: format!("/{first}/id"),
                },
            ));
        }
        (_, Some((_, err))) => return Err(err),
        _ => {}
    }
    // Only the ids incidents name are indexed: a small table, not one entry
    // per deployment.
    let mut named: HashMap<&str, usize> = incidents
        .iter()
        .flat_map(|i| i.caused_by.iter().map(|c| (c.as_str(), usize::MAX)))
        .collect();
    if !named.is_empty() {
        for (i, d) in deployments.iter().enumerate() {
            if let Some(slot) = named.get_mut(d.id.as_str()) {
                *slot = (*slot).min(i);
            }
        }
    }
    let duplicate = first_duplicate(incidents.iter().map(|i| i.id.as_str()));
    for (i, incident) in incidents.iter().enumerate() {
        if let Some((dup, first)) = duplicate.filter(|(dup, _)| *dup == i) {
            return Err(Error::new(
                format!("incidents/{dup}/id"),
                DeliveryError::DuplicateRecord {
                    id: incident.id.clone(),
                    first_path: format!("incidents/{first}/id"),
                },
            ));
        }
        if let Some(resolved) = &incident.resolved_at {
            if *resolved < incident.created_at {
                return Err(out_of_order(
                    format!("incidents/{i}/resolved_at"),
                    resolved,
                    format!(
                        "incident `{}` is resolved before it was created ({})",
                        incident.id, incident.created_at
                    ),
                ));
            }
        }
        for (j, cause) in incident.caused_by.iter().enumerate() {
            if named.get(cause.as_str()).is_none_or(|i| *i == usize::MAX) {
                return Err(Error::new(
                    format!("incidents/{i}/caused_by/{j}"),
                    DeliveryError::UnknownDeployment {
                        deployment: cause.clone(),
                    },
                ));
            }
        }
    }
    named.retain(|_, i| *i != usize::MAX);
    Ok(named)
}

/// Below this many deployments a second thread costs more than it saves.
const PARALLEL_FROM: usize = 50_000;

/// The first deployment (in input order) that finishes before it starts or
/// ships a commit dated after it finished, and its error.
fn first_time_error(deployments: &[Deployment]) -> Option<(usize, Error)> {
    deployments.iter().enumerate().find_map(|(i, d)| {
        if d.finished_at < d.started_at {
            return Some((
                i,
                out_of_order(
                    format!("/{i}/finished_at"),
                    &d.finished_at,
                    format!(
                        "deployment `{}` finishes before it starts ({})",
                        d.id, d.started_at
                    ),
                ),
            ));
        }
        d.commits
            .iter()
            .enumerate()
            .find(|(_, c)| c.committed_at > d.finished_at)
            .map(|(j, c)| {
                (
                    i,
                    out_of_order(
                        format!("/{i}/commits/{j}/committed_at"),
                        &c.committed_at,
                        format!(
                            "commit `{}` is dated after deployment `{}` finished ({})",
                            c.sha, d.id, d.finished_at
                        ),
                    ),
                )
            })
    })
}

/// The first repeated id in input order: `(its index, the index of its
/// first occurrence)`.
///
/// Sorting 64-bit hashes walks memory in order, where a hash set of a
/// million strings misses the cache on almost every insert; ids whose
/// hashes collide are then compared as strings, so the answer does not
/// depend on the hash function.
fn first_duplicate<'a>(ids: impl Iterator<Item = &'a str>) -> Option<(usize, usize)> {
    use std::hash::BuildHasher;
    let state = hashbrown::DefaultHashBuilder::default();
    let ids: Vec<&str> = ids.collect();
    let mut hashed: Vec<(u64, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (state.hash_one(id), i))
        .collect();
    hashed.sort_unstable();
    let mut best: Option<(usize, usize)> = None;
    // Runs hold one id but for hash collisions: comparing against the
    // distinct ids seen so far keeps a run of n equal ids linear.
    let mut seen: Vec<(Option<&&str>, usize)> = Vec::new();
    for run in hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        seen.clear();
        for (_, i) in run {
            let text = ids.get(*i);
            match seen.iter().find(|(t, _)| *t == text) {
                // Runs are in index order: the first repeat of this text.
                Some((_, first)) => {
                    if best.is_none_or(|(b, _)| *i < b) {
                        best = Some((*i, *first));
                    }
                }
                None => seen.push((text, *i)),
            }
        }
    }
    best
}

/// Checks the options' window: `to` not before `from`.
pub(crate) fn check_window(options: &DoraOptions) -> Result<()> {
    if let (Some(from), Some(to)) = (&options.from, &options.to) {
        if to < from {
            return Err(out_of_order(
                "options/to".to_string(),
                to,
                format!("`to` is before `from` ({from})"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(id: &str, start: &str, finish: &str) -> Deployment {
        Deployment {
            id: id.into(),
            service: "api".into(),
            environment: production(),
            started_at: start.parse().unwrap(),
            finished_at: finish.parse().unwrap(),
            status: DeploymentStatus::Succeeded,
            commits: vec![],
            remediates: vec![],
        }
    }

    fn incident(id: &str, created: &str, resolved: Option<&str>, caused: &[&str]) -> Incident {
        Incident {
            id: id.into(),
            created_at: created.parse().unwrap(),
            resolved_at: resolved.map(|r| r.parse().unwrap()),
            caused_by: caused.iter().map(|c| c.to_string()).collect(),
            severity: None,
        }
    }

    const T0: &str = "2026-03-02T10:00:00Z";
    const T1: &str = "2026-03-02T11:00:00Z";

    #[test]
    fn accepts_consistent_records() {
        let ds = [deployment("a", T0, T1), deployment("b", T0, T0)];
        let is = [incident("i", T0, Some(T1), &["b"])];
        let ids = check_records(&ds, &is).unwrap();
        assert_eq!(ids["b"], 1);
        assert!(!ids.contains_key("a"));
    }

    #[test]
    fn names_each_inconsistency_with_its_path() {
        let err = check_records(&[deployment("a", T1, T0)], &[]).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_timestamp", "/0/finished_at")
        );
        let ds = [deployment("a", T0, T1), deployment("a", T0, T1)];
        let err = check_records(&ds, &[]).unwrap_err();
        assert_eq!((err.code(), err.path()), ("duplicate_record", "/1/id"));
        assert_eq!(err.details()["first_path"], "/0/id");
        let mut d = deployment("a", T0, T0);
        d.commits.push(Commit {
            sha: "x".into(),
            committed_at: T1.parse().unwrap(),
        });
        let err = check_records(&[d], &[]).unwrap_err();
        assert_eq!(err.path(), "/0/commits/0/committed_at");
        let ds = [deployment("a", T0, T1)];
        let err = check_records(&ds, &[incident("i", T1, Some(T0), &[])]).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_timestamp", "incidents/0/resolved_at")
        );
        let err = check_records(&ds, &[incident("i", T0, None, &["a", "zz"])]).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("unknown_deployment", "incidents/0/caused_by/1")
        );
        assert_eq!(err.family(), crate::ErrorFamily::Delivery);
        let is = [incident("i", T0, None, &[]), incident("i", T0, None, &[])];
        let err = check_records(&ds, &is).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("duplicate_record", "incidents/1/id")
        );
    }

    #[test]
    fn the_first_repeated_id_in_input_order_is_reported() {
        let ids = ["a", "b", "c", "b", "a", "c"];
        assert_eq!(first_duplicate(ids.into_iter()), Some((3, 1)));
        assert_eq!(first_duplicate(["x", "y"].into_iter()), None);
        let many: Vec<String> = (0..10_000).map(|i| format!("d{}", i % 9_999)).collect();
        assert_eq!(
            first_duplicate(many.iter().map(String::as_str)),
            Some((9_999, 0))
        );
    }

    #[test]
    fn window_must_not_run_backwards() {
        let mut options = DoraOptions {
            from: Some(T1.parse().unwrap()),
            to: Some(T0.parse().unwrap()),
            ..DoraOptions::default()
        };
        let err = check_window(&options).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("invalid_timestamp", "options/to")
        );
        options.to = options.from;
        assert!(check_window(&options).is_ok());
    }
}
