use super::*;

fn envs(json: serde_json::Value) -> Vec<EnvironmentSpec> {
    crate::wire::from_value(json).unwrap()
}

fn rules(json: serde_json::Value) -> ParityRules {
    crate::wire::from_value(json).unwrap()
}

fn path(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

fn estate() -> Vec<EnvironmentSpec> {
    envs(serde_json::json!([
        {"id": "dev", "tier": "development",
         "services": {"api": {"version": "2.1.0", "artifact_digest": "d3"},
                      "web": {"version": "1.0.0", "artifact_digest": "w1"}}},
        {"id": "staging", "tier": "staging", "data_volume": {"orders": 50},
         "services": {"api": {"version": "2.0.0", "artifact_digest": "d2", "config": {"db.secret": "s1", "pool": 10}},
                      "web": {"version": "1.0.0", "artifact_digest": "w1"}}},
        {"id": "prod", "tier": "production", "data_volume": {"orders": 1000},
         "services": {"api": {"version": "2.0.0", "artifact_digest": "d9", "config": {"db.secret": "s2", "pool": 10.0}},
                      "web": {"version": "1.0.1", "artifact_digest": "w2"},
                      "hotfix": {"version": "0.1.0"}}}
    ]))
}

#[test]
fn classifies_pending_rebuilt_ahead_and_allowed_differences() {
    let r = rules(
        serde_json::json!({"allow": [{"path": "/services/*/config/*secret*"}], "min_data_volume_ratio": 0.1}),
    );
    let report = check_parity(&estate(), &path(&["dev", "staging", "prod"]), &r).unwrap();
    let codes = |p: &PairParity| {
        p.findings
            .iter()
            .map(|f| (f.path.clone(), f.reason.code.clone()))
            .collect::<Vec<_>>()
    };
    let dev_staging = &report.pairs[0];
    assert_eq!(
        codes(dev_staging),
        [
            (
                "/services/api/version".to_string(),
                "promotion_pending".to_string()
            ),
            (
                "/services/api/config/db.secret".into(),
                "allowed_by_rule".into()
            ),
            ("/services/api/config/pool".into(), "key_missing".into()),
            ("/data_volume/orders".into(), "key_missing".into()),
        ]
    );
    let staging_prod = &report.pairs[1];
    assert_eq!(
        codes(staging_prod),
        [
            (
                "/services/api/artifact_digest".to_string(),
                "artifact_rebuilt".to_string()
            ),
            (
                "/services/api/config/db.secret".into(),
                "allowed_by_rule".into()
            ),
            ("/services/hotfix".into(), "service_ahead".into()),
            ("/services/web/version".into(), "version_ahead".into()),
            (
                "/data_volume/orders".into(),
                "data_volume_below_ratio".into()
            ),
        ]
    );
    // api artifact, db.secret, pool (2 == 2.0), hotfix, web artifact, orders.
    assert_eq!((staging_prod.compared, staging_prod.identical), (6, 1));
    assert_eq!(
        (staging_prod.allowed, staging_prod.drift, staging_prod.ahead),
        (1, 1, 3)
    );
    assert!((staging_prod.parity_score - 2.0 / 6.0).abs() < 1e-12);
    assert!(staging_prod.blocking && report.blocking);
    assert_eq!(
        staging_prod.findings[0].from_path,
        "/1/services/api/artifact_digest"
    );
    assert_eq!(
        staging_prod.findings[0].to_path,
        "/2/services/api/artifact_digest"
    );
}

#[test]
fn environment_scoped_and_blocking_rules() {
    let r = rules(serde_json::json!({
        "allow": [{"path": "/data_volume/**", "environments": ["dev"]}],
        "blocking": [{"path": "/services/*/config/**"}],
        "block_ahead": false
    }));
    let report = check_parity(&estate(), &path(&["dev", "staging", "prod"]), &r).unwrap();
    let first = &report.pairs[0];
    assert_eq!(first.findings[3].reason.code, "allowed_by_rule");
    assert!(first.findings[1].blocking && !first.findings[0].blocking);
    let second = &report.pairs[1];
    assert!(second
        .findings
        .iter()
        .filter(|f| f.class == ParityClass::Ahead)
        .all(|f| !f.blocking));
    assert!(second
        .findings
        .iter()
        .any(|f| f.path == "/data_volume/orders" && f.class == ParityClass::Drift && !f.blocking));
}

#[test]
fn rejects_unknown_environments_and_bad_ratios() {
    let r = rules(serde_json::json!({"allow": [{"path": "/x", "environments": ["qa"]}]}));
    let err = check_parity(&estate(), &path(&["dev"]), &r).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_environment", "rules/allow/0/environments/0")
    );
    let err = check_parity(&estate(), &path(&["dev", "uat"]), &ParityRules::default()).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("unknown_environment", "promotion_path/1")
    );
    let r = rules(serde_json::json!({"min_data_volume_ratio": 0}));
    let err = check_parity(&estate(), &path(&["dev"]), &r).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("invalid_input", "rules/min_data_volume_ratio")
    );
}

#[test]
fn an_environment_matches_its_copy_and_a_path_of_one_has_no_pairs() {
    let mut specs = estate();
    let mut copy = specs[2].clone();
    copy.id = "prod-copy".into();
    specs.push(copy);
    let report = check_parity(
        &specs,
        &path(&["prod", "prod-copy"]),
        &ParityRules::default(),
    )
    .unwrap();
    assert!(report.pairs[0].findings.is_empty());
    assert_eq!(report.pairs[0].parity_score, 1.0);
    assert_eq!(report.pairs[0].reason.code, "parity_clear");
    assert!(
        check_parity(&specs, &path(&["dev"]), &ParityRules::default())
            .unwrap()
            .pairs
            .is_empty()
    );
}
