//! Re-derives the shipped default risk model (`core/src/risk/defaults.json`)
//! from the public just-in-time defect data and evaluates it on held-out
//! changes.
//!
//! ```text
//! cargo run -p rollgate --release --example fit_defaults -- /path/to/jit > core/src/risk/defaults.json
//! ```
//!
//! The data is not part of this repository: it is the public JiTReliability
//! data set v1.01 (github.com/lining-nwpu/JiTReliability), of which this uses
//! `Ant_input.csv`, `Derby_input.csv`, `Geronimo_input.csv`, `HBase_input.csv`
//! and `Hadoop_input.csv` (one row per commit, SZZ defect labels). Put them
//! in one folder and pass its path; without it the example says so and
//! exits with status 2. Checks made here, reported on stderr:
//! - the columns labelled `ns`, `ndev` and `exp` are identical in every row,
//!   as are `nm`, `pd` and `rexp`, and `entropy` and `sexp`; `npt` equals
//!   `entropy / nf`. Those columns cannot be told apart, so subsystems,
//!   directories, developer counts, prior changes and author experience are
//!   NOT fitted from this data (their default weight is absent, i.e. 0);
//! - `la` and `ld` are relative to `lt`; `la·lt` and `ld·lt` are whole
//!   numbers, so absolute counts are recovered as `round(la·lt)`. Rows with
//!   `lt = 0` (new files: relative churn undefined) and rows with `NA` are
//!   dropped.
//!
//! Fitted: `lines_added`, `lines_deleted`, `lines_before`, `files_changed`,
//! `entropy`, `is_fix`, by `fit_risk_model` with `prior: zero`, `l2: 1` on
//! the earliest 70 % of each project's commits (by commit date); evaluated on
//! the latest 30 %. Operational factors (migrations, blast radius, timing,
//! evidence, ...) have no column in any public JIT data set: their weights
//! are the documented priors in `PRIORS` below.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use rollgate::risk::{FitOptions, PriorKind};
use rollgate::{Change, ChangeOutcome};

const PROJECTS: &[&str] = &["Ant", "Derby", "Geronimo", "HBase", "Hadoop"];
const FITTED: &[&str] = &[
    "lines_added",
    "lines_deleted",
    "lines_before",
    "files_changed",
    "entropy",
    "is_fix",
];

/// Hand-set priors (log-odds per unit of the factor's feature; center 0
/// unless stated), chosen to be modest next to the fitted size effects
/// (a one-standard-deviation size change moves the log-odds by about 0.3–0.8).
const PRIORS: &[(&str, f64, f64, &str)] = &[
    ("kind_config", 0.2, 0.0, "prior: configuration changes are a leading cause of outages (Google SRE book, ch. 'Postmortem culture' data); kept small"),
    ("kind_schema", 0.4, 0.0, "prior: schema changes couple code and data"),
    ("kind_infrastructure", 0.3, 0.0, "prior: infrastructure changes have wide reach"),
    ("has_migration", 0.5, 0.0, "prior: data migrations are hard to undo"),
    ("irreversible", 0.7, 0.0, "prior: no rollback path turns a defect into an incident"),
    ("emergency", 0.6, 0.0, "prior: emergency changes skip the usual assessment"),
    ("feature_flag", -0.5, 0.0, "prior: a flag decouples deploy from release and allows instant disable"),
    ("tests_failed", 1.0, 0.0, "prior: shipping with failing suites"),
    ("no_test_evidence", 0.5, 0.0, "prior: no passing test suite recorded"),
    ("coverage_gap", 0.5, 0.3, "prior: per unit of uncovered share, centred at 70 % coverage"),
    ("security_scan_failed", 0.5, 0.0, "prior: failed scan or critical findings"),
    ("weekend", 0.3, 0.0, "prior: fewer responders on weekends"),
    ("off_hours", 0.3, 0.0, "prior: fewer responders outside business hours"),
    ("peak", 0.3, 0.0, "prior: more customers exposed at peak"),
    ("outside_window", 0.7, 0.0, "prior: release outside an allowed window (from a calendar check)"),
    ("near_freeze", 0.4, 0.0, "prior: little time to fix forward before a freeze; 1 within the planned duration, falling to 0 at 72 h"),
    ("slow_rollback", 0.4, 0.0, "prior: 0 canary/blue-green, 0.5 rolling, 1 recreate"),
    ("stateful_services", 0.4, 0.0, "prior: state outlives a rollback"),
    ("transitive_dependents", 0.2, 0.0, "prior: per unit of ln(1 + dependents) from the plan's graph"),
    ("customer_facing_share", 0.5, 0.0, "prior: share of the plan's services affected that face customers"),
    ("traffic_exposed", 0.5, 0.0, "prior: share of the plan's services affected (plans carry no traffic weights)"),
    ("service_failure_history", 1.0, 0.0, "prior: posterior log-odds ratio of the worst touched service taken at face value"),
    ("author_service_experience", -0.15, 0.0, "prior: per unit of ln(1 + author's successful changes to these services)"),
];

struct Row {
    project: &'static str,
    date: String,
    id: u64,
    outcome: ChangeOutcome,
}

/// Where the data comes from, for the message when it is missing.
const DATA_HELP: &str = "\
The JIT defect data is not in this repository. Download the public
JiTReliability data set v1.01 (github.com/lining-nwpu/JiTReliability) and put
Ant_input.csv, Derby_input.csv, Geronimo_input.csv, HBase_input.csv and
Hadoop_input.csv in one folder, then run
  cargo run -p rollgate --release --example fit_defaults -- /path/to/that/folder
(provenance and the expected figures: core/src/risk/defaults.md).";

/// The data folder from the command line (default `../shared/data/jit`),
/// or the reason it cannot be used.
fn data_dir() -> Result<PathBuf, String> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/data/jit".into()),
    );
    let missing: Vec<String> = PROJECTS
        .iter()
        .map(|p| format!("{p}_input.csv"))
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if missing.is_empty() {
        Ok(dir)
    } else {
        Err(format!(
            "fit_defaults: {} lacks {}.\n{DATA_HELP}",
            dir.display(),
            missing.join(", ")
        ))
    }
}

fn load(dir: &std::path::Path, project: &'static str, stats: &mut Vec<String>) -> Vec<Row> {
    let text = std::fs::read_to_string(dir.join(format!("{project}_input.csv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = split(lines.next().unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (c_date, c_id) = (col("commitdate"), col("transactionid"));
    let names = [
        "ns", "nm", "nf", "entropy", "la", "ld", "lt", "fix", "ndev", "pd", "npt", "exp", "rexp",
        "sexp", "bug",
    ];
    let idx: Vec<usize> = names.iter().map(|n| col(n)).collect();
    let mut rows = Vec::new();
    let (mut dropped_na, mut dropped_lt0) = (0, 0);
    let mut identical = [true; 4];
    for line in lines {
        let f = split(line);
        if f[c_date] == "NA" || idx.iter().any(|&i| f[i] == "NA") {
            dropped_na += 1;
            continue;
        }
        let v: Vec<f64> = idx.iter().map(|&i| f[i].parse::<f64>().unwrap()).collect();
        let [ns, nm, nf, entropy, la, ld, lt, fix, ndev, pd, npt, exp, rexp, sexp, bug] =
            v[..].try_into().unwrap();
        identical[0] &= ns == ndev && ndev == exp;
        identical[1] &= nm == pd && pd == rexp;
        identical[2] &= entropy == sexp;
        identical[3] &= (npt - entropy / nf).abs() < 1e-9;
        if lt == 0.0 {
            dropped_lt0 += 1;
            continue;
        }
        let id: u64 = f[c_id].parse().unwrap();
        let change: Change = rollgate::wire::from_value(serde_json::json!({
            "id": format!("{project}-{id}"),
            "author": "unknown",
            "services": [project],
            "lines_added": (la * lt).round(),
            "lines_deleted": (ld * lt).round(),
            "lines_before": lt,
            "files_changed": nf,
            "entropy": entropy,
            "is_fix": fix == 1.0,
        }))
        .unwrap();
        rows.push(Row {
            project,
            date: f[c_date].clone(),
            id,
            outcome: ChangeOutcome {
                change,
                failed: bug == 1.0,
            },
        });
    }
    stats.push(format!(
        "{project}: {} rows kept, {dropped_na} dropped (NA), {dropped_lt0} dropped (lt = 0); \
         ns=ndev=exp: {}, nm=pd=rexp: {}, entropy=sexp: {}, npt=entropy/nf: {}",
        rows.len(),
        identical[0],
        identical[1],
        identical[2],
        identical[3]
    ));
    rows
}

fn split(line: &str) -> Vec<String> {
    line.split(',')
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

fn main() {
    let dir = match data_dir() {
        Ok(dir) => dir,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let mut stats = Vec::new();
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for project in PROJECTS {
        let mut rows = load(&dir, project, &mut stats);
        rows.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        let cut = rows.len() * 7 / 10;
        let later = rows.split_off(cut);
        train.extend(rows);
        test.extend(later);
    }
    for s in &stats {
        eprintln!("{s}");
    }
    let train_outcomes: Vec<ChangeOutcome> = train.iter().map(|r| r.outcome.clone()).collect();
    let options = FitOptions {
        l2: 1.0,
        prior: PriorKind::Zero,
        factors: Some(FITTED.iter().map(|s| s.to_string()).collect()),
        source: String::new(),
        ..FitOptions::default()
    };
    let fitted = rollgate::fit_risk_model(&train_outcomes, Some(&options)).unwrap();

    // Level thresholds: the 50th, 80th and 95th percentiles of the predicted
    // probability on the training changes, so that on data like these about
    // half the changes are low, 30 % medium, 15 % high and 5 % critical.
    let mut probs: Vec<f64> = train_outcomes
        .iter()
        .map(|o| {
            rollgate::assess_risk(&o.change, None, Some(&fitted), None, None)
                .unwrap()
                .probability
        })
        .collect();
    probs.sort_by(f64::total_cmp);
    let q = |p: f64| {
        (probs[((probs.len() as f64 - 1.0) * p).round() as usize] * 1000.0).round() / 1000.0
    };

    let (n, k) = (fitted.training.changes, fitted.training.failures);
    let mut weights: Vec<serde_json::Value> = fitted
        .weights
        .iter()
        .filter(|w| FITTED.contains(&w.code.as_str()))
        .map(|w| {
            serde_json::json!({
                "code": w.code, "weight": round6(w.weight), "center": round6(w.center),
                "precision": round6(w.precision),
                "provenance": format!("fitted: ridge logistic regression (l2 = 1) on {n} JIT changes ({k} defect-inducing), earliest 70% of Ant, Derby, Geronimo, HBase, Hadoop"),
            })
        })
        .collect();
    for (code, weight, center, why) in PRIORS {
        weights.push(serde_json::json!({"code": code, "weight": weight, "center": center, "precision": 0.0, "provenance": why}));
    }
    let rate = k as f64 / n as f64;
    let model = serde_json::json!({
        "version": 1,
        "baseline": round6(fitted.baseline),
        "baseline_precision": round6(fitted.baseline_precision),
        "weights": weights,
        "levels": {"medium": q(0.5), "high": q(0.8), "critical": q(0.95)},
        "history_prior": {"alpha": round6(10.0 * rate), "beta": round6(10.0 * (1.0 - rate))},
        "training": {"changes": n, "failures": k, "source": "JiTReliability v1.01 (lining-nwpu/JiTReliability): Ant, Derby, Geronimo, HBase, Hadoop, earliest 70% of each by commit date; see core/src/risk/defaults.md"},
    });
    let shipped: rollgate::RiskModel = serde_json::from_value(model.clone()).unwrap();
    shipped.validate("").unwrap();

    // Held-out evaluation of the shipped model, pooled and per project.
    let test_outcomes: Vec<ChangeOutcome> = test.iter().map(|r| r.outcome.clone()).collect();
    report("all (held-out 30%)", &shipped, &test_outcomes);
    report("all (training 70%)", &shipped, &train_outcomes);
    for project in PROJECTS {
        let part: Vec<ChangeOutcome> = test
            .iter()
            .filter(|r| r.project == *project)
            .map(|r| r.outcome.clone())
            .collect();
        report(&format!("{project} (held-out)"), &shipped, &part);
    }
    println!("{}", serde_json::to_string_pretty(&model).unwrap());
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn report(name: &str, model: &rollgate::RiskModel, outcomes: &[ChangeOutcome]) {
    let e = rollgate::evaluate_risk_model(model, outcomes).unwrap();
    let curve: Vec<String> = e
        .caught_vs_gated
        .iter()
        .map(|g| {
            format!(
                "{:.0}%→{:.1}%",
                g.gated_share * 100.0,
                g.caught_share * 100.0
            )
        })
        .collect();
    eprintln!(
        "| {name} | {} | {:.1}% | {:.3} | {:.4} | {:.4} | {:.3} | {} |",
        e.changes,
        e.failure_rate * 100.0,
        e.auc.unwrap_or(f64::NAN),
        e.brier,
        e.brier_reference,
        e.brier_skill,
        curve.join(", ")
    );
}
