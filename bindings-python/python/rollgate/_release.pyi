# Stubs for the release controller: start_release, advance_release,
# render_notification, evaluate_release_readiness.
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

from ._explain import Reason
from ._graph import Plan
from ._risk import (
    Change,
    ChangeOutcome,
    ChangeRecordInput,
    GovernancePolicy,
    RiskContext,
    RiskLevel,
    RiskModel,
    ServiceProfile,
    StrategyName,
)
from ._rollout import RollbackPlan
from ._verdict import CanaryConfig, MetricData

__all__ = [
    "ReleaseStatus",
    "EscalationRule",
    "EscalationPolicy",
    "ReleaseOptions",
    "StepStartedEvent",
    "StepFinishedEvent",
    "MetricsEvent",
    "CheckEvent",
    "ApprovalEvent",
    "PauseEvent",
    "ResumeEvent",
    "AbortEvent",
    "RollbackFinishedEvent",
    "ReleaseEvent",
    "StepRef",
    "DeployAction",
    "RunChecksAction",
    "WaitAction",
    "RollBackAction",
    "EscalateAction",
    "DoneAction",
    "ReleaseAction",
    "ReleaseState",
    "ReleaseUpdate",
    "ReadinessContext",
    "ReleaseReadiness",
    "start_release",
    "advance_release",
    "render_notification",
    "evaluate_release_readiness",
]

ReleaseStatus = Literal[
    "waiting", "deploying", "baking", "paused", "halted", "rolling_back", "completed", "aborted"
]

class EscalationRule(TypedDict):
    """One rule: fires when all its conditions hold."""

    name: str
    severity: str
    verdict: NotRequired[Literal["rollback", "inconclusive"]]
    metric: NotRequired[str]
    above: NotRequired[float]
    below: NotRequired[float]
    on_halt: NotRequired[bool]
    customer_facing: NotRequired[bool]
    auto_rollback: NotRequired[bool]

class EscalationPolicy(TypedDict, total=False):
    """Rules, and whom to notify per severity (``plan["rollout"]["escalation"]``)."""

    rules: list[EscalationRule]
    notify: dict[str, list[str]]

class ReleaseOptions(TypedDict, total=False):
    """Options of start_release; each overrides the plan's rollout section."""

    analysis: CanaryConfig
    escalation: EscalationPolicy
    watch_all_waves: bool
    approval_waves: list[int]
    auto_rollback: bool

class _StepName(TypedDict):
    region: str
    service: str
    stage: NotRequired[Literal["one_box", "full", "contract"]]
    group: NotRequired[int]
    at: NotRequired[str]

class StepStartedEvent(_StepName):
    type: Literal["step_started"]

class StepFinishedEvent(_StepName):
    type: Literal["step_finished"]
    outcome: Literal["succeeded", "failed"]
    details: NotRequired[Any]

class MetricsEvent(TypedDict):
    type: Literal["metrics"]
    region: str
    batch: Mapping[str, MetricData]
    at: NotRequired[str]

class CheckEvent(TypedDict):
    type: Literal["check"]
    check: str
    passed: bool
    region: NotRequired[str]
    at: NotRequired[str]
    details: NotRequired[Any]

class ApprovalEvent(TypedDict):
    type: Literal["approval"]
    by: str
    wave: NotRequired[int]
    at: NotRequired[str]

class PauseEvent(TypedDict):
    type: Literal["pause"]
    by: str
    why: NotRequired[str]
    at: NotRequired[str]

class ResumeEvent(TypedDict):
    type: Literal["resume"]
    by: str
    why: NotRequired[str]
    at: NotRequired[str]

class AbortEvent(TypedDict):
    type: Literal["abort"]
    by: str
    why: NotRequired[str]
    at: NotRequired[str]

class RollbackFinishedEvent(TypedDict):
    type: Literal["rollback_finished"]
    at: NotRequired[str]

ReleaseEvent = (
    StepStartedEvent
    | StepFinishedEvent
    | MetricsEvent
    | CheckEvent
    | ApprovalEvent
    | PauseEvent
    | ResumeEvent
    | AbortEvent
    | RollbackFinishedEvent
)
"""Something that happened since the last call, tagged by ``type``."""

class StepRef(TypedDict):
    region: str
    service: str
    stage: Literal["one_box", "full", "contract"]
    group: NotRequired[int]
    layer: int
    attempt: int

class DeployAction(TypedDict):
    type: Literal["deploy"]
    wave: int
    steps: list[StepRef]

class RunChecksAction(TypedDict):
    type: Literal["run_checks"]
    wave: int
    checks: list[str]
    regions: list[str]

class WaitAction(TypedDict):
    type: Literal["wait"]
    until: str | None
    reason: Literal[
        "bake", "min_samples", "checks", "canary_verdict", "window_closed", "min_gap", "approval_required"
    ]
    regions: list[str]
    reasons: list[Reason]

class RollBackAction(TypedDict):
    type: Literal["roll_back"]
    automatic: bool
    plan: RollbackPlan

class EscalateAction(TypedDict):
    type: Literal["escalate"]
    release: str
    severity: str
    rule: str
    regions: list[str]
    services: list[str]
    evidence: list[Reason]
    notify: list[str]
    auto_rollback: bool
    rollback_steps: list[str]

class DoneAction(TypedDict):
    type: Literal["done"]
    release: str
    finished_at: str

ReleaseAction = (
    DeployAction | RunChecksAction | WaitAction | RollBackAction | EscalateAction | DoneAction
)
"""What the caller must do now, tagged by ``type``."""

class ReleaseState(TypedDict):
    """A release's stored state: store it and pass it to the next advance_release."""

    version: int
    fingerprint: str
    release: str
    started_at: str
    last_at: str
    status: ReleaseStatus
    waves: list[dict[str, Any]]
    failed_steps: int
    max_failed_steps: int
    history: list[dict[str, Any]]

class ReleaseUpdate(TypedDict):
    state: ReleaseState
    status: ReleaseStatus
    actions: list[ReleaseAction]
    reasons: list[Reason]
    record: ChangeRecordInput

class ReadinessContext(TypedDict, total=False):
    start: str
    model: RiskModel
    history: Sequence[ChangeOutcome]
    risk_context: RiskContext
    policy: GovernancePolicy
    service: ServiceProfile
    block_at: RiskLevel
    conditions_at: RiskLevel

class ReleaseReadiness(TypedDict):
    change: str
    release: str
    start: str
    decision: Literal["go", "go_with_conditions", "no_go"]
    blocking: list[Reason]
    conditions: list[Reason]
    reasons: list[Reason]
    risk_level: RiskLevel
    risk_score: int
    governance_allowed: bool | None
    strategy: StrategyName | None
    planned_finish: str

def start_release(
    plan: Plan, start: str, options: ReleaseOptions | None = None
) -> ReleaseState:
    """Starts a release: the stored state to pass to advance_release.

    Raises InvalidPlanError / InvalidCalendarError for the plan and start,
    InvalidCanaryError for the analysis configuration."""

def advance_release(
    plan: Plan, state: ReleaseState, events: Sequence[ReleaseEvent], now: str
) -> ReleaseUpdate:
    """Applies the events since the last call and decides at ``now``.

    Raises InvalidReleaseError (``invalid_event``, ``incompatible_state``),
    InvalidPlanError (``unknown_step``), InvalidCalendarError
    (``invalid_timestamp``)."""

def render_notification(template: str, context: Mapping[str, Any]) -> str:
    """Fills ``incident``, ``downtime`` or a template text from ``context``.

    Raises InvalidReleaseError (``unknown_placeholder``) naming a placeholder
    without a value."""

def evaluate_release_readiness(
    plan: Plan, change: Change, context: ReadinessContext | None = None
) -> ReleaseReadiness:
    """Go, go with conditions or no go before a release starts."""
