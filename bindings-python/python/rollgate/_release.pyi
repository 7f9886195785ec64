# Stubs of the release controller: start_release, advance_release, render_notification, evaluate_release_readiness:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from collections.abc import Mapping, Sequence
from typing import Any
from ._types import (
    Change,
    Plan,
    ReadinessContext,
    ReleaseEvent,
    ReleaseOptions,
    ReleaseReadiness,
    ReleaseState,
    ReleaseUpdate,
)

__all__ = [
    "start_release",
    "advance_release",
    "render_notification",
    "evaluate_release_readiness",
]

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
