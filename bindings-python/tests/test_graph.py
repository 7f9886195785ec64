"""Python-specific tests of the dependency-graph functions: results, error
classes and attributes, argument handling."""

from __future__ import annotations

import threading

import pytest

import rollgate

PLAN: rollgate.Plan = {
    "name": "shop",
    "services": [
        {"id": "web", "depends_on": ["api"], "deploy_duration": "2m", "customer_facing": True},
        {"id": "api", "depends_on": ["db"], "deploy_duration": 300},
        {"id": "db", "deploy_duration": "10m", "stateful": True},
    ],
}


def test_order_services_returns_plain_python_values() -> None:
    order = rollgate.order_services(PLAN)
    assert order["waves"] == [["db"], ["api"], ["web"]]
    assert order["rollback_waves"] == [["web"], ["api"], ["db"]]
    assert order["critical_path"]["makespan_seconds"] == 1020
    assert isinstance(order["critical_path"]["services"][0]["earliest_start"], int)


def test_blast_radius_default_and_subset() -> None:
    everything = rollgate.blast_radius(PLAN)
    assert [s["id"] for s in everything["services"]] == ["api", "db", "web"]
    only_db = rollgate.blast_radius(PLAN, ["db"])
    assert only_db["services"][0]["dependents"] == ["api", "web"]
    assert only_db["services"][0]["customer_facing_dependents"] == 1
    assert rollgate.blast_radius(PLAN, services=None) == everything


def test_schedule_services_bound() -> None:
    schedule = rollgate.schedule_services(PLAN, 1)
    assert schedule["makespan_seconds"] == 1020
    assert rollgate.schedule_services(PLAN, max_parallel=3)["max_parallel"] == 3


def test_cycle_error_carries_code_path_cycle_and_members() -> None:
    plan: rollgate.Plan = {"name": "p", "services": [{"id": "api", "depends_on": ["auth"]}, {"id": "auth", "depends_on": ["api"]}]}
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.order_services(plan)
    err = info.value
    assert isinstance(err, rollgate.RollgateError)
    assert isinstance(err, ValueError)
    assert err.code == "dependency_cycle"
    assert err.path == "/services/0/depends_on/0"
    assert err.cycle == ["api", "auth", "api"]
    assert err.members == ["api", "auth"]
    assert err.details["code"] == "dependency_cycle"
    assert "api -> auth -> api" in str(err)
    assert type(err).__module__ == "rollgate.errors"


@pytest.mark.parametrize(
    ("plan", "code", "path"),
    [
        ({"name": "p", "services": [{"id": "a"}, {"id": "a"}]}, "duplicate_id", "/services/1/id"),
        ({"name": "p", "services": [{"id": "a", "depends_on": ["zz"]}]}, "unknown_dependency", "/services/0/depends_on/0"),
        ({"name": "p", "services": [{"id": "a", "depends_on": ["a"]}]}, "self_dependency", "/services/0/depends_on/0"),
        ({"name": "p", "services": [{"id": "a", "deploy_duration": "soon"}]}, "invalid_duration", "/services/0/deploy_duration"),
        ({"name": "p", "services": [{"id": "a", "colour": 1}]}, "unknown_field", "/services/0/colour"),
        ({"name": "p", "services": "none"}, "invalid_input", "/services"),
        ({"name": "p", "services": [{"id": "a", "depends_on": "a"}]}, "invalid_input", "/services/0/depends_on"),
        (None, "invalid_input", ""),
    ],
)
def test_every_plan_error_code(plan: object, code: str, path: str) -> None:
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.order_services(plan)  # type: ignore[arg-type]
    assert (info.value.code, info.value.path) == (code, path)
    assert info.value.cycle is None


def test_unknown_service_and_bad_counts() -> None:
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.blast_radius(PLAN, ["db", "ghost"])
    assert (info.value.code, info.value.path, info.value.details["service"]) == ("unknown_service", "services/1", "ghost")
    for bad in (0, -3, 1.5, "2", True, None):
        with pytest.raises(rollgate.InvalidPlanError) as info:
            rollgate.schedule_services(PLAN, bad)  # type: ignore[arg-type]
        assert (info.value.code, info.value.path) == ("invalid_input", "max_parallel")


def test_accepts_tuples_mappings_and_numpy_scalars() -> None:
    import types

    import numpy as np

    services = (
        types.MappingProxyType({"id": "db", "deploy_duration": np.int64(600)}),
        {"id": "api", "depends_on": ("db",), "deploy_duration": np.float64(300.0)},
    )
    order = rollgate.order_services({"name": "t", "services": services})  # type: ignore[typeddict-item]
    assert order["waves"] == [["db"], ["api"]]
    assert order["critical_path"]["makespan_seconds"] == 900


def test_a_string_is_not_a_list_of_ids() -> None:
    # A str is a Sequence in Python, but not a JSON list: "db" must not be read as ["d", "b"].
    plan = {"name": "p", "services": [{"id": "d"}, {"id": "b"}, {"id": "x", "depends_on": "db"}]}
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.order_services(plan)  # type: ignore[arg-type]
    assert (info.value.code, info.value.path) == ("invalid_input", "/services/2/depends_on")


def test_releases_the_gil_and_is_thread_safe() -> None:
    n = 20_000
    plan: rollgate.Plan = {
        "name": "big",
        "services": [{"id": f"s{i}", "depends_on": [f"s{i - 1}"] if i else []} for i in range(n)],
    }
    results: list[int] = []

    def work() -> None:
        results.append(len(rollgate.order_services(plan)["waves"]))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [n] * 4


def test_absurdly_deep_nesting_is_an_error_not_a_crash() -> None:
    deep: object = 1
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(rollgate.RollgateError) as info:
        rollgate.append_change_record(None, {"kind": "risk", "inputs": deep, "outputs": {}})  # type: ignore[typeddict-item]
    assert info.value.code == "invalid_input"
    assert "nested deeper than 128" in str(info.value)
    with pytest.raises(rollgate.InvalidPlanError):
        rollgate.order_services({"name": "p", "services": deep})  # type: ignore[typeddict-item]


class _Id(str):
    """A str subclass: read by the generic reader, same meaning."""


MIXED: dict[str, object] = {
    "name": "mixed",
    "services": [
        {"id": "db", "deploy_duration": "10m", "stateful": True, "owner": "data", "tags": ["core"]},
        {"id": "queue", "deploy_duration": 45.0},
        {"id": _Id("api"), "depends_on": ["db", _Id("queue")], "deploy_duration": 300},
        {"id": "web", "depends_on": ("api",), "customer_facing": True, "deploy_duration": "2m"},
        {"id": "batch", "depends_on": ["db"], "stateful": False, "customer_facing": False},
        {"deploy_duration": 5, "id": "cron", "depends_on": []},
        # Keys built at run time are not interned: compared by value.
        {"".join(["i", "d"]): "jobs", "".join(["depends_", "on"]): ["cron"], "_".join(["deploy", "duration"]): 7},
    ],
}


def _generic(plan: dict[str, object]) -> object:
    # Not an exact dict: the binding's generic reader reads it.
    import types

    return types.MappingProxyType(plan)


def test_fast_and_generic_readers_agree() -> None:
    for fn in (
        rollgate.order_services,
        rollgate.blast_radius,
        lambda p: rollgate.schedule_services(p, 2),
    ):
        assert fn(MIXED) == fn(_generic(MIXED))  # type: ignore[operator]
    order = rollgate.order_services(MIXED)  # type: ignore[arg-type]
    assert order["waves"] == [["cron", "db", "queue"], ["api", "batch", "jobs"], ["web"]]
    assert all(type(t["id"]) is str for t in order["critical_path"]["services"])


@pytest.mark.parametrize(
    "services",
    [
        [{"id": "a", "depends_on": ["b", "b"]}, {"id": "b"}],
        [{"id": "a", "depends_on": ["b", "a"]}, {"id": "b"}],
        [{"id": "a", "depends_on": ["c"]}, {"id": "b", "depends_on": ["b"]}],
        [{"id": "a", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]}],
        [{"id": "a"}, {"id": "a", "owner": "x"}],
        [{"id": ""}],
        [{"id": "a", "depends_on": [1]}],
        [{"id": "a", "stateful": 1}],
        [{"id": "a", "customer_facing": "yes"}],
        [{"id": "a", "deploy_duration": -1}],
        [{"id": "a", "deploy_duration": True}],
        [{"id": "a", "deploy_duration": 2**70}],
        [{"id": "a", "deploy_duration": 2**63}],
        [{"id": "a", "depends_on": None}],
        [{"depends_on": []}],
        [{"id": "a"}, "b"],
        [{"id": "a", "depends_on": ["\ud800"]}],
        [{1: "a"}],
    ],
)
def test_fast_and_generic_readers_fail_alike(services: list[object]) -> None:
    errors = []
    for plan in ({"name": "p", "services": services}, _generic({"name": "p", "services": services})):
        with pytest.raises(rollgate.RollgateError) as info:
            rollgate.order_services(plan)  # type: ignore[arg-type]
        errors.append((type(info.value), info.value.code, info.value.path, info.value.details, str(info.value)))
    assert errors[0] == errors[1]


def test_argument_errors_come_before_graph_errors() -> None:
    cyclic = {"name": "p", "services": [{"id": "a", "depends_on": ["b"]}, {"id": "b", "depends_on": ["a"]}]}
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.blast_radius(cyclic, "a")  # type: ignore[arg-type]
    assert info.value.path == "services"
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.schedule_services(cyclic, 0)  # type: ignore[arg-type]
    assert info.value.path == "max_parallel"
    with pytest.raises(rollgate.InvalidPlanError) as info:
        rollgate.blast_radius(cyclic, ["a"])  # type: ignore[arg-type]
    assert info.value.code == "dependency_cycle"
