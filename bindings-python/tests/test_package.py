"""The package as a user sees it: its version and its public names.

tests/run runs this file (with the whole suite) against the extension built
by ``maturin develop`` and again against the release wheel installed in a
clean virtualenv; there ``ROLLGATE_EXPECT_INSTALLED=1`` makes the first test
check that the wheel, not the source tree, was imported.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tomllib
from importlib import metadata

import rollgate

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_imported_from_the_installed_wheel_when_asked() -> None:
    if os.environ.get("ROLLGATE_EXPECT_INSTALLED") != "1":
        return
    location = pathlib.Path(rollgate.__file__).resolve()
    assert ROOT not in location.parents, f"rollgate imported from the source tree: {location}"
    assert pathlib.Path(sys.prefix).resolve() in location.parents


def test_version_is_the_cargo_workspace_version() -> None:
    cargo = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))
    expected = cargo["workspace"]["package"]["version"]
    assert rollgate.__version__ == expected
    assert metadata.version("rollgate") == expected


def test_node_package_carries_the_same_version() -> None:
    import json

    package = json.loads((ROOT / "bindings-node" / "package.json").read_text(encoding="utf-8"))
    assert package["version"] == rollgate.__version__


def test_public_names_are_all_and_nothing_leaks() -> None:
    public = {name for name in dir(rollgate) if not name.startswith("_")}
    # `errors` is the public submodule of the exception classes.
    assert public - set(rollgate.__all__) == {"errors"}
    assert set(rollgate.__all__) <= public
    assert "annotations" not in public
    assert "metadata" not in public
    assert len(rollgate.__all__) == len(set(rollgate.__all__))


def test_every_public_function_is_documented_and_callable() -> None:
    for name in rollgate.__all__:
        value = getattr(rollgate, name)
        assert callable(value), name
        assert value.__doc__, f"rollgate.{name} has no docstring"
