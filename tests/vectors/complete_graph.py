#!/usr/bin/env python3
"""Completes the expected outputs of tests/vectors/graph.json.

The inputs and the expected values already in the file were written by hand.
This script recomputes every successful case from the documented
definitions (core/src/graph/: a service sits in the first wave after all of
its dependencies; rollback waves by height; earliest/latest start and finish
and slack; the `zero_deploy_duration` finding; the critical path ends at the last-finishing service nothing
depends on and walks back through the last-finishing dependency, ties by
smallest id; list scheduling by longest remaining path, then id), with a
naive implementation that shares no code with rollgate. It checks that every
value already in `expected` agrees, adds the keys that are missing, so each
`expected` lists the complete output, and gives every error case its
`error_path` and, for graph errors, every field of the error.

    python3 tests/vectors/complete_graph.py          # rewrites graph.json
    python3 tests/vectors/complete_graph.py --check  # fails if anything would change
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

FILE = pathlib.Path(__file__).with_name("graph.json")
UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def seconds(value) -> int:
    """Seconds of a duration in the forms the vectors use."""
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        assert float(value).is_integer(), value
        return int(value)
    if re.fullmatch(r"\d+", value):
        return int(value)
    total = 0.0
    parts = re.findall(r"(\d+(?:\.\d+)?)([dhms])", value)
    assert "".join(n + u for n, u in parts) == value, value
    for number, unit in parts:
        total += float(number) * UNITS[unit]
    assert total.is_integer(), value
    return int(total)


class Plan:
    def __init__(self, doc: dict):
        self.ids = [s["id"] for s in doc["services"]]
        self.deps = {s["id"]: list(s.get("depends_on", [])) for s in doc["services"]}
        self.dur = {s["id"]: seconds(s.get("deploy_duration")) for s in doc["services"]}
        self.facing = {s["id"]: bool(s.get("customer_facing", False)) for s in doc["services"]}
        self.dependents = {i: sorted(j for j in self.ids if i in self.deps[j]) for i in self.ids}

    def layer(self, v: str) -> int:
        return max((self.layer(d) + 1 for d in self.deps[v]), default=0)

    def height(self, v: str) -> int:
        return max((self.height(w) + 1 for w in self.dependents[v]), default=0)

    def grouped(self, key) -> list[list[str]]:
        count = max((key(v) + 1 for v in self.ids), default=0)
        return [sorted(v for v in self.ids if key(v) == k) for k in range(count)]

    def timings(self):
        es, ef = {}, {}

        def earliest(v):
            if v not in es:
                es[v] = max((earliest(d) + self.dur[d] for d in self.deps[v]), default=0)
                ef[v] = es[v] + self.dur[v]
            return es[v]

        for v in self.ids:
            earliest(v)
        makespan = max(ef.values(), default=0)
        ls, lf = {}, {}

        def latest(v):
            if v not in ls:
                lf[v] = min((latest(w) for w in self.dependents[v]), default=makespan)
                ls[v] = lf[v] - self.dur[v]
            return ls[v]

        for v in self.ids:
            latest(v)
        return es, ef, ls, lf, makespan

    def order(self) -> dict:
        es, ef, ls, lf, makespan = self.timings()

        def last_finishing(candidates):
            return min(candidates, key=lambda v: (-ef[v], v), default=None)

        path = []
        v = last_finishing([v for v in self.ids if not self.dependents[v]])
        while v is not None:
            path.append(v)
            v = last_finishing(self.deps[v])
        services = [
            {
                "id": v,
                "earliest_start": es[v],
                "earliest_finish": ef[v],
                "latest_start": ls[v],
                "latest_finish": lf[v],
                "slack": ls[v] - es[v],
            }
            for v in sorted(self.ids, key=lambda v: (es[v], v))
        ]
        return {
            "waves": self.grouped(self.layer),
            "rollback_waves": self.grouped(self.height),
            "critical_path": {"makespan_seconds": makespan, "path": path[::-1], "services": services},
            "findings": self.findings(),
        }

    def findings(self) -> list:
        """The `zero_deploy_duration` finding of the timing analyses."""
        instant = sorted(v for v in self.ids if self.dur[v] == 0)
        if not instant:
            return []
        verb, whose = ("has", "its") if len(instant) == 1 else ("have", "their")
        message = (
            f"{', '.join(instant)} {verb} no deploy_duration (or 0): "
            f"{whose} deployments take no time in these timings"
        )
        return [{"code": "zero_deploy_duration", "message": message, "subjects": instant}]

    def blast(self, requested) -> dict:
        out = []
        for v in sorted(set(self.ids if requested is None else requested)):
            reached, frontier = set(), [v]
            while frontier:
                for w in self.dependents[frontier.pop()]:
                    if w not in reached:
                        reached.add(w)
                        frontier.append(w)
            dependents = sorted(reached)
            out.append(
                {
                    "id": v,
                    "dependents": dependents,
                    "dependent_count": len(dependents),
                    "customer_facing_dependents": sum(self.facing[w] for w in dependents),
                    "customer_facing": self.facing[v],
                }
            )
        return {"services": out}

    def schedule(self, max_parallel: int) -> dict:
        tail = {}

        def remaining_path(v):
            if v not in tail:
                tail[v] = self.dur[v] + max((remaining_path(w) for w in self.dependents[v]), default=0)
            return tail[v]

        for v in self.ids:
            remaining_path(v)
        waiting = {v: len(self.deps[v]) for v in self.ids}
        ready = [v for v in self.ids if waiting[v] == 0]
        running, slot, now = [], {}, 0
        while len(slot) < len(self.ids) or running:
            ready.sort(key=lambda v: (-tail[v], v))
            while ready and len(running) < max_parallel:
                v = ready.pop(0)
                slot[v] = (now, now + self.dur[v])
                running.append(v)
            now = min(slot[v][1] for v in running)
            for v in [v for v in running if slot[v][1] == now]:
                running.remove(v)
                for w in self.dependents[v]:
                    waiting[w] -= 1
                    if waiting[w] == 0:
                        ready.append(w)
        services = [
            {"id": v, "start": slot[v][0], "finish": slot[v][1]}
            for v in sorted(self.ids, key=lambda v: (slot[v][0], v))
        ]
        return {
            "max_parallel": max_parallel,
            "makespan_seconds": max((s["finish"] for s in services), default=0),
            "services": services,
            "findings": self.findings(),
        }


def graph_error(doc: dict):
    """The first graph error of a readable plan as (code, path, fields), in
    the documented order; None when the plan is a DAG."""
    services = doc["services"]
    first = {}
    for i, s in enumerate(services):
        if s["id"] in first:
            return "duplicate_id", f"/services/{i}/id", {"id": s["id"], "first_path": f"/services/{first[s['id']]}/id"}
        first[s["id"]] = i
    for i, s in enumerate(services):
        seen = {}
        for j, d in enumerate(s.get("depends_on", [])):
            path = f"/services/{i}/depends_on/{j}"
            if d == s["id"]:
                return "self_dependency", path, {"service": d}
            if d not in first:
                return "unknown_dependency", path, {"service": s["id"], "dependency": d}
            if d in seen:
                return "duplicate_id", path, {"id": d, "first_path": f"/services/{i}/depends_on/{seen[d]}"}
            seen[d] = j
    return cycle_error(services, first)


def cycle_error(services, position):
    deps = {s["id"]: s.get("depends_on", []) for s in services}

    def reaches(a, b):
        seen, frontier = set(), [a]
        while frontier:
            for d in deps[frontier.pop()]:
                if d == b:
                    return True
                if d not in seen:
                    seen.add(d)
                    frontier.append(d)
        return False

    members = sorted(v for v in deps if reaches(v, v))
    if not members:
        return None
    start = members[0]
    # Breadth-first, neighbours in id order: the first shortest cycle.
    parents, frontier = {start: None}, [start]
    while frontier:
        nxt = []
        for v in frontier:
            for d in sorted(deps[v]):
                if d == start:
                    cycle = [start]
                    while v is not None:
                        cycle.append(v)
                        v = parents[v]
                    cycle = cycle[::-1]
                    j = deps[cycle[0]].index(cycle[1])
                    path = f"/services/{position[cycle[0]]}/depends_on/{j}"
                    return "dependency_cycle", path, {"cycle": cycle, "members": members}
                if d not in parents and reaches(d, start):
                    parents[d] = v
                    nxt.append(d)
        frontier = nxt
    raise AssertionError("a member of a cycle lies on a cycle")


def agrees(given, full, at="") -> None:
    """Every value already written by hand must be the reference value."""
    if isinstance(given, dict):
        assert isinstance(full, dict), at
        for k, v in given.items():
            assert k in full, f"{at}/{k}: not in the output"
            agrees(v, full[k], f"{at}/{k}")
    elif isinstance(given, list):
        assert isinstance(full, list) and len(given) == len(full), at
        for i, (g, f) in enumerate(zip(given, full)):
            agrees(g, f, f"{at}/{i}")
    else:
        assert given == full, f"{at}: written {given}, reference {full}"


def complete(case: dict) -> dict:
    function, args = case["function"], case["input"]
    if "expected" in case:
        plan = Plan(args[0])
        if function == "order_services":
            full = plan.order()
        elif function == "blast_radius":
            full = plan.blast(args[1] if len(args) > 1 else None)
        else:
            full = plan.schedule(args[1])
        agrees(case["expected"], full, case["name"])
        case["expected"] = full
        return case
    found = None
    try:
        found = graph_error(args[0])
    except (KeyError, TypeError, AttributeError):
        pass  # not a readable plan: a reading error, written by hand
    if found and found[0] == case["error_code"]:
        code, path, fields = found
        if "error_path" in case:
            assert case["error_path"] == path, (case["name"], path)
        agrees(case.get("error_fields", {}), fields, case["name"])
        case["error_path"], case["error_fields"] = path, fields
    assert "error_path" in case, f"{case['name']}: write its error_path by hand"
    return case


def main() -> None:
    doc = json.loads(FILE.read_text())
    before = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    doc["cases"] = [complete(c) for c in doc["cases"]]
    after = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        if before != after:
            sys.exit("graph.json is not complete: run tests/vectors/complete_graph.py")
        return
    FILE.write_text(after)


if __name__ == "__main__":
    main()
