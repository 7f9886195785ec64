//! Promotion of one artifact along the path: the same digest moved stage by
//! stage (never rebuilt), no stage skipped, each stage's required gates
//! passed and its minimum soak met before the next stage received it.
//!
//! Deployments to environments off the path and of other artifacts are
//! ignored; a deployment that carries the artifact's version under another
//! digest is a rebuild. A stage's arrival is its earliest deployment of the
//! digest; a gate counts as passed when some deployment of the digest to the
//! stage records it passed, no later than the next stage's arrival.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::spec::{add_seconds, resolve_path, unknown_environment};
use crate::error::{pointer_token, Result};
use crate::explain::Reason;
use crate::wire::time::Timestamp;
use crate::wire::DurationSecs;

/// The artifact being promoted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Artifact {
    /// Its digest (`sha256:...`).
    pub digest: String,
    /// Its version, to recognise rebuilds (same version, other digest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One deployment of some artifact to some environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PromotionDeployment {
    /// Where it was deployed.
    pub environment: String,
    /// What was deployed.
    pub artifact_digest: String,
    /// The deployed version, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When.
    pub deployed_at: Timestamp,
    /// Gates run against this deployment.
    #[serde(default)]
    pub gates: Vec<GateResult>,
}

/// The outcome of one gate (tests, scan, approval, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GateResult {
    /// The gate's name.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// When it finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// What each stage requires before the artifact moves on.
///
/// ```
/// let rules: rollgate::PromotionRules = rollgate::wire::from_json(
///     r#"{"stages": {"staging": {"required_gates": ["e2e"], "min_soak": "24h"}}}"#).unwrap();
/// assert_eq!(rules.stages["staging"].min_soak.as_secs(), 86_400);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PromotionRules {
    /// Rules per environment of the path.
    #[serde(default)]
    pub stages: BTreeMap<String, StageRule>,
}

/// What one stage requires.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StageRule {
    /// Gates that must pass here before the next stage.
    #[serde(default)]
    pub required_gates: Vec<String>,
    /// Least time between arriving here and arriving at the next stage.
    #[serde(default)]
    pub min_soak: DurationSecs,
}

/// Where the artifact stands in one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StageStatus {
    /// The stage's environment.
    pub environment: String,
    /// When the artifact first arrived (`null`: never).
    pub deployed_at: Option<Timestamp>,
    /// Required gates passed here, sorted.
    pub gates_passed: Vec<String>,
    /// Required gates not (yet) passed here, sorted.
    pub gates_missing: Vec<String>,
    /// Seconds from arriving here to arriving at the next stage (negative:
    /// the next stage got it first; `null`: not moved on).
    pub soak_seconds: Option<i64>,
    /// The stage's minimum soak.
    pub required_soak_seconds: u64,
}

/// The verdict on an artifact's promotion so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PromotionCheck {
    /// Whether the history breaks no rule.
    pub valid: bool,
    /// Every stage of the path, in order.
    pub stages: Vec<StageStatus>,
    /// The first stage the artifact has not reached (`null`: all reached).
    pub next_stage: Option<String>,
    /// Whether the last stage reached has passed its gates, so the artifact
    /// may move on once its soak ends.
    pub ready_for_next: bool,
    /// When the last stage reached ends its minimum soak.
    pub soak_ends_at: Option<Timestamp>,
    /// Rules broken (`artifact_rebuilt`, `stage_skipped`, `gate_not_passed`,
    /// `soak_too_short`), with evidence.
    pub findings: Vec<Reason>,
    /// What the next promotion waits for (`gate_pending`, `soak_pending`).
    pub waiting_for: Vec<Reason>,
}

/// Checks that `artifact` travelled `promotion_path` as the rules require
/// (see the [module docs](self)).
///
/// Errors: a repeated path entry (`duplicate_id` at `promotion_path/<i>`), a
/// rule for an environment not on the path (`unknown_environment` at
/// `rules/stages/<id>`).
///
/// ```
/// let deployments: Vec<rollgate::PromotionDeployment> = rollgate::wire::from_json(r#"[
///   {"environment": "staging", "artifact_digest": "sha256:aa", "deployed_at": "2026-03-02T09:00:00Z",
///    "gates": [{"name": "e2e", "passed": true}]},
///   {"environment": "prod", "artifact_digest": "sha256:aa", "deployed_at": "2026-03-02T15:00:00Z"}
/// ]"#).unwrap();
/// let rules: rollgate::PromotionRules = rollgate::wire::from_json(
///     r#"{"stages": {"staging": {"required_gates": ["e2e"], "min_soak": "24h"}}}"#).unwrap();
/// let artifact = rollgate::Artifact { digest: "sha256:aa".into(), version: None };
/// let check = rollgate::check_promotion(&["staging".into(), "prod".into()], &deployments, &artifact, &rules).unwrap();
/// assert!(!check.valid);
/// assert_eq!(check.findings[0].code, "soak_too_short");
/// assert_eq!(check.stages[0].soak_seconds, Some(6 * 3600));
/// ```
pub fn check_promotion(
    promotion_path: &[String],
    deployments: &[PromotionDeployment],
    artifact: &Artifact,
    rules: &PromotionRules,
) -> Result<PromotionCheck> {
    let path = resolve_path(promotion_path, |id| {
        promotion_path.iter().position(|p| p == id)
    })?;
    for id in rules.stages.keys() {
        if !promotion_path.contains(id) {
            return Err(unknown_environment(
                format!("rules/stages/{}", pointer_token(id)),
                id,
            ));
        }
    }
    let mut findings = Vec::new();
    let arrivals = arrivals(promotion_path, deployments, artifact, &mut findings);
    let default_rule = StageRule::default();
    let mut stages = Vec::with_capacity(path.len());
    for (i, id) in promotion_path.iter().enumerate() {
        let rule = rules.stages.get(id).unwrap_or(&default_rule);
        let here = arrivals.get(i).copied().flatten();
        let next = arrivals.get(i + 1).copied().flatten();
        let (gates_passed, gates_missing) = gates(id, deployments, artifact, rule, next);
        let soak_seconds = here.zip(next).map(|(h, n)| (n - h).num_seconds());
        if let (Some(h), Some(n)) = (here, next) {
            for gate in &gates_missing {
                findings.push(
                    Reason::new(
                        "gate_not_passed",
                        format!(
                            "`{}` reached {} without gate `{gate}` passing in {id}",
                            artifact.digest,
                            promotion_path.get(i + 1).map_or("", String::as_str)
                        ),
                    )
                    .with_subjects([id.as_str(), gate.as_str()])
                    .with_evidence("promoted_at", n.to_string()),
                );
            }
            let soak = (n - h).num_seconds();
            if soak < 0 || soak.unsigned_abs() < rule.min_soak.as_secs() {
                findings.push(
                    Reason::new(
                        "soak_too_short",
                        format!(
                            "{id} soaked {soak} s before the next stage, {} s required",
                            rule.min_soak.as_secs()
                        ),
                    )
                    .with_subjects([id.as_str()])
                    .with_evidence("soak_seconds", soak)
                    .with_evidence("required_soak_seconds", rule.min_soak.as_secs()),
                );
            }
        }
        stages.push(StageStatus {
            environment: id.clone(),
            deployed_at: here,
            gates_passed,
            gates_missing,
            soak_seconds,
            required_soak_seconds: rule.min_soak.as_secs(),
        });
    }
    skipped(promotion_path, &arrivals, &mut findings);
    let last = arrivals.iter().rposition(Option::is_some);
    let next_stage = match last {
        Some(i) => promotion_path.get(i + 1).cloned(),
        None => promotion_path.first().cloned(),
    };
    let mut waiting_for = Vec::new();
    let mut soak_ends_at = None;
    if let (Some(i), Some(next)) = (last, &next_stage) {
        if let Some(stage) = stages.get(i) {
            for gate in &stage.gates_missing {
                waiting_for.push(
                    Reason::new(
                        "gate_pending",
                        format!("gate `{gate}` has not passed in {}", stage.environment),
                    )
                    .with_subjects([stage.environment.as_str(), gate.as_str()]),
                );
            }
            if let Some(at) = stage.deployed_at {
                let ends = add_seconds(at, stage.required_soak_seconds);
                soak_ends_at = Some(ends);
                if stage.required_soak_seconds > 0 {
                    waiting_for.push(
                        Reason::new(
                            "soak_pending",
                            format!("{} soaks until {ends} before {next}", stage.environment),
                        )
                        .with_subjects([stage.environment.as_str()])
                        .with_evidence("soak_ends_at", ends.to_string()),
                    );
                }
            }
        }
    }
    let ready_for_next = next_stage.is_some()
        && last.is_some()
        && waiting_for.iter().all(|r| r.code != "gate_pending");
    Ok(PromotionCheck {
        valid: findings.is_empty(),
        stages,
        next_stage,
        ready_for_next,
        soak_ends_at,
        findings,
        waiting_for,
    })
}

/// The earliest arrival of the digest at each stage; rebuilds are findings.
fn arrivals(
    path: &[String],
    deployments: &[PromotionDeployment],
    artifact: &Artifact,
    findings: &mut Vec<Reason>,
) -> Vec<Option<Timestamp>> {
    let mut out: Vec<Option<Timestamp>> = vec![None; path.len()];
    for (k, d) in deployments.iter().enumerate() {
        let Some(i) = path.iter().position(|p| *p == d.environment) else {
            continue;
        };
        if d.artifact_digest == artifact.digest {
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(slot.map_or(d.deployed_at, |t| t.min(d.deployed_at)));
            }
        } else if artifact.version.is_some() && d.version == artifact.version {
            findings.push(
                Reason::new(
                    "artifact_rebuilt",
                    format!(
                        "{} received version {} as `{}`, not the promoted `{}`: rebuilt instead of promoted",
                        d.environment,
                        artifact.version.as_deref().unwrap_or(""),
                        d.artifact_digest,
                        artifact.digest
                    ),
                )
                .with_subjects([d.environment.as_str()])
                .with_evidence("deployment", k)
                .with_evidence("artifact_digest", d.artifact_digest.clone()),
            );
        }
    }
    out
}

/// Required gates passed and missing in stage `id`, counting only results
/// no later than `promoted_at`.
fn gates(
    id: &str,
    deployments: &[PromotionDeployment],
    artifact: &Artifact,
    rule: &StageRule,
    promoted_at: Option<Timestamp>,
) -> (Vec<String>, Vec<String>) {
    let mut passed = Vec::new();
    let mut missing = Vec::new();
    let mut required = rule.required_gates.clone();
    required.sort();
    required.dedup();
    for gate in required {
        let ok = deployments
            .iter()
            .filter(|d| d.environment == id && d.artifact_digest == artifact.digest)
            .flat_map(|d| &d.gates)
            .any(|g| {
                g.name == gate
                    && g.passed
                    && match (g.at, promoted_at) {
                        (Some(at), Some(p)) => at <= p,
                        _ => true,
                    }
            });
        if ok {
            passed.push(gate);
        } else {
            missing.push(gate);
        }
    }
    (passed, missing)
}

/// A stage reached while an earlier one never was.
fn skipped(path: &[String], arrivals: &[Option<Timestamp>], findings: &mut Vec<Reason>) {
    let Some(last) = arrivals.iter().rposition(Option::is_some) else {
        return;
    };
    for (i, arrival) in arrivals.iter().enumerate().take(last) {
        if arrival.is_none() {
            let id = path.get(i).map_or("", String::as_str);
            findings.push(
                Reason::new(
                    "stage_skipped",
                    format!(
                        "the artifact reached {} without passing through {id}",
                        path.get(last).map_or("", String::as_str)
                    ),
                )
                .with_subjects([id]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployments(json: serde_json::Value) -> Vec<PromotionDeployment> {
        crate::wire::from_value(json).unwrap()
    }

    fn path() -> Vec<String> {
        vec!["dev".into(), "staging".into(), "prod".into()]
    }

    #[test]
    fn a_clean_promotion_is_valid_and_waits_for_nothing_at_the_end() {
        let d = deployments(serde_json::json!([
            {"environment": "dev", "artifact_digest": "d1", "deployed_at": "2026-03-01T09:00:00Z"},
            {"environment": "staging", "artifact_digest": "d1", "deployed_at": "2026-03-01T12:00:00Z",
             "gates": [{"name": "e2e", "passed": true, "at": "2026-03-01T13:00:00Z"}]},
            {"environment": "prod", "artifact_digest": "d1", "deployed_at": "2026-03-03T12:00:00Z"}
        ]));
        let rules: PromotionRules = crate::wire::from_value(serde_json::json!(
            {"stages": {"staging": {"required_gates": ["e2e"], "min_soak": "1d"}}}))
        .unwrap();
        let a = Artifact {
            digest: "d1".into(),
            version: None,
        };
        let check = check_promotion(&path(), &d, &a, &rules).unwrap();
        assert!(check.valid, "{:?}", check.findings);
        assert_eq!(check.next_stage, None);
        assert!(!check.ready_for_next);
        assert_eq!(check.stages[1].gates_passed, ["e2e"]);
    }

    #[test]
    fn skips_rebuilds_and_late_gates_are_findings() {
        let d = deployments(serde_json::json!([
            {"environment": "dev", "artifact_digest": "d1", "version": "1.0", "deployed_at": "2026-03-01T09:00:00Z",
             "gates": [{"name": "unit", "passed": true, "at": "2026-03-02T09:00:00Z"}]},
            {"environment": "prod", "artifact_digest": "d1", "deployed_at": "2026-03-01T12:00:00Z"},
            {"environment": "staging", "artifact_digest": "d2", "version": "1.0", "deployed_at": "2026-03-01T10:00:00Z"},
            {"environment": "qa", "artifact_digest": "d1", "deployed_at": "2026-03-01T10:00:00Z"}
        ]));
        let rules: PromotionRules = crate::wire::from_value(serde_json::json!(
            {"stages": {"dev": {"required_gates": ["unit"]}}}))
        .unwrap();
        let a = Artifact {
            digest: "d1".into(),
            version: Some("1.0".into()),
        };
        let check = check_promotion(&path(), &d, &a, &rules).unwrap();
        let codes: Vec<&str> = check.findings.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["artifact_rebuilt", "stage_skipped"]);
        assert_eq!(check.stages[0].gates_passed, ["unit"]);
        assert_eq!(check.stages[0].soak_seconds, None);
    }

    #[test]
    fn rules_must_name_stages_of_the_path() {
        let rules: PromotionRules = crate::wire::from_value(serde_json::json!(
            {"stages": {"q/a": {}}}))
        .unwrap();
        let a = Artifact {
            digest: "d".into(),
            version: None,
        };
        let err = check_promotion(&path(), &[], &a, &rules).unwrap_err();
        assert_eq!(
            (err.code(), err.path()),
            ("unknown_environment", "rules/stages/q~1a")
        );
        let check = check_promotion(&path(), &[], &a, &PromotionRules::default()).unwrap();
        assert_eq!(check.next_stage.as_deref(), Some("dev"));
        assert!(check.valid && !check.ready_for_next);
    }
}
