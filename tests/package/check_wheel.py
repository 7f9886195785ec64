"""Checks a built rollgate wheel before it is installed: what it ships.

Usage: check_wheel.py WHEEL

The wheel must be one abi3 wheel (one file for every CPython >= 3.11), carry
the Cargo workspace version, the package's Python files, ``py.typed``,
every type stub and every JSON Schema (``schema/*.json``) of
``bindings-python/python/rollgate``, and exactly one
native module, built for release (no DWARF debug sections, well under the
size of a debug build).
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCE = ROOT / "bindings-python" / "python" / "rollgate"
# A debug build of the extension is ~80 MB; the stripped release build ~3 MB.
MAX_NATIVE_BYTES = 20 * 1024 * 1024


def fail(message: str) -> None:
    print(f"check_wheel: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    if len(sys.argv) != 2:
        fail("usage: check_wheel.py WHEEL")
    wheel = pathlib.Path(sys.argv[1])
    version = tomllib.loads((ROOT / "Cargo.toml").read_text(encoding="utf-8"))["workspace"]["package"]["version"]
    name_parts = wheel.name.removesuffix(".whl").split("-")
    if len(name_parts) != 5:
        fail(f"unexpected wheel name {wheel.name}")
    dist, wheel_version, python_tag, abi_tag, platform_tag = name_parts
    if (dist, wheel_version) != ("rollgate", version):
        fail(f"{wheel.name}: expected rollgate {version}")
    if abi_tag != "abi3" or python_tag != "cp311":
        fail(f"{wheel.name}: expected a cp311-abi3 wheel, got {python_tag}-{abi_tag}")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"rollgate-{version}.dist-info/METADATA").decode()
        if f"\nVersion: {version}\n" not in metadata:
            fail("METADATA does not carry the Cargo version")
        shipped = {p.name for p in SOURCE.iterdir() if p.suffix in {".py", ".pyi"} or p.name == "py.typed"}
        shipped |= {f"schema/{p.name}" for p in (SOURCE / "schema").glob("*.json")}
        missing = sorted(f"rollgate/{n}" for n in shipped if f"rollgate/{n}" not in names)
        if missing:
            fail(f"the wheel leaves out {missing}")
        natives = [n for n in names if n.startswith("rollgate/_native") and n.endswith(".so")]
        if len(natives) != 1 or not natives[0].endswith(".abi3.so"):
            fail(f"expected one abi3 native module, found {natives}")
        info = archive.getinfo(natives[0])
        if info.file_size > MAX_NATIVE_BYTES:
            fail(f"{natives[0]} is {info.file_size} bytes: a debug build?")
        readelf = shutil.which("readelf")
        if readelf:
            with tempfile.TemporaryDirectory() as tmp:
                so = archive.extract(natives[0], tmp)
                sections = subprocess.run([readelf, "-S", "-W", so], capture_output=True, text=True, check=True).stdout
            if ".debug_info" in sections:
                fail(f"{natives[0]} carries DWARF debug information")
    size_mb = info.file_size / 1e6
    print(f"{wheel.name}: {len(names)} files, native module {size_mb:.1f} MB, {platform_tag}")


if __name__ == "__main__":
    main()
