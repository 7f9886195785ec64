//! The metrics of one set of deployments and incidents over one window:
//! counts, change lead time, deployment frequency, change fail rate,
//! recovery time and rework rate, with their tiers and reasons.

use serde::{Deserialize, Serialize};

use super::records::DeploymentStatus;
use super::series::{fourkeys_bucket, FrequencyBucket};
use super::tiers::{human_duration, overall, DoraMetric, DoraTier, TierRating, TierTable};
use crate::explain::Reason;

const DAY_MS: f64 = 86_400_000.0;

/// Delivery performance of one group (or bucket) over one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliveryMetrics {
    /// How many deployments finished in the window, by outcome.
    pub deployments: DeploymentCounts,
    /// Deploy finish − commit time over every commit first shipped in the window.
    pub lead_time: LeadTime,
    /// How often deployments succeeded.
    pub deployment_frequency: DeploymentFrequency,
    /// Deployments that failed, were rolled back or caused an incident.
    pub change_fail_rate: ChangeFailRate,
    /// How fast incidents were resolved and failed deployments restored.
    pub recovery: Recovery,
    /// Deployments that remediate incidents.
    pub rework: Rework,
    /// Each metric's tier and the overall tier.
    pub tiers: DoraTiers,
    /// Why: each tier, and each metric that could not be measured.
    pub reasons: Vec<Reason>,
}

/// Deployments that finished in the window, by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentCounts {
    /// All of them.
    pub total: u64,
    /// Status `succeeded`.
    pub succeeded: u64,
    /// Status `failed`.
    pub failed: u64,
    /// Status `rolled_back`.
    pub rolled_back: u64,
}

/// Change lead time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadTime {
    /// Commits first shipped (per service) by a successful deployment in the window.
    pub commits: u64,
    /// Median lead time in seconds (none without commits).
    pub median_seconds: Option<f64>,
    /// 90th percentile (linear interpolation, R type 7) in seconds.
    pub p90_seconds: Option<f64>,
}

/// Deployment frequency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeploymentFrequency {
    /// Successful deployments in the window.
    pub deployments: u64,
    /// Length of the window in days.
    pub days: f64,
    /// Successful deployments per day (none for an empty window).
    pub per_day: Option<f64>,
    /// Successful deployments per week.
    pub per_week: Option<f64>,
    /// The fourkeys dashboard's bucket (none for an empty window).
    pub bucket: Option<FrequencyBucket>,
}

/// Change fail rate: never above 1, however incidents are linked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeFailRate {
    /// Deployments in the window.
    pub deployments: u64,
    /// Those that failed, were rolled back or caused an incident (each once).
    pub failures: u64,
    /// `failures / deployments` (none without deployments).
    pub rate: Option<f64>,
}

/// Failed-deployment recovery time, both ways.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// Incidents created in the window.
    pub incidents: u64,
    /// Those resolved.
    pub resolved: u64,
    /// Median created → resolved, in seconds.
    pub median_seconds: Option<f64>,
    /// Failure episodes starting in the window: a failed or rolled-back
    /// deployment and the failures of the same service right after it.
    pub failed_deployments: u64,
    /// Episodes ended by a successful deployment of the same service.
    pub restored: u64,
    /// Median first failure → next successful deployment, in seconds.
    pub median_restore_seconds: Option<f64>,
}

/// Rework rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rework {
    /// Deployments in the window.
    pub deployments: u64,
    /// Those that remediate at least one incident.
    pub rework: u64,
    /// `rework / deployments` (none without deployments).
    pub rate: Option<f64>,
}

/// The tier of each DORA metric in one report year, and overall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DoraTiers {
    /// The report whose clusters rate the metrics.
    pub report_year: u16,
    /// Median lead time's tier.
    pub lead_time: Option<TierRating>,
    /// Successful deployments per day's tier.
    pub deployment_frequency: Option<TierRating>,
    /// Change fail rate's tier.
    pub change_fail_rate: Option<TierRating>,
    /// Recovery time's tier: the incidents' median, or the failed
    /// deployments' median when no incident was resolved.
    pub recovery_time: Option<TierRating>,
    /// The best tier that a majority of the rated metrics reach.
    pub overall: Option<DoraTier>,
}

/// What one deployment contributes to the metrics.
#[derive(Debug, Clone)]
pub(crate) struct DeployFact {
    /// Index of its service in the environment's services.
    pub service: u32,
    /// Finish, milliseconds since the epoch.
    pub finish: i64,
    pub status: DeploymentStatus,
    /// Failed, rolled back, or caused an incident.
    pub change_failure: bool,
    /// Remediates an incident.
    pub rework: bool,
    /// Its first-shipped commits' lead times, in `Facts::leads`.
    pub leads: std::ops::Range<usize>,
    /// The failure episode it starts, if any.
    pub episode: Episode,
}

/// The failure episode a deployment starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Episode {
    /// It starts none.
    None,
    /// Restored after this many milliseconds.
    Restored(i64),
    /// Never followed by a successful deployment of its service.
    Unrestored,
}

/// What one incident contributes to the metrics.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IncidentFact {
    /// Creation, milliseconds since the epoch.
    pub created: i64,
    /// Created → resolved in milliseconds (none: open).
    pub recovery: Option<i64>,
}

/// A half-open window `[from, to)` in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub from: i64,
    pub to: i64,
}

impl Window {
    pub(crate) fn contains(&self, t: i64) -> bool {
        self.from <= t && t < self.to
    }
}

/// The sums and lists of one set of deployments that the metrics need.
#[derive(Default)]
struct Sums {
    counts: DeploymentCounts,
    failures: u64,
    rework: u64,
    lead_times: Vec<i64>,
    /// The UTC day of each successful deployment.
    deploy_days: Vec<i64>,
    restores: Vec<i64>,
    episodes: u64,
}

impl Sums {
    fn of<'a>(deployments: impl Iterator<Item = &'a DeployFact>, leads: &[i64]) -> Self {
        let mut s = Sums::default();
        for d in deployments {
            s.counts.total += 1;
            match d.status {
                DeploymentStatus::Succeeded => {
                    s.counts.succeeded += 1;
                    s.deploy_days.push(d.finish.div_euclid(DAY_MS as i64));
                }
                DeploymentStatus::Failed => s.counts.failed += 1,
                DeploymentStatus::RolledBack => s.counts.rolled_back += 1,
            }
            s.failures += u64::from(d.change_failure);
            s.rework += u64::from(d.rework);
            s.lead_times
                .extend(leads.get(d.leads.clone()).unwrap_or(&[]));
            match d.episode {
                Episode::None => {}
                Episode::Restored(ms) => {
                    s.episodes += 1;
                    s.restores.push(ms);
                }
                Episode::Unrestored => s.episodes += 1,
            }
        }
        s
    }
}

/// Measures the deployments and incidents given (already restricted to the
/// window) against `leads` and the tier `table`.
pub(crate) fn measure<'a>(
    deployments: impl Iterator<Item = &'a DeployFact>,
    incidents: impl Iterator<Item = &'a IncidentFact>,
    leads: &[i64],
    window: Window,
    table: TierTable,
) -> DeliveryMetrics {
    let Sums {
        counts,
        failures,
        rework,
        mut lead_times,
        mut deploy_days,
        mut restores,
        episodes,
    } = Sums::of(deployments, leads);
    let mut recoveries: Vec<i64> = Vec::new();
    let mut incident_count = 0u64;
    for i in incidents {
        incident_count += 1;
        recoveries.extend(i.recovery);
    }
    let days = (window.to - window.from) as f64 / DAY_MS;
    let (median, p90) = median_p90(&mut lead_times);
    let (recovery_median, _) = median_p90(&mut recoveries);
    let (restore_median, _) = median_p90(&mut restores);
    let per_day = (days > 0.0).then(|| counts.succeeded as f64 / days);
    let ratio = |n: u64| (counts.total > 0).then(|| n as f64 / counts.total as f64);
    let mut metrics = DeliveryMetrics {
        deployments: counts,
        lead_time: LeadTime {
            commits: lead_times.len() as u64,
            median_seconds: median,
            p90_seconds: p90,
        },
        deployment_frequency: DeploymentFrequency {
            deployments: counts.succeeded,
            days,
            per_day,
            per_week: per_day.map(|p| p * 7.0),
            bucket: fourkeys_bucket(&mut deploy_days, window),
        },
        change_fail_rate: ChangeFailRate {
            deployments: counts.total,
            failures,
            rate: ratio(failures),
        },
        recovery: Recovery {
            incidents: incident_count,
            resolved: recoveries.len() as u64,
            median_seconds: recovery_median,
            failed_deployments: episodes,
            restored: restores.len() as u64,
            median_restore_seconds: restore_median,
        },
        rework: Rework {
            deployments: counts.total,
            rework,
            rate: ratio(rework),
        },
        tiers: DoraTiers {
            report_year: table.year(),
            lead_time: None,
            deployment_frequency: None,
            change_fail_rate: None,
            recovery_time: None,
            overall: None,
        },
        reasons: Vec::new(),
    };
    rate_and_explain(&mut metrics, table);
    metrics
}

/// Fills in the tiers and the reasons.
fn rate_and_explain(m: &mut DeliveryMetrics, table: TierTable) {
    let year = table.year();
    let recovery = m
        .recovery
        .median_seconds
        .or(m.recovery.median_restore_seconds);
    let rated = [
        (DoraMetric::LeadTime, m.lead_time.median_seconds),
        (
            DoraMetric::DeploymentFrequency,
            m.deployment_frequency.per_day,
        ),
        (DoraMetric::ChangeFailRate, m.change_fail_rate.rate),
        (DoraMetric::RecoveryTime, recovery),
    ];
    let mut tiers = Vec::new();
    for (metric, value) in rated {
        let rating = value.and_then(|v| table.rate(metric, v));
        match &rating {
            Some(r) => {
                tiers.push(r.tier);
                m.reasons.push(r.reason(year));
            }
            None => m.reasons.push(no_data(metric)),
        }
        let slot = match metric {
            DoraMetric::LeadTime => &mut m.tiers.lead_time,
            DoraMetric::DeploymentFrequency => &mut m.tiers.deployment_frequency,
            DoraMetric::ChangeFailRate => &mut m.tiers.change_fail_rate,
            DoraMetric::RecoveryTime => &mut m.tiers.recovery_time,
        };
        *slot = rating;
    }
    m.tiers.overall = overall(&tiers);
    if let Some(tier) = m.tiers.overall {
        m.reasons.push(
            Reason::new(
                "dora_overall_tier",
                format!(
                    "{} of {} rated metrics reach {tier:?} or better in the {year} report",
                    tiers.iter().filter(|t| **t <= tier).count(),
                    tiers.len()
                ),
            )
            .with_evidence("report_year", year)
            .with_evidence("rated", tiers.len()),
        );
    }
    if m.recovery.median_seconds.is_none() {
        if let Some(restore) = m.recovery.median_restore_seconds {
            m.reasons.push(
                Reason::new(
                    "recovery_from_deployments",
                    format!(
                        "no incident was resolved in the window: recovery time is the median time from a failed deployment to the next successful one ({})",
                        human_duration(restore)
                    ),
                )
                .with_subjects(["recovery_time"]),
            );
        }
    }
    let unrestored = m.recovery.failed_deployments - m.recovery.restored;
    if unrestored > 0 {
        m.reasons.push(
            Reason::new(
                "failure_unrestored",
                format!("{unrestored} failure episode(s) had no later successful deployment of their service"),
            )
            .with_subjects(["recovery_time"])
            .with_evidence("unrestored", unrestored),
        );
    }
}

fn no_data(metric: DoraMetric) -> Reason {
    let (subject, message) = match metric {
        DoraMetric::LeadTime => (
            "lead_time",
            "no commit was first shipped by a successful deployment in the window",
        ),
        DoraMetric::DeploymentFrequency => ("deployment_frequency", "the window is empty"),
        DoraMetric::ChangeFailRate => ("change_fail_rate", "no deployment in the window"),
        DoraMetric::RecoveryTime => (
            "recovery_time",
            "no incident was resolved and no failed deployment was restored in the window",
        ),
    };
    Reason::new("dora_no_data", format!("{message}: no tier")).with_subjects([subject])
}

/// Median and 90th percentile (R type 7) of milliseconds, in seconds; none
/// for an empty list. Reorders the list.
pub(crate) fn median_p90(values: &mut [i64]) -> (Option<f64>, Option<f64>) {
    if values.is_empty() {
        return (None, None);
    }
    let p90 = type7(values, 0.9);
    let median = type7(values, 0.5);
    (median.map(|m| m / 1000.0), p90.map(|p| p / 1000.0))
}

/// Type-7 sample quantile by selection (no full sort): `x[k] + (h − k)·(x[k+1] − x[k])`
/// with `h = (n − 1)·q`, `k = ⌊h⌋`.
fn type7(values: &mut [i64], q: f64) -> Option<f64> {
    let n = values.len();
    let h = (n.checked_sub(1)?) as f64 * q;
    let k = h.floor() as usize;
    let (_, kth, above) = values.select_nth_unstable(k);
    let a = *kth as f64;
    let b = above.iter().min().map_or(a, |v| *v as f64);
    Some(a + (h - k as f64) * (b - a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_hand_values() {
        // numpy.quantile([1, 2, 3, 4], [0.5, 0.9]) = [2.5, 3.7]
        let mut v = vec![4000, 1000, 3000, 2000];
        let (m, p) = median_p90(&mut v);
        assert_eq!(m, Some(2.5));
        assert!((p.unwrap() - 3.7).abs() < 1e-12);
        let mut one = vec![5000];
        assert_eq!(median_p90(&mut one), (Some(5.0), Some(5.0)));
        assert_eq!(median_p90(&mut []), (None, None));
    }
}
