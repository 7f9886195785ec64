# Stubs for the release-calendar functions and the calendar shape.
from typing import Literal, NotRequired, TypedDict

from ._explain import Reason
from ._graph import Duration

__all__ = [
    "DayName",
    "Window",
    "Calendar",
    "WindowCheck",
    "WindowSlot",
    "check_window",
    "next_window",
]

DayName = Literal[
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
]

# `from` is a Python keyword, hence the functional syntax.
Window = TypedDict(
    "Window",
    {
        "days": list[DayName],
        "start": str,
        "end": str,
        "from": str,
        "to": str,
        "every": Literal["month", "quarter", "year"],
        "first_days": int,
        "last_days": int,
        "reason": str,
    },
    total=False,
)
"""A weekly (days/start/end), absolute (from/to) or periodic (deny only:
every + first_days | last_days) window."""

class Calendar(TypedDict):
    """A release calendar in an IANA time zone."""

    time_zone: NotRequired[str]
    allow: NotRequired[list[Window]]
    deny: NotRequired[list[Window]]
    coverage: NotRequired[list[Window]]
    holidays: NotRequired[list[str]]

class WindowCheck(TypedDict):
    allowed: bool
    reasons: list[Reason]
    """The windows that allowed or denied it: codes ``no_windows``,
    ``inside_allow``, ``outside_allow``, ``inside_coverage``,
    ``outside_coverage``, ``deny_window``, ``holiday``, ``window_too_short``;
    subjects are paths into the calendar (``deny/0``, ``holidays/1``)."""
    next_allowed_start: str | None

class WindowSlot(TypedDict):
    start: str
    end: str

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
