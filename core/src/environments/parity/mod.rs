//! Parity along a promotion path: what differs between each environment and
//! the next, and whether the difference is `allowed`, `drift` or `ahead`.
//!
//! Compared, for each pair (earlier → later): every service's artifact
//! (version and digest), replicas and config keys, every infrastructure key
//! and every data store's volume. Owners, labels, timestamps and costs are
//! not compared: they describe the environment, not what runs in it.
//!
//! Classification of one difference, first match wins:
//! 1. an `allow` rule's glob matches its path → `allowed` (`allowed_by_rule`);
//! 2. a data volume with `min_data_volume_ratio` r: earlier ≥ r × later →
//!    `allowed` (`data_volume_within_ratio`), else `drift`
//!    (`data_volume_below_ratio`);
//! 3. a service the later environment runs and the earlier one does not →
//!    `ahead` (`service_ahead`); the same version with another digest →
//!    `ahead` (`artifact_rebuilt`); a later environment on a higher release
//!    version → `ahead` (`version_ahead`); an earlier environment on a higher
//!    version → `allowed` (`promotion_pending`: it has not been promoted yet);
//! 4. anything else → `drift` (`service_missing`, `version_differs`,
//!    `key_missing`, `value_differs`).
//!
//! The parity score of a pair is (identical + allowed) / compared, 1 when
//! nothing was compared. A finding blocks when it is `ahead` and
//! `block_ahead` holds (the default), or it is not `allowed` and a `blocking`
//! rule's glob matches its path.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::pattern::PathRule;
use super::spec::{EnvironmentSpec, Estate};
use crate::error::Result;
use crate::explain::Reason;

mod compare;

use compare::{compare_pair, Compiled};

/// What [`check_parity`] may accept and what blocks a promotion.
///
/// ```
/// let rules: rollgate::ParityRules = rollgate::wire::from_json(r#"{
///     "allow": [{"path": "/services/*/replicas"}, {"path": "/services/*/config/*secret*"}],
///     "blocking": [{"path": "/infrastructure/**"}],
///     "min_data_volume_ratio": 0.1
/// }"#).unwrap();
/// assert!(rules.block_ahead);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ParityRules {
    /// Differences at these paths are expected (`replicas`, secrets, ...).
    #[serde(default)]
    pub allow: Vec<PathRule>,
    /// Drift or ahead findings at these paths block the promotion.
    #[serde(default)]
    pub blocking: Vec<PathRule>,
    /// Whether every `ahead` finding blocks (default true).
    #[serde(default = "yes")]
    pub block_ahead: bool,
    /// Least share of the later environment's data volume the earlier one
    /// must hold, in (0, 1] (none: volumes must match or be allowed by rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_data_volume_ratio: Option<f64>,
}

fn yes() -> bool {
    true
}

impl Default for ParityRules {
    fn default() -> Self {
        ParityRules {
            allow: Vec::new(),
            blocking: Vec::new(),
            block_ahead: true,
            min_data_volume_ratio: None,
        }
    }
}

/// How a difference between two environments is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ParityClass {
    /// Expected by a rule (or a promotion not made yet).
    Allowed,
    /// An unexpected difference.
    Drift,
    /// The later environment runs something the earlier one does not.
    Ahead,
}

/// One difference between a pair of environments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParityFinding {
    /// How it is classified.
    pub class: ParityClass,
    /// JSON pointer inside a spec (`/services/payments/version`).
    pub path: String,
    /// JSON pointer into the `environments` argument, earlier environment.
    pub from_path: String,
    /// JSON pointer into the `environments` argument, later environment.
    pub to_path: String,
    /// The earlier environment's value (`null`: absent).
    pub from_value: Value,
    /// The later environment's value (`null`: absent).
    pub to_value: Value,
    /// Whether it blocks the promotion, by the rules.
    pub blocking: bool,
    /// Why it is classified so.
    pub reason: Reason,
}

/// Parity of one step of the promotion path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PairParity {
    /// The earlier environment.
    pub from: String,
    /// The later environment.
    pub to: String,
    /// Values compared.
    pub compared: usize,
    /// Values equal in both.
    pub identical: usize,
    /// Differences allowed.
    pub allowed: usize,
    /// Differences classified as drift.
    pub drift: usize,
    /// Differences classified as ahead.
    pub ahead: usize,
    /// (identical + allowed) / compared; 1 when nothing was compared.
    pub parity_score: f64,
    /// Whether any finding blocks.
    pub blocking: bool,
    /// Every difference, in path order.
    pub findings: Vec<ParityFinding>,
    /// The pair's verdict in one sentence (`parity_blocking`, `parity_drift`,
    /// `parity_clear`).
    pub reason: Reason,
}

/// Parity along a whole promotion path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParityReport {
    /// One entry per consecutive pair of the path.
    pub pairs: Vec<PairParity>,
    /// Whether any pair blocks.
    pub blocking: bool,
}

/// Compares each environment of `promotion_path` with the next and
/// classifies every difference (see the [module docs](self)).
///
/// Errors: the environments' own checks (`duplicate_id`, `invalid_timestamp`,
/// `invalid_input` at `/<i>/...`); an environment of the path or a rule that
/// is not in `environments` (`unknown_environment` at `promotion_path/<i>` or
/// `rules/allow/<i>/environments/<j>`); a repeated path entry
/// (`duplicate_id`); a glob not starting with `/` or a ratio outside (0, 1]
/// (`invalid_input` under `rules`).
///
/// ```
/// let envs: Vec<rollgate::EnvironmentSpec> = rollgate::wire::from_json(r#"[
///   {"id": "staging", "tier": "staging", "infrastructure": {"postgres": "15.6"},
///    "services": {"api": {"version": "1.2.0", "replicas": 1}}},
///   {"id": "prod", "tier": "production", "infrastructure": {"postgres": "16.4"},
///    "services": {"api": {"version": "1.2.0", "replicas": 6}}}
/// ]"#).unwrap();
/// let rules: rollgate::ParityRules = rollgate::wire::from_json(
///     r#"{"allow": [{"path": "/services/*/replicas"}]}"#).unwrap();
/// let report = rollgate::check_parity(&envs, &["staging".into(), "prod".into()], &rules).unwrap();
/// let pair = &report.pairs[0];
/// assert_eq!((pair.compared, pair.identical, pair.allowed, pair.drift), (3, 1, 1, 1));
/// assert_eq!(pair.findings[0].reason.code, "allowed_by_rule");
/// assert_eq!(pair.findings[1].path, "/infrastructure/postgres");
/// assert_eq!(pair.findings[1].reason.code, "value_differs");
/// ```
pub fn check_parity(
    environments: &[EnvironmentSpec],
    promotion_path: &[String],
    rules: &ParityRules,
) -> Result<ParityReport> {
    let estate = Estate::new(environments)?;
    let path = estate.path(promotion_path)?;
    let compiled = Compiled::new(rules, &estate)?;
    let mut pairs = Vec::with_capacity(path.len().saturating_sub(1));
    for step in path.windows(2) {
        if let [a, b] = *step {
            if let (Some(from), Some(to)) = (estate.get(a), estate.get(b)) {
                pairs.push(compare_pair(&compiled, (a, from), (b, to)));
            }
        }
    }
    let blocking = pairs.iter().any(|p| p.blocking);
    Ok(ParityReport { pairs, blocking })
}

#[cfg(test)]
mod tests;
