#!/usr/bin/env python3
"""Runs every code block of README.md as a new user would paste it.

Convention (the info string after the opening fence):

- ``rust``: compiled and run by ``cargo test --doc -p rollgate`` (README.md
  is included as doc tests in core/src/lib.rs under ``cfg(doctest)``); this
  script only checks that such blocks are complete programs (``fn main``), as
  a newcomer pastes them into ``src/main.rs``.
- ``python``: run as a script by this virtualenv's Python, from the
  repository root, with the ``rollgate`` extension installed.
- ``js``: run by ``node`` in a scratch folder whose ``node_modules/rollgate``
  is the repository's ``bindings-node`` (as after ``npm install rollgate``).
- ``sh``: run by ``bash -euo pipefail`` from the repository root.
- ``text``: output, layouts and other text: never run.
- ``yaml``: configuration for another tool (a CI pipeline's steps): never
  run here (the `rollgate` commands in it are tested in core/tests/cli/).
- ``json``: an example document: never run here (those marked
  ``<!-- schema: NAME -->`` are checked against their schema and read by
  rollgate in core/tests/schemas.rs).
- A second word ``ignore`` (```` ```sh ignore ````) marks a block in a
  runnable language that must not run here (``tests/run`` itself, which
  would recurse; commands that need files a reader brings). Use it sparingly
  and say why in the sentence before the block.

A fence without an info string fails the check: say what the block is.
Usage: ``.venv/bin/python tests/readme/run.py [README.md]`` (tests/run does).
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
RUNNABLE = {"python", "js", "sh", "rust"}
NEVER = {"text", "yaml", "json"}


def blocks(text: str) -> list[tuple[int, str, list[str], str]]:
    """(line number, language, other words, code) of every fenced block."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^(```+)(.*)$", lines[i])
        if not m:
            i += 1
            continue
        fence, info = m.group(1), m.group(2).replace(",", " ").split()
        start = i
        i += 1
        body = []
        while i < len(lines) and not lines[i].startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1
        lang = info[0] if info else ""
        out.append((start + 1, lang, info[1:], "\n".join(body) + "\n"))
    return out


def run_block(lang: str, code: str, scratch: pathlib.Path) -> subprocess.CompletedProcess[str]:
    if lang == "python":
        cmd = [sys.executable, "-c", code]
        cwd = ROOT
    elif lang == "js":
        cmd = ["node", "-e", code]
        cwd = scratch
    else:
        cmd = ["bash", "-euo", "pipefail", "-c", code]
        cwd = ROOT
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "CARGO_TERM_COLOR": "never"})


def main() -> int:
    readme = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "README.md"
    found = blocks(readme.read_text())
    failures = []
    ran = skipped = 0
    with tempfile.TemporaryDirectory() as tmp:
        scratch = pathlib.Path(tmp)
        (scratch / "node_modules").mkdir()
        (scratch / "node_modules" / "rollgate").symlink_to(ROOT / "bindings-node")
        for line, lang, words, code in found:
            where = f"{readme.name}:{line} ({lang or 'no language'})"
            if lang in NEVER or "ignore" in words:
                skipped += 1
                continue
            if lang not in RUNNABLE:
                failures.append(f"{where}: unknown or missing language; use one of "
                                f"{sorted(RUNNABLE | NEVER)} (see tests/readme/run.py)")
                continue
            if lang == "rust":
                if "fn main" not in code:
                    failures.append(f"{where}: a Rust block must be a whole program (fn main)")
                continue  # compiled and run as a doc test of core/src/lib.rs
            result = run_block(lang, code, scratch)
            ran += 1
            if result.returncode != 0:
                failures.append(f"{where}: exit status {result.returncode}\n"
                                f"--- stdout\n{result.stdout[-3000:]}--- stderr\n{result.stderr[-3000:]}")
            else:
                print(f"ok   {where}")
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{ran} README blocks ran, {skipped} not meant to run, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
