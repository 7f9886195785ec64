# Stubs for the multi-region rollout functions and the plan additions they read.
from typing import Literal, NotRequired, TypedDict

from ._explain import Reason
from ._graph import Plan
from ._release import EscalationPolicy
from ._verdict import CanaryConfig

__all__ = [
    "Tier",
    "Region",
    "OneBox",
    "RolloutPolicy",
    "Migration",
    "WindowWait",
    "Step",
    "Gate",
    "Wave",
    "HaltRule",
    "Schedule",
    "HaltedAtStep",
    "HaltedAt",
    "UndoStep",
    "RollbackPlan",
    "schedule_rollout",
    "rollback_plan",
    "to_mermaid_gantt",
]

Tier = Literal["canary", "pilot", "standard"]

class Region(TypedDict):
    """A deployment target region of a plan (``plan["regions"]``)."""

    id: str
    traffic_share: NotRequired[float]
    tier: NotRequired[Tier]
    pair: NotRequired[str | None]
    depends_on: NotRequired[list[str]]
    time_zone: NotRequired[str | None]
    calendar: NotRequired[str | None]

class OneBox(TypedDict):
    bake_time: NotRequired[str | int | float]

class RolloutPolicy(TypedDict, total=False):
    """How a rollout proceeds (``plan["rollout"]``); every field optional."""

    first_wave: list[str] | None
    growth_factor: float
    max_concurrent_regions: int | None
    max_traffic_per_wave: float | None
    bake_time: str | int | float
    min_bake_samples: int
    min_gap_between_waves: str | int | float
    timeout: str | int | float | None
    max_failed_steps: int
    one_box: OneBox | None
    drain_time: str | int | float
    analysis: CanaryConfig | None
    escalation: EscalationPolicy | None

class Migration(TypedDict):
    """A service's schema migration (``service["migration"]``)."""

    phase: Literal["expand", "contract"]
    reversible: NotRequired[bool]

# `from` is a Python keyword, hence the functional syntax.
WindowWait = TypedDict(
    "WindowWait",
    {"region": str, "from": str, "until": str, "seconds": int, "reasons": list[Reason]},
)

class Step(TypedDict):
    service: str
    region: str
    stage: Literal["one_box", "full", "contract"]
    layer: int
    start: str
    finish: str
    start_seconds: int
    finish_seconds: int
    migration: NotRequired[Literal["expand", "contract"]]
    reversible: bool
    group: NotRequired[int]
    drain_seconds: NotRequired[int]

class Gate(TypedDict):
    bake_seconds: int
    min_bake_samples: int
    checks: list[str]
    earliest_pass: str
    earliest_pass_seconds: int

class Wave(TypedDict):
    number: int
    kind: Literal["regions", "contract"]
    regions: list[str]
    traffic_share: float
    reasons: list[Reason]
    """Why these regions (codes ``canary_first``, ``first_wave``,
    ``smallest_first``, ``growth``, ``tier_order``, ``region_dependency``,
    ``pair_separated``, ``traffic_cap``, ``over_traffic_cap``,
    ``concurrency_cap``, ``contract_phase``); subjects are regions."""
    start: str
    finish: str
    start_seconds: int
    finish_seconds: int
    waits: list[WindowWait]
    steps: list[Step]
    gate: Gate

class HaltRule(TypedDict):
    max_failed_steps: int
    step_timeout_seconds: int | None

class Schedule(TypedDict):
    plan: str
    start: str
    finish: str
    total_duration_seconds: int
    halt_rule: HaltRule
    findings: list[Reason]
    """``step_exceeds_timeout``, ``zero_deploy_duration``; subjects are services."""
    waves: list[Wave]

class HaltedAtStep(TypedDict):
    region: str
    service: str
    stage: NotRequired[Literal["one_box", "full", "contract"]]

HaltedAt = HaltedAtStep | str
"""A step that failed, or an RFC 3339 time."""

class UndoStep(TypedDict):
    service: str
    region: str
    stage: str
    wave: int
    state: Literal["completed", "in_flight"]
    group: NotRequired[int]

class RollbackPlan(TypedDict):
    halted_at: str
    recommendation: Literal["roll_back", "roll_forward", "nothing_to_undo"]
    undo: list[UndoStep]
    cannot_undo: list[UndoStep]
    not_started: int
    reasons: list[Reason]
    """``irreversible_migration`` (subject: the service), ``undo_in_reverse_order``,
    ``nothing_started``."""

def schedule_rollout(plan: Plan, start: str) -> Schedule:
    """The multi-region rollout schedule of a plan starting at ``start`` (RFC 3339).

    Raises InvalidPlanError (duplicate_id, unknown_region, asymmetric_pair,
    region_cycle, invalid_traffic_share, unknown_calendar,
    contract_dependency, invalid_input, and the graph errors) or
    InvalidCalendarError (invalid_time_zone, invalid_window,
    invalid_timestamp, window_too_short, no_window_within_horizon).
    """

def rollback_plan(schedule: Schedule, halted_at: HaltedAt) -> RollbackPlan:
    """What to undo when a rollout halts at a step or a time.

    Raises InvalidPlanError (unknown_step) or InvalidCalendarError
    (invalid_timestamp).
    """

def to_mermaid_gantt(schedule: Schedule) -> str:
    """Mermaid Gantt text of a schedule (times in UTC)."""
