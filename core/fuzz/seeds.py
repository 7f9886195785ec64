#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from the shared vectors.

Every case of tests/vectors/*.json becomes a seed of the targets that can
express it:

- corpus/json_text/: a selector byte (the function's position in FUNCTIONS
  of src/calls.rs) and the case's arguments as JSON texts joined by NUL;
- corpus/json_structured/: per case, the case's position (the target reads
  the vectors itself and mutates them) in the bytes `arbitrary`'s
  `choose_index` reads: big-endian, as many bytes as the highest position
  needs (two from 257 cases on);
- corpus/stats_kernels/: the statistics cases in the byte encoding of
  src/numbers.rs (a selector byte by KERNELS of fuzz_targets/stats_kernels.rs,
  a flags byte, then every number as tag 0xFF and its 8 little-endian bytes).

It also writes json.dict, a libFuzzer dictionary of the keys and short
strings of the vectors, for json_text.

Seeds are named by the SHA-1 of their content (as libFuzzer names corpus
files), so re-running adds nothing twice and keeps what fuzzing found.
Run by core/fuzz/run; standard library only.
"""

import hashlib
import json
import math
import pathlib
import re
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
VECTORS = HERE.parent.parent / "tests" / "vectors"


def listed(path, pattern):
    """The names a Rust list in `path` declares, in order."""
    return re.findall(pattern, (HERE / path).read_text(), re.M)


FUNCTIONS = listed("src/calls.rs", r'\bf\(\s*"(\w+)"')
KERNELS = listed("fuzz_targets/stats_kernels.rs", r'^\s*"(\w+)",\s*$')
ALTERNATIVES = ["two-sided", "greater", "less"]
CORRECTIONS = ["none", "holm", "bh"]


def cases():
    """(function, input) of every vector case the targets know, in the
    order of src/vectors.rs: files by name, cases by position."""
    out = []
    for file in sorted(VECTORS.glob("*.json")):
        for case in json.loads(file.read_text())["cases"]:
            # Scenario cases (release.json: a sequence of calls) have no
            # single function; src/vectors.rs skips them too.
            if case.get("function") in FUNCTIONS and isinstance(case.get("input"), list):
                out.append((case["function"], case["input"]))
    return out


def index_width(count):
    """How many bytes `Unstructured::choose_index(count)` reads (arbitrary
    1.x `int_in_range`): one per byte of the highest index, big-endian."""
    width, highest = 0, count - 1
    while highest >> (8 * width):
        width += 1
    return max(width, 1)


def raw(value):
    """A number with tag 0xFF: its exact bits. None (JSON null) is NaN."""
    number = math.nan if value is None else float(value)
    return b"\xff" + struct.pack("<d", number)


def sample(values):
    values = values if isinstance(values, list) else []
    out = struct.pack("<H", min(len(values), 4096))
    for v in values[:4096]:
        out += raw(v if isinstance(v, (int, float)) or v is None else None)
    return out + b"\x00"  # no tiling


def arg(args, i, default):
    value = args[i] if i < len(args) else None
    return default if value is None else value


def number(args, i, default):
    value = arg(args, i, default)
    return value if isinstance(value, (int, float)) else default


def kernel_seed(function, args):
    """The stats_kernels encoding of a call, or None if it cannot say it."""
    if function not in KERNELS:
        return None
    selector = bytes([KERNELS.index(function)])
    positions = {"mann_whitney": 2, "welch_t_test": 2, "compare_proportions": 4,
                 "compare_rates": 4, "compare_quantiles": 3}
    flags = 0
    if function in positions:
        alt = arg(args, positions[function], "two-sided").replace("_", "-")
        flags = ALTERNATIVES.index(alt) if alt in ALTERNATIVES else 0
    if function == "adjust_p_values":
        method = arg(args, 1, "holm")
        flags = 3 * (CORRECTIONS.index(method) if method in CORRECTIONS else 1)
    out = selector + bytes([flags])
    if function in ("mann_whitney", "welch_t_test"):
        out += sample(arg(args, 0, [])) + sample(arg(args, 1, [])) + raw(number(args, 3, 0.95))
    elif function == "ks_test":
        out += sample(arg(args, 0, [])) + sample(arg(args, 1, []))
    elif function in ("compare_proportions", "compare_rates"):
        out += b"".join(raw(number(args, i, math.nan)) for i in range(4))
        out += raw(number(args, 5, 0.95))
    elif function == "quantile_ci":
        out += sample(arg(args, 0, [])) + raw(number(args, 1, math.nan)) + raw(number(args, 2, 0.95))
    elif function == "compare_quantiles":
        out += sample(arg(args, 0, [])) + sample(arg(args, 1, []))
        out += raw(number(args, 2, math.nan)) + raw(number(args, 4, 0.95))
    elif function == "adjust_p_values":
        out += sample(arg(args, 0, []))
    else:  # sequential_count_test
        looks = [l for l in arg(args, 0, []) if isinstance(l, list) and len(l) == 2][:1024]
        out += struct.pack("<H", len(looks))
        for look in looks:
            out += b"".join(raw(v if isinstance(v, (int, float)) else None) for v in look)
        out += raw(number(args, 1, math.nan)) + raw(number(args, 2, 100.0)) + raw(number(args, 3, 0.05))
    return out


def dictionary(all_cases):
    """libFuzzer dictionary entries: keys and short strings of the vectors."""
    tokens = set()

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                tokens.add(json.dumps(k))
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str) and len(value) <= 40:
            tokens.add(json.dumps(value))

    for _, args in all_cases:
        walk(args)
    tokens.update(['"', "{", "}", "[", "]", ":", ",", "null", "true", "false",
                   "1e300", "-0", "5e-324", "9007199254740993", "18446744073709551616"])
    lines = []
    for token in sorted(tokens):
        escaped = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else
                          "".join(f"\\x{b:02x}" for b in c.encode()) for c in token)
        lines.append(f'"{escaped}"')
    return "\n".join(lines) + "\n"


def write(directory, content):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / hashlib.sha1(content).hexdigest()).write_bytes(content)


def main(out):
    all_cases = cases()
    missing = sorted({f for f, _ in all_cases} - set(FUNCTIONS))
    if len(FUNCTIONS) < 20 or len(KERNELS) < 9 or missing:
        sys.exit(f"seeds.py: cannot read the function lists ({len(FUNCTIONS)}, {len(KERNELS)})")
    counts = {"json_text": 0, "json_structured": 0, "stats_kernels": 0}
    width = index_width(len(all_cases))
    for position, (function, args) in enumerate(all_cases):
        text = b"\x00".join(json.dumps(a).encode() for a in args)
        write(out / "json_text", bytes([FUNCTIONS.index(function)]) + text)
        counts["json_text"] += 1
        write(out / "json_structured", position.to_bytes(width, "big"))
        counts["json_structured"] += 1
        seed = kernel_seed(function, args)
        if seed is not None:
            write(out / "stats_kernels", seed)
            counts["stats_kernels"] += 1
    (HERE / "json.dict").write_text(dictionary(all_cases))
    print("seeds: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "corpus")
