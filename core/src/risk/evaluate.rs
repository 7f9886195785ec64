//! How well a model ranks and predicts: Brier score, log loss, AUC and the
//! share of failures caught when gating the riskiest changes.

use serde::{Deserialize, Serialize};

use super::assess::change_log_odds;
use super::model::RiskModel;
use super::solve::sigmoid;
use crate::change::{ChangeOutcome, Checked};
use crate::error::{ChangeError, Error, Result};

/// One point of the "share of failures caught vs share of changes gated" curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GatePoint {
    /// Share of changes gated (the riskiest first).
    pub gated_share: f64,
    /// Changes gated: `ceil(gated_share · changes)`.
    pub gated: usize,
    /// Failures among the gated changes.
    pub caught: usize,
    /// `caught / failures` (0 when there are no failures).
    pub caught_share: f64,
    /// `caught_share / gated_share`: how much better than gating at random.
    pub lift: f64,
}

/// Quality of a risk model on given outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskModelEvaluation {
    /// Outcomes evaluated.
    pub changes: usize,
    /// Failures among them.
    pub failures: usize,
    /// `failures / changes`.
    pub failure_rate: f64,
    /// Mean predicted probability.
    pub mean_probability: f64,
    /// Mean squared error of the probability (lower is better).
    pub brier: f64,
    /// Brier score of always predicting the observed failure rate.
    pub brier_reference: f64,
    /// `1 − brier / brier_reference` (> 0: better than the base rate).
    pub brier_skill: f64,
    /// Mean negative log-likelihood.
    pub log_loss: f64,
    /// Area under the ROC curve (ties count one half); `null` with one class only.
    pub auc: Option<f64>,
    /// Failures caught when gating the riskiest 5, 10, 20 and 50 % of changes.
    pub caught_vs_gated: Vec<GatePoint>,
}

/// Evaluates a model on outcomes, assessing each change from the change
/// alone (no plan, history or context). Changes are ranked by probability,
/// highest first, ties by change id, then input position.
///
/// Errors: invalid model or changes; `insufficient_history` when empty.
///
/// ```
/// let model = rollgate::default_risk_model();
/// let big: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "big", "author": "a", "services": [], "lines_added": 5000, "files_changed": 80}"#).unwrap();
/// let small: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "small", "author": "a", "services": [], "lines_added": 2, "files_changed": 1}"#).unwrap();
/// let history = vec![
///     rollgate::ChangeOutcome { change: big, failed: true },
///     rollgate::ChangeOutcome { change: small, failed: false },
/// ];
/// let report = rollgate::evaluate_risk_model(&model, &history).unwrap();
/// assert_eq!(report.auc, Some(1.0));
/// assert_eq!(report.caught_vs_gated[3].caught, 1);
/// ```
pub fn evaluate_risk_model(
    model: &RiskModel,
    history: &[ChangeOutcome],
) -> Result<RiskModelEvaluation> {
    let model = Checked::new(model, "")?;
    let history = Checked::new(history, "history")?;
    if history.is_empty() {
        return Err(Error::new(
            "history",
            ChangeError::InsufficientHistory {
                changes: 0,
                failures: 0,
                message: "evaluation needs at least one outcome".into(),
            },
        ));
    }
    let scored: Vec<Scored<'_>> = history
        .iter()
        .enumerate()
        .map(|(i, r)| Scored {
            probability: sigmoid(change_log_odds(&r.change, &model)),
            id: r.change.id.as_str(),
            position: i,
            failed: r.failed,
        })
        .collect();
    Ok(evaluate_scores(scored))
}

/// One outcome with its predicted probability.
#[derive(Debug, Clone, Copy)]
struct Scored<'a> {
    probability: f64,
    id: &'a str,
    position: usize,
    failed: bool,
}

/// The evaluation of scored outcomes (at least one).
fn evaluate_scores(mut scored: Vec<Scored<'_>>) -> RiskModelEvaluation {
    let n = scored.len();
    let failures = scored.iter().filter(|s| s.failed).count();
    let nf = n as f64;
    let rate = failures as f64 / nf;
    let (mut brier, mut log_loss, mut mean_p) = (0.0, 0.0, 0.0);
    for s in &scored {
        let (p, t) = (s.probability, if s.failed { 1.0 } else { 0.0 });
        brier += (p - t) * (p - t);
        let q = p.clamp(1e-15, 1.0 - 1e-15);
        log_loss -= if s.failed { q.ln() } else { (1.0 - q).ln() };
        mean_p += p;
    }
    let brier = brier / nf;
    let brier_reference = rate * (1.0 - rate);
    // Riskiest first; ties by change id, then input position.
    scored.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then_with(|| a.id.cmp(b.id))
            .then_with(|| a.position.cmp(&b.position))
    });
    RiskModelEvaluation {
        changes: n,
        failures,
        failure_rate: rate,
        mean_probability: mean_p / nf,
        brier,
        brier_reference,
        brier_skill: if brier_reference > 0.0 {
            1.0 - brier / brier_reference
        } else {
            0.0
        },
        log_loss: log_loss / nf,
        auc: auc(&scored, failures),
        caught_vs_gated: caught_vs_gated(&scored, failures),
    }
}

/// Area under the ROC curve of outcomes sorted riskiest first, by ranks
/// with ties counted one half (Mann–Whitney U); `None` with one class only.
fn auc(sorted: &[Scored<'_>], failures: usize) -> Option<f64> {
    let successes = sorted.len() - failures;
    if failures == 0 || successes == 0 {
        return None;
    }
    let mut u = 0.0;
    let mut negatives_below = successes as f64;
    for tie in sorted.chunk_by(|a, b| a.probability == b.probability) {
        let pos = tie.iter().filter(|s| s.failed).count() as f64;
        let neg = tie.len() as f64 - pos;
        negatives_below -= neg;
        u += pos * (negatives_below + 0.5 * neg);
    }
    Some(u / (failures as f64 * successes as f64))
}

/// Failures caught when gating the riskiest 5, 10, 20 and 50 %.
fn caught_vs_gated(sorted: &[Scored<'_>], failures: usize) -> Vec<GatePoint> {
    let nf = sorted.len() as f64;
    [0.05, 0.10, 0.20, 0.50]
        .iter()
        .map(|&share| {
            let gated = ((share * nf) - 1e-9).ceil().max(0.0) as usize;
            let caught = sorted.iter().take(gated).filter(|s| s.failed).count();
            let caught_share = if failures == 0 {
                0.0
            } else {
                caught as f64 / failures as f64
            };
            GatePoint {
                gated_share: share,
                gated,
                caught,
                caught_share,
                lift: caught_share / share,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scored(list: &[(f64, &'static str, bool)]) -> Vec<Scored<'static>> {
        list.iter()
            .enumerate()
            .map(|(i, &(probability, id, failed))| Scored {
                probability,
                id,
                position: i,
                failed,
            })
            .collect()
    }

    #[test]
    fn auc_counts_ties_one_half() {
        let e = evaluate_scores(scored(&[
            (0.5, "a", true),
            (0.5, "b", false),
            (0.1, "c", false),
        ]));
        assert_eq!(e.auc, Some(0.75));
        let e = evaluate_scores(scored(&[
            (0.1, "a", true),
            (0.5, "b", false),
            (0.9, "c", true),
        ]));
        assert_eq!(e.auc, Some(0.5));
        let e = evaluate_scores(scored(&[(0.2, "a", false), (0.1, "b", false)]));
        assert_eq!((e.auc, e.brier_skill, e.failure_rate), (None, 0.0, 0.0));
        assert_eq!(e.caught_vs_gated[3].caught_share, 0.0);
    }

    #[test]
    fn scores_and_the_gating_curve() {
        // 20 changes, riskiest first by probability; failures at ranks 1, 2 and 11.
        let list: Vec<(f64, &'static str, bool)> = (0..20)
            .map(|i| (1.0 - i as f64 / 20.0, "x", matches!(i, 0 | 1 | 10)))
            .collect();
        let e = evaluate_scores(scored(&list));
        let caught: Vec<(usize, usize)> = e
            .caught_vs_gated
            .iter()
            .map(|g| (g.gated, g.caught))
            .collect();
        assert_eq!(caught, [(1, 1), (2, 2), (4, 2), (10, 2)]);
        assert_eq!(e.caught_vs_gated[0].lift, (1.0 / 3.0) / 0.05);
        let brier: f64 = list
            .iter()
            .map(|&(p, _, f)| (p - f64::from(u8::from(f))).powi(2))
            .sum::<f64>()
            / 20.0;
        assert!((e.brier - brier).abs() < 1e-15);
        assert!((e.brier_reference - 0.15 * 0.85).abs() < 1e-15);
        assert!((e.mean_probability - 0.525).abs() < 1e-15);
        // The sure failure at p = 1 costs nothing; log loss is finite.
        assert!(e.log_loss.is_finite() && e.log_loss > 0.0);
    }

    #[test]
    fn ties_rank_by_id_then_position() {
        let e = evaluate_scores(scored(&[
            (0.5, "b", false),
            (0.5, "a", true),
            (0.5, "a", false),
        ]));
        // 5 % of 3 gates one change: "a" (failed) at position 1 comes first.
        assert_eq!(e.caught_vs_gated[0].caught, 1);
        let e = evaluate_scores(scored(&[(0.5, "a", false), (0.5, "a", true)]));
        assert_eq!(e.caught_vs_gated[0].caught, 0);
    }
}
