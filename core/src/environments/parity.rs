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

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::pattern::{CompiledRule, PathRule};
use super::spec::{EnvironmentSpec, Estate, Scalar, ServiceDeployment};
use super::version::compare_release;
use crate::error::{pointer_token, Error, Result};
use crate::explain::Reason;

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

/// The rules with globs split and environments resolved.
struct Compiled {
    allow: Vec<CompiledRule>,
    blocking: Vec<CompiledRule>,
    block_ahead: bool,
    ratio: Option<f64>,
}

impl Compiled {
    fn new(rules: &ParityRules, estate: &Estate<'_>) -> Result<Self> {
        let compile = |list: &[PathRule], name: &str| -> Result<Vec<CompiledRule>> {
            list.iter()
                .enumerate()
                .map(|(i, r)| {
                    CompiledRule::new(r, &format!("rules/{name}/{i}"), |id| estate.position(id))
                })
                .collect()
        };
        if let Some(r) = rules.min_data_volume_ratio {
            if !(r > 0.0 && r <= 1.0) {
                return Err(Error::invalid_input(
                    "rules/min_data_volume_ratio",
                    format!("must be in (0, 1], got {r}"),
                ));
            }
        }
        Ok(Compiled {
            allow: compile(&rules.allow, "allow")?,
            blocking: compile(&rules.blocking, "blocking")?,
            block_ahead: rules.block_ahead,
            ratio: rules.min_data_volume_ratio,
        })
    }
}

/// The default classification of a difference, before the allow rules.
struct Verdict {
    class: ParityClass,
    code: &'static str,
    message: String,
}

/// One pair being compared: counts and findings so far.
struct Pair<'r> {
    rules: &'r Compiled,
    from: (usize, &'r str),
    to: (usize, &'r str),
    compared: usize,
    identical: usize,
    findings: Vec<ParityFinding>,
}

fn compare_pair(
    rules: &Compiled,
    (a, from): (usize, &EnvironmentSpec),
    (b, to): (usize, &EnvironmentSpec),
) -> PairParity {
    let mut pair = Pair {
        rules,
        from: (a, &from.id),
        to: (b, &to.id),
        compared: 0,
        identical: 0,
        findings: Vec::new(),
    };
    merge(&from.services, &to.services, |id, x, y| {
        pair.service(id, x, y)
    });
    merge(&from.infrastructure, &to.infrastructure, |key, x, y| {
        pair.scalar(&["infrastructure", key], x, y, None);
    });
    merge(&from.data_volume, &to.data_volume, |store, x, y| {
        pair.volume(store, x.copied(), y.copied());
    });
    pair.finish()
}

impl Pair<'_> {
    fn service(&mut self, id: &str, x: Option<&ServiceDeployment>, y: Option<&ServiceDeployment>) {
        let (x, y) = match (x, y) {
            (Some(x), Some(y)) => (x, y),
            (x, y) => {
                let present = x.is_some();
                let verdict = if present {
                    Verdict {
                        class: ParityClass::Drift,
                        code: "service_missing",
                        message: format!(
                            "service `{id}` runs in {} but not in {}",
                            self.from.1, self.to.1
                        ),
                    }
                } else {
                    Verdict {
                        class: ParityClass::Ahead,
                        code: "service_ahead",
                        message: format!(
                            "service `{id}` runs in {} but never reached {}",
                            self.to.1, self.from.1
                        ),
                    }
                };
                let value = |s: Option<&ServiceDeployment>| {
                    s.map_or(Value::Null, |s| Value::String(s.version.clone()))
                };
                self.differ(&["services", id], value(x), value(y), verdict, Some(id));
                return;
            }
        };
        self.artifact(id, x, y);
        if x.replicas.is_some() || y.replicas.is_some() {
            let r = |s: &ServiceDeployment| s.replicas.map(|r| Scalar::Number(f64::from(r)));
            self.scalar(
                &["services", id, "replicas"],
                r(x).as_ref(),
                r(y).as_ref(),
                Some(id),
            );
        }
        merge(&x.config, &y.config, |key, p, q| {
            self.scalar(&["services", id, "config", key], p, q, Some(id));
        });
    }

    fn artifact(&mut self, id: &str, x: &ServiceDeployment, y: &ServiceDeployment) {
        self.compared += 1;
        let order = compare_release(&x.version, &y.version);
        let same_version = x.version == y.version || order == Some(std::cmp::Ordering::Equal);
        if same_version && x.artifact_digest == y.artifact_digest {
            self.identical += 1;
            return;
        }
        let (from, to) = (self.from.1, self.to.1);
        if same_version {
            let digest = |s: &ServiceDeployment| {
                s.artifact_digest.clone().map_or(Value::Null, Value::String)
            };
            let verdict = match (&x.artifact_digest, &y.artifact_digest) {
                (Some(_), Some(_)) => Verdict {
                    class: ParityClass::Ahead,
                    code: "artifact_rebuilt",
                    message: format!("`{id}` {} runs a different build in {to} than in {from}: rebuilt instead of promoted", y.version),
                },
                _ => Verdict {
                    class: ParityClass::Drift,
                    code: "key_missing",
                    message: format!("`{id}` has an artifact digest in only one of {from} and {to}"),
                },
            };
            self.push(
                &["services", id, "artifact_digest"],
                digest(x),
                digest(y),
                verdict,
                Some(id),
            );
            return;
        }
        let verdict = match order {
            Some(std::cmp::Ordering::Less) => Verdict {
                class: ParityClass::Ahead,
                code: "version_ahead",
                message: format!(
                    "`{id}` runs {} in {to}, newer than {} in {from}: it skipped the path",
                    y.version, x.version
                ),
            },
            Some(_) => Verdict {
                class: ParityClass::Allowed,
                code: "promotion_pending",
                message: format!(
                    "`{id}` {} in {from} has not been promoted to {to} (still {})",
                    x.version, y.version
                ),
            },
            None => Verdict {
                class: ParityClass::Drift,
                code: "version_differs",
                message: format!(
                    "`{id}` runs `{}` in {from} but `{}` in {to}",
                    x.version, y.version
                ),
            },
        };
        let v = |s: &ServiceDeployment| Value::String(s.version.clone());
        self.push(&["services", id, "version"], v(x), v(y), verdict, Some(id));
    }

    fn scalar(
        &mut self,
        tokens: &[&str],
        x: Option<&Scalar>,
        y: Option<&Scalar>,
        service: Option<&str>,
    ) {
        self.compared += 1;
        if x == y {
            self.identical += 1;
            return;
        }
        let key = tokens.last().copied().unwrap_or("");
        let (from, to) = (self.from.1, self.to.1);
        let verdict = if x.is_none() || y.is_none() {
            Verdict {
                class: ParityClass::Drift,
                code: "key_missing",
                message: format!(
                    "`{key}` is set in {} but not in {}",
                    if x.is_some() { from } else { to },
                    if x.is_some() { to } else { from }
                ),
            }
        } else {
            Verdict {
                class: ParityClass::Drift,
                code: "value_differs",
                message: format!(
                    "`{key}` differs: {} in {from}, {} in {to}",
                    show(x),
                    show(y)
                ),
            }
        };
        let json = |s: Option<&Scalar>| s.map_or(Value::Null, Scalar::to_json);
        self.push(tokens, json(x), json(y), verdict, service);
    }

    fn volume(&mut self, store: &str, x: Option<f64>, y: Option<f64>) {
        let (from, to) = (self.from.1, self.to.1);
        let (Some(p), Some(q), Some(r)) = (x, y, self.rules.ratio) else {
            let s = |v: Option<f64>| v.map(Scalar::Number);
            self.scalar(&["data_volume", store], s(x).as_ref(), s(y).as_ref(), None);
            return;
        };
        self.compared += 1;
        if p == q {
            self.identical += 1;
            return;
        }
        let verdict = if p >= r * q {
            Verdict {
                class: ParityClass::Allowed,
                code: "data_volume_within_ratio",
                message: format!(
                    "`{store}` in {from} holds {p} against {q} in {to}, at least the ratio {r}"
                ),
            }
        } else {
            Verdict {
                class: ParityClass::Drift,
                code: "data_volume_below_ratio",
                message: format!(
                    "`{store}` in {from} holds {p} against {q} in {to}, below the ratio {r}"
                ),
            }
        };
        let n = |v: f64| Scalar::Number(v).to_json();
        self.push(&["data_volume", store], n(p), n(q), verdict, None);
    }

    /// Records a difference whose values were counted as compared.
    fn push(
        &mut self,
        tokens: &[&str],
        x: Value,
        y: Value,
        verdict: Verdict,
        service: Option<&str>,
    ) {
        let allow = self
            .rules
            .allow
            .iter()
            .position(|r| r.covers(self.from.0, self.to.0) && r.matches(tokens));
        let path: String = tokens
            .iter()
            .map(|t| format!("/{}", pointer_token(t)))
            .collect();
        let (class, code, message) = match allow {
            Some(i) => (
                ParityClass::Allowed,
                "allowed_by_rule",
                format!(
                    "`{path}` may differ between {} and {} (rule allow/{i})",
                    self.from.1, self.to.1
                ),
            ),
            None => (verdict.class, verdict.code, verdict.message),
        };
        let blocking = match class {
            ParityClass::Allowed => false,
            ParityClass::Ahead if self.rules.block_ahead => true,
            _ => self
                .rules
                .blocking
                .iter()
                .any(|r| r.covers(self.from.0, self.to.0) && r.matches(tokens)),
        };
        let mut subjects = vec![self.from.1, self.to.1];
        subjects.extend(service);
        let mut reason = Reason::new(code, message).with_subjects(subjects);
        if let Some(i) = allow {
            reason = reason.with_evidence("rule", format!("allow/{i}"));
        }
        self.findings.push(ParityFinding {
            class,
            from_path: format!("/{}{path}", self.from.0),
            to_path: format!("/{}{path}", self.to.0),
            path,
            from_value: x,
            to_value: y,
            blocking,
            reason,
        });
    }

    /// Records a difference not yet counted as compared.
    fn differ(
        &mut self,
        tokens: &[&str],
        x: Value,
        y: Value,
        verdict: Verdict,
        service: Option<&str>,
    ) {
        self.compared += 1;
        self.push(tokens, x, y, verdict, service);
    }

    fn finish(self) -> PairParity {
        let count = |c: ParityClass| self.findings.iter().filter(|f| f.class == c).count();
        let (allowed, drift, ahead) = (
            count(ParityClass::Allowed),
            count(ParityClass::Drift),
            count(ParityClass::Ahead),
        );
        let parity_score = if self.compared == 0 {
            1.0
        } else {
            (self.identical + allowed) as f64 / self.compared as f64
        };
        let blocking_count = self.findings.iter().filter(|f| f.blocking).count();
        let (from, to) = (self.from.1.to_string(), self.to.1.to_string());
        let reason = if blocking_count > 0 {
            Reason::new(
                "parity_blocking",
                format!(
                    "{blocking_count} difference(s) between {from} and {to} block the promotion"
                ),
            )
        } else if drift + ahead > 0 {
            Reason::new(
                "parity_drift",
                format!(
                    "{from} and {to} differ in {} unexpected way(s), none blocking",
                    drift + ahead
                ),
            )
        } else {
            Reason::new(
                "parity_clear",
                format!("{to} matches {from} but for allowed differences"),
            )
        }
        .with_subjects([from.as_str(), to.as_str()])
        .with_evidence("parity_score", parity_score)
        .with_evidence("compared", self.compared);
        PairParity {
            from,
            to,
            compared: self.compared,
            identical: self.identical,
            allowed,
            drift,
            ahead,
            parity_score,
            blocking: blocking_count > 0,
            findings: self.findings,
            reason,
        }
    }
}

fn show(s: Option<&Scalar>) -> String {
    s.map_or_else(|| "absent".to_string(), |v| v.to_json().to_string())
}

/// Walks two sorted maps together, calling `f` once per key of either.
fn merge<'m, V>(
    a: &'m BTreeMap<String, V>,
    b: &'m BTreeMap<String, V>,
    mut f: impl FnMut(&'m str, Option<&'m V>, Option<&'m V>),
) {
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((k, v)), None) => {
                f(k, Some(v), None);
                a.next();
            }
            (None, Some((k, v))) => {
                f(k, None, Some(v));
                b.next();
            }
            (Some((ka, va)), Some((kb, vb))) => match ka.cmp(kb) {
                std::cmp::Ordering::Less => {
                    f(ka, Some(va), None);
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    f(kb, None, Some(vb));
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    f(ka, Some(va), Some(vb));
                    a.next();
                    b.next();
                }
            },
        }
    }
}

#[cfg(test)]
mod tests;
