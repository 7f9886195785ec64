//! Stage 2, risk and readiness: the change's risk against the plan and the
//! release calendar, then the governance policy's findings on it.

use rollgate::{GovernanceDecision, Plan, RiskAssessment, RiskContext, RiskRef};

use crate::table::{print, word, Align::*};
use crate::Release;

pub fn show(
    plan: &Plan,
    release: &Release,
) -> rollgate::Result<(RiskAssessment, GovernanceDecision)> {
    let change = &release.change;
    println!(
        "\n== 2. Risk and readiness of {} \"{}\" ({} services)\n",
        change.id,
        change.title,
        change.services.len()
    );
    // The release starts in New York: judge its timing on that calendar.
    let context = RiskContext {
        calendar: plan.calendars.get("americas").cloned(),
        ..RiskContext::default()
    };
    let risk = rollgate::assess_risk(change, Some(plan), None, None, Some(&context))?;
    println!(
        "Risk: {} (score {} of 100, probability of failure {:.1}%); contributions in log-odds, baseline {:+.2}:",
        word(&risk.level),
        risk.score,
        risk.probability * 100.0,
        risk.baseline
    );
    let (moving, neutral): (Vec<_>, Vec<_>) =
        risk.factors.iter().partition(|f| f.contribution != 0.0);
    let rows: Vec<Vec<String>> = moving
        .iter()
        .map(|f| {
            vec![
                f.code().to_string(),
                format!("{:+.2}", f.contribution),
                f.reason.message.clone(),
            ]
        })
        .collect();
    print(
        &[("factor", Left), ("log-odds", Right), ("why", Left)],
        &rows,
    );
    let codes: Vec<&str> = neutral.iter().map(|f| f.code()).collect();
    println!("  no effect: {}", codes.join(", "));
    for skipped in &risk.not_assessed {
        println!(
            "  not assessed ({}): {}",
            skipped.code,
            skipped.subjects.join(", ")
        );
    }

    let decision =
        rollgate::evaluate_governance(change, &release.policy, &RiskRef { level: risk.level })?;
    println!(
        "\nGovernance: {} (approvers: {})",
        if decision.allowed {
            "allowed"
        } else {
            "not allowed"
        },
        decision.approvers.join(", ")
    );
    for (label, reasons) in [
        ("required", &decision.required),
        ("missing", &decision.missing),
        ("violation", &decision.violations),
        ("note", &decision.notes),
    ] {
        for r in reasons {
            println!("  {label:<9} [{}] {}", r.code, r.message);
        }
    }
    Ok((risk, decision))
}
