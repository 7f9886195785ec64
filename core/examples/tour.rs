//! A tour of rollgate on a bundled, realistic release plan: deployment
//! waves, rollback order, blast radius, critical path, a bounded-parallel
//! schedule, the multi-region rollout through release windows (as a table
//! and as a Mermaid Gantt chart), a rollback plan for a halt, and one
//! environment parity finding and migration order.
//!
//! Run with `cargo run -p rollgate --example tour` (optionally pass the path
//! of another plan JSON file).

use std::process::ExitCode;

use rollgate::{DurationSecs, Plan, ServiceGraph};

const BUNDLED: &str = include_str!("data/marketplace.json");

fn minutes(secs: u64) -> String {
    DurationSecs(secs).to_string()
}

fn run() -> rollgate::Result<()> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(&path).map_err(|e| {
            rollgate::Error::invalid_input(String::new(), format!("cannot read {path}: {e}"))
        })?,
        None => BUNDLED.to_string(),
    };
    let plan = Plan::from_json(&text)?;
    let graph = ServiceGraph::new(&plan)?;
    let order = graph.order();

    println!("Plan `{}`: {} services\n", plan.name, graph.len());
    println!("Deployment waves (each wave in parallel):");
    for (i, wave) in order.waves.iter().enumerate() {
        println!("  {:>2}. {}", i + 1, wave.join(", "));
    }
    println!("\nRollback waves (dependents first):");
    for (i, wave) in order.rollback_waves.iter().enumerate() {
        println!("  {:>2}. {}", i + 1, wave.join(", "));
    }

    let cp = &order.critical_path;
    println!(
        "\nCritical path ({} with unlimited parallelism): {}",
        minutes(cp.makespan_seconds),
        cp.path.join(" -> ")
    );
    println!(
        "  {:<18} {:>8} {:>8} {:>8}",
        "service", "start", "finish", "slack"
    );
    for t in &cp.services {
        println!(
            "  {:<18} {:>8} {:>8} {:>8}",
            t.id,
            minutes(t.earliest_start),
            minutes(t.earliest_finish),
            minutes(t.slack)
        );
    }

    let stateful: Vec<String> = plan
        .services
        .iter()
        .filter(|s| s.stateful)
        .map(|s| s.id.clone())
        .collect();
    println!("\nBlast radius of the stateful services:");
    for blast in graph.blast_radius(Some(&stateful))?.services {
        println!(
            "  {:<18} {:>2} dependents, {} customer facing",
            blast.id, blast.dependent_count, blast.customer_facing_dependents
        );
    }

    for k in [2, 4] {
        let schedule = graph.schedule(k)?;
        println!(
            "\nWith at most {k} deployments at once: done after {}",
            minutes(schedule.makespan_seconds)
        );
        if k == 2 {
            for s in &schedule.services {
                println!(
                    "  {:<18} {:>8} -> {:>8}",
                    s.id,
                    minutes(s.start),
                    minutes(s.finish)
                );
            }
        }
    }
    if !plan.regions.is_empty() {
        rollout_section(&plan)?;
    }
    environments_section()?;
    Ok(())
}

fn rollout_section(plan: &Plan) -> rollgate::Result<()> {
    // Monday 23 November 2026, 08:00 in New York; Thursday and Friday are US
    // holidays in the bundled calendar, and the year-end freeze follows.
    let start = rollgate::window::parse_timestamp("start", "2026-11-23T08:00:00-05:00")?;
    let schedule = rollgate::schedule_rollout(plan, start)?;
    println!(
        "\nMulti-region rollout from {} ({} regions, {} waves), last gate passes {}",
        schedule.start,
        plan.regions.len(),
        schedule.waves.len(),
        schedule.finish
    );
    println!(
        "  {:<4} {:<34} {:>7} {:<25} {:<25} {:>5} {:>5}",
        "wave", "regions", "traffic", "start", "finish", "steps", "waits"
    );
    for wave in &schedule.waves {
        println!(
            "  {:<4} {:<34} {:>6.0}% {:<25} {:<25} {:>5} {:>5}",
            wave.number,
            wave.regions.join(", "),
            wave.traffic_share * 100.0,
            wave.start,
            wave.finish,
            wave.steps.len(),
            wave.waits.len()
        );
        for reason in &wave.reasons {
            println!("       - [{}] {}", reason.code, reason.message);
        }
        for wait in &wave.waits {
            let why: Vec<&str> = wait.reasons.iter().map(|r| r.code.as_str()).collect();
            println!(
                "       ~ {} waits {} until {} ({})",
                wait.region,
                DurationSecs(wait.seconds),
                wait.until,
                why.join(", ")
            );
        }
        println!(
            "       gate: bake {} and {} samples, checks {}; passes at the earliest {}",
            DurationSecs(wave.gate.bake_seconds),
            wave.gate.min_bake_samples,
            wave.gate.checks.join(", "),
            wave.gate.earliest_pass
        );
    }
    println!(
        "  total planned duration: {}",
        DurationSecs(schedule.total_duration_seconds)
    );
    for finding in &schedule.findings {
        println!("  finding [{}] {}", finding.code, finding.message);
    }

    println!("\nMermaid Gantt chart of the rollout (paste into any Mermaid renderer):\n");
    println!("{}", rollgate::to_mermaid_gantt(&schedule)?);

    // Halt on the first step of the second wave, then in the final
    // (contract-migration) wave, and ask what to undo each time.
    let halts = [schedule.waves.get(1), schedule.waves.last()];
    for step in halts.into_iter().flatten().filter_map(|w| w.steps.last()) {
        let halted_at = rollgate::rollout::HaltedAt::Step {
            region: step.region.clone(),
            service: step.service.clone(),
            stage: Some(step.stage.clone()),
        };
        let rollback = rollgate::rollback_plan(&schedule, &halted_at)?;
        println!(
            "If the rollout halts at {} ({}) in {} at {}: {}, {} steps to undo, {} cannot be undone, {} never started",
            step.service,
            step.stage,
            step.region,
            rollback.halted_at,
            rollback.recommendation,
            rollback.undo.len(),
            rollback.cannot_undo.len(),
            rollback.not_started
        );
        for undo in rollback.undo.iter().take(6) {
            println!(
                "  undo {:<18} in {:<14} (wave {}, {})",
                undo.service, undo.region, undo.wave, undo.state
            );
        }
        if rollback.undo.len() > 6 {
            println!(
                "  ... and {} more, in the order listed",
                rollback.undo.len() - 6
            );
        }
        for keep in &rollback.cannot_undo {
            println!(
                "  cannot undo {} in {} ({})",
                keep.service, keep.region, keep.stage
            );
        }
        for reason in &rollback.reasons {
            println!("  - [{}] {}", reason.code, reason.message);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error [{}] at {:?}: {err}", err.code(), err.path());
            ExitCode::FAILURE
        }
    }
}

/// Environments: one parity finding between staging and production, and the
/// order in which pending migrations reach every environment.
fn environments_section() -> rollgate::Result<()> {
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
