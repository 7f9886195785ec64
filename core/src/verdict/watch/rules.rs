//! The verdict rules of a canary watch: what each metric shows, and what
//! the run decides from them.
//!
//! - `rollback` as soon as a critical metric shows harm beyond its allowed
//!   effect, or the metrics that show harm bring Kayenta's score (the others
//!   counted as passing) below the marginal threshold;
//! - `promote` only when the bake is complete (`min_duration` since the
//!   first update, `min_samples` per arm for every deciding metric) and every
//!   deciding metric's confidence sequence rules out harm beyond its allowed
//!   effect;
//! - `inconclusive` once the budget (`max_duration`, `max_samples`) is
//!   spent, or when harm is shown but the score stays marginal (a person
//!   must decide);
//! - `continue` otherwise; with no data at all, `continue` with a `no_data`
//!   reason, never `promote`.
//!
//! Dry-run metrics get their own verdict and never decide.

use super::config::{MetricPlan, TestKind, WatchConfig};
use super::evidence::Look;
use super::messages::{allowed, bound, confidence, ratio, sig};
use super::verdict::MetricVerdict;
use crate::explain::Reason;
use crate::verdict::classify::Classification;
use crate::verdict::score::group_scores;
use crate::verdict::Decision;

const VALID: &str = "valid at any stopping time";

/// What a metric shows at a look, and why.
pub(crate) fn metric_verdict(plan: &MetricPlan<'_>, look: &Look) -> (MetricVerdict, Reason) {
    let name = &plan.metric.name;
    let conf = confidence(plan.alpha);
    let [lo, hi] = look.ci;
    let has_data = look.samples.iter().any(|s| *s > 0.0)
        || look.events.is_some_and(|e| e.iter().any(|v| *v > 0.0));
    let evidence = |reason: Reason| {
        reason
            .with_subjects([name])
            .with_evidence("p_value", look.p_value)
            .with_evidence("alpha", plan.alpha)
            .with_evidence("ci", serde_json::json!([lo, hi.is_finite().then_some(hi)]))
    };
    let limits = allowed(plan.up, plan.down);
    if look.p_value <= plan.alpha {
        let shown = match plan.up {
            Some(up) if lo > up => bound(lo, false),
            _ => bound(hi, true),
        };
        let message =
            format!("{name} is {shown}, with {conf} confidence, {VALID}; allowed: {limits}");
        return (
            MetricVerdict::Rollback,
            evidence(Reason::new("harm_detected", message)),
        );
    }
    if !has_data {
        let reason = Reason::new("no_data", format!("{name}: no data yet")).with_subjects([name]);
        return (MetricVerdict::NoData, reason);
    }
    if let Some(share) = look.split_mismatch {
        let message = format!(
            "{name}: the canary received {}% of the traffic, not the share the watch's allocation assumes; the count test needs the configured split (fix the routing or watch.allocation)",
            sig(100.0 * share)
        );
        let reason = Reason::new("traffic_split_mismatch", message)
            .with_subjects([name])
            .with_evidence("canary_share", share);
        return (MetricVerdict::Continue, reason);
    }
    if !look.active {
        let have = look.samples[0].min(look.samples[1]);
        let message =
            if matches!(plan.test, TestKind::Means) && have >= plan.min_samples.max(2) as f64 {
                format!("{name}: the samples do not vary yet, so their means cannot be compared")
            } else {
                format!(
                    "{name}: {} of {} samples per arm before the test may decide",
                    sig(have),
                    plan.min_samples
                )
            };
        return (
            MetricVerdict::Continue,
            Reason::new("too_few_samples", message).with_subjects([name]),
        );
    }
    if look.harm_excluded {
        let shown = match (plan.up, plan.down) {
            (Some(_), Some(_)) => format!("{} and {}", bound(lo, false), bound(hi, true)),
            (Some(_), None) => bound(hi, true),
            _ => bound(lo, false),
        };
        let message =
            format!("{name} is {shown}, with {conf} confidence, {VALID}; allowed: {limits}");
        return (
            MetricVerdict::Promote,
            evidence(Reason::new("harm_ruled_out", message)),
        );
    }
    let message = format!(
        "{name}: the canary/baseline ratio is between {} and {} so far ({conf} confidence); allowed: {limits}; not yet enough to show or rule out harm beyond it",
        ratio(lo),
        ratio(hi)
    );
    (
        MetricVerdict::Continue,
        evidence(Reason::new("undecided", message)),
    )
}

/// One metric as the run sees it.
pub(crate) struct Seen<'a> {
    pub(crate) plan: &'a MetricPlan<'a>,
    pub(crate) verdict: MetricVerdict,
    pub(crate) look: &'a Look,
    pub(crate) reason: &'a Reason,
}

/// The run's progress: time and the bake.
pub(crate) struct Progress {
    pub(crate) elapsed_seconds: u64,
    pub(crate) bake_complete: bool,
    pub(crate) budget_spent: bool,
}

/// The bake and the budget at a look.
pub(crate) fn progress(watch: &WatchConfig, elapsed_seconds: u64, seen: &[Seen<'_>]) -> Progress {
    let deciding = || seen.iter().filter(|s| !s.plan.metric.dry_run);
    let bake_complete = elapsed_seconds >= watch.min_duration.0
        && deciding().all(|s| {
            // Counts without trials or exposure have no samples to bake.
            let counted = !(matches!(s.plan.test, TestKind::Counts)
                && s.look.samples == [0.0, 0.0]
                && s.look.events.is_some_and(|e| e.iter().any(|v| *v > 0.0)));
            !counted
                || s.look
                    .samples
                    .iter()
                    .all(|n| *n >= watch.min_samples as f64)
        });
    let budget_spent = watch
        .max_duration
        .is_some_and(|max| elapsed_seconds >= max.0)
        || watch
            .max_samples
            .is_some_and(|max| deciding().any(|s| s.look.samples[1] >= max as f64));
    Progress {
        elapsed_seconds,
        bake_complete,
        budget_spent,
    }
}

fn names(seen: &[Seen<'_>], pred: impl Fn(&Seen<'_>) -> bool) -> Vec<String> {
    seen.iter()
        .filter(|s| pred(s))
        .map(|s| s.plan.metric.name.clone())
        .collect()
}

/// The run's decision, its reasons and score.
pub(crate) fn decide(
    config: &crate::verdict::CanaryConfig,
    progress: &Progress,
    seen: &[Seen<'_>],
) -> (Decision, Vec<Reason>, f64) {
    let deciding: Vec<&Seen<'_>> = seen.iter().filter(|s| !s.plan.metric.dry_run).collect();
    let failing = |s: &Seen<'_>| {
        s.verdict == MetricVerdict::Rollback
            || (s.verdict == MetricVerdict::NoData
                && s.plan.metric.must_have_data
                && progress.bake_complete)
    };
    // Kayenta's score: failing metrics fail, the others pass, no data is left out.
    let groups: Vec<(String, Classification)> = deciding
        .iter()
        .map(|s| {
            let classification = if failing(s) {
                Classification::High
            } else if s.verdict == MetricVerdict::NoData {
                Classification::NoData
            } else {
                Classification::Pass
            };
            (
                s.plan
                    .metric
                    .group
                    .clone()
                    .unwrap_or_else(|| crate::verdict::DEFAULT_GROUP.into()),
                classification,
            )
        })
        .collect();
    let (_, score) = group_scores(&config.groups, groups.iter().map(|(g, c)| (g.as_str(), *c)));
    let failed: Vec<String> = deciding
        .iter()
        .filter(|s| failing(s))
        .map(|s| s.plan.metric.name.clone())
        .collect();
    let critical: Vec<String> = deciding
        .iter()
        .filter(|s| failing(s) && s.plan.metric.critical)
        .map(|s| s.plan.metric.name.clone())
        .collect();
    let harm_messages = |list: &[String]| -> String {
        deciding
            .iter()
            .filter(|s| list.contains(&s.plan.metric.name))
            .map(|s| s.reason.message.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut reasons = Vec::new();
    let t = config.thresholds;
    let decision = if !critical.is_empty() {
        reasons.push(
            Reason::new(
                "critical_metric_failed",
                format!("roll back: {}", harm_messages(&critical)),
            )
            .with_subjects(critical.clone()),
        );
        Decision::Rollback
    } else if !failed.is_empty() && score < t.marginal {
        reasons.push(
            Reason::new(
                "score_below_marginal",
                format!(
                    "roll back: {}; score {score:.1} is below the marginal threshold {}",
                    harm_messages(&failed),
                    t.marginal
                ),
            )
            .with_subjects(failed.clone()),
        );
        Decision::Rollback
    } else if progress.bake_complete
        && !deciding.is_empty()
        && deciding.iter().all(|s| s.verdict == MetricVerdict::Promote)
    {
        reasons.push(Reason::new(
            "harm_ruled_out",
            format!(
                "promote: every metric rules out harm beyond its allowed effect and the bake is complete ({} s)",
                progress.elapsed_seconds
            ),
        ));
        Decision::Promote
    } else if progress.budget_spent {
        let open = names(seen, |s| {
            !s.plan.metric.dry_run && s.verdict != MetricVerdict::Promote
        });
        reasons.push(
            Reason::new(
                "budget_exhausted",
                format!(
                    "the watch's budget is spent ({} s) without a decision: {} still undecided; a person must decide",
                    progress.elapsed_seconds,
                    open.join(", ")
                ),
            )
            .with_subjects(open),
        );
        Decision::Inconclusive
    } else if !failed.is_empty() {
        reasons.push(
            Reason::new(
                "score_marginal",
                format!(
                    "{}; score {score:.1} is marginal (at least {}), so the canary can neither be promoted nor rolled back by rule: a person must decide",
                    harm_messages(&failed),
                    t.marginal
                ),
            )
            .with_subjects(failed.clone()),
        );
        Decision::Inconclusive
    } else if deciding.iter().all(|s| s.verdict == MetricVerdict::NoData) {
        reasons.push(
            Reason::new("no_data", "no data yet: keep the canary running")
                .with_subjects(names(seen, |s| !s.plan.metric.dry_run)),
        );
        Decision::Continue
    } else {
        let open = names(seen, |s| {
            !s.plan.metric.dry_run && s.verdict != MetricVerdict::Promote
        });
        if open.is_empty() {
            reasons.push(Reason::new(
                "baking",
                format!("every metric rules out harm, but the bake is not complete ({} s so far): keep the canary running", progress.elapsed_seconds),
            ));
        } else {
            reasons.push(
                Reason::new(
                    "undecided",
                    format!(
                        "keep the canary running: {} not decided yet",
                        open.join(", ")
                    ),
                )
                .with_subjects(open),
            );
        }
        Decision::Continue
    };
    let dry_harm = names(seen, |s| {
        s.plan.metric.dry_run && s.verdict == MetricVerdict::Rollback
    });
    if !dry_harm.is_empty() {
        reasons.push(
            Reason::new(
                "dry_run",
                format!(
                    "dry-run metric(s) {} show harm; they do not decide",
                    dry_harm.join(", ")
                ),
            )
            .with_subjects(dry_harm),
        );
    }
    (decision, reasons, score)
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
