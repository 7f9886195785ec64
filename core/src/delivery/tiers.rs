//! DORA performance tiers from the survey clusters of each report year.
//!
//! The clusters are re-estimated every year and are not monotone (in 2024
//! the Medium cluster has a lower change fail rate than High; in 2023
//! Medium and Low deploy equally often), so each year is a data table here,
//! not a set of thresholds.
//!
//! # Sources
//!
//! - **2024**: DORA, *Accelerate State of DevOps Report 2024*, table
//!   "Software delivery performance levels" (Elite 19 %, High 22 %, Medium
//!   35 %, Low 25 % of respondents).
//! - **2023**: DORA, *Accelerate State of DevOps Report 2023*, table
//!   "Software delivery performance" clusters (Elite 18 %, High 31 %,
//!   Medium 33 %, Low 17 %).
//! - **2022**: DORA, *Accelerate State of DevOps Report 2022*, table
//!   "Software delivery performance" clusters; that year found no Elite
//!   cluster (High 11 %, Medium 69 %, Low 19 %).
//!
//! The reports give ranges in words ("between one day and one week") and,
//! from 2023, a typical change fail rate per cluster. They are read as
//! closed ranges with a week of 7 days, a month of 30 days and six months
//! of 180 days; "on demand" deployment frequency is once a day or more, and
//! a single change fail rate is a range of one point.
//!
//! # Rating a value
//!
//! A metric's tier is the cluster whose range is **nearest** to the value:
//! on a log scale for durations and frequencies (3 days is nearer to "one
//! week" than to "one day"), linearly for the change fail rate. A value
//! inside several ranges takes the best of them; a value outside every
//! range at equal distance from several takes the worst (benefit of the
//! doubt only within a range). The **next tier up** is the nearest
//! better-ranked cluster that some better value of this metric would reach
//! (so in 2024 a 10 % change fail rate — Medium — looks to Elite's 5 %, not
//! High's 20 %), with the **target** value at which the rating changes and
//! the **gap** to it. The **overall** tier is the best tier that a majority
//! of the rated metrics reach.

use serde::{Deserialize, Serialize};

use crate::error::{DeliveryError, Error, Result};
use crate::explain::Reason;

/// A DORA performance cluster, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoraTier {
    /// The best cluster (absent in 2022).
    Elite,
    /// The second cluster.
    High,
    /// The third cluster.
    Medium,
    /// The lowest cluster.
    Low,
}

impl DoraTier {
    fn name(self) -> &'static str {
        match self {
            DoraTier::Elite => "Elite",
            DoraTier::High => "High",
            DoraTier::Medium => "Medium",
            DoraTier::Low => "Low",
        }
    }
}

/// One of the four metrics the DORA clusters are defined on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DoraMetric {
    /// Median change lead time, in seconds (lower is better).
    LeadTime,
    /// Successful deployments per day (higher is better).
    DeploymentFrequency,
    /// Change fail rate, 0–1 (lower is better).
    ChangeFailRate,
    /// Median failed-deployment recovery time, in seconds (lower is better).
    RecoveryTime,
}

impl DoraMetric {
    /// The metric's wire name, e.g. `lead_time`.
    fn as_str(self) -> &'static str {
        match self {
            DoraMetric::LeadTime => "lead_time",
            DoraMetric::DeploymentFrequency => "deployment_frequency",
            DoraMetric::ChangeFailRate => "change_fail_rate",
            DoraMetric::RecoveryTime => "recovery_time",
        }
    }

    fn label(self) -> &'static str {
        match self {
            DoraMetric::LeadTime => "change lead time",
            DoraMetric::DeploymentFrequency => "deployment frequency",
            DoraMetric::ChangeFailRate => "change fail rate",
            DoraMetric::RecoveryTime => "failed deployment recovery time",
        }
    }

    fn higher_is_better(self) -> bool {
        matches!(self, DoraMetric::DeploymentFrequency)
    }

    /// The scale distances are measured on: log for durations and rates of
    /// deployment (clamped away from 0), linear for the fail rate.
    fn scale(self, value: f64) -> f64 {
        match self {
            DoraMetric::LeadTime | DoraMetric::RecoveryTime => value.max(1.0).ln(),
            DoraMetric::DeploymentFrequency => value.max(1e-6).ln(),
            DoraMetric::ChangeFailRate => value,
        }
    }

    fn unscale(self, x: f64) -> f64 {
        match self {
            DoraMetric::ChangeFailRate => x,
            _ => x.exp(),
        }
    }

    /// The value in words, for reason messages.
    fn describe(self, value: f64) -> String {
        match self {
            DoraMetric::LeadTime | DoraMetric::RecoveryTime => human_duration(value),
            DoraMetric::DeploymentFrequency => format!("{} deployments a day", round3(value)),
            DoraMetric::ChangeFailRate => format!("{} %", round3(value * 100.0)),
        }
    }
}

/// A range of one metric as a report words it.
struct Band {
    lo: f64,
    hi: f64,
    text: &'static str,
}

/// One cluster of one report year.
struct Cluster {
    tier: DoraTier,
    lead_time: Band,
    frequency: Band,
    fail_rate: Band,
    recovery: Band,
}

impl Cluster {
    fn band(&self, metric: DoraMetric) -> &Band {
        match metric {
            DoraMetric::LeadTime => &self.lead_time,
            DoraMetric::DeploymentFrequency => &self.frequency,
            DoraMetric::ChangeFailRate => &self.fail_rate,
            DoraMetric::RecoveryTime => &self.recovery,
        }
    }
}

const HOUR: f64 = 3600.0;
const DAY: f64 = 86_400.0;
const WEEK: f64 = 7.0 * DAY;
const MONTH: f64 = 30.0 * DAY;
const SIX_MONTHS: f64 = 180.0 * DAY;

const fn band(lo: f64, hi: f64, text: &'static str) -> Band {
    Band { lo, hi, text }
}

const LT_DAY: Band = band(0.0, DAY, "less than one day");
const LT_DAY_WEEK: Band = band(DAY, WEEK, "between one day and one week");
const LT_WEEK_MONTH: Band = band(WEEK, MONTH, "between one week and one month");
const LT_MONTH_SIX: Band = band(MONTH, SIX_MONTHS, "between one month and six months");
const DF_ON_DEMAND: Band = band(1.0, f64::INFINITY, "on demand (multiple deploys per day)");
const DF_DAY_WEEK: Band = band(1.0 / 7.0, 1.0, "between once per day and once per week");
const DF_WEEK_MONTH: Band = band(
    1.0 / 30.0,
    1.0 / 7.0,
    "between once per week and once per month",
);
const DF_MONTH_SIX: Band = band(
    1.0 / 180.0,
    1.0 / 30.0,
    "between once per month and once every six months",
);
const RT_HOUR: Band = band(0.0, HOUR, "less than one hour");
const RT_DAY: Band = band(0.0, DAY, "less than one day");
const RT_DAY_WEEK: Band = band(DAY, WEEK, "between one day and one week");
const RT_WEEK_MONTH: Band = band(WEEK, MONTH, "between one week and one month");
const RT_MONTH_SIX: Band = band(MONTH, SIX_MONTHS, "between one month and six months");

const fn rate(value: f64, text: &'static str) -> Band {
    band(value, value, text)
}

const Y2022: [Cluster; 3] = [
    Cluster {
        tier: DoraTier::High,
        lead_time: LT_DAY_WEEK,
        frequency: DF_ON_DEMAND,
        fail_rate: band(0.0, 0.15, "0–15 %"),
        recovery: RT_DAY,
    },
    Cluster {
        tier: DoraTier::Medium,
        lead_time: LT_WEEK_MONTH,
        frequency: DF_WEEK_MONTH,
        fail_rate: band(0.16, 0.30, "16–30 %"),
        recovery: RT_DAY_WEEK,
    },
    Cluster {
        tier: DoraTier::Low,
        lead_time: LT_MONTH_SIX,
        frequency: DF_MONTH_SIX,
        fail_rate: band(0.46, 0.60, "46–60 %"),
        recovery: RT_WEEK_MONTH,
    },
];

const Y2023: [Cluster; 4] = [
    Cluster {
        tier: DoraTier::Elite,
        lead_time: LT_DAY,
        frequency: DF_ON_DEMAND,
        fail_rate: rate(0.05, "5 %"),
        recovery: RT_HOUR,
    },
    Cluster {
        tier: DoraTier::High,
        lead_time: LT_DAY_WEEK,
        frequency: DF_DAY_WEEK,
        fail_rate: rate(0.10, "10 %"),
        recovery: RT_DAY,
    },
    Cluster {
        tier: DoraTier::Medium,
        lead_time: LT_WEEK_MONTH,
        frequency: DF_WEEK_MONTH,
        fail_rate: rate(0.15, "15 %"),
        recovery: RT_DAY_WEEK,
    },
    Cluster {
        tier: DoraTier::Low,
        lead_time: LT_WEEK_MONTH,
        frequency: DF_WEEK_MONTH,
        fail_rate: rate(0.64, "64 %"),
        recovery: RT_MONTH_SIX,
    },
];

const Y2024: [Cluster; 4] = [
    Cluster {
        tier: DoraTier::Elite,
        lead_time: LT_DAY,
        frequency: DF_ON_DEMAND,
        fail_rate: rate(0.05, "5 %"),
        recovery: RT_HOUR,
    },
    Cluster {
        tier: DoraTier::High,
        lead_time: LT_DAY_WEEK,
        frequency: DF_DAY_WEEK,
        fail_rate: rate(0.20, "20 %"),
        recovery: RT_DAY,
    },
    Cluster {
        tier: DoraTier::Medium,
        lead_time: LT_WEEK_MONTH,
        frequency: DF_WEEK_MONTH,
        fail_rate: rate(0.10, "10 %"),
        recovery: RT_DAY,
    },
    Cluster {
        tier: DoraTier::Low,
        lead_time: LT_MONTH_SIX,
        frequency: DF_MONTH_SIX,
        fail_rate: rate(0.40, "40 %"),
        recovery: RT_WEEK_MONTH,
    },
];

/// The report years with a tier table, ascending; the last is the default.
pub const REPORT_YEARS: [u16; 3] = [2022, 2023, 2024];

/// The tier table of one report year.
#[derive(Clone, Copy)]
pub(crate) struct TierTable {
    year: u16,
    clusters: &'static [Cluster],
}

impl TierTable {
    /// The table of `year` (default: the latest); errors are
    /// `unknown_report_year` at `options/report_year`.
    pub(crate) fn for_year(year: Option<i64>) -> Result<Self> {
        let clusters: &'static [Cluster] = match year {
            None | Some(2024) => &Y2024,
            Some(2023) => &Y2023,
            Some(2022) => &Y2022,
            Some(other) => {
                return Err(Error::new(
                    "options/report_year",
                    DeliveryError::UnknownReportYear {
                        year: other,
                        known: REPORT_YEARS.to_vec(),
                    },
                ))
            }
        };
        let year = match year {
            Some(y) => u16::try_from(y).unwrap_or(2024),
            None => 2024,
        };
        Ok(TierTable { year, clusters })
    }

    /// The report year.
    pub(crate) fn year(&self) -> u16 {
        self.year
    }

    fn classify_scaled(&self, metric: DoraMetric, x: f64) -> Option<&'static Cluster> {
        let mut best: Option<(&'static Cluster, f64)> = None;
        for cluster in self.clusters {
            let b = cluster.band(metric);
            let (lo, hi) = (metric.scale(b.lo), metric.scale(b.hi));
            let d = if x < lo {
                lo - x
            } else if x > hi {
                x - hi
            } else {
                0.0
            };
            // Equal distance: inside several ranges the best (listed first)
            // stays; outside every range, the worse one takes over.
            let replace = match best {
                None => true,
                Some((_, bd)) => d < bd || (d == bd && d > 0.0),
            };
            if replace {
                best = Some((cluster, d));
            }
        }
        best.map(|(c, _)| c)
    }

    /// Where `goal`'s rating starts on the better side of `x` (scaled), if
    /// some better value is rated `goal`.
    fn target_scaled(&self, metric: DoraMetric, x: f64, goal: DoraTier) -> Option<f64> {
        let mut cuts: Vec<f64> = Vec::new();
        let ends: Vec<f64> = self
            .clusters
            .iter()
            .flat_map(|c| {
                let b = c.band(metric);
                [metric.scale(b.lo), metric.scale(b.hi)]
            })
            .filter(|v| v.is_finite())
            .collect();
        for (i, a) in ends.iter().enumerate() {
            cuts.push(*a);
            for b in ends.iter().skip(i + 1) {
                cuts.push((a + b) / 2.0);
            }
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        // The rating is constant between consecutive cuts: probe each cut
        // and each gap, keeping the probes on the better side of x.
        let mut probes: Vec<(f64, f64)> = Vec::new(); // (probe, edge of its piece nearest x)
        let (first, last) = (cuts.first().copied()?, cuts.last().copied()?);
        probes.push((first - 1.0, first));
        probes.push((last + 1.0, last));
        for pair in cuts.windows(2) {
            if let [a, b] = pair {
                probes.push((*a, *a));
                let mid = (a + b) / 2.0;
                probes.push((mid, if metric.higher_is_better() { *a } else { *b }));
            }
        }
        probes.push((last, last));
        let better = |p: f64| {
            if metric.higher_is_better() {
                p > x
            } else {
                p < x
            }
        };
        probes
            .into_iter()
            .filter(|(p, _)| better(*p))
            .filter(|(p, _)| self.classify_scaled(metric, *p).map(|c| c.tier) == Some(goal))
            .map(|(_, edge)| edge)
            .reduce(|a, b| {
                // The edge nearest x.
                if metric.higher_is_better() {
                    a.min(b)
                } else {
                    a.max(b)
                }
            })
    }

    /// A value back from the log scale, snapped onto the band end it
    /// stands for (`exp(ln(86400))` is not exactly 86400).
    fn snap(&self, metric: DoraMetric, value: f64) -> f64 {
        self.clusters
            .iter()
            .flat_map(|c| {
                let b = c.band(metric);
                [b.lo, b.hi]
            })
            .find(|end| end.is_finite() && (end - value).abs() <= 1e-9 * end.abs())
            .unwrap_or(value)
    }

    /// Rates one metric's value.
    pub(crate) fn rate(&self, metric: DoraMetric, value: f64) -> Option<TierRating> {
        let x = metric.scale(value);
        let cluster = self.classify_scaled(metric, x)?;
        // Better-ranked clusters, nearest rank first.
        let next = self
            .clusters
            .iter()
            .rev()
            .filter(|c| c.tier < cluster.tier)
            .find_map(|up| {
                self.target_scaled(metric, x, up.tier)
                    .map(|t| (up.tier, self.snap(metric, metric.unscale(t))))
            });
        let (next_tier, target, gap) = match next {
            Some((tier, target)) => (Some(tier), Some(target), Some((value - target).abs())),
            None => (None, None, None),
        };
        Some(TierRating {
            metric,
            value,
            tier: cluster.tier,
            range: cluster.band(metric).text.to_string(),
            next_tier,
            target,
            gap,
        })
    }
}

/// The tier of one metric's value in one report year's clusters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierRating {
    /// The metric rated.
    pub metric: DoraMetric,
    /// The value rated (seconds, deployments per day, or a 0–1 rate).
    pub value: f64,
    /// The nearest cluster.
    pub tier: DoraTier,
    /// That cluster's range as the report words it.
    pub range: String,
    /// The next better tier this metric can reach (none at the top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_tier: Option<DoraTier>,
    /// The value at which the rating becomes `next_tier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// How far the value is from `target`, in the metric's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
}

impl TierRating {
    /// The reason that explains this rating (code `dora_tier`).
    pub(crate) fn reason(&self, year: u16) -> Reason {
        let metric = self.metric;
        let mut message = format!(
            "{} of {} is {} in the {year} report ({})",
            metric.label(),
            metric.describe(self.value),
            self.tier.name(),
            self.range
        );
        if let (Some(next), Some(target)) = (self.next_tier, self.target) {
            let direction = if metric.higher_is_better() {
                "at least"
            } else {
                "at most"
            };
            message.push_str(&format!(
                "; {} needs {direction} {}",
                next.name(),
                metric.describe(target)
            ));
        }
        let mut reason = Reason::new("dora_tier", message)
            .with_subjects([metric.as_str()])
            .with_evidence("report_year", year)
            .with_evidence("tier", self.tier.name().to_lowercase())
            .with_evidence("value", self.value);
        if let (Some(next), Some(target), Some(gap)) = (self.next_tier, self.target, self.gap) {
            reason = reason
                .with_evidence("next_tier", next.name().to_lowercase())
                .with_evidence("target", target)
                .with_evidence("gap", gap);
        }
        reason
    }
}

/// The best tier that a majority of `tiers` reach.
pub(crate) fn overall(tiers: &[DoraTier]) -> Option<DoraTier> {
    let mut sorted = tiers.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied()
}

/// A duration in words: `45 min`, `3.5 h`, `2.25 days`.
pub(crate) fn human_duration(seconds: f64) -> String {
    if seconds < HOUR {
        format!("{} min", round3(seconds / 60.0))
    } else if seconds < DAY {
        format!("{} h", round3(seconds / HOUR))
    } else if seconds == DAY {
        "1 day".to_string()
    } else {
        format!("{} days", round3(seconds / DAY))
    }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
