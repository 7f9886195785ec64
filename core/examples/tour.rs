//! A tour of rollgate on a bundled, realistic release plan: deployment
//! waves, rollback order, blast radius, critical path, a bounded-parallel
//! schedule, the multi-region rollout through release windows (as a table
//! and as a Mermaid Gantt chart) and a rollback plan for a halt.
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

/// A simulated release driven by `advance_release`: the canary region goes
/// bad, the release halts and rolls back, and every call's decision is
/// appended to a hash-chained change log that is then verified.
fn release_section() -> rollgate::Result<()> {
    use rollgate::release::{advance_release, parse_events, start_release, Action};
    let plan = Plan::from_json(
        r#"{"name": "checkout-v42",
        "services": [{"id": "payments", "deploy_duration": "4m"},
                     {"id": "storefront", "depends_on": ["payments"], "deploy_duration": "3m", "customer_facing": true}],
        "regions": [{"id": "canary-eu", "tier": "canary", "traffic_share": 0.05},
                    {"id": "eu-west", "traffic_share": 0.45}, {"id": "us-east", "traffic_share": 0.5}],
        "rollout": {"bake_time": "30m",
          "analysis": {"metrics": [{"name": "errors", "kind": "count", "direction": "increase", "critical": true}]},
          "escalation": {"rules": [{"name": "canary_harm", "verdict": "rollback", "customer_facing": true, "severity": "sev2"}],
                         "notify": {"sev2": ["oncall-checkout"]}}}}"#,
    )?;
    let t = |s: &str| rollgate::window::parse_timestamp("now", s);
    let mut state = start_release(&plan, t("2026-11-24T09:00:00Z")?, None)?;
    let mut log: Vec<rollgate::ChangeRecord> = Vec::new();
    let calls = [
        ("2026-11-24T09:00:00Z", serde_json::json!([])),
        (
            "2026-11-24T09:04:00Z",
            serde_json::json!([
            {"type": "step_started", "region": "canary-eu", "service": "payments", "at": "2026-11-24T09:00:05Z"},
            {"type": "step_finished", "region": "canary-eu", "service": "payments", "outcome": "succeeded", "at": "2026-11-24T09:04:00Z"}]),
        ),
        (
            "2026-11-24T09:10:00Z",
            serde_json::json!([
            {"type": "step_started", "region": "canary-eu", "service": "storefront", "at": "2026-11-24T09:04:05Z"},
            {"type": "step_finished", "region": "canary-eu", "service": "storefront", "outcome": "succeeded", "at": "2026-11-24T09:07:00Z"},
            {"type": "metrics", "region": "canary-eu", "at": "2026-11-24T09:10:00Z",
             "batch": {"errors": {"baseline": {"events": 12}, "canary": {"events": 61}}}}]),
        ),
    ];
    println!("\nRelease `{}` driven by advance_release:", plan.name);
    for (now, events) in calls {
        let update = advance_release(&plan, &state, &parse_events(events)?, t(now)?)?;
        let kinds: Vec<&str> = update.actions.iter().map(Action::kind).collect();
        println!(
            "  {now}  {:<12} actions: {}",
            update.status.as_str(),
            kinds.join(", ")
        );
        for action in &update.actions {
            match action {
                Action::RollBack { plan, .. } => {
                    let undo: Vec<String> = plan
                        .undo
                        .iter()
                        .map(|u| format!("{}@{}", u.service, u.region))
                        .collect();
                    println!("    roll back: {}", undo.join(" then "));
                }
                Action::Escalate { .. } => {
                    let context = serde_json::to_value(action).unwrap_or_default();
                    let text = rollgate::render_notification("incident", &context)?;
                    println!("    {}", text.replace('\n', "\n    "));
                }
                _ => {}
            }
        }
        log.push(rollgate::append_change_record(log.last(), &update.record)?);
        state = update.state;
    }
    let verification = rollgate::verify_change_log(&log, None)?;
    println!(
        "  change log: {} records, valid: {}",
        log.len(),
        verification.valid
    );
    Ok(())
}

fn main() -> ExitCode {
    match run().and_then(|()| release_section()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error [{}] at {:?}: {err}", err.code(), err.path());
            ExitCode::FAILURE
        }
    }
}
