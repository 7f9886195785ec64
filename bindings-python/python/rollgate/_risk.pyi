# Stubs of change risk, strategy choice, governance and the change log:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from typing import TypeAlias
from ._types import (
    Change,
    ChangeLogVerification,
    ChangeOutcome,
    ChangeRecord,
    ChangeRecordInput,
    Checkpoint,
    FitOptions,
    GovernanceDecision,
    GovernancePolicy,
    Plan,
    RiskAssessment,
    RiskContext,
    RiskModel,
    RiskModelEvaluation,
    RiskRef,
    ServiceProfile,
    Strategy,
    StrategyRecommendation,
)

__all__ = [
    "StrategyName",
    "assess_risk",
    "default_risk_model",
    "fit_risk_model",
    "update_risk_model",
    "evaluate_risk_model",
    "recommend_strategy",
    "evaluate_governance",
    "append_change_record",
    "verify_change_log",
]

StrategyName: TypeAlias = Strategy
"""The name of a release strategy."""

def assess_risk(
    change: Change,
    plan: Plan | None = None,
    model: RiskModel | None = None,
    history: list[ChangeOutcome] | None = None,
    context: RiskContext | None = None,
) -> RiskAssessment:
    """Probability of failure, score, level and each factor's log-odds contribution."""

def default_risk_model() -> RiskModel:
    """The shipped default model (fitted on public JIT defect data plus documented priors)."""

def fit_risk_model(history: list[ChangeOutcome], options: FitOptions | None = None) -> RiskModel:
    """Deterministic L2-regularised logistic regression on post-implementation outcomes."""

def update_risk_model(model: RiskModel, outcomes: list[ChangeOutcome]) -> RiskModel:
    """Incremental update: the model is the prior of a MAP fit on the new outcomes."""

def evaluate_risk_model(model: RiskModel, history: list[ChangeOutcome]) -> RiskModelEvaluation:
    """Brier score, AUC and failures caught when gating the riskiest 5/10/20/50 %."""

def recommend_strategy(
    service: ServiceProfile, change: Change, risk: RiskRef | RiskAssessment | None = None
) -> StrategyRecommendation:
    """Canary, blue-green or rolling (optionally behind a flag) with reasons for and against."""

def evaluate_governance(
    change: Change, policy: GovernancePolicy, risk: RiskRef | RiskAssessment
) -> GovernanceDecision:
    """Approvals, segregation of duties, CAB, test depth and compliance evidence; findings, not errors."""

def append_change_record(log_tail: ChangeRecord | None, record: ChangeRecordInput) -> ChangeRecord:
    """Appends a decision to a SHA-256 hash-chained log."""

def verify_change_log(
    records: list[ChangeRecord], checkpoint: Checkpoint | None = None
) -> ChangeLogVerification:
    """Checks every hash and link; names the first record whose chain breaks.

    Without a checkpoint the log must start with its genesis record; with one
    (kept from an earlier verification's ``checkpoint``) the log must still
    hold the trusted head, else the problem is ``"truncated"``.
    """
