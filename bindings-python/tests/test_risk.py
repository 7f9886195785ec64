"""Change risk, strategy, governance and change log through the Python API."""

from __future__ import annotations

import math
from typing import Any

import pytest

import rollgate

PLAN = {
    "name": "shop",
    "services": [
        {"id": "db", "stateful": True},
        {"id": "api", "depends_on": ["db"]},
        {"id": "web", "depends_on": ["api"], "customer_facing": True},
    ],
}


def change(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": "CHG-1", "author": "ana", "services": ["db"], "lines_added": 250}
    base.update(kw)
    return base


def test_assess_risk_explains_itself() -> None:
    risk = rollgate.assess_risk(change(), PLAN)
    total = risk["baseline"] + sum(f["contribution"] for f in risk["factors"])
    assert math.isclose(total, risk["log_odds"], rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(risk["probability"], 1 / (1 + math.exp(-risk["log_odds"])))
    codes = {f["code"] for f in risk["factors"]}
    assert {"lines_added", "stateful_services", "transitive_dependents"} <= codes
    assert all(isinstance(f["message"], str) and f["message"] for f in risk["factors"])
    stateful = next(f for f in risk["factors"] if f["code"] == "stateful_services")
    assert stateful["subjects"] == ["db"] and stateful["message"].startswith("touches stateful services (db)")


def test_positional_none_means_absent() -> None:
    a = rollgate.assess_risk(change(), None, None, None, None)
    b = rollgate.assess_risk(change())
    assert a == b
    no_plan = next(r for r in a["not_assessed"] if r["code"] == "no_plan")
    assert "stateful_services" in no_plan["subjects"]


def test_window_factors_come_from_the_caller() -> None:
    risk = rollgate.assess_risk(change(), None, None, None,
                                {"window": {"allowed": False, "seconds_to_next_freeze": 0}})
    codes = {f["code"]: f for f in risk["factors"]}
    assert codes["outside_window"]["value"] == 1
    assert codes["near_freeze"]["feature"] == 1


def test_fit_update_evaluate_round_trip() -> None:
    history = [
        {"change": change(id=f"h{i}", lines_added=10 if i % 3 else 2000), "failed": i % 3 == 0 and i % 2 == 0}
        for i in range(30)
    ]
    history.append({"change": change(id="small-fail", lines_added=5), "failed": True})
    model = rollgate.fit_risk_model(history, {"factors": ["lines_added"], "prior": "zero"})
    weight = next(w for w in model["weights"] if w["code"] == "lines_added")
    assert weight["weight"] > 0
    assert rollgate.fit_risk_model(history, {"factors": ["lines_added"], "prior": "zero"}) == model
    updated = rollgate.update_risk_model(model, history[:5])
    assert updated["training"]["changes"] == model["training"]["changes"] + 5
    report = rollgate.evaluate_risk_model(updated, history)
    assert [p["gated_share"] for p in report["caught_vs_gated"]] == [0.05, 0.10, 0.20, 0.50]
    assert 0 <= report["brier"] <= 1
    default = rollgate.default_risk_model()
    assert default["training"]["changes"] > 40_000


def test_strategy_and_governance() -> None:
    rec = rollgate.recommend_strategy({"id": "db", "stateful": True}, change())
    assert rec["strategy"] == "rolling"
    decision = rollgate.evaluate_governance(
        change(approvals=[{"by": "ana", "role": "sre", "at": "2026-01-01T00:00:00Z"}]),
        {"rules": [{"approvals": 1}]},
        {"level": "low"},
    )
    assert decision["allowed"] is False
    assert decision["approvers"] == []
    assert decision["notes"][0]["code"] == "self_approval_ignored"
    assert decision["notes"][0]["subjects"] == ["ana"]
    assert rec["feature_flag_reason"]["code"] == "flag_optional"
    against = rec["options"][0]["reasons_against"][0]
    assert against["code"] == "no_traffic_routing" and against["evidence"] == {"blocking": True, "points": -1}


def test_change_log_survives_python_round_trip() -> None:
    first = rollgate.append_change_record(None, {"kind": "risk", "inputs": {"x": 1.0}, "outputs": {"ok": True}})
    assert first["inputs"] == {"x": 1}
    second = rollgate.append_change_record(first, {"inputs": {}, "outputs": {}})
    assert rollgate.verify_change_log([first, second])["valid"]
    forged = dict(second, outputs={"ok": False})
    report = rollgate.verify_change_log([first, forged])
    assert (report["valid"], report["first_broken"], report["problem"]) == (False, 1, "hash_mismatch")


def test_change_log_truncation_and_checkpoints() -> None:
    log = [rollgate.append_change_record(None, {"inputs": {"i": 0}, "outputs": None})]
    for i in range(1, 4):
        log.append(rollgate.append_change_record(log[-1], {"inputs": {"i": i}, "outputs": None}))
    # Cut from the start: no genesis record and no checkpoint.
    report = rollgate.verify_change_log(log[1:])
    assert (report["valid"], report["first_broken"], report["problem"]) == (False, 0, "truncated")
    # A checkpoint kept from an earlier verification catches a cut end...
    trusted = rollgate.verify_change_log(log[:3])["checkpoint"]
    assert trusted == {"length": 3, "head_hash": log[2]["hash"]}
    report = rollgate.verify_change_log(log[:2], trusted)
    assert (report["valid"], report["first_broken"], report["problem"]) == (False, 2, "truncated")
    # ...and vouches for a log that starts after it.
    report = rollgate.verify_change_log(log[3:], checkpoint=trusted)
    assert report["valid"] and report["checkpoint"] == {"length": 4, "head_hash": log[3]["hash"]}
    # A tuple is read whole (not streamed) and gives the same answer.
    assert rollgate.verify_change_log(tuple(log), trusted) == rollgate.verify_change_log(log, trusted)
    assert rollgate.verify_change_log(log, None)["valid"]


def test_change_log_errors_name_the_record_or_the_checkpoint() -> None:
    first = rollgate.append_change_record(None, {"inputs": 1, "outputs": 2})
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.verify_change_log([first, dict(first, sequence="one")])
    assert (info.value.code, info.value.path) == ("invalid_input", "/1/sequence")
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.verify_change_log([first, "record"])
    assert (info.value.code, info.value.path) == ("invalid_input", "/1")
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.verify_change_log("not a log")
    assert (info.value.code, info.value.path) == ("invalid_input", "")
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.verify_change_log([first], {"length": 0, "head_hash": first["hash"]})
    assert (info.value.code, info.value.path) == ("invalid_input", "checkpoint/length")
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.verify_change_log([first], {"length": 1})
    assert (info.value.code, info.value.path) == ("invalid_input", "checkpoint")


@pytest.mark.parametrize(
    ("call", "code", "path"),
    [
        (lambda: rollgate.assess_risk(change(lines_deleted=-3)), "negative_size", "/lines_deleted"),
        (lambda: rollgate.assess_risk(change(created_at="2026-01-02T00:00:00Z",
                                             approvals=[{"by": "b", "role": "r", "at": "2026-01-01T00:00:00Z"}])),
         "approval_before_creation", "/approvals/0/at"),
        (lambda: rollgate.assess_risk(change(), None, {"baseline": 0, "weights": [{"code": "luck", "weight": 1}],
                                                      "levels": {"medium": 0.1, "high": 0.2, "critical": 0.3},
                                                      "history_prior": {"alpha": 1, "beta": 1}}),
         "unknown_risk_factor", "model/weights/0/code"),
        (lambda: rollgate.fit_risk_model([{"change": change(), "failed": False}]), "insufficient_history", ""),
        (lambda: rollgate.evaluate_governance(change(compliance=["pci"]), {"compliance": {"sox": {}}}, {"level": "low"}),
         "unknown_compliance_tag", "/compliance/0"),
        (lambda: rollgate.append_change_record(
            dict(rollgate.append_change_record(None, {"inputs": 1, "outputs": 2}), outputs=3),
            {"inputs": 1, "outputs": 2}), "change_record_tampered", "log_tail/hash"),
    ],
)
def test_change_errors(call: Any, code: str, path: str) -> None:
    with pytest.raises(rollgate.InvalidChangeError) as info:
        call()
    assert isinstance(info.value, ValueError)
    assert (info.value.code, info.value.path) == (code, path)


def test_unknown_service_is_a_plan_error() -> None:
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.assess_risk(change(services=["ghost"]), PLAN)
    assert (info.value.code, info.value.path) == ("unknown_service", "/services/0")


def test_malformed_input_names_the_argument() -> None:
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.evaluate_governance(change(), {"rules": [{"approvals": "two"}]}, {"level": "low"})
    assert info.value.path == "policy/rules/0/approvals"


def test_calendar_in_context_gives_the_timing_factors() -> None:
    # Thursday 17 December 2026, 20:00 Berlin: outside 09-17, freeze in 4 hours.
    change = {
        "id": "CHG-7", "author": "ana", "services": ["api"], "lines_added": 40,
        "planned_start": "2026-12-17T20:00:00+01:00", "planned_duration": "1h",
    }
    calendar = {
        "time_zone": "Europe/Berlin",
        "allow": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}],
        "deny": [{"from": "2026-12-18T00:00:00+01:00", "to": "2027-01-04T00:00:00+01:00"}],
    }
    derived = rollgate.assess_risk(change, None, None, None, {"calendar": calendar})
    by_hand = rollgate.assess_risk(change, None, None, None, {"window": {"allowed": False, "seconds_to_next_freeze": 14400}})
    assert derived["log_odds"] == by_hand["log_odds"]
    values = {f["code"]: f["value"] for f in derived["factors"]}
    assert values["outside_window"] == 1.0 and values["near_freeze"] == 14400.0
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.assess_risk(change, None, None, None, {"calendar": {"time_zone": "Mars/Olympus"}})
    assert (info.value.code, info.value.path) == ("invalid_time_zone", "context/calendar/time_zone")
