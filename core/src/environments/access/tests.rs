use super::*;

fn policy() -> AccessPolicy {
    crate::wire::from_value(serde_json::json!({
        "on_call": ["dana"],
        "environments": {
            "prod": {"scopes": ["read", "db-write"], "max_duration": "4h", "requires_ticket": true,
                     "approvers": ["erin", "farid"], "break_glass_max_duration": "30m"},
            "dev": {}
        }
    }))
    .unwrap()
}

fn decide(request: serde_json::Value) -> AccessDecision {
    let request: AccessRequest = crate::wire::from_value(request).unwrap();
    evaluate_access(&request, &policy(), "2026-03-02T09:00:00Z".parse().unwrap()).unwrap()
}

fn codes(d: &AccessDecision) -> Vec<&str> {
    d.reasons.iter().map(|r| r.code.as_str()).collect()
}

#[test]
fn every_rule_decides_as_documented() {
    let base = serde_json::json!({"requester": "bo", "environment": "prod", "duration": "2h",
                                  "scope": ["read"], "ticket": "OPS-1"});
    let with = |extra: serde_json::Value| {
        let mut r = base.clone();
        r.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        decide(r)
    };
    let d = with(serde_json::json!({"approver": "erin"}));
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::Grant, vec!["approved"])
    );
    assert_eq!(d.expires_at.unwrap().to_string(), "2026-03-02T11:00:00Z");
    let d = with(serde_json::json!({}));
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::NeedsApproval, vec!["approval_required"])
    );
    assert_eq!(d.approvers, ["erin", "farid"]);
    assert_eq!(d.expires_at, None);
    let d = with(serde_json::json!({"approver": "zed"}));
    assert_eq!(codes(&d), ["approver_not_eligible"]);
    let d = with(serde_json::json!({"scope": ["read", "root"]}));
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::Deny, vec!["scope_not_allowed"])
    );
    assert_eq!(d.duration_seconds, 0);
    let d = with(serde_json::json!({"ticket": ""}));
    assert_eq!(codes(&d), ["ticket_required"]);
    let d = with(serde_json::json!({"duration": "6h", "approver": "farid"}));
    assert_eq!(codes(&d), ["duration_capped", "approved"]);
    assert_eq!(d.duration_seconds, 4 * 3600);
    let d = with(
        serde_json::json!({"requester": "dana", "break_glass": true, "ticket": null, "scope": ["root"]}),
    );
    assert_eq!(
        (d.decision, codes(&d)),
        (
            AccessOutcome::Grant,
            vec!["break_glass_on_call", "duration_capped", "review_required"]
        )
    );
    assert_eq!((d.duration_seconds, d.review_required), (1800, true));
    assert_eq!(d.review_due_at.unwrap().to_string(), "2026-03-03T09:00:00Z");
    let d = with(serde_json::json!({"break_glass": true}));
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::Deny, vec!["break_glass_not_on_call"])
    );
    assert!(!d.review_required);
    let d = decide(serde_json::json!({"requester": "bo", "environment": "dev", "duration": 60}));
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::Grant, vec!["no_approval_required"])
    );
}

#[test]
fn nobody_approves_their_own_access() {
    let mut p = policy();
    p.environments.get_mut("prod").unwrap().approvers = vec!["bo".into()];
    let request: AccessRequest =
        crate::wire::from_value(serde_json::json!({"requester": "bo", "environment": "prod",
        "duration": "1h", "ticket": "T", "approver": "bo"}))
        .unwrap();
    let d = evaluate_access(&request, &p, "2026-03-02T09:00:00Z".parse().unwrap()).unwrap();
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::Deny, vec!["no_eligible_approver"])
    );
    let d = decide(
        serde_json::json!({"requester": "erin", "environment": "prod", "duration": "1h",
        "ticket": "T", "approver": "erin"}),
    );
    assert_eq!(
        (d.decision, codes(&d)),
        (AccessOutcome::NeedsApproval, vec!["self_approval_ignored"])
    );
    assert_eq!(d.approvers, ["farid"]);
}

#[test]
fn the_record_appends_to_a_change_log() {
    let d = decide(serde_json::json!({"requester": "bo", "environment": "dev", "duration": 60}));
    let record = crate::append_change_record(None, &d.record).unwrap();
    assert_eq!(record.kind, "access");
    assert_eq!(record.outputs["decision"], "grant");
    assert_eq!(record.inputs["request"]["requester"], "bo");
}

#[test]
fn unknown_environments_and_empty_requests_are_errors() {
    let bad = |request: serde_json::Value| {
        let request: AccessRequest = crate::wire::from_value(request).unwrap();
        let err = evaluate_access(&request, &policy(), "2026-03-02T09:00:00Z".parse().unwrap())
            .unwrap_err();
        (err.code(), err.path().to_string())
    };
    assert_eq!(
        bad(serde_json::json!({"requester": "a", "environment": "qa", "duration": 1})),
        ("unknown_environment", "/environment".into())
    );
    assert_eq!(
        bad(serde_json::json!({"requester": "", "environment": "dev", "duration": 1})),
        ("invalid_input", "/requester".into())
    );
    assert_eq!(
        bad(serde_json::json!({"requester": "a", "environment": "dev", "duration": 0})),
        ("invalid_input", "/duration".into())
    );
}
