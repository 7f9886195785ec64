//! A schedule as a Mermaid Gantt chart, for portals and documents.

use std::collections::BTreeMap;

use super::flag_stages::FlagStage;
use super::schedule::{Schedule, Wave};
use crate::error::Result;
use crate::wire::time::parse_timestamp;

/// Mermaid task names and ids must not contain `:`, `;`, `#` or `%` (which
/// starts a comment in Mermaid's Gantt grammar).
fn mermaid_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, ':' | ';' | '#' | '%') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn mermaid_id(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Renders a schedule as a Mermaid Gantt chart (times in UTC): one section
/// per wave, one bar per region (from its first step to its last), one bar
/// per window wait (`crit`) and one for the bake (`active`, omitted when
/// the bake is zero); then a section for the release stages, one bar per
/// stage from turning its flag up to its gate (`active`), after a `crit`
/// bar for a calendar wait.
///
/// Errors: `invalid_timestamp` for a schedule start (path `/start`) or a
/// wait's `from` (path `/waves`) that is not RFC 3339.
///
/// ```
/// let plan = rollgate::Plan::from_json(r#"{"name": "p",
///   "services": [{"id": "api", "deploy_duration": "5m"}],
///   "regions": [{"id": "eu", "tier": "canary"}], "rollout": {"bake_time": "1h"}}"#)?;
/// let start = rollgate::window::parse_timestamp("start", "2026-11-24T09:00:00Z")?;
/// let gantt = rollgate::to_mermaid_gantt(&rollgate::schedule_rollout(&plan, start)?)?;
/// assert!(gantt.starts_with("gantt\n"));
/// assert!(gantt.contains("    eu :w1_eu, 2026-11-24 09:00:00, 2026-11-24 09:05:00\n"));
/// assert!(gantt.contains("    bake :active, w1_bake, 2026-11-24 09:05:00, 2026-11-24 10:05:00\n"));
/// # Ok::<(), rollgate::Error>(())
/// ```
pub fn to_mermaid_gantt(schedule: &Schedule) -> Result<String> {
    let t0 = parse_timestamp("/start", &schedule.start)?.timestamp();
    let mut out = String::new();
    out.push_str("gantt\n");
    out.push_str(&format!(
        "    title {} rollout (UTC)\n",
        mermaid_safe(&schedule.plan)
    ));
    out.push_str("    dateFormat YYYY-MM-DD HH:mm:ss\n");
    out.push_str("    axisFormat %m-%d %H:%M\n");
    for w in &schedule.waves {
        wave_section(w, t0, &mut out)?;
    }
    if !schedule.release_stages.is_empty() {
        out.push_str("    section Release stages (feature flags)\n");
        for stage in &schedule.release_stages {
            stage_bars(stage, t0, &mut out);
        }
    }
    Ok(out)
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of `secs` after `t0`.
fn utc(t0: i64, secs: u64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(t0 + secs as i64, 0)
        .map_or_else(String::new, |d| d.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// One release stage: its calendar wait (if any), then the stage itself
/// until its gate can pass.
fn stage_bars(stage: &FlagStage, t0: i64, out: &mut String) {
    let flag = mermaid_safe(&stage.flag);
    if stage.wait_seconds > 0 {
        let from = stage.start_seconds.saturating_sub(stage.wait_seconds);
        out.push_str(&format!(
            "    wait {flag} :crit, s{}_wait, {}, {}\n",
            stage.number,
            utc(t0, from),
            utc(t0, stage.start_seconds)
        ));
    }
    out.push_str(&format!(
        "    {flag} to {} percent :active, s{}, {}, {}\n",
        stage.percentage,
        stage.number,
        utc(t0, stage.start_seconds),
        utc(t0, stage.gate.earliest_pass_seconds)
    ));
}

/// One wave's section: waits, region bars, bake.
fn wave_section(w: &Wave, t0: i64, out: &mut String) -> Result<()> {
    let utc = |secs: u64| utc(t0, secs);
    let label = if w.kind == "contract" {
        format!("Wave {} (contract migrations)", w.number)
    } else {
        format!("Wave {}", w.number)
    };
    out.push_str(&format!("    section {label}\n"));
    for (i, wait) in w.waits.iter().enumerate() {
        // Waits are stored in the region's offset; convert through the epoch.
        let from = (parse_timestamp("/waves", &wait.from)?.timestamp() - t0).max(0) as u64;
        out.push_str(&format!(
            "    wait {} :crit, w{}_wait{}, {}, {}\n",
            mermaid_safe(&wait.region),
            w.number,
            i,
            utc(from),
            utc(from + wait.seconds)
        ));
    }
    let mut spans: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for s in &w.steps {
        spans
            .entry(s.region.as_str())
            .and_modify(|(a, b)| {
                *a = (*a).min(s.start_seconds);
                *b = (*b).max(s.finish_seconds);
            })
            .or_insert((s.start_seconds, s.finish_seconds));
    }
    for region in &w.regions {
        let (a, b) = spans
            .get(region.as_str())
            .copied()
            .unwrap_or((w.start_seconds, w.start_seconds));
        out.push_str(&format!(
            "    {} :w{}_{}, {}, {}\n",
            mermaid_safe(region),
            w.number,
            mermaid_id(region),
            utc(a),
            utc(b)
        ));
    }
    if w.gate.bake_seconds > 0 {
        out.push_str(&format!(
            "    bake :active, w{}_bake, {}, {}\n",
            w.number,
            utc(w.finish_seconds),
            utc(w.gate.earliest_pass_seconds)
        ));
    }
    Ok(())
}
