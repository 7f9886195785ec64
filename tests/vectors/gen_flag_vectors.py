#!/usr/bin/env python3
"""Regenerates tests/vectors/flags.json (flag_bucket, flag_enabled, flag_exposure).

Run with the worktree's virtualenv (mmh3):
    .venv/bin/python tests/vectors/gen_flag_vectors.py

Buckets come from the mmh3 package (a C MurmurHash3_x86_32, independent of
the Rust murmur3 crate) and the SDKs' formulas:
  Unleash: mmh3("groupId:unitId", seed 0) % 100 + 1, enabled iff <= rollout;
           variants: mmh3(same, seed 86028157) % total + 1, first variant whose
           running weight reaches it (unleash-client-node / Yggdrasil);
  flagd:   (mmh3(flagKey + targetingKey) * totalWeight) >> 32, first variant
           whose running weight exceeds it (flagd core/pkg/evaluator/fractional.go).
The public vectors checked first: Unleash "AB12A:122" -> 23 and the Java SDK's
cross-client values (gr1:123 -> 73, groupX:999 -> 25; variant seed 96, 60);
flagd "fractional-flagjack", total 100 -> 62. Synthetic ids of a counted
population are splitmix64 re-implemented here; Wilson intervals from the
textbook formula (R: prop.test(k, n, correct = FALSE)$conf.int).
"""
import json
import math
import pathlib

import mmh3

HERE = pathlib.Path(__file__).resolve().parent
VARIANT_SEED = 86028157
MASK = (1 << 64) - 1


def h(text, seed=0):
    return mmh3.hash(text.encode("utf-8"), seed, signed=False)


def unleash_bucket(group, unit):
    return h(f"{group}:{unit}") % 100 + 1


def flagd_bucket(key, unit, total=100):
    return (h(f"{key}{unit}") * total) >> 32


assert unleash_bucket("AB12A", "122") == 23
assert unleash_bucket("gr1", "123") == 73 and unleash_bucket("groupX", "999") == 25
assert h("gr1:123", VARIANT_SEED) % 100 + 1 == 96 and h("groupX:999", VARIANT_SEED) % 100 + 1 == 60
assert flagd_bucket("fractional-flag", "jack") == 62
# SMHasher reference values of MurmurHash3_x86_32.
assert h("", 1) == 0x514E28B7 and h("", 0xFFFFFFFF) == 0x81F16F39 and h("hello") == 0x248BFA47


def reason(code, message, subjects=(), evidence=None):
    out = {"code": code, "message": message, "subjects": sorted(set(subjects))}
    if evidence:
        out["evidence"] = evidence
    return out


def distribution(flag):
    p = flag.get("percentage", 100)
    variants = [(v["name"], v.get("weight", 1)) for v in flag.get("variants", [])]
    if flag.get("algorithm") == "flagd" and not variants:
        variants = [("on", p), ("off", 100 - p)]
    return p, variants, sum(w for _, w in variants)


def evaluate(flag, unit):
    p, variants, total = distribution(flag)
    key = flag["key"]
    if flag.get("algorithm", "unleash") == "unleash":
        group = flag.get("group_id", key)
        bucket = unleash_bucket(group, unit)
        enabled = p > 0 and bucket <= p
        chosen = None
        if enabled and total > 0:
            target = h(f"{group}:{unit}", VARIANT_SEED) % total + 1
            running = 0
            for i, (_, w) in enumerate(variants):
                running += w
                if w > 0 and running >= target:
                    chosen = i
                    break
        return enabled, chosen, bucket
    bucket = flagd_bucket(key, unit, total)
    running, chosen = 0, None
    for i, (_, w) in enumerate(variants):
        running += w
        if w > 0 and bucket < running:
            chosen = i
            break
    fractional = bool(flag.get("variants"))
    enabled = chosen is not None and (fractional or chosen == 0)
    return enabled, chosen, bucket


def decision(flag, unit):
    p, variants, total = distribution(flag)
    enabled, chosen, bucket = evaluate(flag, unit)
    if flag.get("algorithm", "unleash") == "unleash":
        message = f"Unleash bucket {bucket} of 1–100 is {'within' if enabled else 'outside'} the rollout of {p} %"
    else:
        message = f"flagd bucket {bucket} of 0–{total - 1} {'is served the flag' if enabled else 'is not served the flag'}"
    reasons = [
        reason(
            "flag_rollout_in" if enabled else "flag_rollout_out",
            message,
            [flag["key"]],
            {"bucket": bucket, "percentage": p},
        )
    ]
    name = variants[chosen][0] if chosen is not None else None
    if name is not None and flag.get("variants"):
        low = sum(w for _, w in variants[:chosen])
        reasons.append(
            reason(
                "flag_variant",
                f"variant `{name}` holds weights {low}–{low + variants[chosen][1]} of {total}",
                [name],
                {"total_weight": total},
            )
        )
    return {"flag": flag["key"], "unit_id": unit, "enabled": enabled, "variant": name, "bucket": bucket, "reasons": reasons}


# ---------------------------------------------------------------- exposure
def splitmix(seed):
    state = seed
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def sample_ids(seed, n):
    gen = splitmix(seed)
    for _ in range(n):
        a, b = next(gen), next(gen)
        yield (
            f"{a >> 32:08x}-{(a >> 16) & 0xFFFF:04x}-4{a & 0xFFF:03x}-"
            f"{((b >> 48) & 0x3FFF) | 0x8000:04x}-{b & 0xFFFFFFFFFFFF:012x}"
        )


def wilson(k, n, z=1.959963984540054):
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return [max(centre - half, 0.0), min(centre + half, 1.0)]


assert abs(wilson(50, 100)[0] - 0.4038315) < 1e-6  # R: prop.test(50, 100, correct = FALSE)


def below_mod(m, k):
    return (1 << 32) // m * k + min(k, (1 << 32) % m)


def expected(flag):
    p, variants, total = distribution(flag)
    cum = [sum(w for _, w in variants[: i + 1]) for i in range(len(variants))]
    if flag.get("algorithm", "unleash") == "unleash":
        enabled = below_mod(100, p) / 2**32
        counts = [below_mod(total, c) if total else 0 for c in cum]
        shares = [enabled * (c - prev) / 2**32 for c, prev in zip(counts, [0] + counts[:-1])]
        return enabled, shares
    counts = [-((-c << 32) // total) if total else 0 for c in cum]  # ceil(c * 2^32 / total)
    shares = [(c - prev) / 2**32 for c, prev in zip(counts, [0] + counts[:-1])]
    enabled = sum(shares) if flag.get("variants") else (shares[0] if shares else 0.0)
    return enabled, shares


def exposure(flag, population):
    _, variants, _ = distribution(flag)
    exact = isinstance(population, list)
    if exact:
        ids, total = population, len(population)
    else:
        n = min(population.get("sample", 10000), population["count"])
        ids, total = list(sample_ids(population.get("seed", 0), n)), population["count"]
    outcomes = {"enabled": [], "disabled": []}
    per_variant = [[] for _ in variants]
    for unit in ids:
        enabled, chosen, _ = evaluate(flag, unit)
        outcomes["enabled" if enabled else "disabled"].append(unit)
        if chosen is not None:
            per_variant[chosen].append(unit)
    e_enabled, e_shares = expected(flag)
    sampled = len(ids)

    def outcome(units, expected_share):
        share = len(units) / sampled if sampled else 0.0
        return {
            "units": len(units) if exact else math.floor(share * total + 0.5),
            "share": share,
            "expected_share": expected_share,
            "interval": None if exact or not sampled else wilson(len(units), sampled),
            "unit_ids": units if exact else [],
        }

    show = not (flag.get("algorithm", "unleash") == "unleash" and not flag.get("variants"))
    enabled = outcome(outcomes["enabled"], e_enabled)
    if exact:
        why = reason("exposure_counted", f"{total} unit ids hashed: {enabled['units']} get the flag", [flag["key"]])
    else:
        why = reason(
            "exposure_sampled",
            f"{sampled} synthetic ids hashed for {total} units: about {enabled['units']} get the flag",
            [flag["key"]],
            {"sample": sampled},
        )
    return {
        "flag": flag["key"],
        "algorithm": flag.get("algorithm", "unleash"),
        "population": total,
        "sampled": sampled,
        "exact": exact,
        "enabled": enabled,
        "disabled": outcome(outcomes["disabled"], 1 - e_enabled),
        "variants": [
            {"variant": name, "exposure": outcome(units, share)}
            for (name, _), units, share in zip(variants, per_variant, e_shares)
        ]
        if show
        else [],
        "reasons": [why],
    }


cases = []


def case(name, function, args, expected):
    cases.append({"name": name, "function": function, "input": args, "expected": expected})


def err(name, function, args, code, path):
    cases.append({"name": name, "function": function, "input": args, "error_code": code, "error_path": path})


for group, unit, algorithm in [
    ("AB12A", "122", "unleash"),
    ("gr1", "123", "unleash"),
    ("groupX", "999", "unleash"),
    ("fractional-flag", "jack", "flagd"),
    ("fractional-flag", "queen", "flagd"),
    ("new-checkout", "ünïcode-user", "unleash"),
    ("new-checkout", "用户-42", "flagd"),
    ("a-rather-long-flag-name-for-the-tail-bytes", "x" * 37, "unleash"),
]:
    bucket = unleash_bucket(group, unit) if algorithm == "unleash" else flagd_bucket(group, unit)
    case(f"{algorithm} bucket of {group!r} / {unit!r}", "flag_bucket", [group, unit, algorithm], bucket)
case("the algorithm defaults to unleash", "flag_bucket", ["AB12A", "122"], 23)
err("an unknown algorithm", "flag_bucket", ["k", "u", "launchdarkly"], "invalid_input", "algorithm")

cards = [{"name": n, "weight": 25} for n in ("clubs", "diamonds", "hearts", "spades")]
flags = {
    "unleash 23 %": {"key": "AB12A", "percentage": 23},
    "unleash 22 %": {"key": "AB12A", "percentage": 22},
    "unleash group id": {"key": "checkout-v2", "group_id": "AB12A", "percentage": 50},
    "unleash variants": {"key": "gr1", "percentage": 100, "variants": [{"name": "a", "weight": 500}, {"name": "b", "weight": 500}]},
    "flagd cards": {"key": "fractional-flag", "algorithm": "flagd", "variants": cards},
    "flagd 62 %": {"key": "fractional-flag", "algorithm": "flagd", "percentage": 62},
    "flagd default weight": {"key": "fractional-flag", "algorithm": "flagd", "variants": [{"name": "x"}, {"name": "y"}, {"name": "z", "weight": 2}]},
}
for name, unit in [
    ("unleash 23 %", "122"),
    ("unleash 22 %", "122"),
    ("unleash group id", "122"),
    ("unleash variants", "123"),
    ("flagd cards", "jack"),
    ("flagd cards", "queen"),
    ("flagd 62 %", "jack"),
    ("flagd default weight", "ten"),
]:
    case(f"{name}: {unit}", "flag_enabled", [flags[name], unit], decision(flags[name], unit))

units = ["122", "123", "124", "125", "alice", "bob", "carol", "dave", "erin", "frank"]
case("unleash 25 % over ten ids", "flag_exposure", [{"key": "AB12A", "percentage": 25}, units], exposure({"key": "AB12A", "percentage": 25}, units))
case("flagd cards over ten ids", "flag_exposure", [flags["flagd cards"], units], exposure(flags["flagd cards"], units))
counted = {"count": 2_000_000, "sample": 5000, "seed": 42}
case(
    "unleash variants on a counted population (seeded sample)",
    "flag_exposure",
    [flags["unleash variants"] | {"percentage": 30}, counted],
    exposure(flags["unleash variants"] | {"percentage": 30}, counted),
)
small = {"count": 40, "seed": 3}
case("flagd 5 % of 40 units: the sample is the population", "flag_exposure", [{"key": "k", "algorithm": "flagd", "percentage": 5}, small], exposure({"key": "k", "algorithm": "flagd", "percentage": 5}, small))

err("a percentage above 100", "flag_enabled", [{"key": "k", "percentage": 101}, "u"], "invalid_percentage", "/percentage")
err("a fractional percentage", "flag_enabled", [{"key": "k", "percentage": 12.5}, "u"], "invalid_percentage", "/percentage")
err("flagd with a percentage and variants", "flag_enabled", [{"key": "k", "algorithm": "flagd", "percentage": 5, "variants": cards}, "u"], "invalid_input", "/percentage")
err("a repeated variant", "flag_exposure", [{"key": "k", "variants": [{"name": "a"}, {"name": "a"}]}, ["u"]], "duplicate_record", "/variants/1/name")
err("a sample above the limit", "flag_exposure", [{"key": "k"}, {"count": 10**9, "sample": 10**8}], "invalid_input", "population/sample")
err("a population that is neither", "flag_exposure", [{"key": "k"}, "everyone"], "invalid_input", "population")
err("a unit id that is not a string", "flag_exposure", [{"key": "k"}, ["a", 7]], "invalid_input", "population/1")

(HERE / "flags.json").write_text(json.dumps({"exact": True, "cases": cases}, indent=1, ensure_ascii=False) + "\n")
print(f"wrote {len(cases)} cases")
