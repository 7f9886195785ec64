#!/usr/bin/env python3
"""Writes tests/vectors/environments.json: the inputs of the environment
vectors (a three-environment estate with seeded drift, a promotion history, a
migration history with every problem kind, access requests covering every
rule, a teardown estate and an isolation plan) and their expected outputs.

There is no peer implementation to take reference values from: every expected
value was derived by hand from the rules documented in
core/src/environments/ (each case's "why" says what it pins) and then
compared with the engine's output. Run with --inputs to print the cases
without expected values (that is what the engine's output was compared with).
"""

from __future__ import annotations

import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent

ESTATE = [
    {
        "id": "dev", "tier": "development", "owner": "platform",
        "created_at": "2025-06-01T09:00:00Z", "last_deployed_at": "2026-03-01T16:20:00Z",
        "services": {
            "payments": {"version": "2.4.0", "artifact_digest": "sha256:p240",
                         "config": {"pool.size": 5, "db.secret_ref": "vault:dev/payments"}, "replicas": 1},
            "checkout": {"version": "1.9.0", "artifact_digest": "sha256:c190",
                         "config": {"feature.one_click": True}, "replicas": 1},
            "search": {"version": "3.1.0-rc.2", "artifact_digest": "sha256:s31rc2", "replicas": 1},
        },
        "infrastructure": {"postgres.engine_version": "16.4", "instance_type": "t3.medium"},
        "data_volume": {"orders_rows": 20000},
        "monthly_cost": 900,
    },
    {
        "id": "staging", "tier": "staging", "owner": "platform",
        "created_at": "2025-01-10T09:00:00Z", "last_deployed_at": "2026-02-27T11:00:00Z",
        "labels": {"protected": "true"},
        "services": {
            "payments": {"version": "2.3.1", "artifact_digest": "sha256:p231",
                         "config": {"pool.size": 20, "db.secret_ref": "vault:staging/payments"}, "replicas": 2},
            "checkout": {"version": "1.9.0", "artifact_digest": "sha256:c190",
                         "config": {"feature.one_click": True}, "replicas": 2},
            "search": {"version": "3.0.2", "artifact_digest": "sha256:s302", "replicas": 2},
        },
        "infrastructure": {"postgres.engine_version": "15.6", "instance_type": "m6i.large"},
        "data_volume": {"orders_rows": 90000},
        "monthly_cost": 4200,
    },
    {
        "id": "prod", "tier": "production", "owner": "platform",
        "created_at": "2024-03-01T09:00:00Z", "last_deployed_at": "2026-02-28T10:00:00Z",
        "services": {
            "payments": {"version": "2.3.1", "artifact_digest": "sha256:p231-rebuilt",
                         "config": {"pool.size": 20, "db.secret_ref": "vault:prod/payments"}, "replicas": 12},
            "checkout": {"version": "1.9.1", "artifact_digest": "sha256:c191",
                         "config": {"feature.one_click": False}, "replicas": 8},
            "search": {"version": "3.0.2", "artifact_digest": "sha256:s302", "replicas": 6},
            "fraud-check": {"version": "0.9.0", "artifact_digest": "sha256:f090", "replicas": 3},
        },
        "infrastructure": {"postgres.engine_version": "16.4", "instance_type": "m6i.large"},
        "data_volume": {"orders_rows": 1200000},
        "monthly_cost": 38000,
    },
]

PARITY_RULES = {
    "allow": [
        {"path": "/services/*/replicas"},
        {"path": "/services/*/config/*secret*"},
        {"path": "/infrastructure/instance_type", "environments": ["dev"]},
    ],
    "blocking": [{"path": "/infrastructure/**"}],
    "min_data_volume_ratio": 0.1,
}

SCRIPTS = [
    {"version": "1", "description": "create orders", "checksum": "a1", "reversible": True, "phase": "expand"},
    {"version": "2", "description": "add orders.region", "checksum": "b2", "reversible": True, "phase": "expand"},
    {"version": "2.1", "description": "backfill orders.region", "checksum": "c3", "phase": "expand"},
    {"version": "3", "description": "drop orders.legacy_zone", "checksum": "d4", "phase": "contract"},
    {"version": "4", "description": "add refunds", "checksum": "e5", "reversible": True, "phase": "expand"},
]

HISTORIES = [
    {"environment": "dev", "applied": [
        {"version": "1", "checksum": "a1", "applied_at": "2026-01-05T10:00:00Z"},
        {"version": "2", "checksum": "b2", "applied_at": "2026-01-12T10:00:00Z"},
        {"version": "2.1", "checksum": "c3", "applied_at": "2026-01-13T10:00:00Z"},
        {"version": "3", "checksum": "d4", "applied_at": "2026-01-20T10:00:00Z"},
        {"version": "4", "checksum": "e5", "applied_at": "2026-02-02T10:00:00Z"},
    ]},
    {"environment": "staging", "applied": [
        {"version": "1", "checksum": "a1"},
        {"version": "2", "checksum": "b2-edited"},
        {"version": "4", "checksum": "e5"},
    ]},
    {"environment": "prod", "applied": [
        {"version": "1", "checksum": "a1"},
        {"version": "2.1", "checksum": "c3"},
        {"version": "1.5", "checksum": "zz"},
    ]},
]

ACCESS_POLICY = {
    "on_call": ["dana"],
    "environments": {
        "prod": {"scopes": ["read", "db-read", "db-write"], "max_duration": "4h", "requires_ticket": True,
                 "approvers": ["erin", "farid"], "break_glass_max_duration": "1h", "review_within": "24h"},
        "staging": {"scopes": ["read", "deploy"], "max_duration": "8h"},
        "payments-vault": {"approvers": ["gus"]},
    },
}
NOW = "2026-03-02T09:00:00Z"


def access(name: str, request: dict, why: str) -> dict:
    return {"name": f"access: {name}", "why": why, "function": "evaluate_access",
            "input": [request, ACCESS_POLICY, NOW]}


def prod_request(**extra: object) -> dict:
    base = {"id": "AR-7", "requester": "bo", "environment": "prod", "scope": ["db-read"],
            "duration": "2h", "ticket": "OPS-4411"}
    base.update(extra)
    return {k: v for k, v in base.items() if v is not None}


TEARDOWN_ESTATE = [
    {"id": "pr-1841", "tier": "ephemeral", "owner": "search", "created_at": "2026-02-10T12:00:00Z",
     "expires_at": "2026-02-17T12:00:00Z", "monthly_cost": 310},
    {"id": "pr-1902", "tier": "ephemeral", "owner": "search", "created_at": "2026-02-28T12:00:00Z",
     "expires_at": "2026-03-07T12:00:00Z", "last_deployed_at": "2026-03-01T08:00:00Z", "monthly_cost": 290},
    {"id": "perf", "tier": "test", "owner": "perf-team", "created_at": "2025-09-01T00:00:00Z",
     "last_deployed_at": "2026-01-04T00:00:00Z", "monthly_cost": 5200},
    {"id": "demo", "tier": "development", "owner": "sales-eng", "labels": {"protected": "customer demo"},
     "created_at": "2025-05-01T00:00:00Z", "last_deployed_at": "2025-11-01T00:00:00Z", "monthly_cost": 700},
    {"id": "staging", "tier": "staging", "created_at": "2025-01-10T09:00:00Z",
     "last_deployed_at": "2026-02-27T11:00:00Z", "monthly_cost": 4200},
    {"id": "prod", "tier": "production", "owner": "platform", "created_at": "2024-03-01T09:00:00Z",
     "expires_at": "2026-01-01T00:00:00Z", "monthly_cost": 38000},
]
TEARDOWN_POLICY = {"max_idle": "30d", "cost_budget": 5000, "warning_period": "3d",
                   "known_owners": ["search", "perf-team", "sales-eng", "platform"]}

SHOP_PLAN = {"name": "shop", "services": [
    {"id": "orders-db", "stateful": True},
    {"id": "ledger-db", "stateful": True, "tags": ["shared"]},
    {"id": "events", "stateful": True, "tags": ["shared"]},
    {"id": "fx-api", "tags": ["shared"]},
    {"id": "catalog", "stateful": True, "tags": ["shared"]},
    {"id": "auth"},
    {"id": "ledger", "depends_on": ["ledger-db"]},
    {"id": "payments", "depends_on": ["ledger", "events", "fx-api", "auth"]},
    {"id": "orders", "depends_on": ["orders-db", "payments", "catalog", "events"]},
    {"id": "notifications", "depends_on": ["events"]},
]}

DEPLOYMENTS = [
    {"environment": "dev", "artifact_digest": "sha256:c191", "version": "1.9.1",
     "deployed_at": "2026-02-20T10:00:00Z", "gates": [{"name": "unit", "passed": True, "at": "2026-02-20T10:20:00Z"}]},
    {"environment": "staging", "artifact_digest": "sha256:c191", "version": "1.9.1",
     "deployed_at": "2026-02-21T09:00:00Z",
     "gates": [{"name": "e2e", "passed": False, "at": "2026-02-21T11:00:00Z"},
               {"name": "e2e", "passed": True, "at": "2026-02-23T11:00:00Z"}]},
    {"environment": "prod", "artifact_digest": "sha256:c191", "version": "1.9.1",
     "deployed_at": "2026-02-22T09:00:00Z"},
    {"environment": "perf", "artifact_digest": "sha256:c191", "deployed_at": "2026-02-21T12:00:00Z"},
    {"environment": "staging", "artifact_digest": "sha256:c191-rebuild", "version": "1.9.1",
     "deployed_at": "2026-02-21T08:00:00Z"},
]
PROMOTION_RULES = {"stages": {"dev": {"required_gates": ["unit"], "min_soak": "1h"},
                              "staging": {"required_gates": ["e2e", "load"], "min_soak": "48h"}}}


def cases() -> list[dict]:
    path = ["dev", "staging", "prod"]
    out = [
        {"name": "parity: seeded drift along dev, staging, prod", "function": "check_parity",
         "why": "pending promotion, secrets and replicas allowed, engine and config drift, a hotfix, a rebuild, a new service in prod, data volume below 10%",
         "input": [ESTATE, path, PARITY_RULES]},
        {"name": "parity: an environment with its copy has no findings", "function": "check_parity",
         "why": "parity of an environment with itself",
         "input": [[ESTATE[2], {**ESTATE[2], "id": "prod-copy"}], ["prod", "prod-copy"], None]},
        {"name": "parity: unknown environment in the path", "function": "check_parity",
         "input": [ESTATE, ["dev", "qa"], None], "error_code": "unknown_environment",
         "error_path": "promotion_path/1", "error_fields": {"environment": "qa"}},
        {"name": "parity: unknown environment in a rule", "function": "check_parity",
         "input": [ESTATE, path, {"allow": [{"path": "/x", "environments": ["uat"]}]}],
         "error_code": "unknown_environment", "error_path": "rules/allow/0/environments/0"},
        {"name": "parity: expiry before creation", "function": "check_parity",
         "input": [[{"id": "pr-1", "tier": "ephemeral", "created_at": "2026-03-01T00:00:00Z",
                     "expires_at": "2026-02-01T00:00:00Z"}], ["pr-1"], None],
         "error_code": "invalid_timestamp", "error_path": "/0/expires_at"},
        {"name": "parity: duplicate environment", "function": "check_parity",
         "input": [[ESTATE[0], ESTATE[0]], ["dev"], None],
         "error_code": "duplicate_id", "error_path": "/1/id", "error_fields": {"first_path": "/0/id"}},
        {"name": "parity: non-RFC 3339 timestamp", "function": "check_parity",
         "input": [[{"id": "a", "tier": "test", "created_at": "2026-03-01 00:00:00Z"}], ["a"], None],
         "error_code": "invalid_timestamp", "error_path": "/0/created_at"},
        {"name": "promotion: a hotfix that raced through staging", "function": "check_promotion",
         "why": "rebuild in staging, failed-then-late e2e, missing load gate, 24 h soak instead of 48 h",
         "input": [path, DEPLOYMENTS, {"digest": "sha256:c191", "version": "1.9.1"}, PROMOTION_RULES]},
        {"name": "promotion: in staging, waiting for the load gate and the soak", "function": "check_promotion",
         "input": [path, DEPLOYMENTS[:2], {"digest": "sha256:c191"}, PROMOTION_RULES]},
        {"name": "promotion: rule for an environment off the path", "function": "check_promotion",
         "input": [path, [], {"digest": "x"}, {"stages": {"qa": {}}}],
         "error_code": "unknown_environment", "error_path": "rules/stages/qa"},
        {"name": "migrations: every problem kind", "function": "plan_migrations",
         "why": "checksum mismatch, gap, applied in prod not staging, contract before its expand everywhere, missing script",
         "input": [SCRIPTS, HISTORIES]},
        {"name": "migrations: duplicate version", "function": "plan_migrations",
         "input": [SCRIPTS + [{"version": "2.0", "checksum": "q"}], HISTORIES],
         "error_code": "duplicate_id", "error_path": "/5/version", "error_fields": {"id": "2.0", "first_path": "/1/version"}},
        {"name": "migrations: malformed version", "function": "plan_migrations",
         "input": [SCRIPTS, [{"environment": "dev", "applied": [{"version": "2b", "checksum": "x"}]}]],
         "error_code": "invalid_input", "error_path": "environments/0/applied/0/version"},
        access("approved by an eligible approver", prod_request(approver="erin"), "grant with expiry"),
        access("needs approval", prod_request(), "no approver yet: needs_approval by erin or farid"),
        access("self approval ignored", prod_request(requester="erin", approver="erin"), "only farid may approve"),
        access("approver not eligible", prod_request(approver="gus"), "gus approves elsewhere only"),
        access("scope not allowed", prod_request(scope=["db-read", "shell"]), "deny"),
        access("ticket required", prod_request(ticket=None), "deny"),
        access("duration capped", prod_request(duration="12h", approver="farid"), "4 h at most"),
        access("break glass on call", {"requester": "dana", "environment": "prod", "scope": ["db-write"],
                                       "duration": "3h", "break_glass": True},
               "always allowed for on-call, 1 h, review within 24 h"),
        access("break glass not on call", prod_request(break_glass=True), "deny"),
        access("no approval required", {"requester": "bo", "environment": "staging", "scope": ["deploy"],
                                         "duration": "1h"}, "grant"),
        access("no eligible approver", {"requester": "gus", "environment": "payments-vault", "duration": "30m",
                                        "approver": "gus"}, "only the requester could approve: deny"),
        {"name": "access: unknown environment", "function": "evaluate_access",
         "input": [{"requester": "bo", "environment": "qa", "duration": "1h"}, ACCESS_POLICY, NOW],
         "error_code": "unknown_environment", "error_path": "/environment"},
        {"name": "access: now is not RFC 3339", "function": "evaluate_access",
         "input": [prod_request(), ACCESS_POLICY, "2026-03-02 09:00"],
         "error_code": "invalid_timestamp", "error_path": "now"},
        {"name": "teardown: expired, idle, over budget, orphaned; production and protected kept",
         "function": "teardown_candidates", "input": [TEARDOWN_ESTATE, TEARDOWN_POLICY, NOW]},
        {"name": "isolation: orders in an isolated environment", "function": "isolation_plan",
         "input": [SHOP_PLAN, ["orders"], {"read_only": ["catalog"]}]},
        {"name": "isolation: unknown service", "function": "isolation_plan",
         "input": [SHOP_PLAN, ["orders", "basket"], None],
         "error_code": "unknown_service", "error_path": "services/1"},
    ]
    return out


def main() -> None:
    target = HERE / "environments.json"
    cases_now = cases()
    if "--inputs" in sys.argv:
        print(json.dumps({"cases": cases_now}, indent=1))
        return
    # Expected values live in the committed file (derived by hand, see the
    # module docstring); regenerate the inputs while keeping them.
    old = {c["name"]: c for c in json.loads(target.read_text())["cases"]} if target.exists() else {}
    for case in cases_now:
        if "error_code" not in case:
            case["expected"] = old.get(case["name"], {}).get("expected")
    doc = {"exact": True, "generator": "tests/vectors/gen_environments_vectors.py", "cases": cases_now}
    target.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
