//! The risk model as data: levels, factor weights, the services'
//! failure-rate prior, and the shipped defaults.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::factors::source_of;
use crate::change::Validate;
use crate::error::{ChangeError, Error, PlanError, Result};

/// The shipped default model (JSON), fitted and documented by
/// `core/examples/fit_defaults.rs` (provenance: `core/src/risk/defaults.md`).
pub(super) const DEFAULT_MODEL_JSON: &str = include_str!("defaults.json");

/// Risk level, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    /// Below the `medium` threshold.
    Low,
    /// At least `medium`.
    Medium,
    /// At least `high`.
    High,
    /// At least `critical`.
    Critical,
}

impl RiskLevel {
    /// The wire name.
    ///
    /// ```
    /// assert_eq!(rollgate::RiskLevel::High.as_str(), "high");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }
}

/// Probability thresholds of the risk levels: a change is `medium` from
/// `medium` on, and so on. Must satisfy `0 < medium < high < critical < 1`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LevelThresholds {
    /// Lowest probability of a `medium` change.
    pub medium: f64,
    /// Lowest probability of a `high` change.
    pub high: f64,
    /// Lowest probability of a `critical` change.
    pub critical: f64,
}

/// Beta prior of a service's change-failure rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BetaPrior {
    /// Pseudo-failures (> 0).
    pub alpha: f64,
    /// Pseudo-successes (> 0).
    pub beta: f64,
}

/// The weight of one factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactorWeight {
    /// Factor code (see the module docs).
    pub code: String,
    /// Change in log-odds per unit of the factor's feature.
    pub weight: f64,
    /// Typical feature value; contributions are measured from it.
    #[serde(default)]
    pub center: f64,
    /// Precision (inverse variance) of the weight, used as the prior by
    /// [`update_risk_model`](super::update_risk_model); 0 means unknown.
    #[serde(default)]
    pub precision: f64,
    /// Where the weight comes from (`fitted: ...`, `prior: ...`).
    #[serde(default)]
    pub provenance: String,
}

/// What a model was trained on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainingSummary {
    /// Outcomes learned from.
    pub changes: usize,
    /// Failures among them.
    pub failures: usize,
    /// Free-form description of the data.
    #[serde(default)]
    pub source: String,
}

/// A risk model: baseline, factor weights and level thresholds. Plain data;
/// [`fit_risk_model`](super::fit_risk_model) and [`update_risk_model`](super::update_risk_model) produce it, [`assess_risk`](super::assess_risk)
/// takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RiskModel {
    /// Format version (1).
    #[serde(default = "one")]
    pub version: u32,
    /// Log-odds of failure of a change whose factors all sit at their centers.
    pub baseline: f64,
    /// Precision of the baseline (0: unknown).
    #[serde(default)]
    pub baseline_precision: f64,
    /// Factor weights; factors without a weight are not assessed.
    pub weights: Vec<FactorWeight>,
    /// Level thresholds on the probability.
    pub levels: LevelThresholds,
    /// Prior of each service's change-failure rate.
    pub history_prior: BetaPrior,
    /// What the model was trained on.
    #[serde(default)]
    pub training: TrainingSummary,
}

fn one() -> u32 {
    1
}

/// The risk level to plan for: any object with a `level` field, such as the
/// result of [`assess_risk`](crate::assess_risk) (other fields are ignored).
/// Strategy and governance take it, so neither needs the other's types.
///
/// ```
/// let risk: rollgate::RiskRef = rollgate::wire::from_json(r#"{"level": "high", "score": 40}"#).unwrap();
/// assert_eq!(risk.level, rollgate::RiskLevel::High);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskRef {
    /// The level.
    pub level: RiskLevel,
}

/// The shipped default model, fitted on public just-in-time defect data with
/// operational factors set as documented priors (see `core/src/risk/defaults.md`).
///
/// ```
/// let model = rollgate::default_risk_model();
/// assert!(model.weights.iter().any(|w| w.code == "lines_added"));
/// ```
pub fn default_risk_model() -> RiskModel {
    match serde_json::from_str::<RiskModel>(DEFAULT_MODEL_JSON) {
        Ok(model) => model,
        // The embedded file is checked by a unit test; this fallback only
        // keeps the engine from aborting should it ever be broken.
        Err(_) => RiskModel {
            version: 1,
            baseline: -2.0,
            baseline_precision: 0.0,
            weights: Vec::new(),
            levels: LevelThresholds {
                medium: 0.15,
                high: 0.3,
                critical: 0.5,
            },
            history_prior: BetaPrior {
                alpha: 1.5,
                beta: 8.5,
            },
            training: TrainingSummary::default(),
        },
    }
}

impl RiskModel {
    /// Checks the model: known, unique factor codes (`unknown_risk_factor`,
    /// `duplicate_id`), finite numbers, thresholds with
    /// `0 < medium < high < critical < 1` and a positive history prior
    /// (`invalid_input`). `prefix` is prepended to paths.
    ///
    /// ```
    /// let mut model = rollgate::default_risk_model();
    /// assert!(model.validate("model").is_ok());
    /// model.levels.high = 0.01;
    /// assert_eq!(model.validate("model").unwrap_err().path(), "model/levels");
    /// ```
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let bad = |path: String, message: String| Err(Error::invalid_input(path, message));
        if !self.baseline.is_finite() || !self.baseline_precision.is_finite() {
            return bad(
                format!("{prefix}/baseline"),
                "baseline must be finite".into(),
            );
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, w) in self.weights.iter().enumerate() {
            if source_of(&w.code).is_none() {
                return Err(Error::new(
                    format!("{prefix}/weights/{i}/code"),
                    ChangeError::UnknownRiskFactor {
                        factor: w.code.clone(),
                    },
                ));
            }
            if let Some(first) = seen.insert(&w.code, i) {
                return Err(Error::new(
                    format!("{prefix}/weights/{i}/code"),
                    PlanError::DuplicateId {
                        id: w.code.clone(),
                        first_path: format!("{prefix}/weights/{first}/code"),
                    },
                ));
            }
            if !(w.weight.is_finite() && w.center.is_finite() && w.precision.is_finite())
                || w.precision < 0.0
            {
                return bad(
                    format!("{prefix}/weights/{i}"),
                    format!(
                        "weight, center and precision of `{}` must be finite (precision ≥ 0)",
                        w.code
                    ),
                );
            }
        }
        let l = self.levels;
        if !(0.0 < l.medium && l.medium < l.high && l.high < l.critical && l.critical < 1.0) {
            return bad(
                format!("{prefix}/levels"),
                format!(
                    "thresholds must satisfy 0 < medium < high < critical < 1, got {} / {} / {}",
                    l.medium, l.high, l.critical
                ),
            );
        }
        let p = self.history_prior;
        if !(p.alpha > 0.0 && p.beta > 0.0 && p.alpha.is_finite() && p.beta.is_finite()) {
            return bad(
                format!("{prefix}/history_prior"),
                "alpha and beta must be finite and positive".into(),
            );
        }
        Ok(())
    }

    /// The weight of a factor, when the model has one.
    pub(super) fn weight(&self, code: &str) -> Option<&FactorWeight> {
        self.weights.iter().find(|w| w.code == code)
    }

    /// The level of a probability under this model's thresholds.
    ///
    /// ```
    /// let model = rollgate::default_risk_model();
    /// assert_eq!(model.level_of(0.99), rollgate::RiskLevel::Critical);
    /// assert_eq!(model.level_of(0.0), rollgate::RiskLevel::Low);
    /// ```
    pub fn level_of(&self, probability: f64) -> RiskLevel {
        if probability >= self.levels.critical {
            RiskLevel::Critical
        } else if probability >= self.levels.high {
            RiskLevel::High
        } else if probability >= self.levels.medium {
            RiskLevel::Medium
        } else {
            RiskLevel::Low
        }
    }
}

impl Validate for RiskModel {
    fn validate(&self, prefix: &str) -> Result<()> {
        RiskModel::validate(self, prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_defaults_parse_and_validate() {
        let model: RiskModel = serde_json::from_str(DEFAULT_MODEL_JSON).unwrap();
        model.validate("").unwrap();
        assert_eq!(model, default_risk_model());
        assert!(!model.training.source.is_empty());
        for w in &model.weights {
            assert!(!w.provenance.is_empty(), "{} lacks provenance", w.code);
        }
    }

    fn model() -> RiskModel {
        serde_json::from_value(serde_json::json!({
            "baseline": -1.0,
            "weights": [{"code": "lines_added", "weight": 0.5}, {"code": "weekend", "weight": 0.3}],
            "levels": {"medium": 0.1, "high": 0.3, "critical": 0.5},
            "history_prior": {"alpha": 1.0, "beta": 9.0}
        }))
        .unwrap()
    }

    fn path_of(edit: impl Fn(&mut RiskModel)) -> String {
        let mut m = model();
        edit(&mut m);
        m.validate("model")
            .map_or_else(|e| format!("{} {}", e.code(), e.path()), |()| "ok".into())
    }

    #[test]
    fn every_check_names_its_field() {
        assert_eq!(path_of(|_| ()), "ok");
        assert_eq!(
            path_of(|m| m.baseline = f64::NAN),
            "invalid_input model/baseline"
        );
        assert_eq!(
            path_of(|m| m.baseline_precision = f64::INFINITY),
            "invalid_input model/baseline"
        );
        assert_eq!(
            path_of(|m| m.weights[1].code = "luck".into()),
            "unknown_risk_factor model/weights/1/code"
        );
        assert_eq!(
            path_of(|m| m.weights[1].code = "lines_added".into()),
            "duplicate_id model/weights/1/code"
        );
        assert_eq!(
            path_of(|m| m.weights[0].weight = f64::NAN),
            "invalid_input model/weights/0"
        );
        assert_eq!(
            path_of(|m| m.weights[0].center = f64::INFINITY),
            "invalid_input model/weights/0"
        );
        assert_eq!(
            path_of(|m| m.weights[0].precision = f64::NAN),
            "invalid_input model/weights/0"
        );
        assert_eq!(
            path_of(|m| m.weights[0].precision = -1.0),
            "invalid_input model/weights/0"
        );
        assert_eq!(path_of(|m| m.weights[0].precision = 0.0), "ok");
        assert_eq!(
            path_of(|m| m.levels.medium = 0.0),
            "invalid_input model/levels"
        );
        assert_eq!(
            path_of(|m| m.levels.high = 0.1),
            "invalid_input model/levels"
        );
        assert_eq!(
            path_of(|m| m.levels.critical = 0.3),
            "invalid_input model/levels"
        );
        assert_eq!(
            path_of(|m| m.levels.critical = 1.0),
            "invalid_input model/levels"
        );
        assert_eq!(
            path_of(|m| m.history_prior.alpha = 0.0),
            "invalid_input model/history_prior"
        );
        assert_eq!(
            path_of(|m| m.history_prior.beta = -1.0),
            "invalid_input model/history_prior"
        );
        assert_eq!(
            path_of(|m| m.history_prior.beta = f64::INFINITY),
            "invalid_input model/history_prior"
        );
        assert_eq!(
            path_of(|m| m.history_prior.alpha = f64::INFINITY),
            "invalid_input model/history_prior"
        );
    }

    #[test]
    fn levels_start_at_their_thresholds() {
        let m = model();
        let levels = [0.0, 0.099, 0.1, 0.299, 0.3, 0.499, 0.5, 1.0].map(|p| m.level_of(p).as_str());
        assert_eq!(
            levels,
            ["low", "low", "medium", "medium", "high", "high", "critical", "critical"]
        );
        assert!(RiskLevel::Low < RiskLevel::Medium && RiskLevel::High < RiskLevel::Critical);
    }
}
