# Stubs of the multi-region rollout functions:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from ._types import (
    HaltedAt,
    Plan,
    RollbackPlan,
    Schedule,
)

__all__ = [
    "schedule_rollout",
    "rollback_plan",
    "to_mermaid_gantt",
]

def schedule_rollout(plan: Plan, start: str) -> Schedule:
    """The multi-region rollout schedule of a plan starting at ``start`` (RFC 3339).

    Waves of regions with their steps, window waits and gates, then the
    plan's ``rollout.release_stages`` (feature flags turned up after the last
    wave) as ``release_stages``.

    Raises InvalidDeliveryError (invalid_percentage: a release stage's
    percentage), InvalidPlanError (duplicate_id, unknown_region, asymmetric_pair,
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
    """Mermaid Gantt text of a schedule (times in UTC), release stages included."""
