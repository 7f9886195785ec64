//! Escalation: rules over the watch verdicts, absolute thresholds and halts
//! that raise an incident of a severity, notify people and may roll back
//! without waiting for one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::explain::Reason;
use crate::verdict::Decision;

/// An escalation policy: rules, and whom to notify per severity.
///
/// ```
/// let policy: rollgate::release::EscalationPolicy = rollgate::wire::from_json(r#"{
///   "rules": [{"name": "errors_sev1", "metric": "errors", "above": 0.05, "severity": "sev1", "auto_rollback": true},
///             {"name": "rollback_customer", "verdict": "rollback", "customer_facing": true, "severity": "sev2"}],
///   "notify": {"sev1": ["oncall", "incident-commander"], "sev2": ["oncall"]}
/// }"#)?;
/// assert_eq!(policy.rules[0].above, Some(0.05));
/// # Ok::<(), rollgate::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalationPolicy {
    /// The rules, each checked after every call's events.
    #[serde(default)]
    pub rules: Vec<EscalationRule>,
    /// Whom to notify per severity.
    #[serde(default)]
    pub notify: BTreeMap<String, Vec<String>>,
}

/// One rule: it fires when all of its conditions hold (a rule needs at
/// least one of `verdict`, `metric`, `on_halt`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EscalationRule {
    /// The rule's name (unique), carried by the `escalate` action.
    pub name: String,
    /// Severity, e.g. `sev1`; looks up the notify list.
    pub severity: String,
    /// Fires when a region's watch decides this (`rollback` or `inconclusive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Decision>,
    /// Fires when this metric's canary estimate in a region (rate, mean or
    /// quantile, from its watch) is above `above` or below `below`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// Threshold for `metric` (strictly above).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub above: Option<f64>,
    /// Threshold for `metric` (strictly below).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<f64>,
    /// Fires when the release halts (for any reason).
    #[serde(default)]
    pub on_halt: bool,
    /// Only when the release deploys a customer-facing service.
    #[serde(default)]
    pub customer_facing: bool,
    /// Whether firing rolls back at once (the release halts and rolls back
    /// without a person).
    #[serde(default)]
    pub auto_rollback: bool,
}

impl EscalationPolicy {
    /// Checks the rules; `prefix` starts the error paths.
    pub(crate) fn validate(&self, prefix: &str) -> Result<()> {
        let mut names = BTreeMap::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let at = format!("{prefix}/rules/{i}");
            if let Some(first) = names.insert(rule.name.as_str(), i) {
                return Err(Error::new(
                    format!("{at}/name"),
                    crate::error::PlanError::DuplicateId {
                        id: rule.name.clone(),
                        first_path: format!("{prefix}/rules/{first}/name"),
                    },
                ));
            }
            if rule.verdict.is_none() && rule.metric.is_none() && !rule.on_halt {
                return Err(Error::invalid_input(
                    at,
                    "a rule needs a condition: `verdict`, `metric` (with `above` or `below`) or `on_halt`",
                ));
            }
            if matches!(rule.verdict, Some(Decision::Promote | Decision::Continue)) {
                return Err(Error::invalid_input(
                    format!("{at}/verdict"),
                    "a rule escalates on `rollback` or `inconclusive` verdicts",
                ));
            }
            if rule.metric.is_some() != (rule.above.is_some() || rule.below.is_some()) {
                return Err(Error::invalid_input(
                    at,
                    "`metric` and a threshold (`above` or `below`) go together",
                ));
            }
            for (key, v) in [("above", rule.above), ("below", rule.below)] {
                if v.is_some_and(|v| !v.is_finite()) {
                    return Err(Error::invalid_input(
                        format!("{at}/{key}"),
                        "a threshold must be a finite number",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The notify list of a severity (empty when none is given).
    pub(crate) fn notify_for(&self, severity: &str) -> Vec<String> {
        self.notify.get(severity).cloned().unwrap_or_default()
    }
}

/// What the rules look at in one region (or, for a halt, the release).
pub(crate) struct Situation<'a> {
    /// The region (absent for a halt).
    pub region: Option<&'a str>,
    /// The region watch's latest decision.
    pub decision: Option<Decision>,
    /// The canary's estimates per metric.
    pub estimates: Option<&'a BTreeMap<String, f64>>,
    /// Whether the release is halting in this call.
    pub halting: bool,
    /// Whether the release deploys a customer-facing service.
    pub customer_facing: bool,
}

/// A rule that fired, with its evidence.
pub(crate) struct Fired<'a> {
    pub rule: &'a EscalationRule,
    pub evidence: Vec<Reason>,
}

impl EscalationRule {
    /// Whether the rule fires in `s`, and why.
    pub(crate) fn fires(&self, s: &Situation<'_>) -> Option<Vec<Reason>> {
        if self.customer_facing && !s.customer_facing {
            return None;
        }
        let mut evidence = Vec::new();
        let place = s.region.map_or_else(String::new, |r| format!(" in {r}"));
        if let Some(want) = self.verdict {
            if s.decision != Some(want) {
                return None;
            }
            let code = match want {
                Decision::Rollback => "rollback",
                _ => "inconclusive",
            };
            evidence.push(
                Reason::new(
                    "verdict_rule",
                    format!("the canary watch{place} decided {code}"),
                )
                .with_subjects(s.region),
            );
        }
        if let Some(metric) = &self.metric {
            let value = s.estimates.and_then(|e| e.get(metric)).copied()?;
            let above = self.above.is_some_and(|t| value > t);
            let below = self.below.is_some_and(|t| value < t);
            if !above && !below {
                return None;
            }
            let (word, t) = if above {
                ("above", self.above)
            } else {
                ("below", self.below)
            };
            let mut reason = Reason::new(
                "threshold_rule",
                format!(
                    "{metric}{place} is {value} on the new version, {word} {}",
                    t.unwrap_or(f64::NAN)
                ),
            )
            .with_subjects(s.region.into_iter().chain([metric.as_str()]))
            .with_evidence("value", value);
            if let Some(t) = t {
                reason = reason.with_evidence(word, t);
            }
            evidence.push(reason);
        }
        if self.on_halt {
            if !s.halting {
                return None;
            }
            evidence.push(Reason::new("halt_rule", "the release halted"));
        }
        if self.customer_facing {
            evidence.push(Reason::new(
                "customer_facing",
                "the release deploys a customer-facing service",
            ));
        }
        Some(evidence)
    }
}

/// The rules of `policy` that fire in `s` and have not fired before for the
/// same region (`escalated` holds `rule` and `rule@region` keys); the keys
/// of the new ones are added.
pub(crate) fn fire<'a>(
    policy: &'a EscalationPolicy,
    s: &Situation<'_>,
    escalated: &mut Vec<String>,
) -> Vec<Fired<'a>> {
    let mut fired = Vec::new();
    for rule in &policy.rules {
        let key = match s.region {
            Some(r) => format!("{}@{r}", rule.name),
            None => rule.name.clone(),
        };
        if escalated.contains(&key) {
            continue;
        }
        if let Some(evidence) = rule.fires(s) {
            escalated.push(key);
            fired.push(Fired { rule, evidence });
        }
    }
    fired
}
