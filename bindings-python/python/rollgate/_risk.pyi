# Stubs for change risk, strategy choice, governance and the change log.
from typing import Any, Literal, NotRequired, TypedDict

from ._explain import Reason
from ._graph import Duration, Plan
from ._window import Calendar

__all__ = [
    "Timestamp", "ChangeType", "ChangeKind", "StrategyName", "TestDepth", "RiskLevel",
    "TestEvidence", "SecurityScan", "Links", "Promotion", "Approval", "RunbookReview",
    "Change", "ChangeOutcome",
    "LevelThresholds", "BetaPrior", "FactorWeight", "TrainingSummary", "RiskModel",
    "WindowStatus", "HourRange", "RiskContext", "RiskFactor", "RiskAssessment",
    "FitOptions", "GatePoint", "RiskModelEvaluation",
    "ServiceProfile", "RiskRef", "StrategyOption", "StrategyRecommendation",
    "Evidence", "ApprovalRule", "ComplianceRequirement", "GovernancePolicy",
    "GovernanceDecision",
    "ChangeRecordInput", "ChangeRecord", "Checkpoint", "ChangeLogVerification",
    "assess_risk", "default_risk_model", "fit_risk_model", "update_risk_model",
    "evaluate_risk_model", "recommend_strategy", "evaluate_governance",
    "append_change_record", "verify_change_log",
]

Timestamp = str
"""RFC 3339 timestamp with offset, e.g. ``"2026-03-01T10:00:00+01:00"``."""
ChangeType = Literal["standard", "normal", "emergency"]
ChangeKind = Literal["feature", "fix", "config", "schema", "infrastructure"]
StrategyName = Literal["canary", "blue_green", "rolling", "recreate"]
TestDepth = Literal["none", "unit", "integration", "end_to_end"]
RiskLevel = Literal["low", "medium", "high", "critical"]

class TestEvidence(TypedDict):
    suites_passed: NotRequired[list[str]]
    suites_failed: NotRequired[list[str]]
    coverage: NotRequired[float]
    depth: NotRequired[TestDepth]

class SecurityScan(TypedDict):
    passed: bool
    critical: NotRequired[int]
    high: NotRequired[int]
    tool: NotRequired[str]

class Links(TypedDict):
    tickets: NotRequired[list[str]]
    commits: NotRequired[list[str]]

class Promotion(TypedDict):
    environment: str
    digest: str
    passed: NotRequired[bool]
    at: NotRequired[Timestamp]

class Approval(TypedDict):
    by: str
    role: str
    at: Timestamp

class RunbookReview(TypedDict):
    author: NotRequired[str]
    reviewer: str
    reviewed_at: NotRequired[Timestamp]

class Change(TypedDict):
    """One proposed change; every field but id, author and services is optional."""

    id: str
    author: str
    services: list[str]
    title: NotRequired[str]
    created_at: NotRequired[Timestamp]
    deployer: NotRequired[str]
    lines_added: NotRequired[float]
    lines_deleted: NotRequired[float]
    lines_before: NotRequired[float]
    files_changed: NotRequired[float]
    directories_changed: NotRequired[float]
    subsystems_changed: NotRequired[float]
    entropy: NotRequired[float]
    is_fix: NotRequired[bool]
    prior_developers: NotRequired[float]
    prior_changes: NotRequired[float]
    author_experience: NotRequired[float]
    author_recent_experience: NotRequired[float]
    author_subsystem_experience: NotRequired[float]
    change_type: NotRequired[ChangeType]
    kind: NotRequired[ChangeKind]
    has_migration: NotRequired[bool]
    reversible: NotRequired[bool]
    behind_feature_flag: NotRequired[bool]
    strategy: NotRequired[StrategyName]
    tests: NotRequired[TestEvidence]
    security_scan: NotRequired[SecurityScan]
    links: NotRequired[Links]
    promotions: NotRequired[list[Promotion]]
    approvals: NotRequired[list[Approval]]
    runbook: NotRequired[RunbookReview]
    planned_start: NotRequired[Timestamp]
    planned_duration: NotRequired[Duration]
    expected_downtime: NotRequired[Duration]
    customers_notified_at: NotRequired[Timestamp]
    compliance: NotRequired[list[str]]

class ChangeOutcome(TypedDict):
    change: Change
    failed: bool

class LevelThresholds(TypedDict):
    medium: float
    high: float
    critical: float

class BetaPrior(TypedDict):
    alpha: float
    beta: float

class FactorWeight(TypedDict):
    code: str
    weight: float
    center: NotRequired[float]
    precision: NotRequired[float]
    provenance: NotRequired[str]

class TrainingSummary(TypedDict):
    changes: int
    failures: int
    source: NotRequired[str]

class RiskModel(TypedDict):
    baseline: float
    weights: list[FactorWeight]
    levels: LevelThresholds
    history_prior: BetaPrior
    version: NotRequired[int]
    baseline_precision: NotRequired[float]
    training: NotRequired[TrainingSummary]

class WindowStatus(TypedDict):
    """Filled by the caller from a calendar check of the planned start."""

    allowed: bool
    seconds_to_next_freeze: NotRequired[float | None]

class HourRange(TypedDict):
    start_hour: int
    end_hour: int

class RiskContext(TypedDict, total=False):
    window: WindowStatus
    calendar: Calendar
    business_hours: HourRange
    peak_hours: list[HourRange]

class RiskFactor(Reason):
    """A reason (code: the factor) with its numbers; ``contribution`` is in log-odds."""

    value: float
    feature: float
    weight: float
    contribution: float

class RiskAssessment(TypedDict):
    change: str
    probability: float
    score: int
    level: RiskLevel
    log_odds: float
    baseline: float
    factors: list[RiskFactor]
    not_assessed: list[Reason]
    """One reason per cause (code such as ``"no_plan"``); subjects: the factor codes left out."""

class FitOptions(TypedDict, total=False):
    l2: float
    prior: Literal["defaults", "zero"]
    factors: list[str]
    max_iterations: int
    history_prior_strength: float
    source: str

class GatePoint(TypedDict):
    gated_share: float
    gated: int
    caught: int
    caught_share: float
    lift: float

class RiskModelEvaluation(TypedDict):
    changes: int
    failures: int
    failure_rate: float
    mean_probability: float
    brier: float
    brier_reference: float
    brier_skill: float
    log_loss: float
    auc: float | None
    caught_vs_gated: list[GatePoint]

class ServiceProfile(TypedDict):
    id: str
    stateful: NotRequired[bool]
    schema_coupled: NotRequired[bool]
    spare_capacity: NotRequired[float]
    traffic_routing: NotRequired[bool]
    metric_quality: NotRequired[Literal["none", "poor", "good"]]
    max_rollback_time: NotRequired[Duration]
    deploy_duration: NotRequired[Duration]

class RiskRef(TypedDict):
    """Any object with a ``level``, such as a :class:`RiskAssessment`."""

    level: RiskLevel

class StrategyOption(TypedDict):
    strategy: StrategyName
    feasible: bool
    score: int
    reasons_for: list[Reason]
    """Evidence: ``points`` (> 0) and ``blocking``."""
    reasons_against: list[Reason]

class StrategyRecommendation(TypedDict):
    service: str
    change: str
    risk_level: RiskLevel
    strategy: StrategyName
    feature_flag: bool
    feature_flag_reason: Reason
    options: list[StrategyOption]

Evidence = Literal[
    "ticket_link", "approvals", "security_scan_passed", "artifact_promoted",
    "runbook_reviewed", "downtime_notice", "test_evidence",
]

class ApprovalRule(TypedDict, total=False):
    levels: list[RiskLevel]
    change_types: list[ChangeType]
    compliance: list[str]
    approvals: int
    roles: list[str]
    cab: bool
    test_depth: TestDepth

class ComplianceRequirement(TypedDict, total=False):
    evidence: list[Evidence]

class GovernancePolicy(TypedDict, total=False):
    rules: list[ApprovalRule]
    compliance: dict[str, ComplianceRequirement]
    cab_role: str
    emergency_review_within: Duration
    downtime_notice_lead: Duration
    promotion_from: str
    promotion_to: str

class GovernanceDecision(TypedDict):
    change: str
    risk_level: RiskLevel
    change_type: ChangeType
    allowed: bool
    required: list[Reason]
    missing: list[Reason]
    deferred: list[Reason]
    violations: list[Reason]
    notes: list[Reason]
    approvers: list[str]
    post_implementation_review_due: NotRequired[Timestamp]

class ChangeRecordInput(TypedDict):
    inputs: Any
    outputs: Any
    kind: NotRequired[str]
    at: NotRequired[Timestamp]

class ChangeRecord(TypedDict):
    sequence: int
    previous_hash: str | None
    kind: str
    inputs: Any
    outputs: Any
    hash: str
    at: NotRequired[Timestamp]

class Checkpoint(TypedDict):
    """What a verifier trusted of a log: ``{"length": last["sequence"] + 1, "head_hash": last["hash"]}``."""

    length: int
    head_hash: str

class ChangeLogVerification(TypedDict):
    valid: bool
    records: int
    first_broken: int | None
    problem: Literal[
        "hash_mismatch", "previous_hash_mismatch", "sequence_mismatch", "time_goes_backwards", "truncated"
    ] | None
    explanation: str
    head_hash: str | None
    checkpoint: Checkpoint | None

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
