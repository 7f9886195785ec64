"""Release-calendar functions from Python: happy paths and every error code."""

from __future__ import annotations

from typing import Any

import pytest

import rollgate

NY: dict[str, Any] = {
    "time_zone": "America/New_York",
    "allow": [{"days": ["mon", "tue", "wed", "thu"], "start": "09:00", "end": "16:00"}],
    "deny": [{"from": "2026-12-20T00:00:00-05:00", "to": "2027-01-04T00:00:00-05:00", "reason": "year-end freeze"}],
    "holidays": ["2026-11-26"],
}


def test_check_window_allowed_and_denied() -> None:
    ok = rollgate.check_window(NY, "2026-11-24T10:00:00-05:00", "1h")
    assert ok["allowed"] is True
    assert ok["reasons"][0]["code"] == "inside_allow"
    frozen = rollgate.check_window(NY, "2026-12-21T10:00:00-05:00", 1800)
    assert frozen["allowed"] is False
    assert frozen["reasons"][0] == {
        "code": "deny_window",
        "subjects": ["deny/0"],
        "message": frozen["reasons"][0]["message"],
    }
    assert "year-end freeze" in frozen["reasons"][0]["message"]
    assert frozen["next_allowed_start"] == "2027-01-04T09:00:00-05:00"


def test_next_window_default_and_explicit_horizon() -> None:
    slot = rollgate.next_window(NY, "2026-11-26T10:00:00-05:00", "30m")
    assert slot == {"start": "2026-11-30T09:00:00-05:00", "end": "2026-11-30T09:30:00-05:00"}
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.next_window(NY, "2026-12-20T00:00:00-05:00", "30m", "7d")
    assert info.value.code == "no_window_within_horizon"
    assert info.value.path == ""


@pytest.mark.parametrize(
    ("calendar", "at", "duration", "code", "path"),
    [
        ({"time_zone": "Nowhere/City"}, "2026-01-01T00:00:00Z", "1h", "invalid_time_zone", "/time_zone"),
        ({"allow": [{"start": "09:00", "end": "09:00"}]}, "2026-01-01T00:00:00Z", "1h", "invalid_window", "/allow/0"),
        ({}, "yesterday", "1h", "invalid_timestamp", "after"),
        ({"holidays": ["2026-13-01"]}, "2026-01-01T00:00:00Z", "1h", "invalid_timestamp", "/holidays/0"),
        (NY, "2026-01-01T00:00:00Z", "8h", "window_too_short", "duration"),
    ],
)
def test_calendar_errors(calendar: Any, at: str, duration: str, code: str, path: str) -> None:
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.next_window(calendar, at, duration)
    assert isinstance(info.value, ValueError)
    assert (info.value.code, info.value.path) == (code, path)


def test_errors_inside_a_calendar_are_calendar_errors() -> None:
    # Issue 13: a bad day name raised InvalidPlanError, a bad time InvalidCalendarError.
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.check_window({"allow": [{"days": ["someday"], "start": "09:00", "end": "10:00"}]}, "2026-01-01T00:00:00Z", 0)
    assert isinstance(info.value, ValueError)
    assert (info.value.code, info.value.path) == ("invalid_input", "/allow/0/days/0")
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.check_window({"allow": [{"start": "9am", "end": "10:00"}]}, "2026-01-01T00:00:00Z", 0)
    assert (info.value.code, info.value.path) == ("invalid_window", "/allow/0/start")
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.check_window({"allow": [{"start": "09:00", "end": "10:00", "colour": "red"}]}, "2026-01-01T00:00:00Z", 0)
    assert (info.value.code, info.value.path) == ("unknown_field", "/allow/0/colour")
    # The same calendar inside a plan: still a calendar error, at its path in the plan.
    plan = {"name": "p", "services": [{"id": "a", "deploy_duration": "1m"}],
            "regions": [{"id": "r", "traffic_share": 1, "calendar": "c"}],
            "calendars": {"c": {"allow": [{"days": ["someday"], "start": "09:00", "end": "10:00"}]}}}
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.schedule_rollout(plan, "2026-01-01T00:00:00Z")
    assert (info.value.code, info.value.path) == ("invalid_input", "/calendars/c/allow/0/days/0")


def test_an_allow_range_in_the_past_is_no_window_within_the_horizon() -> None:
    # Issue 9: was window_too_short.
    past = {"allow": [{"from": "2025-01-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"}]}
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.next_window(past, "2026-06-01T00:00:00Z", "1h")
    assert (info.value.code, info.value.path) == ("no_window_within_horizon", "")
    check = rollgate.check_window(past, "2026-06-01T00:00:00Z", "1h")
    assert [r["code"] for r in check["reasons"]] == ["outside_allow"]
    assert check["next_allowed_start"] is None


def test_too_short_reasons_carry_their_numbers() -> None:
    check = rollgate.check_window(NY, "2026-11-24T10:00:00-05:00", "8h")
    short = check["reasons"][-1]
    assert short["code"] == "window_too_short"
    assert short["subjects"] == []
    assert short["evidence"] == {"duration_seconds": 28800, "longest_window_seconds": 25200}
