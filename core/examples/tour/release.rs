//! A simulated release driven by `advance_release`: a small two-service plan
//! whose canary region goes bad; the release halts, escalates and rolls
//! back, and every call's decision is appended to a hash-chained change log
//! that is then verified.

use rollgate::release::{advance_release, parse_events, start_release, Action};

/// Drives the release call by call and prints each call's status and actions.
pub fn show() -> rollgate::Result<()> {
    let plan = rollgate::Plan::from_json(
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
