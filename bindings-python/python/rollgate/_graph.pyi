# Stubs of the dependency-graph functions:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from ._types import (
    BlastRadius,
    ParallelSchedule,
    Plan,
    ServiceOrder,
)

__all__ = [
    "order_services",
    "blast_radius",
    "schedule_services",
]

def order_services(plan: Plan) -> ServiceOrder:
    """Deployment waves, rollback waves and critical path of a plan.

    Raises InvalidPlanError (codes: duplicate_id, unknown_dependency,
    self_dependency, dependency_cycle, invalid_duration, unknown_field,
    invalid_input).
    """

def blast_radius(plan: Plan, services: list[str] | None = None) -> BlastRadius:
    """Transitive dependents of the requested services (default: all)."""

def schedule_services(plan: Plan, max_parallel: int) -> ParallelSchedule:
    """Schedule with at most ``max_parallel`` deployments at once."""
