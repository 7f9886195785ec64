//! Comparing one pair of environments: the rules compiled against the
//! estate, each difference classified (see the module above for the order)
//! and counted into a [`PairParity`].

use std::collections::BTreeMap;

use serde_json::Value;

use super::{PairParity, ParityClass, ParityFinding, ParityRules};
use crate::environments::pattern::{CompiledRule, PathRule};
use crate::environments::spec::{EnvironmentSpec, Estate, Scalar, ServiceDeployment};
use crate::environments::version::compare_release;
use crate::error::{pointer_token, Error, Result};
use crate::explain::Reason;

/// The rules with globs split and environments resolved.
pub(super) struct Compiled {
    allow: Vec<CompiledRule>,
    blocking: Vec<CompiledRule>,
    block_ahead: bool,
    ratio: Option<f64>,
}

impl Compiled {
    pub(super) fn new(rules: &ParityRules, estate: &Estate<'_>) -> Result<Self> {
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

pub(super) fn compare_pair(
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
