//! Learning a model from outcomes: [`fit_risk_model`] (a fresh ridge
//! logistic regression) and [`update_risk_model`] (the model as the prior of
//! a fit on new outcomes).

use serde::{Deserialize, Serialize};

use super::factors::{change_factor, fittable_factors, position, source_of, Source};
use super::model::{default_risk_model, BetaPrior, FactorWeight, RiskModel, TrainingSummary};
use super::solve::{at, logit, Problem, Solve};
use super::RiskContext;
use crate::change::{ChangeOutcome, Checked, Validate};
use crate::error::{ChangeError, Error, Result};

/// Options of [`fit_risk_model`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FitOptions {
    /// L2 penalty on the standardised weights (default 1.0): the prior
    /// precision of weight j is `l2 · var(feature j)`.
    #[serde(default = "default_l2")]
    pub l2: f64,
    /// `"defaults"` (the default) shrinks weights towards the shipped
    /// defaults; `"zero"` towards 0 (plain ridge logistic regression).
    #[serde(default)]
    pub prior: PriorKind,
    /// Factors to learn (default: every [`fittable_factors`](super::fittable_factors) code); the
    /// others keep the prior model's weights.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factors: Option<Vec<String>>,
    /// Newton iterations at most (default 100).
    #[serde(default = "default_iterations")]
    pub max_iterations: u32,
    /// Strength (pseudo-changes) of the services' failure-rate prior, whose
    /// mean is the history's failure rate (default 10).
    #[serde(default = "default_strength")]
    pub history_prior_strength: f64,
    /// Description stored in the model's `training.source`.
    #[serde(default)]
    pub source: String,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            l2: default_l2(),
            prior: PriorKind::Defaults,
            factors: None,
            max_iterations: default_iterations(),
            history_prior_strength: default_strength(),
            source: String::new(),
        }
    }
}

fn default_l2() -> f64 {
    1.0
}
fn default_iterations() -> u32 {
    100
}
fn default_strength() -> f64 {
    10.0
}

/// What fitted weights are shrunk towards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PriorKind {
    /// The shipped default weights.
    #[default]
    Defaults,
    /// Zero.
    Zero,
}

impl Validate for FitOptions {
    /// `l2` finite and ≥ 0, `history_prior_strength` finite and > 0, every
    /// listed factor fittable (`unknown_risk_factor`, path `{prefix}/factors/i`).
    fn validate(&self, prefix: &str) -> Result<()> {
        if !(self.l2.is_finite() && self.l2 >= 0.0) {
            return Err(Error::invalid_input(
                format!("{prefix}/l2"),
                format!("l2 must be a finite number ≥ 0, got {}", self.l2),
            ));
        }
        if !(self.history_prior_strength.is_finite() && self.history_prior_strength > 0.0) {
            return Err(Error::invalid_input(
                format!("{prefix}/history_prior_strength"),
                format!(
                    "must be a finite number > 0, got {}",
                    self.history_prior_strength
                ),
            ));
        }
        let fittable = fittable_factors();
        for (i, c) in self.factors.iter().flatten().enumerate() {
            if !fittable.contains(&c.as_str()) {
                return Err(Error::new(
                    format!("{prefix}/factors/{i}"),
                    ChangeError::UnknownRiskFactor { factor: c.clone() },
                ));
            }
        }
        Ok(())
    }
}

impl FitOptions {
    /// The factors to learn, without repeats, in canonical order.
    fn codes(&self) -> Vec<&'static str> {
        let fittable = fittable_factors();
        match &self.factors {
            None => fittable,
            Some(list) => fittable
                .into_iter()
                .filter(|f| list.iter().any(|c| c == f))
                .collect(),
        }
    }
}

/// Each outcome's features for `codes`; `None` where the input is missing
/// (such as unknown coverage).
fn feature_rows(history: &[ChangeOutcome], codes: &[&str]) -> Vec<Vec<Option<f64>>> {
    let ctx = RiskContext::default();
    history
        .iter()
        .map(|r| {
            codes
                .iter()
                .map(|code| match change_factor(&r.change, code, &ctx) {
                    Ok(Some(m)) => Some(m.feature),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// Outcomes and failures among them.
fn history_counts(history: &[ChangeOutcome]) -> (usize, usize) {
    (history.len(), history.iter().filter(|r| r.failed).count())
}

/// Features centred on their means (a missing value counts as the mean):
/// row-major values, the centers and the (population) variances.
struct Design {
    x: Vec<f64>,
    centers: Vec<f64>,
    variances: Vec<f64>,
}

impl Design {
    fn new(rows: &[Vec<Option<f64>>], d: usize) -> Self {
        let centers: Vec<f64> = (0..d)
            .map(|j| {
                let (sum, k) = rows
                    .iter()
                    .filter_map(|r| r.get(j).copied().flatten())
                    .fold((0.0, 0usize), |(s, k), v| (s + v, k + 1));
                if k == 0 {
                    0.0
                } else {
                    sum / k as f64
                }
            })
            .collect();
        let mut variances = vec![0.0; d];
        let mut x = Vec::with_capacity(rows.len() * d);
        for r in rows {
            for (j, (c, var)) in centers.iter().zip(variances.iter_mut()).enumerate() {
                let v = r.get(j).copied().flatten().unwrap_or(*c) - c;
                x.push(v);
                *var += v * v;
            }
        }
        let n = rows.len().max(1) as f64;
        variances.iter_mut().for_each(|v| *v /= n);
        Design {
            x,
            centers,
            variances,
        }
    }

    /// The columns `active`, row-major.
    fn columns(&self, active: &[usize]) -> Vec<f64> {
        let d = self.centers.len();
        let n = self.x.len().checked_div(d).unwrap_or(0);
        let mut out = Vec::with_capacity(n * active.len());
        for i in 0..n {
            out.extend(active.iter().map(|&j| at(&self.x, i * d + j)));
        }
        out
    }
}

/// Learns a risk model from post-implementation outcomes by deterministic
/// regularised (L2, MAP) logistic regression, solved by Newton's method
/// (IRLS) with step halving.
///
/// Only factors computed from the change alone are learned (see
/// [`fittable_factors`](super::fittable_factors)); plan, history and context factors keep the prior
/// model's weights. Each feature is centred on its training mean (missing
/// values, such as unknown coverage, count as the mean). The prior precision
/// of a weight is `l2 · var(feature)` (ridge on standardised features); the
/// stored `precision` is the prior plus the data's Hessian diagonal (a
/// diagonal Laplace approximation) so that [`update_risk_model`] can continue
/// from it. Level thresholds come from the prior model; the services'
/// failure-rate prior gets the history's failure rate as its mean.
///
/// Errors: `insufficient_history` (path `""`) when the history is empty
/// or holds only one class; invalid changes (paths `/i/change/...`);
/// `unknown_risk_factor` for an unknown or non-fittable code in
/// `options.factors`.
///
/// ```
/// let mut history = Vec::new();
/// for i in 0..40 {
///     let big = i % 2 == 0;
///     let change: rollgate::Change = rollgate::wire::from_value(serde_json::json!({
///         "id": format!("c{i}"), "author": "ana", "services": ["api"],
///         "lines_added": if big { 900 } else { 10 }, "files_changed": 3
///     })).unwrap();
///     history.push(rollgate::ChangeOutcome { change, failed: big && i % 4 == 0 || i == 1 });
/// }
/// let model = rollgate::fit_risk_model(&history, None).unwrap();
/// let w = model.weights.iter().find(|w| w.code == "lines_added").unwrap();
/// assert!(w.weight > 0.0);
/// ```
pub fn fit_risk_model(
    history: &[ChangeOutcome],
    options: Option<&FitOptions>,
) -> Result<RiskModel> {
    let history = Checked::new(history, "")?;
    let default_options = FitOptions::default();
    let options = options.unwrap_or(&default_options);
    let (n, failures) = history_counts(&history);
    if n == 0 || failures == 0 || failures == n {
        return Err(Error::new(
            String::new(),
            ChangeError::InsufficientHistory {
                changes: n,
                failures,
                message: "fitting needs at least one failed and one successful change".into(),
            },
        ));
    }
    Ok(fit(history, Checked::new(options, "options")?))
}

/// [`fit_risk_model`] on checked input with both classes present.
fn fit(history: Checked<'_, [ChangeOutcome]>, options: Checked<'_, FitOptions>) -> RiskModel {
    let (n, failures) = history_counts(&history);
    let codes = options.codes();
    let defaults = default_risk_model();
    let design = Design::new(&feature_rows(&history, &codes), codes.len());
    let prior_mean: Vec<f64> = codes
        .iter()
        .map(|c| match options.prior {
            PriorKind::Zero => 0.0,
            PriorKind::Defaults => defaults.weight(c).map_or(0.0, |w| w.weight),
        })
        .collect();
    let prior_prec: Vec<f64> = design
        .variances
        .iter()
        .map(|v| options.l2 * v.max(1e-9))
        .collect();
    let y: Vec<bool> = history.iter().map(|r| r.failed).collect();
    let rate = failures as f64 / n as f64;
    // A feature without variation carries no information: it keeps its
    // prior weight and stays out of the Newton solve (cost grows with the
    // square of the number of active features).
    let active: Vec<usize> = (0..codes.len())
        .filter(|&j| at(&design.variances, j) > 1e-12)
        .collect();
    let pick = |v: &[f64]| -> Vec<f64> { active.iter().map(|&j| at(v, j)).collect() };
    let x = design.columns(&active);
    let problem = Problem {
        x: &x,
        y: &y,
        d: active.len(),
        mean: std::iter::once(logit(rate))
            .chain(pick(&prior_mean))
            .collect(),
        precision: std::iter::once(0.0).chain(pick(&prior_prec)).collect(),
    };
    let solve = problem.solve(options.max_iterations);
    let fitted = Fitted {
        codes: &codes,
        active: &active,
        solve: &solve,
        design: &design,
        prior_mean: &prior_mean,
        prior_prec: &prior_prec,
    };
    let mut weights = fitted.weights(n, failures, options.prior);
    for w in &defaults.weights {
        if !codes.contains(&w.code.as_str()) && source_of(&w.code) != Some(Source::Change) {
            weights.push(w.clone());
        }
    }
    weights.sort_by_key(|w| position(&w.code));
    RiskModel {
        version: 1,
        baseline: solve.intercept,
        baseline_precision: solve.intercept_hessian,
        weights,
        levels: defaults.levels,
        history_prior: BetaPrior {
            alpha: options.history_prior_strength * rate,
            beta: options.history_prior_strength * (1.0 - rate),
        },
        training: TrainingSummary {
            changes: n,
            failures,
            source: options.source.clone(),
        },
    }
}

/// A fit's solution with what it was fitted from.
struct Fitted<'a> {
    codes: &'a [&'static str],
    active: &'a [usize],
    solve: &'a Solve,
    design: &'a Design,
    prior_mean: &'a [f64],
    prior_prec: &'a [f64],
}

impl Fitted<'_> {
    /// One weight per learned code: fitted where the feature varied, the
    /// prior kept where it did not.
    fn weights(&self, n: usize, failures: usize, prior: PriorKind) -> Vec<FactorWeight> {
        self.codes
            .iter()
            .enumerate()
            .map(|(j, c)| match self.active.iter().position(|&a| a == j) {
                Some(k) => FactorWeight {
                    code: c.to_string(),
                    weight: at(&self.solve.weights, k),
                    center: at(&self.design.centers, j),
                    precision: at(self.prior_prec, j) + at(&self.solve.hessian_diag, k),
                    provenance: format!("fitted: {n} changes, {failures} failures"),
                },
                None => FactorWeight {
                    code: c.to_string(),
                    weight: at(self.prior_mean, j),
                    center: at(&self.design.centers, j),
                    precision: at(self.prior_prec, j),
                    provenance: format!(
                        "prior kept: no variation in {n} changes{}",
                        match prior {
                            PriorKind::Zero => " (prior 0)",
                            PriorKind::Defaults => " (prior: shipped default)",
                        }
                    ),
                },
            })
            .collect()
    }
}

/// Updates a model with new outcomes (incremental learning): the model's
/// weights and precisions are the Gaussian prior of a MAP fit on `outcomes`
/// (the same Newton solve as [`fit_risk_model`]); centers stay fixed.
/// Only the model's change factors are updated. Precisions grow by the new
/// data's Hessian diagonal, so each update counts less as evidence piles up.
/// Weights with precision 0 are treated as weakly known (precision 1e-6).
///
/// Errors: invalid model or changes; `insufficient_history` when `outcomes`
/// is empty.
///
/// ```
/// let model = rollgate::default_risk_model();
/// let change: rollgate::Change = rollgate::wire::from_json(
///     r#"{"id": "c", "author": "a", "services": ["api"], "lines_added": 5000}"#).unwrap();
/// let before = rollgate::assess_risk(&change, None, Some(&model), None, None).unwrap();
/// let outcomes = vec![rollgate::ChangeOutcome { change: change.clone(), failed: true }; 50];
/// let updated = rollgate::update_risk_model(&model, &outcomes).unwrap();
/// let after = rollgate::assess_risk(&change, None, Some(&updated), None, None).unwrap();
/// assert!(after.probability > before.probability);
/// ```
pub fn update_risk_model(model: &RiskModel, outcomes: &[ChangeOutcome]) -> Result<RiskModel> {
    let model = Checked::new(model, "")?;
    let outcomes = Checked::new(outcomes, "outcomes")?;
    if outcomes.is_empty() {
        return Err(Error::new(
            "outcomes",
            ChangeError::InsufficientHistory {
                changes: 0,
                failures: 0,
                message: "updating needs at least one outcome".into(),
            },
        ));
    }
    Ok(update(model, outcomes))
}

/// [`update_risk_model`] on checked input with at least one outcome.
fn update(model: Checked<'_, RiskModel>, outcomes: Checked<'_, [ChangeOutcome]>) -> RiskModel {
    let (n, failures) = history_counts(&outcomes);
    let learned: Vec<&FactorWeight> = model
        .weights
        .iter()
        .filter(|w| source_of(&w.code) == Some(Source::Change))
        .collect();
    let codes: Vec<&str> = learned.iter().map(|w| w.code.as_str()).collect();
    let rows = feature_rows(&outcomes, &codes);
    let mut x = Vec::with_capacity(n * codes.len());
    for r in &rows {
        for (j, w) in learned.iter().enumerate() {
            x.push(r.get(j).copied().flatten().unwrap_or(w.center) - w.center);
        }
    }
    let prior_prec: Vec<f64> = learned.iter().map(|w| w.precision.max(1e-6)).collect();
    let y: Vec<bool> = outcomes.iter().map(|r| r.failed).collect();
    let problem = Problem {
        x: &x,
        y: &y,
        d: codes.len(),
        mean: std::iter::once(model.baseline)
            .chain(learned.iter().map(|w| w.weight))
            .collect(),
        precision: std::iter::once(model.baseline_precision.max(1e-6))
            .chain(prior_prec.iter().copied())
            .collect(),
    };
    let solve = problem.solve(100);
    let mut out = model.get().clone();
    for w in out.weights.iter_mut() {
        if let Some(j) = codes.iter().position(|c| *c == w.code) {
            w.weight = at(&solve.weights, j);
            w.precision = at(&prior_prec, j) + at(&solve.hessian_diag, j);
            w.provenance = format!("{}; updated with {n} outcomes", w.provenance);
        }
    }
    out.baseline = solve.intercept;
    out.baseline_precision = model.baseline_precision + solve.intercept_hessian;
    out.training.changes += n;
    out.training.failures += failures;
    out
}
