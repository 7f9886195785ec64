//! Stage 6, the record: each decision appended to the hash-chained change
//! log with its inputs and outputs, then the log verified — and a forged
//! copy caught.

use serde_json::json;

use rollgate::{
    CanaryData, CanaryVerdict, ChangeRecord, ChangeRecordInput, GovernanceDecision, RiskAssessment,
    RollbackPlan,
};

use crate::table::{print, Align::*};
use crate::Release;

/// The decisions of one release, as the stages made them.
pub struct Decisions<'a> {
    pub release: &'a Release,
    pub risk: &'a RiskAssessment,
    pub governance: &'a GovernanceDecision,
    pub canary_data: &'a CanaryData,
    pub verdict: &'a CanaryVerdict,
    pub rollback: &'a RollbackPlan,
    pub planned_start: &'a str,
    pub judged_at: &'a str,
}

fn entry(
    kind: &str,
    at: &str,
    inputs: serde_json::Value,
    outputs: serde_json::Value,
) -> rollgate::Result<ChangeRecordInput> {
    rollgate::wire::from_value(
        json!({"kind": kind, "at": at, "inputs": inputs, "outputs": outputs}),
    )
}

fn to_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

pub fn show(d: &Decisions<'_>) -> rollgate::Result<()> {
    println!("\n== 6. The record: every decision in the change log\n");
    let entries = [
        entry(
            "readiness",
            d.planned_start,
            json!({"change": to_json(&d.release.change), "policy": to_json(&d.release.policy)}),
            json!({"risk": to_json(d.risk), "governance": to_json(d.governance)}),
        )?,
        entry(
            "canary_verdict",
            d.judged_at,
            json!({"config": to_json(&d.release.canary), "data": to_json(d.canary_data)}),
            to_json(d.verdict),
        )?,
        entry(
            "rollback",
            d.judged_at,
            json!({"halted_at": d.judged_at}),
            to_json(d.rollback),
        )?,
    ];
    let mut log: Vec<ChangeRecord> = Vec::new();
    for input in &entries {
        let record = rollgate::append_change_record(log.last(), input)?;
        log.push(record);
    }
    let short = |h: &str| h.chars().take(16).collect::<String>();
    let rows: Vec<Vec<String>> = log
        .iter()
        .map(|r| {
            vec![
                r.sequence.to_string(),
                r.kind.clone(),
                r.at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                r.previous_hash
                    .as_deref()
                    .map_or("(genesis)".to_string(), short),
                short(&r.hash),
            ]
        })
        .collect();
    print(
        &[
            ("#", Right),
            ("kind", Left),
            ("at", Left),
            ("previous hash", Left),
            ("hash (SHA-256, first 16)", Left),
        ],
        &rows,
    );
    let report = rollgate::verify_change_log(&log, None)?;
    println!(
        "\nVerified: {} ({} records); keep the checkpoint {{length: {}, head_hash: {}…}} to detect a cut-back log later.",
        if report.valid { "valid" } else { "BROKEN" },
        report.records,
        report.records,
        report.head_hash.as_deref().map(short).unwrap_or_default()
    );
    let mut forged = log.clone();
    if let Some(decision) = forged
        .get_mut(1)
        .and_then(|r| r.outputs.get_mut("decision"))
    {
        *decision = json!("promote");
    }
    let report = rollgate::verify_change_log(&forged, None)?;
    println!(
        "A copy whose verdict was edited to \"promote\": valid = {}, first broken record {}, {}",
        report.valid,
        report
            .first_broken
            .map_or("-".to_string(), |i| i.to_string()),
        report.explanation
    );
    Ok(())
}
