"""Delivery performance, maturity and feature-flag exposure through the Python API."""

from __future__ import annotations

from typing import Any

import pytest

import rollgate


def deployment(id: str, day: int, status: str = "succeeded", **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": id,
        "service": kw.pop("service", "api"),
        "started_at": f"2026-03-{day:02d}T09:00:00Z",
        "finished_at": f"2026-03-{day:02d}T10:00:00Z",
        "status": status,
    }
    base.update(kw)
    return base


DEPLOYMENTS = [
    deployment("d1", 2, commits=[{"sha": "a", "committed_at": "2026-03-01T10:00:00Z"}]),
    deployment("d2", 3, "failed"),
    deployment("d3", 4, commits=[{"sha": "b", "committed_at": "2026-03-04T06:00:00Z"}], service="web"),
    deployment("d4", 5, remediates=["i1"]),
]
INCIDENTS = [{"id": "i1", "created_at": "2026-03-04T12:00:00Z", "resolved_at": "2026-03-04T13:30:00Z", "caused_by": ["d3"]}]
WINDOW = {"from": "2026-03-02T00:00:00Z", "to": "2026-03-09T00:00:00Z"}


def test_dora_metrics_totals_and_tiers() -> None:
    report = rollgate.dora_metrics(DEPLOYMENTS, INCIDENTS, WINDOW)
    totals = report["totals"]
    assert totals["deployments"] == {"total": 4, "succeeded": 3, "failed": 1, "rolled_back": 0}
    # Lead times 24 h and 4 h: median 14 h.
    assert totals["lead_time"]["median_seconds"] == 14 * 3600
    assert totals["change_fail_rate"] == {"deployments": 4, "failures": 2, "rate": 0.5}
    assert totals["recovery"]["median_seconds"] == 5400
    assert totals["recovery"]["median_restore_seconds"] == 2 * 86400
    assert totals["rework"]["rate"] == 0.25
    assert totals["deployment_frequency"]["per_week"] == pytest.approx(3.0)
    assert totals["tiers"]["report_year"] == 2024
    assert totals["tiers"]["lead_time"]["tier"] == "elite"
    assert {r["code"] for r in totals["reasons"]} >= {"dora_tier", "dora_overall_tier"}
    assert report["from"] == "2026-03-02T00:00:00Z"


def test_groups_series_and_positional_none() -> None:
    report = rollgate.dora_metrics(DEPLOYMENTS, INCIDENTS, {**WINDOW, "group_by": "service", "series": "week"})
    assert [g["group"] for g in report["groups"]] == ["api", "web"]
    assert report["groups"][1]["metrics"]["recovery"]["incidents"] == 1
    assert len(report["series"]) == 1
    assert rollgate.dora_metrics(DEPLOYMENTS, INCIDENTS, None, None)["group_by"] == "none"
    plan = {"name": "p", "services": [{"id": "api", "owner": "core"}, {"id": "web", "owner": "shop"}]}
    teams = rollgate.dora_metrics(DEPLOYMENTS, INCIDENTS, {"group_by": "team"}, plan)
    assert [g["group"] for g in teams["groups"]] == ["core", "shop"]


@pytest.mark.parametrize(
    ("deployments", "incidents", "options", "error", "code", "path"),
    [
        ([deployment("d1", 2, finished_at="2026-03-02T08:00:00Z")], [], None, rollgate.InvalidCalendarError, "invalid_timestamp", "/0/finished_at"),
        (DEPLOYMENTS, [{"id": "i", "created_at": "2026-03-04T12:00:00Z", "resolved_at": "2026-03-04T11:00:00Z"}], None, rollgate.InvalidCalendarError, "invalid_timestamp", "incidents/0/resolved_at"),
        (DEPLOYMENTS, [{"id": "i", "created_at": "2026-03-04T12:00:00Z", "caused_by": ["nope"]}], None, rollgate.InvalidDeliveryError, "unknown_deployment", "incidents/0/caused_by/0"),
        (DEPLOYMENTS, [], {"from": WINDOW["to"], "to": WINDOW["from"]}, rollgate.InvalidCalendarError, "invalid_timestamp", "options/to"),
        (DEPLOYMENTS, [], {"report_year": 2021}, rollgate.InvalidDeliveryError, "unknown_report_year", "options/report_year"),
        ([DEPLOYMENTS[0], DEPLOYMENTS[0]], [], None, rollgate.InvalidDeliveryError, "duplicate_record", "/1/id"),
    ],
)
def test_bad_records_raise_typed_errors(
    deployments: list[Any], incidents: list[Any], options: Any, error: type[Exception], code: str, path: str
) -> None:
    with pytest.raises(error) as info:
        rollgate.dora_metrics(deployments, incidents, options)
    assert isinstance(info.value, rollgate.RollgateError) and isinstance(info.value, ValueError)
    assert (info.value.code, info.value.path) == (code, path)


def test_unknown_deployment_error_names_it() -> None:
    with pytest.raises(rollgate.InvalidDeliveryError) as info:
        rollgate.dora_metrics(DEPLOYMENTS, [{"id": "i", "created_at": "2026-03-04T12:00:00Z", "caused_by": ["zz"]}])
    assert info.value.deployment == "zz"
    with pytest.raises(rollgate.InvalidDeliveryError) as year:
        rollgate.dora_metrics(DEPLOYMENTS, [], {"report_year": 1999})
    assert (year.value.year, year.value.known) == (1999, [2022, 2023, 2024])


def test_assess_maturity_names_supporting_functions() -> None:
    metrics = rollgate.dora_metrics(DEPLOYMENTS, INCIDENTS, WINDOW)["totals"]
    assessment = rollgate.assess_maturity(metrics, {"release_checklist": True, "progressive_delivery": True})
    release = assessment["areas"][0]
    assert (release["area"], release["level"], release["name"]) == ("release_strategy", 3, "Defined")
    assert release["next_practices"][0]["supported_by"] == ["judge_canary"]
    assert rollgate.assess_maturity(None, {})["reasons"][0]["code"] == "maturity_without_metrics"
    with pytest.raises(rollgate.InvalidDeliveryError) as info:
        rollgate.assess_maturity(None, {"yolo_deploys": True})
    assert (info.value.code, info.value.path) == ("unknown_field", "practices/yolo_deploys")


def test_flag_buckets_match_the_published_vectors() -> None:
    assert rollgate.flag_bucket("AB12A", "122") == 23
    assert rollgate.flag_bucket("AB12A", "122", "unleash") == 23
    assert rollgate.flag_bucket("fractional-flag", "jack", "flagd") == 62
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.flag_bucket("k", "u", "split")
    assert (info.value.code, info.value.path) == ("invalid_input", "algorithm")


def test_flag_enabled_and_exposure_agree() -> None:
    flag = {"key": "AB12A", "percentage": 23}
    decision = rollgate.flag_enabled(flag, "122")
    assert decision["enabled"] and decision["bucket"] == 23
    assert decision["reasons"][0]["code"] == "flag_rollout_in"
    users = [str(n) for n in range(100, 200)]
    exposure = rollgate.flag_exposure(flag, users)
    assert exposure["exact"] and exposure["enabled"]["units"] + exposure["disabled"]["units"] == 100
    assert all(rollgate.flag_enabled(flag, u)["enabled"] for u in exposure["enabled"]["unit_ids"])
    estimate = rollgate.flag_exposure(flag, {"count": 10**6, "sample": 4000, "seed": 9})
    low, high = estimate["enabled"]["interval"] or [0.0, 0.0]
    assert low < estimate["enabled"]["expected_share"] < high
    assert estimate["sampled"] == 4000 and not estimate["exact"]
    with pytest.raises(rollgate.InvalidDeliveryError) as info:
        rollgate.flag_enabled({"key": "k", "percentage": 150}, "u")
    assert (info.value.code, info.value.path) == ("invalid_percentage", "/percentage")
