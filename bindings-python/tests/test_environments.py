"""Environment functions through the Python API: typed errors, defaults and
the access record that appends to a change log."""

from __future__ import annotations

import pytest

import rollgate

NOW = "2026-03-02T09:00:00Z"


def estate() -> list[rollgate.EnvironmentSpec]:
    return [
        {"id": "staging", "tier": "staging", "infrastructure": {"postgres": "15.6"},
         "services": {"api": {"version": "1.2.0", "artifact_digest": "sha256:a", "replicas": 2}}},
        {"id": "prod", "tier": "production", "infrastructure": {"postgres": "16.4"},
         "services": {"api": {"version": "1.2.0", "artifact_digest": "sha256:a", "replicas": 9}}},
    ]


def test_parity_finds_drift_with_paths_into_both_specs() -> None:
    report = rollgate.check_parity(estate(), ["staging", "prod"], {"allow": [{"path": "/services/*/replicas"}]})
    pair = report["pairs"][0]
    assert (pair["from"], pair["to"], pair["compared"], pair["drift"]) == ("staging", "prod", 3, 1)
    drift = [f for f in pair["findings"] if f["class"] == "drift"][0]
    assert (drift["from_path"], drift["to_path"]) == ("/0/infrastructure/postgres", "/1/infrastructure/postgres")
    assert drift["reason"]["code"] == "value_differs"
    # Without rules, replicas differ too: the default is that nothing is allowed.
    assert rollgate.check_parity(estate(), ["staging", "prod"])["pairs"][0]["drift"] == 2


def test_unknown_environment_is_an_invalid_environment_error() -> None:
    with pytest.raises(rollgate.InvalidEnvironmentError) as info:
        rollgate.check_parity(estate(), ["staging", "qa"])
    assert isinstance(info.value, ValueError)
    assert (info.value.code, info.value.path, info.value.environment) == ("unknown_environment", "promotion_path/1", "qa")


def test_expiry_before_creation_and_bad_versions_name_their_paths() -> None:
    bad: rollgate.EnvironmentSpec = {"id": "pr-1", "tier": "ephemeral",
                                     "created_at": "2026-03-01T00:00:00Z", "expires_at": "2026-02-01T00:00:00Z"}
    with pytest.raises(rollgate.InvalidCalendarError) as info:
        rollgate.teardown_candidates([bad], None, NOW)
    assert (info.value.code, info.value.path) == ("invalid_timestamp", "/0/expires_at")
    with pytest.raises(rollgate.RollgateError) as err:
        rollgate.plan_migrations([{"version": "1.x", "checksum": "c"}], [])
    assert (err.value.code, err.value.path) == ("invalid_input", "/0/version")
    with pytest.raises(rollgate.RollgateError) as err:
        rollgate.plan_migrations([{"version": "1", "checksum": "c"}, {"version": "1.0", "checksum": "d"}], [])
    assert (err.value.code, err.value.path) == ("duplicate_id", "/1/version")


def test_migration_order_applies_every_pending_migration() -> None:
    scripts: list[rollgate.MigrationScript] = [
        {"version": "1", "checksum": "a", "phase": "expand"},
        {"version": "2", "checksum": "b", "phase": "contract"},
    ]
    plan = rollgate.plan_migrations(scripts, [{"environment": "staging"}, {"environment": "prod"}])
    assert [(s["round"], s["environment"], s["version"]) for s in plan["steps"]] == [
        (1, "staging", "1"), (1, "prod", "1"), (2, "staging", "2"), (2, "prod", "2")]
    assert plan["valid"]


def test_access_record_appends_to_the_change_log() -> None:
    policy: rollgate.AccessPolicy = {"on_call": ["dana"], "environments": {"prod": {"approvers": ["erin"]}}}
    decision = rollgate.evaluate_access(
        {"requester": "dana", "environment": "prod", "duration": "3h", "break_glass": True}, policy, NOW)
    assert (decision["decision"], decision["duration_seconds"], decision["review_required"]) == ("grant", 3600, True)
    record = rollgate.append_change_record(None, decision["record"])
    assert record["kind"] == "access" and record["outputs"]["decision"] == "grant"
    with pytest.raises(rollgate.InvalidCalendarError):
        rollgate.evaluate_access({"requester": "a", "environment": "prod", "duration": 1}, policy, "tomorrow")


def test_teardown_and_isolation_defaults() -> None:
    envs: list[rollgate.EnvironmentSpec] = [
        {"id": "pr-9", "tier": "ephemeral", "owner": "x", "monthly_cost": 120.5,
         "created_at": "2026-02-01T00:00:00Z", "expires_at": "2026-02-02T00:00:00Z"},
        {"id": "prod", "tier": "production", "expires_at": "2026-02-02T00:00:00Z"},
    ]
    plan = rollgate.teardown_candidates(envs, None, NOW)
    assert [c["environment"] for c in plan["candidates"]] == ["pr-9"]
    assert plan["candidates"][0]["delete_at"] == "2026-03-05T09:00:00Z"
    assert plan["monthly_cost_saved"] == 120.5
    shop: rollgate.Plan = {"name": "shop", "services": [
        {"id": "db", "stateful": True}, {"id": "queue", "stateful": True, "tags": ["shared"]},
        {"id": "api", "depends_on": ["db", "queue"]}]}
    iso = rollgate.isolation_plan(shop, ["api"])
    assert [d["id"] for d in iso["bring"]] == ["db"] and [d["id"] for d in iso["stub"]] == ["queue"]
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.isolation_plan(shop, ["api"], {"shared": ["nope"]})
    assert info.value.path == "options/shared/0"
