//! Environments: one parity finding between staging and production, and the
//! order in which pending migrations reach every environment.

pub fn show() -> rollgate::Result<()> {
    let envs: Vec<rollgate::EnvironmentSpec> = rollgate::wire::from_json(
        r#"[
        {"id": "staging", "tier": "staging", "infrastructure": {"postgres.engine_version": "15.6"},
         "services": {"payments": {"version": "2.3.1", "artifact_digest": "sha256:p231", "replicas": 2}}},
        {"id": "prod", "tier": "production", "infrastructure": {"postgres.engine_version": "16.4"},
         "services": {"payments": {"version": "2.3.1", "artifact_digest": "sha256:p231", "replicas": 12}}}
    ]"#,
    )?;
    let rules: rollgate::ParityRules = rollgate::wire::from_json(
        r#"{"allow": [{"path": "/services/*/replicas"}], "blocking": [{"path": "/infrastructure/**"}]}"#,
    )?;
    let report = rollgate::check_parity(&envs, &["staging".into(), "prod".into()], &rules)?;
    println!("\nEnvironments: parity staging -> prod");
    for pair in &report.pairs {
        println!(
            "  parity score {:.2} ({} of {} values differ unexpectedly)",
            pair.parity_score,
            pair.drift + pair.ahead,
            pair.compared
        );
        if let Some(finding) = pair.findings.iter().find(|f| f.blocking) {
            println!(
                "  {:?} at {} ({} vs {}): [{}] {}",
                finding.class,
                finding.path,
                finding.from_value,
                finding.to_value,
                finding.reason.code,
                finding.reason.message
            );
        }
    }
    let scripts: Vec<rollgate::MigrationScript> = rollgate::wire::from_json(
        r#"[{"version": "41", "checksum": "a41", "phase": "expand", "description": "add orders.region"},
            {"version": "42", "checksum": "a42", "phase": "contract", "description": "drop orders.zone"}]"#,
    )?;
    let histories: Vec<rollgate::MigrationHistory> = rollgate::wire::from_json(
        r#"[{"environment": "dev", "applied": [{"version": "41", "checksum": "a41"}]},
            {"environment": "staging"}, {"environment": "prod"}]"#,
    )?;
    let migrations = rollgate::plan_migrations(&scripts, &histories)?;
    println!("Migration order (a contract waits until its expand is everywhere):");
    for step in &migrations.steps {
        println!(
            "  round {}: {:<8} {} ({:?})",
            step.round, step.environment, step.version, step.phase
        );
    }
    Ok(())
}
