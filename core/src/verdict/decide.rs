//! The decision about a canary run — promote, continue, roll back or
//! inconclusive — from its score and the metrics' classifications, with the
//! reasons behind it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::classify::{Classification, MetricResult};
use super::config::{CanaryConfig, Direction, Thresholds};
use super::score::{group_scores, GroupScore};
use crate::explain::Reason;

/// The decision about a canary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The canary is good: promote it.
    Promote,
    /// Not decided yet: keep collecting data.
    Continue,
    /// The canary is bad: roll back.
    Rollback,
    /// The data cannot support a decision: a person must look.
    Inconclusive,
}

/// Result of [`judge_canary`](super::judge_canary).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CanaryVerdict {
    /// The decision.
    pub decision: Decision,
    /// Kayenta-compatible score in percent.
    pub score: f64,
    /// Why the score was forced to 0, if it was.
    pub score_forced_to_zero: Option<&'static str>,
    /// The thresholds used.
    pub thresholds: Thresholds,
    /// Why the decision was taken.
    pub reasons: Vec<Reason>,
    /// Scores per group.
    pub groups: BTreeMap<String, GroupScore>,
    /// Evidence per metric.
    pub metrics: BTreeMap<String, MetricResult>,
}

/// The deciding metrics behind a decision, by what happened to them (names
/// sorted; dry-run metrics take no part).
struct Tally {
    total: usize,
    failed: Vec<String>,
    critical: Vec<String>,
    no_data: Vec<String>,
    zero_baseline: Vec<String>,
    undecided: Vec<String>,
    dry_run_failed: Vec<String>,
}

fn is_fail(m: &MetricResult) -> bool {
    matches!(
        m.classification,
        Classification::High | Classification::Low | Classification::NoDataFail
    )
}

impl Tally {
    fn of(metrics: &BTreeMap<String, MetricResult>) -> Self {
        let names = |pred: &dyn Fn(&MetricResult) -> bool| -> Vec<String> {
            metrics
                .iter()
                .filter(|(_, m)| !m.dry_run && pred(m))
                .map(|(n, _)| n.clone())
                .collect()
        };
        Tally {
            total: metrics.values().filter(|m| !m.dry_run).count(),
            failed: names(&is_fail),
            critical: names(&|m| m.critical_failure && is_fail(m)),
            no_data: names(&|m| {
                matches!(
                    m.classification,
                    Classification::NoData | Classification::NoDataFail
                )
            }),
            zero_baseline: names(&|m| {
                m.classification == Classification::Pass
                    && m.warnings.contains(&"zero_baseline")
                    && !matches!(m.direction, Direction::Decrease)
            }),
            undecided: names(&|m| m.classification == Classification::Continue),
            dry_run_failed: metrics
                .iter()
                .filter(|(_, m)| m.dry_run && is_fail(m))
                .map(|(n, _)| n.clone())
                .collect(),
        }
    }

    /// Why the score is forced to 0: a failing critical metric, or no data
    /// for at least half of the metrics (or no metric at all).
    fn forced_to_zero(&self) -> Option<&'static str> {
        if !self.critical.is_empty() {
            Some("critical_metric_failed")
        } else if self.total == 0 || 2 * self.no_data.len() >= self.total {
            Some("too_many_no_data")
        } else {
            None
        }
    }
}

pub(crate) fn score_and_decide(
    config: &CanaryConfig,
    metrics: BTreeMap<String, MetricResult>,
) -> CanaryVerdict {
    let deciding = || metrics.values().filter(|m| !m.dry_run);
    let (groups, score) = group_scores(
        &config.groups,
        deciding().map(|m| (m.group.as_str(), m.classification)),
    );
    let tally = Tally::of(&metrics);
    let forced = tally.forced_to_zero();
    let score = if forced.is_some() { 0.0 } else { score };
    let t = config.thresholds;
    let (decision, mut reasons) = match forced {
        Some(code) => forced_decision(code, &tally),
        None if !tally.undecided.is_empty() => {
            // The best the undecided metrics could do: all passing.
            let (_, best) = group_scores(
                &config.groups,
                deciding().map(|m| {
                    let c = match m.classification {
                        Classification::Continue => Classification::Pass,
                        other => other,
                    };
                    (m.group.as_str(), c)
                }),
            );
            undecided_decision(score, best, t, &tally)
        }
        None => scored_decision(score, t, &tally),
    };
    reasons.extend(side_reasons(&tally, forced));
    CanaryVerdict {
        decision,
        score,
        score_forced_to_zero: forced,
        thresholds: t,
        reasons,
        groups,
        metrics,
    }
}

/// The decision while some metrics need more data: roll back only if the
/// score would stay below the marginal threshold even were they all to pass.
fn undecided_decision(
    score: f64,
    best: f64,
    t: Thresholds,
    tally: &Tally,
) -> (Decision, Vec<Reason>) {
    if !tally.failed.is_empty() && best < t.marginal {
        return scored_decision(score.min(best), t, tally);
    }
    let reason = Reason::new(
        "needs_more_data",
        format!(
            "{} cannot be judged yet (see each metric's reason); keep collecting data",
            list(&tally.undecided)
        ),
    )
    .with_subjects(tally.undecided.clone());
    (Decision::Continue, vec![reason])
}

fn list(names: &[String]) -> String {
    names.join(", ")
}

/// The decision when the score is forced to 0.
fn forced_decision(code: &'static str, tally: &Tally) -> (Decision, Vec<Reason>) {
    if code == "critical_metric_failed" {
        let reason = Reason::new(
            code,
            format!(
                "critical metric(s) failed: {}; score forced to 0",
                list(&tally.critical)
            ),
        )
        .with_subjects(tally.critical.clone());
        return (Decision::Rollback, vec![reason]);
    }
    let reason = Reason::new(
        code,
        format!(
            "{} of {} metric(s) have no data ({}); score forced to 0 and no decision can be taken",
            tally.no_data.len(),
            tally.total,
            list(&tally.no_data)
        ),
    )
    .with_subjects(tally.no_data.clone());
    let failed_with_data = tally.failed.iter().any(|f| !tally.no_data.contains(f));
    let decision = if failed_with_data {
        Decision::Rollback
    } else {
        Decision::Inconclusive
    };
    (decision, vec![reason])
}

/// The decision from the score and the thresholds.
fn scored_decision(score: f64, t: Thresholds, tally: &Tally) -> (Decision, Vec<Reason>) {
    let (decision, reason) = if score < t.marginal {
        (
            Decision::Rollback,
            Reason::new(
                "score_below_marginal",
                format!(
                    "score {score:.1} is below the marginal threshold {}",
                    t.marginal
                ),
            )
            .with_subjects(tally.failed.clone()),
        )
    } else if score < t.pass {
        (
            Decision::Continue,
            Reason::new(
                "score_marginal",
                format!(
                    "score {score:.1} is marginal (at least {}, below {}); keep collecting data",
                    t.marginal, t.pass
                ),
            )
            .with_subjects(tally.failed.clone()),
        )
    } else if !tally.zero_baseline.is_empty() {
        (
            Decision::Continue,
            Reason::new(
                "zero_baseline",
                format!(
                    "score {score:.1} passes, but the baseline of {} is 0 while the canary is not, so the increase is unbounded; keep collecting data",
                    list(&tally.zero_baseline)
                ),
            )
            .with_subjects(tally.zero_baseline.clone()),
        )
    } else {
        (
            Decision::Promote,
            Reason::new(
                "score_passed",
                format!("score {score:.1} reaches the pass threshold {}", t.pass),
            ),
        )
    };
    (decision, vec![reason])
}

/// The failing metrics and the metrics without data, listed after the
/// decision's own reason.
fn side_reasons(tally: &Tally, forced: Option<&'static str>) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if !tally.failed.is_empty() && forced != Some("critical_metric_failed") {
        reasons.push(
            Reason::new(
                "metric_failed",
                format!("failing metric(s): {}", list(&tally.failed)),
            )
            .with_subjects(tally.failed.clone()),
        );
    }
    if !tally.dry_run_failed.is_empty() {
        reasons.push(
            Reason::new(
                "dry_run_failed",
                format!(
                    "dry-run metric(s) {} would have failed; they do not count",
                    list(&tally.dry_run_failed)
                ),
            )
            .with_subjects(tally.dry_run_failed.clone()),
        );
    }
    let no_data_only: Vec<String> = tally
        .no_data
        .iter()
        .filter(|n| !tally.failed.contains(n))
        .cloned()
        .collect();
    if !no_data_only.is_empty() && forced.is_none() {
        reasons.push(
            Reason::new(
                "no_data",
                format!(
                    "metric(s) without data, excluded from the score: {}",
                    list(&no_data_only)
                ),
            )
            .with_subjects(no_data_only),
        );
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::classify::tests::result;
    use Classification::*;

    fn verdict(
        list: &[(&str, Classification, bool)],
        thresholds: serde_json::Value,
    ) -> CanaryVerdict {
        let metrics: Vec<serde_json::Value> = list
            .iter()
            .map(|(n, _, _)| serde_json::json!({"name": n}))
            .collect();
        let config: CanaryConfig = crate::wire::from_value(
            serde_json::json!({"metrics": metrics, "thresholds": thresholds}),
        )
        .unwrap();
        let results = list
            .iter()
            .map(|(n, c, critical)| {
                let mut r = result(*c, "default");
                r.critical_failure = *critical;
                (n.to_string(), r)
            })
            .collect();
        score_and_decide(&config, results)
    }

    fn codes(v: &CanaryVerdict) -> Vec<&str> {
        v.reasons.iter().map(|r| r.code.as_str()).collect()
    }

    #[test]
    fn all_passing_promotes() {
        let v = verdict(
            &[("a", Pass, false), ("b", Pass, false)],
            serde_json::json!({}),
        );
        assert_eq!(
            (v.decision, v.score, v.score_forced_to_zero),
            (Decision::Promote, 100.0, None)
        );
        assert_eq!(codes(&v), ["score_passed"]);
        assert!(v.reasons[0].subjects.is_empty());
    }

    #[test]
    fn thresholds_split_rollback_continue_and_promote() {
        let list = [
            ("a", Pass, false),
            ("b", Pass, false),
            ("c", Pass, false),
            ("d", High, false),
        ];
        let at = |pass: f64, marginal: f64| {
            verdict(
                &list,
                serde_json::json!({"pass": pass, "marginal": marginal}),
            )
        };
        assert_eq!(at(95.0, 75.0).decision, Decision::Continue);
        assert_eq!(codes(&at(95.0, 75.0)), ["score_marginal", "metric_failed"]);
        assert_eq!(at(95.0, 75.0).reasons[1].subjects, ["d"]);
        assert_eq!(at(95.0, 75.1).decision, Decision::Rollback);
        assert_eq!(
            codes(&at(95.0, 75.1)),
            ["score_below_marginal", "metric_failed"]
        );
        assert_eq!(at(75.0, 50.0).decision, Decision::Promote);
    }

    #[test]
    fn a_failing_critical_metric_forces_0_and_rolls_back() {
        let v = verdict(
            &[("a", Pass, false), ("b", Pass, false), ("c", Low, true)],
            serde_json::json!({}),
        );
        assert_eq!((v.decision, v.score), (Decision::Rollback, 0.0));
        assert_eq!(v.score_forced_to_zero, Some("critical_metric_failed"));
        assert_eq!(codes(&v), ["critical_metric_failed"]);
        assert_eq!(v.reasons[0].subjects, ["c"]);
        // A critical flag on a passing metric forces nothing.
        let v = verdict(&[("a", Pass, true)], serde_json::json!({}));
        assert_eq!(v.decision, Decision::Promote);
    }

    #[test]
    fn half_without_data_is_inconclusive_unless_a_metric_with_data_failed() {
        let v = verdict(
            &[("a", Pass, false), ("b", NoData, false)],
            serde_json::json!({}),
        );
        assert_eq!((v.decision, v.score), (Decision::Inconclusive, 0.0));
        assert_eq!(codes(&v), ["too_many_no_data"]);
        let v = verdict(
            &[("a", High, false), ("b", NoData, false)],
            serde_json::json!({}),
        );
        assert_eq!(v.decision, Decision::Rollback);
        assert_eq!(codes(&v), ["too_many_no_data", "metric_failed"]);
        let v = verdict(
            &[("a", Pass, false), ("b", NoDataFail, false)],
            serde_json::json!({}),
        );
        assert_eq!(v.decision, Decision::Inconclusive);
        let v = verdict(&[], serde_json::json!({}));
        assert_eq!(
            (v.decision, v.score_forced_to_zero),
            (Decision::Inconclusive, Some("too_many_no_data"))
        );
        // Under half: excluded from the score, noted.
        let v = verdict(
            &[("a", Pass, false), ("b", Pass, false), ("c", NoData, false)],
            serde_json::json!({}),
        );
        assert_eq!((v.decision, v.score), (Decision::Promote, 100.0));
        assert_eq!(codes(&v), ["score_passed", "no_data"]);
        assert_eq!(v.reasons[1].subjects, ["c"]);
    }

    #[test]
    fn a_zero_baseline_with_canary_events_never_promotes() {
        let config: CanaryConfig =
            crate::wire::from_value(serde_json::json!({"metrics": [{"name": "e"}]})).unwrap();
        let mut r = result(Pass, "default");
        r.warnings.push("zero_baseline");
        let v = score_and_decide(&config, [("e".to_string(), r.clone())].into());
        assert_eq!(v.decision, Decision::Continue);
        assert_eq!(codes(&v), ["zero_baseline"]);
        r.direction = Direction::Decrease;
        let v = score_and_decide(&config, [("e".to_string(), r)].into());
        assert_eq!(v.decision, Decision::Promote);
    }
}
