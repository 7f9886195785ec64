//! Assessing one change: every factor the model weighs, measured from the
//! change, the plan, the history and the context, summed on the log-odds
//! scale, each explained.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::context::{context_factor, derive_window, RiskContext};
use super::exposure::{history_factor, plan_factor, PlanMeasures};
use super::factors::{change_factor, Measure, Source, FACTORS};
use super::model::{default_risk_model, RiskLevel, RiskModel};
use super::solve::sigmoid;
use crate::change::{Change, ChangeOutcome, Checked};
use crate::error::Result;
use crate::explain::Reason;
use crate::graph::ServiceGraph;
use crate::plan::Plan;

/// One factor's part in an assessment: a [`Reason`] (code: the factor,
/// message: what was measured and how it moves the log-odds, subjects: the
/// services or people it names) with the numbers typed beside it, so that a
/// portal renders factors as it renders any reason and draws its bar chart
/// from `contribution`. On the wire the reason's fields sit at the top level:
/// `{"code", "message", "subjects", "value", "feature", "weight", "contribution"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskFactor {
    /// The factor's code, the sentence and the ids it names.
    #[serde(flatten)]
    pub reason: Reason,
    /// The measured input (e.g. lines added, 0/1 for a flag).
    pub value: f64,
    /// The feature on the model's scale (e.g. ln(1 + lines added)).
    pub feature: f64,
    /// The model's weight.
    pub weight: f64,
    /// `weight · (feature − center)`, in log-odds.
    pub contribution: f64,
}

impl RiskFactor {
    /// The factor's code.
    ///
    /// ```
    /// let change: rollgate::Change = rollgate::wire::from_json(
    ///     r#"{"id": "c", "author": "a", "services": [], "lines_added": 10}"#).unwrap();
    /// let risk = rollgate::assess_risk(&change, None, None, None, None).unwrap();
    /// assert!(risk.factors.iter().any(|f| f.code() == "lines_added"));
    /// ```
    pub fn code(&self) -> &str {
        &self.reason.code
    }
}

/// The risk of one change, with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskAssessment {
    /// The change's id.
    pub change: String,
    /// Probability of failure, `1 / (1 + exp(−log_odds))`.
    pub probability: f64,
    /// `round(100 · probability)`.
    pub score: u32,
    /// Level from the model's thresholds.
    pub level: RiskLevel,
    /// Log-odds of failure: `baseline` plus every factor's contribution.
    pub log_odds: f64,
    /// The model's baseline log-odds (a typical change).
    pub baseline: f64,
    /// Contributions, largest absolute first (ties by code).
    pub factors: Vec<RiskFactor>,
    /// The model's factors left out, one reason per cause (code: the cause,
    /// such as `no_plan`; subjects: the factor codes), in the order of the
    /// first factor each leaves out.
    pub not_assessed: Vec<Reason>,
}

/// Everything an assessment takes besides the change, checked once: the
/// model (the default when absent), the plan's dependency graph, the outcome
/// history and the context. [`assess_risk`] is `RiskInputs::new` followed by
/// [`RiskInputs::assess`]; callers assessing many changes against the same
/// plan and history build the inputs once.
///
/// ```
/// use rollgate::change::Checked;
/// let plan = rollgate::Plan::from_json(r#"{"name": "p", "services": [{"id": "db"}, {"id": "api", "depends_on": ["db"]}]}"#)?;
/// let inputs = rollgate::risk::RiskInputs::new(Some(&plan), None, None, None)?;
/// for id in ["c1", "c2"] {
///     let change: rollgate::Change = rollgate::wire::from_value(serde_json::json!(
///         {"id": id, "author": "ana", "services": ["db"]}))?;
///     let risk = inputs.assess(Checked::new(&change, "")?)?;
///     assert!(risk.factors.iter().any(|f| f.code() == "transitive_dependents"));
/// }
/// # Ok::<(), rollgate::Error>(())
/// ```
#[derive(Debug)]
pub struct RiskInputs<'a> {
    model: Cow<'a, RiskModel>,
    plan: Option<(&'a Plan, ServiceGraph)>,
    history: Option<Checked<'a, [ChangeOutcome]>>,
    context: Option<Checked<'a, RiskContext>>,
}

impl<'a> RiskInputs<'a> {
    /// Checks the model (paths `model/...`), the history (`history/i/...`),
    /// the context (`context/...`) and the plan (`plan/...`), in that order.
    pub fn new(
        plan: Option<&'a Plan>,
        model: Option<&'a RiskModel>,
        history: Option<&'a [ChangeOutcome]>,
        context: Option<&'a RiskContext>,
    ) -> Result<Self> {
        let model = match model {
            Some(m) => Cow::Borrowed(Checked::new(m, "model")?.get()),
            None => Cow::Owned(default_risk_model()),
        };
        let history = history.map(|h| Checked::new(h, "history")).transpose()?;
        let context = context.map(|c| Checked::new(c, "context")).transpose()?;
        let plan = match plan {
            Some(p) => Some((
                p,
                ServiceGraph::new(p).map_err(|e| e.with_path_prefix("plan"))?,
            )),
            None => None,
        };
        Ok(RiskInputs {
            model,
            plan,
            history,
            context,
        })
    }

    /// The model assessments use.
    pub fn model(&self) -> &RiskModel {
        &self.model
    }

    /// Assesses a checked change. Errors: a service not in the plan
    /// (`unknown_service`, path `/services/i`); an invalid calendar in the
    /// context or the plan, when the window status must be derived from it.
    pub fn assess(&self, change: Checked<'_, Change>) -> Result<RiskAssessment> {
        let measures = match &self.plan {
            Some((plan, graph)) => Some(PlanMeasures::new(&change, plan, graph)?),
            None => None,
        };
        let context = self.context.map(|c| c.get());
        let derived = derive_window(&change, self.plan.as_ref().map(|p| p.0), context)?;
        let context = match derived {
            Some(window) => Some(Cow::Owned(RiskContext {
                window: Some(window),
                ..context.cloned().unwrap_or_default()
            })),
            None => context.map(Cow::Borrowed),
        };
        let sources = Sources {
            change: &change,
            measures: measures.as_ref(),
            history: self.history.map(|h| h.get()),
            context: context.as_deref(),
        };
        Ok(sources.assess(&self.model))
    }
}

/// Assesses the risk of a change.
///
/// - `plan`: when given, the change's services must be in it
///   (`unknown_service`, path `/services/i`) and blast-radius and statefulness
///   factors are assessed; otherwise they are left out.
/// - `model`: the default model ([`default_risk_model`]) when absent.
/// - `history`: outcomes of earlier changes; gives the touched services'
///   change-failure history (Beta-binomial posterior, the worst service
///   counts) and the author's track record on them (successful changes only,
///   so a failure can never lower the risk). Records with the change's own id
///   are ignored.
/// - `context`: release-window status ([`WindowStatus`](super::WindowStatus), from a calendar
///   check), business and peak hours.
///
/// Errors: invalid change (`negative_size`, `approval_before_creation`,
/// `invalid_input`), invalid plan, invalid model (`unknown_risk_factor`, ...).
///
/// ```
/// let change: rollgate::Change = rollgate::wire::from_json(r#"{
///     "id": "CHG-7", "author": "ana", "services": ["db"],
///     "lines_added": 800, "files_changed": 30, "has_migration": true
/// }"#).unwrap();
/// let risk = rollgate::assess_risk(&change, None, None, None, None).unwrap();
/// let sum: f64 = risk.baseline + risk.factors.iter().map(|f| f.contribution).sum::<f64>();
/// assert!((sum - risk.log_odds).abs() < 1e-12);
/// assert!(risk.probability > 0.0 && risk.probability < 1.0);
/// assert!(risk.not_assessed.iter().any(|r| r.code == "no_plan"));
/// ```
pub fn assess_risk(
    change: &Change,
    plan: Option<&Plan>,
    model: Option<&RiskModel>,
    history: Option<&[ChangeOutcome]>,
    context: Option<&RiskContext>,
) -> Result<RiskAssessment> {
    let change = Checked::new(change, "")?;
    RiskInputs::new(plan, model, history, context)?.assess(change)
}

/// What one assessment measures its factors from.
struct Sources<'s> {
    change: &'s Change,
    measures: Option<&'s PlanMeasures>,
    history: Option<&'s [ChangeOutcome]>,
    context: Option<&'s RiskContext>,
}

impl Sources<'_> {
    fn measure(&self, code: &str, source: Source, model: &RiskModel) -> Measure {
        match source {
            Source::Change => {
                let empty = RiskContext::default();
                change_factor(self.change, code, self.context.unwrap_or(&empty))
            }
            Source::Context => context_factor(self.change, code, self.context),
            Source::Plan => Ok(plan_factor(code, self.measures.ok_or("no_plan")?)),
            Source::History => history_factor(
                code,
                self.change,
                self.history.ok_or("no_history")?,
                model.history_prior,
            ),
        }
    }

    fn assess(&self, model: &RiskModel) -> RiskAssessment {
        let mut factors = Vec::new();
        let mut missing: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for &(code, source) in FACTORS {
            let Some(w) = model.weight(code) else {
                continue;
            };
            match self.measure(code, source, model) {
                Ok(Some(m)) => {
                    let contribution = w.weight * (m.feature - w.center);
                    let reason = Reason::new(code, explain(&m.what.render(), contribution))
                        .with_subjects(m.subjects);
                    factors.push(RiskFactor {
                        reason,
                        value: m.value,
                        feature: m.feature,
                        weight: w.weight,
                        contribution,
                    });
                }
                Ok(None) => add_missing(&mut missing, "not_applicable", code),
                Err(cause) => add_missing(&mut missing, cause, code),
            }
        }
        factors.sort_by(|a, b| {
            b.contribution
                .abs()
                .total_cmp(&a.contribution.abs())
                .then_with(|| a.code().cmp(b.code()))
        });
        let log_odds = factors
            .iter()
            .fold(model.baseline, |acc, f| acc + f.contribution);
        let probability = sigmoid(log_odds);
        RiskAssessment {
            change: self.change.id.clone(),
            probability,
            score: (probability * 100.0).round().clamp(0.0, 100.0) as u32,
            level: model.level_of(probability),
            log_odds,
            baseline: model.baseline,
            factors,
            not_assessed: missing.into_iter().map(not_assessed).collect(),
        }
    }
}

fn add_missing(
    missing: &mut Vec<(&'static str, Vec<&'static str>)>,
    cause: &'static str,
    code: &'static str,
) {
    match missing.iter_mut().find(|(c, _)| *c == cause) {
        Some((_, codes)) => codes.push(code),
        None => missing.push((cause, vec![code])),
    }
}

/// The reason for leaving `codes` out.
fn not_assessed((cause, codes): (&'static str, Vec<&'static str>)) -> Reason {
    let why = match cause {
        "no_plan" => "no plan given",
        "no_history" => "no outcome history given",
        "no_window" => "no release-window status or calendar given",
        "no_planned_start" => "the change has no planned start",
        "no_peak_hours" => "no peak hours given",
        "no_test_data" => "the change records no tests",
        "no_coverage" => "the change records no test coverage",
        "no_security_scan" => "the change records no security scan",
        "no_strategy" => "the change names no release strategy",
        _ => "does not apply to this change",
    };
    Reason::new(cause, format!("{why}: {} not assessed", codes.join(", "))).with_subjects(codes)
}

/// A factor's sentence: what was measured and which way it moves the log-odds.
fn explain(what: &str, contribution: f64) -> String {
    if contribution > 0.0 {
        format!("{what}: raises the log-odds of failure by {contribution:.3}")
    } else if contribution < 0.0 {
        format!(
            "{what}: lowers the log-odds of failure by {:.3}",
            -contribution
        )
    } else {
        format!("{what}: no effect on the log-odds of failure")
    }
}

/// The log-odds [`assess_risk`] gives a change without plan, history or
/// context, without building explanations (same terms, same summation order).
pub(super) fn change_log_odds(change: &Change, model: &RiskModel) -> f64 {
    let ctx = RiskContext::default();
    let mut terms: Vec<(f64, &str)> = Vec::new();
    for &(code, source) in FACTORS {
        if source != Source::Change {
            continue;
        }
        let Some(w) = model.weight(code) else {
            continue;
        };
        if let Ok(Some(m)) = change_factor(change, code, &ctx) {
            terms.push((w.weight * (m.feature - w.center), code));
        }
    }
    terms.sort_by(|a, b| b.0.abs().total_cmp(&a.0.abs()).then_with(|| a.1.cmp(b.1)));
    terms.iter().fold(model.baseline, |acc, t| acc + t.0)
}
