# Stubs for the dependency-graph functions and the release-plan shape.
from typing import NotRequired, TypedDict

from ._rollout import Migration, Region, RolloutPolicy
from ._window import Calendar


__all__ = [
    "Duration",
    "Service",
    "Plan",
    "ServiceOrder",
    "CriticalPath",
    "ServiceTiming",
    "BlastRadius",
    "ServiceBlast",
    "ParallelSchedule",
    "ScheduledService",
    "order_services",
    "blast_radius",
    "schedule_services",
]

Duration = str | int | float
"""Seconds as a number, or a human string such as ``"90s"`` or ``"1h30m"``."""

class Service(TypedDict):
    """One deployable service of a plan."""

    id: str
    depends_on: NotRequired[list[str]]
    deploy_duration: NotRequired[Duration]
    stateful: NotRequired[bool]
    customer_facing: NotRequired[bool]
    owner: NotRequired[str | None]
    tags: NotRequired[list[str]]
    migration: NotRequired[Migration | None]
    instance_groups: NotRequired[int | None]

class Plan(TypedDict):
    """A release plan: services and their dependencies; for rollouts also
    regions, the rollout policy and release calendars."""

    name: str
    services: list[Service]
    regions: NotRequired[list[Region]]
    rollout: NotRequired[RolloutPolicy | None]
    calendars: NotRequired[dict[str, Calendar]]
    calendar: NotRequired[str | None]

class ServiceTiming(TypedDict):
    id: str
    earliest_start: int
    earliest_finish: int
    latest_start: int
    latest_finish: int
    slack: int

class CriticalPath(TypedDict):
    makespan_seconds: int
    path: list[str]
    services: list[ServiceTiming]

class ServiceOrder(TypedDict):
    waves: list[list[str]]
    rollback_waves: list[list[str]]
    critical_path: CriticalPath

class ServiceBlast(TypedDict):
    id: str
    dependents: list[str]
    dependent_count: int
    customer_facing_dependents: int
    customer_facing: bool

class BlastRadius(TypedDict):
    services: list[ServiceBlast]

class ScheduledService(TypedDict):
    id: str
    start: int
    finish: int

class ParallelSchedule(TypedDict):
    max_parallel: int
    makespan_seconds: int
    services: list[ScheduledService]

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
