//! Which environments to tear down and when: expired, idle, over budget or
//! orphaned; never production, never one with a protected label, only the
//! tiers the policy names; each after a warning period.

use serde::{Deserialize, Serialize};

use super::spec::{add_seconds, check_amount, EnvironmentSpec, EnvironmentTier, Estate};
use crate::error::Result;
use crate::explain::Reason;
use crate::wire::time::Timestamp;
use crate::wire::DurationSecs;

/// When an environment should go.
///
/// ```
/// let policy: rollgate::TeardownPolicy = rollgate::wire::from_json(
///     r#"{"max_idle": "14d", "cost_budget": 500, "known_owners": ["payments", "search"]}"#).unwrap();
/// assert_eq!(policy.warning_period.as_secs(), 3 * 86_400);
/// assert_eq!(policy.protected_labels, ["protected"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TeardownPolicy {
    /// Idle this long since the last deployment (or creation) → tear down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_idle: Option<DurationSecs>,
    /// Monthly cost above this → tear down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_budget: Option<f64>,
    /// Owners that still exist; any other owner is orphaned (empty: only a
    /// missing owner is).
    #[serde(default)]
    pub known_owners: Vec<String>,
    /// Label keys that protect an environment (default `["protected"]`).
    #[serde(default = "protected")]
    pub protected_labels: Vec<String>,
    /// Tiers that may be torn down (default development, test, ephemeral);
    /// production never is.
    #[serde(default = "tiers")]
    pub tiers: Vec<EnvironmentTier>,
    /// Notice between the warning and the deletion (default 3 days).
    #[serde(default = "three_days")]
    pub warning_period: DurationSecs,
}

fn protected() -> Vec<String> {
    vec!["protected".into()]
}
fn tiers() -> Vec<EnvironmentTier> {
    vec![
        EnvironmentTier::Development,
        EnvironmentTier::Test,
        EnvironmentTier::Ephemeral,
    ]
}
fn three_days() -> DurationSecs {
    DurationSecs(3 * 86_400)
}

impl Default for TeardownPolicy {
    fn default() -> Self {
        TeardownPolicy {
            max_idle: None,
            cost_budget: None,
            known_owners: Vec::new(),
            protected_labels: protected(),
            tiers: tiers(),
            warning_period: three_days(),
        }
    }
}

/// An environment to tear down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TeardownCandidate {
    /// The environment.
    pub environment: String,
    /// Its tier.
    pub tier: EnvironmentTier,
    /// Its owner, if any.
    pub owner: Option<String>,
    /// What it costs per month (saved by tearing it down).
    pub monthly_cost: f64,
    /// When to warn the owner (now).
    pub warn_at: Timestamp,
    /// When to delete it, after the warning period.
    pub delete_at: Timestamp,
    /// Why (`expired`, `idle`, `over_budget`, `orphaned`).
    pub reasons: Vec<Reason>,
}

/// An environment that met a criterion but is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeptEnvironment {
    /// The environment.
    pub environment: String,
    /// The criteria it met, then why it is kept (`production`,
    /// `protected_label`, `tier_not_eligible`).
    pub reasons: Vec<Reason>,
}

/// The teardown decision for a set of environments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TeardownPlan {
    /// Environments to tear down, by id.
    pub candidates: Vec<TeardownCandidate>,
    /// Environments that met a criterion but are kept, by id.
    pub kept: Vec<KeptEnvironment>,
    /// Sum of the candidates' monthly costs.
    pub monthly_cost_saved: f64,
}

/// Picks the environments to tear down at `now` (see the [module docs](self)).
///
/// Errors: the environments' own checks (`duplicate_id`, `invalid_timestamp`
/// for an expiry before creation, `invalid_input`); a negative or
/// non-finite `cost_budget` (`invalid_input` at `policy/cost_budget`).
///
/// ```
/// let envs: Vec<rollgate::EnvironmentSpec> = rollgate::wire::from_json(r#"[
///   {"id": "pr-481", "tier": "ephemeral", "owner": "search", "monthly_cost": 240,
///    "created_at": "2026-02-01T00:00:00Z", "expires_at": "2026-02-08T00:00:00Z"},
///   {"id": "prod", "tier": "production", "owner": "search", "monthly_cost": 9000}
/// ]"#).unwrap();
/// let now: rollgate::Timestamp = "2026-03-01T00:00:00Z".parse().unwrap();
/// let plan = rollgate::teardown_candidates(&envs, &Default::default(), now).unwrap();
/// assert_eq!(plan.candidates[0].environment, "pr-481");
/// assert_eq!(plan.candidates[0].reasons[0].code, "expired");
/// assert_eq!(plan.monthly_cost_saved, 240.0);
/// ```
pub fn teardown_candidates(
    environments: &[EnvironmentSpec],
    policy: &TeardownPolicy,
    now: Timestamp,
) -> Result<TeardownPlan> {
    Estate::new(environments)?;
    if let Some(budget) = policy.cost_budget {
        check_amount("policy/cost_budget", budget)?;
    }
    let mut order: Vec<&EnvironmentSpec> = environments.iter().collect();
    order.sort_by(|a, b| a.id.cmp(&b.id));
    let delete_at = add_seconds(now, policy.warning_period.as_secs());
    let mut plan = TeardownPlan {
        candidates: Vec::new(),
        kept: Vec::new(),
        monthly_cost_saved: 0.0,
    };
    for env in order {
        let mut reasons = criteria(env, policy, now);
        if reasons.is_empty() {
            continue;
        }
        if let Some(keep) = keep_reason(env, policy) {
            reasons.push(keep);
            plan.kept.push(KeptEnvironment {
                environment: env.id.clone(),
                reasons,
            });
            continue;
        }
        plan.monthly_cost_saved += env.monthly_cost;
        plan.candidates.push(TeardownCandidate {
            environment: env.id.clone(),
            tier: env.tier,
            owner: env.owner.clone(),
            monthly_cost: env.monthly_cost,
            warn_at: now,
            delete_at,
            reasons,
        });
    }
    Ok(plan)
}

fn criteria(env: &EnvironmentSpec, policy: &TeardownPolicy, now: Timestamp) -> Vec<Reason> {
    let id = env.id.as_str();
    let mut out = Vec::new();
    if let Some(expires) = env.expires_at.filter(|e| *e <= now) {
        out.push(
            Reason::new("expired", format!("{id} expired at {expires}"))
                .with_subjects([id])
                .with_evidence("expires_at", expires.to_string()),
        );
    }
    if let (Some(max), Some(since)) = (policy.max_idle, env.last_deployed_at.or(env.created_at)) {
        let idle = (now - since).num_seconds();
        if idle >= 0 && idle.unsigned_abs() >= max.as_secs() {
            out.push(
                Reason::new(
                    "idle",
                    format!(
                        "nothing deployed to {id} since {since} ({} days)",
                        idle / 86_400
                    ),
                )
                .with_subjects([id])
                .with_evidence("idle_seconds", idle)
                .with_evidence("max_idle_seconds", max.as_secs()),
            );
        }
    }
    if let Some(budget) = policy.cost_budget.filter(|b| env.monthly_cost > *b) {
        out.push(
            Reason::new(
                "over_budget",
                format!(
                    "{id} costs {} a month, over the budget of {budget}",
                    env.monthly_cost
                ),
            )
            .with_subjects([id])
            .with_evidence("monthly_cost", env.monthly_cost)
            .with_evidence("cost_budget", budget),
        );
    }
    let owner = env.owner.as_deref().filter(|o| !o.is_empty());
    let orphaned = match owner {
        None => true,
        Some(o) => !policy.known_owners.is_empty() && !policy.known_owners.iter().any(|k| k == o),
    };
    if orphaned {
        let message = match owner {
            Some(o) => format!("{id} belongs to `{o}`, who is not a known owner"),
            None => format!("{id} has no owner"),
        };
        out.push(Reason::new("orphaned", message).with_subjects([id]));
    }
    out
}

fn keep_reason(env: &EnvironmentSpec, policy: &TeardownPolicy) -> Option<Reason> {
    let id = env.id.as_str();
    if env.tier == EnvironmentTier::Production {
        return Some(
            Reason::new("production", format!("{id} is production: never torn down"))
                .with_subjects([id]),
        );
    }
    if let Some(label) = policy
        .protected_labels
        .iter()
        .find(|l| env.labels.contains_key(*l))
    {
        return Some(
            Reason::new(
                "protected_label",
                format!("{id} carries the protected label `{label}`"),
            )
            .with_subjects([id])
            .with_evidence("label", label.as_str()),
        );
    }
    if !policy.tiers.contains(&env.tier) {
        return Some(
            Reason::new(
                "tier_not_eligible",
                format!(
                    "{id} is a {} environment, which this policy does not tear down",
                    env.tier.as_str()
                ),
            )
            .with_subjects([id]),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_environments_say_why() {
        let envs: Vec<EnvironmentSpec> = crate::wire::from_value(serde_json::json!([
            {"id": "a", "tier": "production"},
            {"id": "b", "tier": "ephemeral", "owner": "x", "labels": {"protected": "yes"}},
            {"id": "c", "tier": "staging"},
            {"id": "d", "tier": "test", "owner": "x", "monthly_cost": 10},
            {"id": "e", "tier": "test", "owner": "gone", "last_deployed_at": "2026-01-01T00:00:00Z"}
        ]))
        .unwrap();
        let policy: TeardownPolicy = crate::wire::from_value(serde_json::json!(
            {"max_idle": "7d", "known_owners": ["x"], "cost_budget": 5}))
        .unwrap();
        let now: Timestamp = "2026-01-10T00:00:00Z".parse().unwrap();
        let plan = teardown_candidates(&envs, &policy, now).unwrap();
        let kept: Vec<(&str, &str)> = plan
            .kept
            .iter()
            .map(|k| {
                (
                    k.environment.as_str(),
                    k.reasons.last().unwrap().code.as_str(),
                )
            })
            .collect();
        assert_eq!(kept, [("a", "production"), ("c", "tier_not_eligible")]);
        let ids: Vec<&str> = plan
            .candidates
            .iter()
            .map(|c| c.environment.as_str())
            .collect();
        assert_eq!(ids, ["d", "e"]);
        let codes: Vec<&str> = plan.candidates[1]
            .reasons
            .iter()
            .map(|r| r.code.as_str())
            .collect();
        assert_eq!(codes, ["idle", "orphaned"]);
        assert_eq!(
            plan.candidates[0].delete_at.to_string(),
            "2026-01-13T00:00:00Z"
        );
        assert_eq!(plan.monthly_cost_saved, 10.0);
    }
}
