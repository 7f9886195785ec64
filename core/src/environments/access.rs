//! Just-in-time access to an environment: grant (with expiry),
//! `needs_approval` (by whom) or deny, with reasons and a record for the
//! change log.
//!
//! Rules, in order:
//! 1. break-glass: an on-call requester is always granted, for at most the
//!    environment's `break_glass_max_duration` (default 1 h), flagged for
//!    review within `review_within` (default 24 h); anyone else is denied;
//! 2. a scope the environment does not offer → deny;
//! 3. no ticket where one is required → deny;
//! 4. a duration above `max_duration` is capped to it;
//! 5. with `approvers` listed: the requester never counts as one (a
//!    self-approval is ignored); an eligible approver grants; otherwise
//!    `needs_approval` by the eligible approvers, or deny when nobody but the
//!    requester could approve;
//! 6. otherwise grant.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::spec::{add_seconds, unknown_environment};
use crate::changelog::ChangeRecordInput;
use crate::error::{Error, Result};
use crate::explain::Reason;
use crate::wire::time::Timestamp;
use crate::wire::DurationSecs;

/// A request for access to an environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccessRequest {
    /// The request's id, if the caller has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Who asks.
    pub requester: String,
    /// Which environment.
    pub environment: String,
    /// What they want to do (`read`, `db-write`, ...).
    #[serde(default)]
    pub scope: Vec<String>,
    /// For how long (at least 1 s).
    pub duration: DurationSecs,
    /// The ticket justifying it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Who approved it, if anyone yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver: Option<String>,
    /// An emergency request that bypasses approval.
    #[serde(default)]
    pub break_glass: bool,
}

/// Who may access which environment, how and for how long.
///
/// ```
/// let policy: rollgate::AccessPolicy = rollgate::wire::from_json(r#"{
///   "on_call": ["dana"],
///   "environments": {"prod": {"scopes": ["read", "db-write"], "max_duration": "4h",
///                             "requires_ticket": true, "approvers": ["erin", "farid"]}}
/// }"#).unwrap();
/// assert_eq!(policy.environments["prod"].break_glass_max_duration.as_secs(), 3600);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccessPolicy {
    /// Rules per environment; a request for any other is an error.
    #[serde(default)]
    pub environments: BTreeMap<String, EnvironmentAccess>,
    /// Who is on call now (may use break-glass).
    #[serde(default)]
    pub on_call: Vec<String>,
}

/// The access rules of one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EnvironmentAccess {
    /// Scopes that may be requested (empty: any).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Longest grant (default 8 h).
    #[serde(default = "eight_hours")]
    pub max_duration: DurationSecs,
    /// Whether a ticket is required.
    #[serde(default)]
    pub requires_ticket: bool,
    /// Who may approve (empty: no approval needed).
    #[serde(default)]
    pub approvers: Vec<String>,
    /// Longest break-glass grant (default 1 h).
    #[serde(default = "one_hour")]
    pub break_glass_max_duration: DurationSecs,
    /// How soon a break-glass grant must be reviewed (default 24 h).
    #[serde(default = "one_day")]
    pub review_within: DurationSecs,
}

fn eight_hours() -> DurationSecs {
    DurationSecs(8 * 3600)
}
fn one_hour() -> DurationSecs {
    DurationSecs(3600)
}
fn one_day() -> DurationSecs {
    DurationSecs(86_400)
}

/// The decision on an access request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccessOutcome {
    /// Access granted until `expires_at`.
    Grant,
    /// One of `approvers` must approve first.
    NeedsApproval,
    /// Refused.
    Deny,
}

/// An access decision with its reasons and the record to log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccessDecision {
    /// Grant, needs approval, or deny.
    pub decision: AccessOutcome,
    /// When a grant ends.
    pub expires_at: Option<Timestamp>,
    /// Seconds granted, or to be granted once approved (0 when denied).
    pub duration_seconds: u64,
    /// Who may approve, sorted (`needs_approval` only).
    pub approvers: Vec<String>,
    /// Whether this is a break-glass grant.
    pub break_glass: bool,
    /// Whether the grant must be reviewed afterwards.
    pub review_required: bool,
    /// When that review is due.
    pub review_due_at: Option<Timestamp>,
    /// Why, rule by rule.
    pub reasons: Vec<Reason>,
    /// The decision as a change-log entry for
    /// [`append_change_record`](crate::append_change_record).
    pub record: ChangeRecordInput,
}

/// Decides an access request under a policy at `now` (see the
/// [module docs](self)).
///
/// Errors: an environment the policy does not list (`unknown_environment` at
/// `/environment`); an empty requester or a zero duration (`invalid_input`).
///
/// ```
/// let policy: rollgate::AccessPolicy = rollgate::wire::from_json(r#"{
///   "environments": {"prod": {"approvers": ["erin", "farid"]}}}"#).unwrap();
/// let request: rollgate::AccessRequest = rollgate::wire::from_json(r#"{
///   "requester": "erin", "environment": "prod", "duration": "2h", "approver": "erin"}"#).unwrap();
/// let now: rollgate::Timestamp = "2026-03-02T09:00:00Z".parse().unwrap();
/// let d = rollgate::evaluate_access(&request, &policy, now).unwrap();
/// assert_eq!(d.decision, rollgate::AccessOutcome::NeedsApproval);
/// assert_eq!(d.approvers, ["farid"]);
/// assert_eq!(d.reasons[0].code, "self_approval_ignored");
/// ```
pub fn evaluate_access(
    request: &AccessRequest,
    policy: &AccessPolicy,
    now: Timestamp,
) -> Result<AccessDecision> {
    let Some(rules) = policy.environments.get(&request.environment) else {
        return Err(unknown_environment(
            "/environment".into(),
            &request.environment,
        ));
    };
    if request.requester.is_empty() {
        return Err(Error::invalid_input(
            "/requester",
            "requester must not be empty",
        ));
    }
    if request.duration.as_secs() == 0 {
        return Err(Error::invalid_input(
            "/duration",
            "duration must be at least 1 s",
        ));
    }
    let mut d = Draft {
        request,
        reasons: Vec::new(),
        approvers: Vec::new(),
        seconds: request.duration.as_secs(),
    };
    let outcome = if request.break_glass {
        d.break_glass(policy, rules)
    } else {
        d.regular(rules)
    };
    let seconds = if outcome == AccessOutcome::Deny {
        0
    } else {
        d.seconds
    };
    let break_glass = request.break_glass && outcome == AccessOutcome::Grant;
    let expires_at = (outcome == AccessOutcome::Grant).then(|| add_seconds(now, seconds));
    let review_due_at = break_glass.then(|| add_seconds(now, rules.review_within.as_secs()));
    if let Some(due) = review_due_at {
        d.reasons.push(
            Reason::new(
                "review_required",
                format!("break-glass access must be reviewed by {due}"),
            )
            .with_subjects([request.requester.as_str()])
            .with_evidence("review_due_at", due.to_string()),
        );
    }
    let record = record(request, now, outcome, expires_at, &d.approvers, &d.reasons);
    Ok(AccessDecision {
        decision: outcome,
        expires_at,
        duration_seconds: seconds,
        approvers: d.approvers,
        break_glass,
        review_required: break_glass,
        review_due_at,
        reasons: d.reasons,
        record,
    })
}

struct Draft<'a> {
    request: &'a AccessRequest,
    reasons: Vec<Reason>,
    approvers: Vec<String>,
    seconds: u64,
}

impl Draft<'_> {
    fn reason(&mut self, code: &str, message: String, subjects: &[&str]) {
        self.reasons
            .push(Reason::new(code, message).with_subjects(subjects.iter().copied()));
    }

    fn break_glass(&mut self, policy: &AccessPolicy, rules: &EnvironmentAccess) -> AccessOutcome {
        let who = self.request.requester.as_str();
        if policy.on_call.iter().any(|p| p == who) {
            self.reason(
                "break_glass_on_call",
                format!("{who} is on call: break-glass access is always allowed"),
                &[who],
            );
            self.cap(rules.break_glass_max_duration, "break-glass");
            AccessOutcome::Grant
        } else {
            self.reason(
                "break_glass_not_on_call",
                format!("{who} is not on call: break-glass is for on-call engineers only"),
                &[who],
            );
            AccessOutcome::Deny
        }
    }

    fn cap(&mut self, max: DurationSecs, what: &str) {
        if self.seconds > max.as_secs() {
            let requested = self.seconds;
            self.seconds = max.as_secs();
            self.reasons.push(
                Reason::new(
                    "duration_capped",
                    format!(
                        "{requested} s requested; {what} grants last at most {} s",
                        max.as_secs()
                    ),
                )
                .with_evidence("requested_seconds", requested)
                .with_evidence("max_seconds", max.as_secs()),
            );
        }
    }

    fn regular(&mut self, rules: &EnvironmentAccess) -> AccessOutcome {
        let env = self.request.environment.as_str();
        let outside: Vec<&str> = self
            .request
            .scope
            .iter()
            .map(String::as_str)
            .filter(|s| !rules.scopes.is_empty() && !rules.scopes.iter().any(|a| a == s))
            .collect();
        if !outside.is_empty() {
            self.reason(
                "scope_not_allowed",
                format!("{env} does not grant {}", outside.join(", ")),
                &outside,
            );
            return AccessOutcome::Deny;
        }
        if rules.requires_ticket && self.request.ticket.as_deref().is_none_or(str::is_empty) {
            self.reason(
                "ticket_required",
                format!("access to {env} needs a ticket"),
                &[env],
            );
            return AccessOutcome::Deny;
        }
        self.cap(rules.max_duration, env);
        if rules.approvers.is_empty() {
            self.reason(
                "no_approval_required",
                format!("{env} grants this access without approval"),
                &[env],
            );
            return AccessOutcome::Grant;
        }
        let who = self.request.requester.as_str();
        let mut eligible: Vec<String> = rules
            .approvers
            .iter()
            .filter(|a| *a != who)
            .cloned()
            .collect();
        eligible.sort();
        eligible.dedup();
        if eligible.is_empty() {
            self.reason(
                "no_eligible_approver",
                format!("only {who} could approve, and nobody approves their own access"),
                &[who],
            );
            return AccessOutcome::Deny;
        }
        match self.request.approver.as_deref() {
            Some(a) if a == who => {
                self.reason(
                    "self_approval_ignored",
                    format!("{who} cannot approve their own access"),
                    &[who],
                );
            }
            Some(a) if eligible.iter().any(|e| e == a) => {
                self.reason("approved", format!("approved by {a}"), &[a]);
                return AccessOutcome::Grant;
            }
            Some(a) => {
                self.reason(
                    "approver_not_eligible",
                    format!("{a} may not approve access to {env}"),
                    &[a],
                );
            }
            None => {
                self.reason(
                    "approval_required",
                    format!("access to {env} needs an approver"),
                    &[env],
                );
            }
        }
        self.approvers = eligible;
        AccessOutcome::NeedsApproval
    }
}

fn record(
    request: &AccessRequest,
    now: Timestamp,
    outcome: AccessOutcome,
    expires_at: Option<Timestamp>,
    approvers: &[String],
    reasons: &[Reason],
) -> ChangeRecordInput {
    use serde_json::{to_value, Value};
    let codes: Vec<Value> = reasons
        .iter()
        .map(|r| Value::from(r.code.as_str()))
        .collect();
    let mut inputs = serde_json::Map::new();
    inputs.insert("request".into(), to_value(request).unwrap_or(Value::Null));
    let mut outputs = serde_json::Map::new();
    outputs.insert("decision".into(), to_value(outcome).unwrap_or(Value::Null));
    outputs.insert(
        "expires_at".into(),
        to_value(expires_at).unwrap_or(Value::Null),
    );
    outputs.insert(
        "approvers".into(),
        approvers.iter().map(|a| Value::from(a.as_str())).collect(),
    );
    outputs.insert("reasons".into(), Value::Array(codes));
    ChangeRecordInput {
        kind: "access".into(),
        at: Some(now),
        inputs: Value::Object(inputs),
        outputs: Value::Object(outputs),
    }
}

#[cfg(test)]
mod tests;
