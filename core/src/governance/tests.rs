//! Unit tests of governance: each requirement, segregation of duties, the
//! evidence kinds and emergency changes.

use super::*;
use crate::wire::from_value;
use serde_json::json;

fn change(extra: serde_json::Value) -> Change {
    let mut doc = json!({"id": "c", "author": "ana", "services": ["api"]});
    if let (Some(d), Some(e)) = (doc.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    from_value(doc).unwrap()
}

fn policy(v: serde_json::Value) -> GovernancePolicy {
    from_value(v).unwrap()
}

fn decide(c: &Change, p: &GovernancePolicy, level: RiskLevel) -> GovernanceDecision {
    evaluate_governance(c, p, &RiskRef { level }).unwrap()
}

fn codes(list: &[Reason]) -> Vec<String> {
    list.iter()
        .map(|r| match r.subjects.as_slice() {
            [] => r.code.clone(),
            s => format!("{}@{}", r.code, s.join(",")),
        })
        .collect()
}

fn approval(by: &str, role: &str) -> serde_json::Value {
    json!({"by": by, "role": role, "at": "2026-03-01T10:00:00Z"})
}

#[test]
fn a_rule_matches_on_level_type_and_compliance_together() {
    let p = policy(json!({"rules": [
        {"levels": ["high"], "approvals": 3},
        {"change_types": ["emergency"], "approvals": 4},
        {"compliance": ["sox"], "approvals": 5},
        {"approvals": 1}],
        "compliance": {"sox": {}, "pci": {}}}));
    let need = |c: &Change, level| decide(c, &p, level).required[0].evidence["required"].clone();
    assert_eq!(need(&change(json!({})), RiskLevel::Low), 1);
    assert_eq!(need(&change(json!({})), RiskLevel::High), 3);
    assert_eq!(
        need(&change(json!({"change_type": "standard"})), RiskLevel::Low),
        1
    );
    assert_eq!(
        need(&change(json!({"compliance": ["pci"]})), RiskLevel::Low),
        1
    );
    assert_eq!(
        need(
            &change(json!({"compliance": ["pci", "sox"]})),
            RiskLevel::High
        ),
        5
    );
    // An emergency change needs 4, deferred to its review.
    let d = decide(
        &change(json!({"change_type": "emergency"})),
        &p,
        RiskLevel::Low,
    );
    assert_eq!(d.deferred[0].evidence["required"], 4);
}

#[test]
fn approvals_roles_cab_and_test_depth() {
    let p = policy(json!({"rules": [
        {"approvals": 2, "roles": ["sre", "dba"], "cab": true, "test_depth": "integration"}]}));
    let c = change(json!({
        "approvals": [approval("bo", "sre"), approval("bo", "dba"), approval("ana", "cab")],
        "tests": {"depth": "unit"}}));
    let d = decide(&c, &p, RiskLevel::Low);
    assert_eq!(
        codes(&d.required),
        [
            "approvals",
            "approval_role@dba",
            "approval_role@sre",
            "cab_review@cab",
            "test_depth"
        ]
    );
    assert_eq!(
        codes(&d.missing),
        ["approvals", "cab_review@cab", "test_depth"]
    );
    assert_eq!(d.approvers, ["bo"]);
    assert_eq!(d.missing[0].evidence["given"], 1);
    assert_eq!(d.missing[2].evidence["recorded"], "unit");
    assert_eq!(codes(&d.notes), ["self_approval_ignored@ana"]);
    assert!(!d.allowed);
    let c = change(json!({
        "approvals": [approval("bo", "sre"), approval("cy", "dba"), approval("cy", "cab")],
        "tests": {"depth": "end_to_end"}}));
    let d = decide(&c, &p, RiskLevel::Low);
    assert!(d.allowed && d.missing.is_empty() && d.notes.is_empty());
    assert_eq!(d.approvers, ["bo", "cy"]);
    // Exactly the depth asked for is enough; no tests at all is depth none.
    let d = decide(
        &change(json!({"tests": {"depth": "integration"}})),
        &p,
        RiskLevel::Low,
    );
    assert!(!codes(&d.missing).contains(&"test_depth".to_string()));
    let d = decide(&change(json!({})), &p, RiskLevel::Low);
    assert_eq!(d.missing.last().unwrap().evidence["recorded"], "none");
    // A custom CAB role.
    let p = policy(json!({"rules": [{"cab": true}], "cab_role": "board"}));
    let d = decide(
        &change(json!({"approvals": [approval("bo", "board")]})),
        &p,
        RiskLevel::Low,
    );
    assert_eq!(
        (codes(&d.required), d.allowed),
        (vec!["cab_review@board".to_string()], true)
    );
}

#[test]
fn the_deployer_may_approve_only_beside_someone_else() {
    let c = |approvals: Vec<serde_json::Value>| {
        change(json!({"deployer": "dan", "approvals": approvals}))
    };
    let one = policy(json!({"rules": [{"approvals": 1}]}));
    let alone = decide(&c(vec![approval("dan", "peer")]), &one, RiskLevel::Low);
    assert_eq!(codes(&alone.violations), ["deployer_sole_approver@dan"]);
    assert!(!alone.allowed);
    let two = decide(
        &c(vec![approval("dan", "peer"), approval("bo", "peer")]),
        &one,
        RiskLevel::Low,
    );
    assert!(two.violations.is_empty() && two.allowed);
    let other = decide(&c(vec![approval("bo", "peer")]), &one, RiskLevel::Low);
    assert!(other.violations.is_empty());
    // Each way a policy can require approval brings the rule in.
    for p in [
        json!({"rules": [{"roles": ["peer"]}]}),
        json!({"rules": [{"cab": true}], "cab_role": "peer"}),
        json!({"rules": [], "compliance": {"sox": {"evidence": ["approvals"]}}}),
    ] {
        let mut with_tag = c(vec![approval("dan", "peer")]);
        with_tag.compliance = if p["compliance"].is_null() {
            vec![]
        } else {
            vec!["sox".into()]
        };
        let d = decide(&with_tag, &policy(p.clone()), RiskLevel::Low);
        assert_eq!(codes(&d.violations), ["deployer_sole_approver@dan"], "{p}");
    }
    let none = decide(
        &c(vec![approval("dan", "peer")]),
        &policy(json!({"rules": [{"test_depth": "unit"}]})),
        RiskLevel::Low,
    );
    assert!(none.violations.is_empty());
}

#[test]
fn evidence_kinds() {
    let p = policy(json!({"compliance": {"all": {"evidence": [
        "ticket_link", "approvals", "security_scan_passed", "artifact_promoted",
        "runbook_reviewed", "downtime_notice", "test_evidence"]}}}));
    let bare = decide(
        &change(json!({"compliance": ["all"], "expected_downtime": "10m"})),
        &p,
        RiskLevel::Low,
    );
    assert_eq!(codes(&bare.missing).len(), 7);
    let full = change(json!({"compliance": ["all"], "links": {"tickets": ["T-1"]},
        "approvals": [approval("bo", "peer")],
        "security_scan": {"passed": true, "high": 2},
        "promotions": [{"environment": "staging", "digest": "d1"}, {"environment": "production", "digest": "d1"}],
        "runbook": {"author": "cy", "reviewer": "ana"},
        "expected_downtime": "10m", "planned_start": "2026-03-10T00:00:00Z", "customers_notified_at": "2026-03-07T00:00:00Z",
        "tests": {"suites_passed": ["unit"]}}));
    let d = decide(&full, &p, RiskLevel::Low);
    assert!(d.allowed, "{:?}", d.missing);
    assert_eq!(codes(&d.required)[0], "ticket_link@all");
    assert_eq!(
        d.required[0].message,
        "a ticket link (required by all): linked to T-1"
    );
    let variant = |edit: serde_json::Value| {
        let mut doc = serde_json::to_value(&full).unwrap();
        doc.as_object_mut()
            .unwrap()
            .extend(edit.as_object().unwrap().clone());
        codes(&decide(&from_value(doc).unwrap(), &p, RiskLevel::Low).missing)
    };
    assert_eq!(
        variant(json!({"security_scan": {"passed": true, "critical": 1}})),
        ["security_scan_passed@all"]
    );
    assert_eq!(
        variant(json!({"security_scan": {"passed": false}})),
        ["security_scan_passed@all"]
    );
    assert_eq!(
        variant(json!({"runbook": {"reviewer": "ana"}})),
        ["runbook_reviewed@all"]
    );
    assert_eq!(
        variant(json!({"runbook": {"author": "bo", "reviewer": "bo"}})),
        ["runbook_reviewed@all"]
    );
    assert_eq!(
        variant(json!({"customers_notified_at": "2026-03-07T00:00:01Z"})),
        ["downtime_notice@all"]
    );
    assert_eq!(
        variant(
            json!({"expected_downtime": "0s", "customers_notified_at": "2026-03-09T23:00:00Z"})
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        variant(json!({"tests": {"suites_passed": ["u"], "suites_failed": ["e2e"]}})),
        ["test_evidence@all"]
    );
    assert_eq!(
        variant(json!({"tests": {"suites_passed": []}})),
        ["test_evidence@all"]
    );
    assert_eq!(
        variant(
            json!({"promotions": [{"environment": "staging", "digest": "d1", "passed": false},
        {"environment": "production", "digest": "d1"}]})
        ),
        ["artifact_promoted@all"]
    );
    assert_eq!(
        variant(json!({"promotions": [{"environment": "staging", "digest": "d1"}]})),
        ["artifact_promoted@all"]
    );
    let mut no_start = serde_json::to_value(&full).unwrap();
    no_start.as_object_mut().unwrap().remove("planned_start");
    let d = decide(&from_value(no_start).unwrap(), &p, RiskLevel::Low);
    assert_eq!(d.missing[0].message, "customers notified ahead of downtime (required by all): no planned start to measure the notice against");
}

#[test]
fn a_rebuilt_artifact_names_every_rebuilt_digest() {
    let p = policy(
        json!({"compliance": {"sox": {"evidence": ["artifact_promoted"]}}, "promotion_from": "qa", "promotion_to": "live"}),
    );
    let c = change(json!({"compliance": ["sox"], "promotions": [
        {"environment": "qa", "digest": "a"}, {"environment": "live", "digest": "c"},
        {"environment": "live", "digest": "b"}, {"environment": "live", "digest": "a"}]}));
    let d = decide(&c, &p, RiskLevel::Low);
    assert_eq!(codes(&d.violations), ["artifact_rebuilt@b,c"]);
    assert_eq!(
        d.violations[0].message,
        "`live` digest c, b never passed `qa`: the artifact was rebuilt, not promoted"
    );
}

#[test]
fn missing_findings_and_violations_are_sorted() {
    let p = policy(
        json!({"rules": [{"roles": ["zeta", "alpha"], "approvals": 1}],
        "compliance": {"b": {"evidence": ["ticket_link"]}, "a": {"evidence": ["approvals"]}}}),
    );
    let d = decide(
        &change(json!({"compliance": ["b", "a"]})),
        &p,
        RiskLevel::Low,
    );
    assert_eq!(
        codes(&d.missing),
        [
            "approval_role@alpha",
            "approval_role@zeta",
            "approvals",
            "approvals@a",
            "ticket_link@b"
        ]
    );
}

#[test]
fn an_emergency_change_defers_to_its_review() {
    let p = policy(json!({"rules": [{"approvals": 1}], "emergency_review_within": "1h"}));
    let d = decide(
        &change(json!({"change_type": "emergency", "created_at": "2026-03-01T10:00:00Z"})),
        &p,
        RiskLevel::Low,
    );
    assert!(d.allowed);
    assert_eq!(codes(&d.deferred), ["approvals"]);
    assert_eq!(
        d.post_implementation_review_due.unwrap().to_rfc3339(),
        "2026-03-01T11:00:00+00:00"
    );
    let review = d.required.last().unwrap();
    assert_eq!(
        (
            review.code.as_str(),
            review.evidence["within_seconds"].clone()
        ),
        ("post_implementation_review", json!(3600))
    );
    assert_eq!(review.evidence["due"], "2026-03-01T11:00:00Z");
    // The planned start wins over creation; without either the deadline is relative.
    let d = decide(
        &change(
            json!({"change_type": "emergency", "created_at": "2026-03-01T10:00:00Z",
        "planned_start": "2026-03-02T10:00:00Z"}),
        ),
        &p,
        RiskLevel::Low,
    );
    assert_eq!(
        d.post_implementation_review_due.unwrap().to_rfc3339(),
        "2026-03-02T11:00:00+00:00"
    );
    let d = decide(
        &change(json!({"change_type": "emergency"})),
        &p,
        RiskLevel::Low,
    );
    assert_eq!(d.post_implementation_review_due, None);
    assert!(d.required.last().unwrap().message.contains("within 3600s"));
    // A violation still blocks an emergency change.
    let d = decide(
        &change(
            json!({"change_type": "emergency", "deployer": "bo", "approvals": [approval("bo", "peer")]}),
        ),
        &p,
        RiskLevel::Low,
    );
    assert!(!d.allowed);
    // A normal change gets no review.
    let d = decide(&change(json!({})), &p, RiskLevel::Low);
    assert!(d
        .required
        .iter()
        .all(|r| r.code != "post_implementation_review"));
}

#[test]
fn unknown_tags_are_errors_with_their_paths() {
    let p = policy(
        json!({"rules": [{"compliance": ["sox"]}, {"compliance": ["sox", "gdpr"]}], "compliance": {"sox": {}}}),
    );
    let err = evaluate_governance(
        &change(json!({})),
        &p,
        &RiskRef {
            level: RiskLevel::Low,
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_compliance_tag", "policy/rules/1/compliance/1")
    );
    let p = policy(json!({"compliance": {"sox": {}}}));
    let err = evaluate_governance(
        &change(json!({"compliance": ["sox", "pci"]})),
        &p,
        &RiskRef {
            level: RiskLevel::Low,
        },
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_compliance_tag", "/compliance/1")
    );
    assert_eq!(err.details()["known"], json!(["sox"]));
    assert_eq!(Evidence::TestEvidence.as_str(), "test_evidence");
}
