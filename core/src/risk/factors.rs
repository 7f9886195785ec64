//! The factors: which ones exist, where each one's input comes from, and how
//! the change's own factors are measured (feature on the model's scale and a
//! phrase for the explanation).

use chrono::{Datelike, Timelike, Weekday};

use super::context::{HourRange, RiskContext};
use crate::change::{Change, ChangeKind, ChangeType, Strategy};

/// Where a factor's input comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Change,
    Plan,
    History,
    Context,
}

/// Every factor code this version knows, in canonical order, with its source.
pub(super) const FACTORS: &[(&str, Source)] = &[
    ("lines_added", Source::Change),
    ("lines_deleted", Source::Change),
    ("lines_before", Source::Change),
    ("files_changed", Source::Change),
    ("directories_changed", Source::Change),
    ("subsystems_changed", Source::Change),
    ("entropy", Source::Change),
    ("is_fix", Source::Change),
    ("prior_developers", Source::Change),
    ("prior_changes", Source::Change),
    ("author_experience", Source::Change),
    ("author_recent_experience", Source::Change),
    ("author_subsystem_experience", Source::Change),
    ("kind_config", Source::Change),
    ("kind_schema", Source::Change),
    ("kind_infrastructure", Source::Change),
    ("has_migration", Source::Change),
    ("irreversible", Source::Change),
    ("emergency", Source::Change),
    ("feature_flag", Source::Change),
    ("tests_failed", Source::Change),
    ("no_test_evidence", Source::Change),
    ("coverage_gap", Source::Change),
    ("security_scan_failed", Source::Change),
    ("weekend", Source::Change),
    ("off_hours", Source::Change),
    ("slow_rollback", Source::Change),
    ("peak", Source::Context),
    ("outside_window", Source::Context),
    ("near_freeze", Source::Context),
    ("stateful_services", Source::Plan),
    ("transitive_dependents", Source::Plan),
    ("customer_facing_share", Source::Plan),
    ("traffic_exposed", Source::Plan),
    ("service_failure_history", Source::History),
    ("author_service_experience", Source::History),
];

/// Where a factor's input comes from; `None` for an unknown code.
pub(super) fn source_of(code: &str) -> Option<Source> {
    FACTORS.iter().find(|(c, _)| *c == code).map(|(_, s)| *s)
}

/// The position of a factor in the canonical order (unknown codes last).
pub(super) fn position(code: &str) -> usize {
    FACTORS
        .iter()
        .position(|(c, _)| *c == code)
        .unwrap_or(FACTORS.len())
}

/// The factor codes [`fit_risk_model`](crate::fit_risk_model) can learn:
/// those computed from the change alone.
///
/// ```
/// assert!(rollgate::risk::fittable_factors().contains(&"lines_added"));
/// assert!(!rollgate::risk::fittable_factors().contains(&"transitive_dependents"));
/// ```
pub fn fittable_factors() -> Vec<&'static str> {
    FACTORS
        .iter()
        .filter(|(_, s)| *s == Source::Change)
        .map(|(c, _)| *c)
        .collect()
}

/// A factor's measured value, its feature on the model scale, a phrase
/// describing it and the ids the phrase names.
pub(super) struct Measured {
    pub value: f64,
    pub feature: f64,
    pub what: Phrase,
    pub subjects: Vec<String>,
}

impl Measured {
    pub fn new(value: f64, feature: f64, what: Phrase) -> Self {
        Measured {
            value,
            feature,
            what,
            subjects: Vec::new(),
        }
    }

    /// The same measure, naming `subjects`.
    pub fn about(mut self, subjects: Vec<String>) -> Self {
        self.subjects = subjects;
        self
    }
}

/// A factor's measure; `Ok(None)`: the factor does not apply to this
/// change; `Err(cause)`: its input is missing (the cause is a reason code).
pub(super) type Measure = Result<Option<Measured>, &'static str>;

/// A factor's description, rendered only when an explanation is needed
/// (fitting and evaluation never render it).
pub(super) enum Phrase {
    Text(String),
    Count(f64, &'static str),
    Flag(bool, &'static str),
    Entropy(f64),
}

impl Phrase {
    pub fn render(&self) -> String {
        match self {
            Phrase::Text(t) => t.clone(),
            Phrase::Count(v, what) => format!("{} {what}", trim_number(*v)),
            Phrase::Flag(true, what) => (*what).to_string(),
            Phrase::Flag(false, what) => format!("not {what}"),
            Phrase::Entropy(e) => format!("spread over files (entropy {e:.2} bits)"),
        }
    }
}

/// A 0/1 factor.
pub(super) fn flag(on: bool, what: &'static str) -> Measured {
    let x = if on { 1.0 } else { 0.0 };
    Measured::new(x, x, Phrase::Flag(on, what))
}

/// A count, on the model's scale as `ln(1 + count)`.
pub(super) fn count(value: f64, what: &'static str) -> Measured {
    Measured::new(value, value.ln_1p(), Phrase::Count(value, what))
}

/// A whole number without decimals, anything else with two.
fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}

/// Measures one of the factors computed from the change alone (`ctx` gives
/// the business hours for `off_hours`).
pub(super) fn change_factor(change: &Change, code: &str, ctx: &RiskContext) -> Measure {
    if let Some(m) = size_factor(change, code).or_else(|| trait_factor(change, code)) {
        return Ok(Some(m));
    }
    match code {
        "tests_failed" | "no_test_evidence" | "coverage_gap" | "security_scan_failed" => {
            evidence_factor(change, code).map(Some)
        }
        "weekend" | "off_hours" => timing_factor(change, code, ctx).map(Some),
        "slow_rollback" => rollback_factor(change).map(Some),
        _ => Ok(None),
    }
}

/// Size, diffusion, history and experience: counts, entropy, fix.
fn size_factor(c: &Change, code: &str) -> Option<Measured> {
    let m = match code {
        "lines_added" => count(c.lines_added, "lines added"),
        "lines_deleted" => count(c.lines_deleted, "lines deleted"),
        "lines_before" => count(
            c.lines_before,
            "lines in the touched files before the change",
        ),
        "files_changed" => count(c.files_changed, "files changed"),
        "directories_changed" => count(c.directories_changed, "directories changed"),
        "subsystems_changed" => count(c.subsystems_changed, "subsystems changed"),
        "entropy" => Measured::new(c.entropy, c.entropy, Phrase::Entropy(c.entropy)),
        "is_fix" => flag(c.is_fix, "a defect fix"),
        "prior_developers" => count(c.prior_developers, "developers changed these files before"),
        "prior_changes" => count(c.prior_changes, "earlier changes to these files"),
        "author_experience" => count(c.author_experience, "earlier changes by the author"),
        "author_recent_experience" => count(
            c.author_recent_experience,
            "recent (age-weighted) changes by the author",
        ),
        "author_subsystem_experience" => count(
            c.author_subsystem_experience,
            "earlier changes by the author in these subsystems",
        ),
        _ => return None,
    };
    Some(m)
}

/// What the change is: kind, migration, reversibility, type, flag.
fn trait_factor(c: &Change, code: &str) -> Option<Measured> {
    let m = match code {
        "kind_config" => flag(c.kind == ChangeKind::Config, "a configuration change"),
        "kind_schema" => flag(c.kind == ChangeKind::Schema, "a schema change"),
        "kind_infrastructure" => flag(
            c.kind == ChangeKind::Infrastructure,
            "an infrastructure change",
        ),
        "has_migration" => flag(c.has_migration, "carrying a data migration"),
        "irreversible" => flag(!c.reversible, "irreversible"),
        "emergency" => flag(
            c.change_type == ChangeType::Emergency,
            "an emergency change",
        ),
        "feature_flag" => flag(c.behind_feature_flag, "behind a feature flag"),
        _ => return None,
    };
    Some(m)
}

/// Test and scan evidence.
fn evidence_factor(c: &Change, code: &str) -> Result<Measured, &'static str> {
    match code {
        "coverage_gap" => {
            let cov = c
                .tests
                .as_ref()
                .and_then(|t| t.coverage)
                .ok_or("no_coverage")?;
            let text = format!("test coverage {:.0}%", cov * 100.0);
            Ok(Measured::new(cov, 1.0 - cov, Phrase::Text(text)))
        }
        "security_scan_failed" => {
            let scan = c.security_scan.as_ref().ok_or("no_security_scan")?;
            Ok(flag(
                !scan.passed || scan.critical > 0,
                "failing its security scan (or with critical findings)",
            ))
        }
        _ => {
            let tests = c.tests.as_ref().ok_or("no_test_data")?;
            Ok(if code == "tests_failed" {
                flag(!tests.suites_failed.is_empty(), "with failing test suites")
            } else {
                flag(
                    tests.suites_passed.is_empty(),
                    "without a passing test suite",
                )
            })
        }
    }
}

/// Weekend and off-hours, in the planned start's own offset.
fn timing_factor(c: &Change, code: &str, ctx: &RiskContext) -> Result<Measured, &'static str> {
    let start = c.planned_start.ok_or("no_planned_start")?;
    let weekend = matches!(start.weekday(), Weekday::Sat | Weekday::Sun);
    if code == "weekend" {
        return Ok(flag(weekend, "planned on a weekend (local time)"));
    }
    let hours = ctx.business_hours.unwrap_or(HourRange {
        start_hour: 8,
        end_hour: 18,
    });
    let on = !weekend && !hours.contains(start.hour());
    let text = format!(
        "planned {} business hours ({:02}:{:02} local)",
        if on { "outside" } else { "within" },
        start.hour(),
        start.minute()
    );
    let x = if on { 1.0 } else { 0.0 };
    Ok(Measured::new(x, x, Phrase::Text(text)))
}

/// How fast the chosen strategy rolls back: 0 instant, 1 a full redeploy.
fn rollback_factor(c: &Change) -> Result<Measured, &'static str> {
    let strategy = c.strategy.ok_or("no_strategy")?;
    let value = match strategy {
        Strategy::Canary | Strategy::BlueGreen => 0.0,
        Strategy::Rolling => 0.5,
        Strategy::Recreate => 1.0,
    };
    let text = format!("released by {} (rollback speed)", strategy.as_str());
    Ok(Measured::new(value, value, Phrase::Text(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(v: serde_json::Value) -> Change {
        crate::wire::from_value(v).unwrap()
    }

    fn measure(c: &Change, code: &str) -> Result<(f64, f64, String), &'static str> {
        let m = change_factor(c, code, &RiskContext::default())?.unwrap();
        Ok((m.value, m.feature, m.what.render()))
    }

    #[test]
    fn every_change_factor_is_measured_or_names_its_missing_input() {
        let bare = change(serde_json::json!({"id": "c", "author": "a", "services": []}));
        for code in fittable_factors() {
            match change_factor(&bare, code, &RiskContext::default()) {
                Ok(Some(_)) => {}
                Ok(None) => panic!("{code} is not measured"),
                Err(cause) => assert!(cause.starts_with("no_"), "{code}: {cause}"),
            }
        }
        assert!(change_factor(&bare, "peak", &RiskContext::default())
            .unwrap()
            .is_none());
        assert_eq!(source_of("peak"), Some(Source::Context));
        assert_eq!(source_of("moon"), None);
        assert_eq!(position("lines_added"), 0);
        assert_eq!(position("moon"), FACTORS.len());
    }

    #[test]
    fn measures_and_phrases() {
        let c = change(serde_json::json!({"id": "c", "author": "a", "services": [],
            "lines_added": 99, "entropy": 1.234, "files_changed": 2.5, "reversible": false,
            "change_type": "emergency", "kind": "infrastructure", "strategy": "rolling",
            "tests": {"suites_passed": [], "suites_failed": ["e2e"], "coverage": 0.25},
            "security_scan": {"passed": true, "critical": 1},
            "planned_start": "2026-11-24T07:30:00+01:00"}));
        let l = measure(&c, "lines_added").unwrap();
        assert_eq!(
            (l.0, l.1, l.2.as_str()),
            (99.0, 100f64.ln(), "99 lines added")
        );
        assert_eq!(
            measure(&c, "files_changed").unwrap().2,
            "2.50 files changed"
        );
        assert_eq!(
            measure(&c, "entropy").unwrap().2,
            "spread over files (entropy 1.23 bits)"
        );
        assert_eq!(measure(&c, "irreversible").unwrap().2, "irreversible");
        assert_eq!(measure(&c, "is_fix").unwrap().2, "not a defect fix");
        assert_eq!(measure(&c, "emergency").unwrap().1, 1.0);
        assert_eq!(measure(&c, "kind_infrastructure").unwrap().1, 1.0);
        assert_eq!(measure(&c, "kind_config").unwrap().1, 0.0);
        assert_eq!(measure(&c, "tests_failed").unwrap().1, 1.0);
        assert_eq!(measure(&c, "no_test_evidence").unwrap().1, 1.0);
        let cov = measure(&c, "coverage_gap").unwrap();
        assert_eq!(
            (cov.0, cov.1, cov.2.as_str()),
            (0.25, 0.75, "test coverage 25%")
        );
        assert_eq!(measure(&c, "security_scan_failed").unwrap().1, 1.0);
        assert_eq!(measure(&c, "slow_rollback").unwrap().1, 0.5);
        assert_eq!(measure(&c, "weekend").unwrap().1, 0.0);
        let off = measure(&c, "off_hours").unwrap();
        assert_eq!(
            (off.1, off.2.as_str()),
            (1.0, "planned outside business hours (07:30 local)")
        );
    }

    #[test]
    fn off_hours_follow_the_business_hours_and_never_fall_on_a_weekend() {
        let at = |t: &str| {
            change(
                serde_json::json!({"id": "c", "author": "a", "services": [], "planned_start": t}),
            )
        };
        let night = RiskContext {
            business_hours: Some(HourRange {
                start_hour: 22,
                end_hour: 6,
            }),
            ..RiskContext::default()
        };
        let off = |c: &Change, ctx: &RiskContext| {
            change_factor(c, "off_hours", ctx).unwrap().unwrap().feature
        };
        let tuesday_23 = at("2026-11-24T23:00:00+01:00");
        assert_eq!(off(&tuesday_23, &RiskContext::default()), 1.0);
        assert_eq!(off(&tuesday_23, &night), 0.0);
        let saturday_23 = at("2026-11-28T23:00:00+01:00");
        assert_eq!(off(&saturday_23, &RiskContext::default()), 0.0);
        assert_eq!(
            change_factor(&saturday_23, "weekend", &night)
                .unwrap()
                .unwrap()
                .feature,
            1.0
        );
        let strategies = ["canary", "blue_green", "recreate"].map(|s| {
            let c = change(
                serde_json::json!({"id": "c", "author": "a", "services": [], "strategy": s}),
            );
            change_factor(&c, "slow_rollback", &night)
                .unwrap()
                .unwrap()
                .value
        });
        assert_eq!(strategies, [0.0, 0.0, 1.0]);
    }

    #[test]
    fn a_passed_scan_without_critical_findings_is_no_risk() {
        for (scan, failed) in [
            (serde_json::json!({"passed": true}), 0.0),
            (serde_json::json!({"passed": false}), 1.0),
            (serde_json::json!({"passed": true, "high": 3}), 0.0),
        ] {
            let c = change(
                serde_json::json!({"id": "c", "author": "a", "services": [], "security_scan": scan}),
            );
            assert_eq!(measure(&c, "security_scan_failed").unwrap().1, failed);
        }
        let c = change(
            serde_json::json!({"id": "c", "author": "a", "services": [], "tests": {"suites_passed": ["u"]}}),
        );
        assert_eq!(measure(&c, "no_test_evidence").unwrap().1, 0.0);
        assert_eq!(measure(&c, "tests_failed").unwrap().1, 0.0);
        assert_eq!(measure(&c, "coverage_gap"), Err("no_coverage"));
    }
}
