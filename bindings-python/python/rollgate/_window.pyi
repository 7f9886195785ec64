# Stubs of the release-calendar functions:
# signatures and docstrings only. The document types come from ._types,
# generated from core/schema by core/schema/generate.py.
from typing import TypeAlias
from ._types import (
    CalendarSpec,
    Day,
    Duration,
    WindowCheck,
    WindowSlot,
    WindowSpec,
)

__all__ = [
    "DayName",
    "Window",
    "Calendar",
    "check_window",
    "next_window",
]

DayName: TypeAlias = Day
Window: TypeAlias = WindowSpec
Calendar: TypeAlias = CalendarSpec

def check_window(calendar: Calendar, at: str, duration: Duration) -> WindowCheck:
    """Whether a deployment of ``duration`` may start at ``at`` (RFC 3339).

    Raises InvalidCalendarError (invalid_time_zone, invalid_window,
    invalid_timestamp, and invalid_input / unknown_field for a wrong value or
    field inside the calendar, such as an unknown day name) for a malformed
    calendar or timestamp.
    """

def next_window(
    calendar: Calendar, after: str, duration: Duration, horizon: Duration | None = None
) -> WindowSlot:
    """Earliest slot at or after ``after`` where ``duration`` fits (horizon
    default 366 days).

    Raises InvalidCalendarError (also window_too_short when every allowed
    stretch is shorter than ``duration``, no_window_within_horizon when deny
    windows block every slot or nothing is open within the horizon).
    """
