//! Change risk: an explainable additive model on the log-odds scale.
//!
//! `log_odds = baseline + Σ contribution`, one contribution per factor,
//! `contribution = weight · (feature − center)`, and the probability of
//! failure is the logistic function of the log-odds. The `center` of a factor
//! is its typical value in the training data, so the baseline is the log-odds
//! of a typical change and a positive contribution means "riskier than
//! typical because of this".
//!
//! Factors come from four sources:
//! - the change itself (size, diffusion, history of the touched files, author
//!   experience, kind, migration, reversibility, evidence, timing, the chosen
//!   strategy's rollback speed) — these are the ones [`fit_risk_model`] learns;
//! - the plan, when given: blast radius through
//!   [`ServiceGraph::blast_radius`](crate::ServiceGraph::blast_radius),
//!   statefulness, customer-facing share;
//! - the outcome history, when given: each touched service's change-failure
//!   rate as a Beta-binomial posterior, and the author's track record on the
//!   touched services;
//! - the caller's context, when given: the release-window status (see
//!   [`WindowStatus`]) and peak hours.
//!
//! Factors whose input is absent are left out and listed in `not_assessed`.
//! Without a model the shipped defaults ([`default_risk_model`]) are used;
//! their provenance is documented in `core/src/risk/defaults.md`.
//!
//! In the data flow (change + history → risk → strategy, governance →
//! readiness) risk reads the change, the plan's graph, the outcome history
//! and the caller's context, and hands a level ([`RiskRef`]) on.
//!
//! # Where things are
//!
//! - `model`: the model as data ([`RiskModel`], levels, [`RiskRef`]) and the
//!   shipped defaults;
//! - `factors`: the factor codes, their sources, and the change's own factors;
//! - `context`: the caller's context (window status, hours) and its factors;
//! - `exposure`: the plan's and the history's factors;
//! - `assess`: [`RiskInputs`] (checked once) and [`assess_risk`];
//! - `solve`: the penalised Newton solve; `fit`: [`fit_risk_model`] and
//!   [`update_risk_model`]; `evaluate`: [`evaluate_risk_model`].
//!
//! # Reasons
//!
//! Each assessed factor is a [`Reason`](crate::explain::Reason) whose code is
//! the factor's (with its numbers typed beside it, see [`RiskFactor`]);
//! factors left out are grouped by cause in `not_assessed` (code: the cause,
//! subjects: the factor codes). The codes are listed in the table of
//! [`crate::explain`].

mod assess;
mod context;
mod evaluate;
mod exposure;
mod factors;
mod fit;
mod model;
mod solve;

pub use assess::{assess_risk, RiskAssessment, RiskFactor, RiskInputs};
pub use context::{HourRange, RiskContext, WindowStatus, NEAR_FREEZE_HORIZON_SECS};
pub use evaluate::{evaluate_risk_model, GatePoint, RiskModelEvaluation};
pub use exposure::posterior_failure_rate;
pub use factors::fittable_factors;
pub use fit::{fit_risk_model, update_risk_model, FitOptions, PriorKind};
pub use model::{
    default_risk_model, BetaPrior, FactorWeight, LevelThresholds, RiskLevel, RiskModel, RiskRef,
    TrainingSummary,
};
