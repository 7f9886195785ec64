//! Schema migrations across the environments of a promotion path, validated
//! as Flyway's `validate` would and ordered for expand/contract.
//!
//! Per environment: what is applied, what is pending (in version order) and
//! the problems:
//! - `checksum_mismatch`: an applied migration whose script has changed;
//! - `missing_script`: an applied version no script defines any more;
//! - `gap`: a pending version below the latest applied one (an out-of-order
//!   version: Flyway runs it only with `outOfOrder`);
//! - `not_applied_upstream`: applied here but never in an earlier
//!   environment of the path (e.g. in production, not in staging);
//! - `contract_before_expand`: a `contract` applied while an `expand` of a
//!   lower version has not reached every environment.
//!
//! The order to apply runs in rounds. In each round every environment, in
//! path order, applies its pending migrations in version order, stopping
//! before a `contract` while some `expand` of a lower version was not
//! applied in every environment by the end of the previous round. Applying
//! every step leaves nothing pending and none of the problems that applying
//! can cure (checksum mismatches and missing scripts need people).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::version::MigrationVersion;
use crate::error::{Error, PlanError, Result};
use crate::explain::Reason;
use crate::plan::MigrationPhase;
use crate::wire::time::Timestamp;

/// One migration script as it is defined now.
///
/// ```
/// let m: rollgate::MigrationScript = rollgate::wire::from_json(
///     r#"{"version": "3", "description": "add orders.region", "checksum": "9f1c", "phase": "expand"}"#).unwrap();
/// assert!(!m.reversible);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MigrationScript {
    /// Flyway-style version: whole numbers separated by `.` or `_`, an
    /// optional leading `V` (`1`, `1.1`, `V2_1`); `1.0` is the same as `1`.
    pub version: String,
    /// What it does.
    #[serde(default)]
    pub description: String,
    /// Checksum of the script's content.
    pub checksum: String,
    /// Whether it can be undone.
    #[serde(default)]
    pub reversible: bool,
    /// `expand` (default) or `contract`.
    #[serde(default = "expand")]
    pub phase: MigrationPhase,
}

fn expand() -> MigrationPhase {
    MigrationPhase::Expand
}

/// What one environment has applied, in the order it ran them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MigrationHistory {
    /// The environment.
    pub environment: String,
    /// Migrations applied there.
    #[serde(default)]
    pub applied: Vec<AppliedMigration>,
}

/// One migration applied in an environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AppliedMigration {
    /// Its version.
    pub version: String,
    /// The checksum of the script when it ran.
    pub checksum: String,
    /// When it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<Timestamp>,
}

/// The state and problems of one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnvironmentMigrations {
    /// The environment.
    pub environment: String,
    /// Versions applied, in version order.
    pub applied: Vec<String>,
    /// Versions to apply, in version order.
    pub pending: Vec<String>,
    /// What is wrong (see the module docs).
    pub problems: Vec<Reason>,
}

/// One migration to run in one environment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MigrationStep {
    /// The round, from 1: a round starts when the previous one has finished
    /// in every environment.
    pub round: u32,
    /// Where to run it.
    pub environment: String,
    /// The version.
    pub version: String,
    /// Its phase.
    pub phase: MigrationPhase,
    /// Whether it can be undone.
    pub reversible: bool,
}

/// Migration state along the path and the order to apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MigrationPlan {
    /// Whether no environment has a problem.
    pub valid: bool,
    /// One entry per environment, in path order.
    pub environments: Vec<EnvironmentMigrations>,
    /// Every pending migration, in the order to run them.
    pub steps: Vec<MigrationStep>,
}

/// Scripts sorted by version, with the applied state of each environment.
struct Ledger<'a> {
    scripts: Vec<(MigrationVersion, &'a MigrationScript)>,
    /// Per environment (path order): applied checksum by sorted script position.
    applied: Vec<Vec<Option<&'a str>>>,
    /// Per environment: applied versions that no script defines.
    orphans: Vec<Vec<&'a str>>,
}

/// Validates the scripts against what each environment has applied and
/// orders what is pending (see the [module docs](self)). `environments`
/// lists the histories in promotion-path order.
///
/// Errors: a malformed version (`invalid_input` at `/<i>/version` or
/// `environments/<i>/applied/<j>/version`); a version defined or applied
/// twice, or an environment listed twice (`duplicate_id`).
///
/// ```
/// let scripts: Vec<rollgate::MigrationScript> = rollgate::wire::from_json(r#"[
///   {"version": "1", "checksum": "a", "phase": "expand"},
///   {"version": "2", "checksum": "b", "phase": "contract"}]"#).unwrap();
/// let histories: Vec<rollgate::MigrationHistory> = rollgate::wire::from_json(r#"[
///   {"environment": "staging", "applied": [{"version": "1", "checksum": "a"}]},
///   {"environment": "prod"}]"#).unwrap();
/// let plan = rollgate::plan_migrations(&scripts, &histories).unwrap();
/// let order: Vec<(u32, &str, &str)> = plan.steps.iter()
///     .map(|s| (s.round, s.environment.as_str(), s.version.as_str())).collect();
/// // The contract waits until the expand has reached production.
/// assert_eq!(order, [(1, "prod", "1"), (2, "staging", "2"), (2, "prod", "2")]);
/// ```
pub fn plan_migrations(
    migrations: &[MigrationScript],
    environments: &[MigrationHistory],
) -> Result<MigrationPlan> {
    let ledger = Ledger::new(migrations, environments)?;
    let mut out = Vec::with_capacity(environments.len());
    for (e, history) in environments.iter().enumerate() {
        out.push(ledger.state(e, &history.environment, environments));
    }
    let steps = ledger.order(environments);
    Ok(MigrationPlan {
        valid: out.iter().all(|e| e.problems.is_empty()),
        environments: out,
        steps,
    })
}

impl<'a> Ledger<'a> {
    fn new(
        migrations: &'a [MigrationScript],
        environments: &'a [MigrationHistory],
    ) -> Result<Self> {
        let mut scripts = Vec::with_capacity(migrations.len());
        for (i, m) in migrations.iter().enumerate() {
            let v = MigrationVersion::parse(&m.version)
                .map_err(|e| Error::invalid_input(format!("/{i}/version"), e))?;
            scripts.push((v, m, i));
        }
        scripts.sort_by(|a, b| a.0.cmp(&b.0).then(a.2.cmp(&b.2)));
        for pair in scripts.windows(2) {
            if let [(va, _, first), (vb, m, i)] = pair {
                if va == vb {
                    return Err(duplicate(
                        format!("/{i}/version"),
                        &m.version,
                        format!("/{first}/version"),
                    ));
                }
            }
        }
        let position: HashMap<&MigrationVersion, usize> = scripts
            .iter()
            .enumerate()
            .map(|(p, (v, _, _))| (v, p))
            .collect();
        let mut applied = Vec::with_capacity(environments.len());
        let mut orphans = Vec::with_capacity(environments.len());
        let mut seen_env: HashMap<&str, usize> = HashMap::new();
        for (e, history) in environments.iter().enumerate() {
            if let Some(first) = seen_env.insert(&history.environment, e) {
                return Err(duplicate(
                    format!("environments/{e}/environment"),
                    &history.environment,
                    format!("environments/{first}/environment"),
                ));
            }
            let mut row = vec![None; scripts.len()];
            let mut missing = Vec::new();
            let mut seen: HashMap<MigrationVersion, usize> = HashMap::new();
            for (k, a) in history.applied.iter().enumerate() {
                let at = format!("environments/{e}/applied/{k}/version");
                let v = MigrationVersion::parse(&a.version)
                    .map_err(|msg| Error::invalid_input(&at, msg))?;
                match position.get(&v) {
                    Some(&p) => {
                        if let Some(slot) = row.get_mut(p) {
                            *slot = Some(a.checksum.as_str());
                        }
                    }
                    None => missing.push(a.version.as_str()),
                }
                if let Some(first) = seen.insert(v, k) {
                    return Err(duplicate(
                        at,
                        &a.version,
                        format!("environments/{e}/applied/{first}/version"),
                    ));
                }
            }
            missing.sort_by_cached_key(|m| MigrationVersion::parse(m).ok());
            applied.push(row);
            orphans.push(missing);
        }
        Ok(Ledger {
            scripts: scripts.into_iter().map(|(v, m, _)| (v, m)).collect(),
            applied,
            orphans,
        })
    }

    fn state(
        &self,
        e: usize,
        id: &str,
        environments: &[MigrationHistory],
    ) -> EnvironmentMigrations {
        let row = self.applied.get(e).map_or(&[][..], Vec::as_slice);
        let mut problems = Vec::new();
        let latest = row.iter().rposition(Option::is_some);
        let (mut applied, mut pending) = (Vec::new(), Vec::new());
        for (p, ((_, script), state)) in self.scripts.iter().zip(row).enumerate() {
            let version = script.version.as_str();
            let Some(checksum) = state else {
                pending.push(script.version.clone());
                if let Some(l) = latest.filter(|&l| l > p) {
                    let newest = self.scripts.get(l).map_or("", |(_, s)| s.version.as_str());
                    problems.push(
                        Reason::new("gap", format!("{id} skipped {version} but applied {newest}: it would run out of order"))
                            .with_subjects([id, version])
                            .with_evidence("latest_applied", newest),
                    );
                }
                continue;
            };
            applied.push(script.version.clone());
            if *checksum != script.checksum {
                problems.push(
                    Reason::new("checksum_mismatch", format!("{version} ran in {id} with checksum {checksum}; the script's is now {}", script.checksum))
                        .with_subjects([id, version])
                        .with_evidence("applied_checksum", *checksum)
                        .with_evidence("script_checksum", script.checksum.as_str()),
                );
            }
            let upstream: Vec<&str> = self
                .applied
                .iter()
                .zip(environments)
                .take(e)
                .filter(|(r, _)| r.get(p).is_none_or(Option::is_none))
                .map(|(_, h)| h.environment.as_str())
                .collect();
            if !upstream.is_empty() {
                problems.push(
                    Reason::new(
                        "not_applied_upstream",
                        format!("{version} ran in {id} but never in {}", upstream.join(", ")),
                    )
                    .with_subjects([id, version])
                    .with_evidence("missing_in", upstream),
                );
            }
            if script.phase == MigrationPhase::Contract {
                let waiting = self.expands_missing_before(p);
                if !waiting.is_empty() {
                    problems.push(
                        Reason::new("contract_before_expand", format!("contract {version} ran in {id} before every expand below it reached every environment"))
                            .with_subjects([id, version])
                            .with_evidence("expands", waiting),
                    );
                }
            }
        }
        for orphan in self.orphans.get(e).into_iter().flatten() {
            problems.push(
                Reason::new(
                    "missing_script",
                    format!("{orphan} ran in {id} but no script defines it any more"),
                )
                .with_subjects([id, *orphan]),
            );
        }
        EnvironmentMigrations {
            environment: id.to_string(),
            applied,
            pending,
            problems,
        }
    }

    /// Expand versions below sorted position `p` not applied everywhere.
    fn expands_missing_before(&self, p: usize) -> Vec<serde_json::Value> {
        self.scripts
            .iter()
            .take(p)
            .enumerate()
            .filter(|(q, (_, s))| s.phase == MigrationPhase::Expand && !self.everywhere(*q))
            .map(|(_, (_, s))| serde_json::Value::from(s.version.as_str()))
            .collect()
    }

    fn everywhere(&self, p: usize) -> bool {
        self.applied
            .iter()
            .all(|row| row.get(p).is_some_and(Option::is_some))
    }

    /// The rounds of steps that apply every pending migration.
    fn order(&self, environments: &[MigrationHistory]) -> Vec<MigrationStep> {
        let mut done: Vec<Vec<bool>> = self
            .applied
            .iter()
            .map(|r| r.iter().map(Option::is_some).collect())
            .collect();
        let mut steps = Vec::new();
        let mut round = 0u32;
        loop {
            round += 1;
            // First expand not yet everywhere when the round starts.
            let first_missing = self
                .scripts
                .iter()
                .enumerate()
                .find(|(p, (_, s))| {
                    s.phase == MigrationPhase::Expand
                        && !done.iter().all(|r| r.get(*p).copied().unwrap_or(false))
                })
                .map_or(usize::MAX, |(p, _)| p);
            let mut progressed = false;
            for (row, history) in done.iter_mut().zip(environments) {
                for (p, (state, (_, script))) in row.iter_mut().zip(&self.scripts).enumerate() {
                    if *state {
                        continue;
                    }
                    if script.phase == MigrationPhase::Contract && first_missing < p {
                        break;
                    }
                    *state = true;
                    progressed = true;
                    steps.push(MigrationStep {
                        round,
                        environment: history.environment.clone(),
                        version: script.version.clone(),
                        phase: script.phase,
                        reversible: script.reversible,
                    });
                }
            }
            if !progressed {
                return steps;
            }
        }
    }
}

fn duplicate(path: String, id: &str, first_path: String) -> Error {
    Error::new(
        path,
        PlanError::DuplicateId {
            id: id.to_string(),
            first_path,
        },
    )
}

#[cfg(test)]
mod tests;
