#!/usr/bin/env python3
"""Generates everything derived from rollgate's Rust types, in one go:

1. the JSON Schemas, ``core/schema/<document>.json`` and ``index.json``
   (``cargo run -p rollgate --features schema --example write_schemas``);
2. the Python TypedDicts, ``bindings-python/python/rollgate/_types.pyi``;
3. the TypeScript interfaces, ``bindings-node/types/generated.d.ts``;
4. one Markdown reference page per document, ``core/schema/reference/``;
5. the table of schemas the ``rollgate`` binary embeds
   (``core/src/bin/rollgate/schemas.rs``, for ``rollgate schema``).

It also copies the schemas into both packages (``bindings-python/python/
rollgate/schema/``, ``bindings-node/schema/``). Run it from anywhere:
``python3 core/schema/generate.py``; ``--no-cargo`` skips step 1 and works
from the schemas in core/schema. ``--check`` writes nothing and fails,
naming each file, when anything differs from what is on disk (tests/run).
The output is deterministic. How to add a document: core/schema/README.md.
"""

from __future__ import annotations

import json
import keyword
import re
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent
ROOT = SCHEMA_DIR.parent.parent
PYTHON_OUT = ROOT / "bindings-python/python/rollgate/_types.pyi"
NODE_OUT = ROOT / "bindings-node/types/generated.d.ts"
REFERENCE_DIR = SCHEMA_DIR / "reference"
CLI_OUT = ROOT / "core/src/bin/rollgate/schemas.rs"

# Documents whose types are not generated as typings: the error details are
# exception attributes, typed by hand in errors.py / types/errors.d.ts.
NO_TYPINGS = {"error"}


# Where JSON has a list of numbers, the bindings also take the host's numeric
# buffers without a copy: the typings of those (input) types say so. The
# schemas describe JSON only.
SAMPLES_DOC = ("Samples: a list of numbers (``None``/``null`` or NaN for a missing value) or, from Python, "
               "any float64 buffer (numpy array, ``array('d')``); from Node, a ``Float64Array``.")
HOST_OVERRIDES = {
    "Sample": {"python": "Samples | Counts", "node": "Samples | Counts"},
}
HOST_TYPES = {
    "python": f'Samples: TypeAlias = Buffer | Sequence[float | None]\n"""{SAMPLES_DOC}"""\n',
    "node": f"/** {SAMPLES_DOC.replace('``', '`')} */\nexport type Samples = Float64Array | ReadonlyArray<number | null>\n",
}


def camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


class Types:
    """Every named type of the typings: name -> schema, with the contract
    ('in' or 'out') its references resolve in."""

    def __init__(self, documents: list[dict]):
        self.documents = documents
        self.named: dict[str, tuple[dict, str]] = {}
        self.rename: dict[tuple[str, str], str] = {}
        shapes: dict[str, dict[str, dict]] = {}
        both_titles = {d["title"] for d in documents if d["direction"] == "both"}
        for document in documents:
            if document["name"] in NO_TYPINGS:
                continue
            schema, contract = typing_schema(document)
            definitions = dict(schema.get("$defs", {}))
            definitions[document["title"]] = {
                k: v for k, v in schema.items() if k not in ("$defs", "$schema", "title")
            }
            for name, definition in definitions.items():
                shapes.setdefault(name, {}).setdefault(contract, definition)
        for name in sorted(shapes):
            by_contract = shapes[name]
            distinct = {json.dumps(s, sort_keys=True) for s in by_contract.values()}
            if len(distinct) == 1:
                contract = "out" if "out" in by_contract else "in"
                self.named[name] = (by_contract[contract], contract)
                self.rename[(name, "in")] = self.rename[(name, "out")] = name
            elif name in both_titles:
                # Written by rollgate and read back: what it writes is the type.
                self.named[name] = (by_contract["out"], "out")
                self.rename[(name, "in")] = self.rename[(name, "out")] = name
            else:
                # The shape a caller writes keeps the name; the shape rollgate
                # writes (every defaulted field present) is `<Name>Output`.
                self.named[name] = (by_contract["in"], "in")
                self.named[name + "Output"] = (by_contract["out"], "out")
                self.rename[(name, "in")] = name
                self.rename[(name, "out")] = name + "Output"

    def ref(self, reference: str, contract: str) -> str:
        name = reference.rsplit("/", 1)[-1]
        return self.rename[(name, contract)]


def typing_schema(document: dict) -> tuple[dict, str]:
    """The schema a document's typing follows: a document rollgate writes and
    reads back is typed as written (which its reader accepts, as tested)."""
    if document["direction"] == "both":
        return load(document["name"] + ".output.json"), "out"
    contract = "in" if document["direction"] == "input" else "out"
    return load(document["name"] + ".json"), contract


# Where the schemas are read from: core/schema, or a scratch directory in --check.
SOURCE = [SCHEMA_DIR]


def load(file: str) -> dict:
    return json.loads((SOURCE[0] / file).read_text())


def string_literals(options: list[dict]) -> list[str] | None:
    values = []
    for option in options:
        if "const" in option and isinstance(option["const"], str):
            values.append(option["const"])
        elif option.get("type") == "string" and "enum" in option:
            values.extend(option["enum"])
        else:
            return None
    return values


class Emitter:
    """Shared walk over the schemas; subclasses spell the types."""

    def __init__(self, types: Types):
        self.types = types
        self.pending: list[tuple[str, dict, str]] = [
            (name, schema, contract) for name, (schema, contract) in sorted(types.named.items())
        ]
        self.done: set[str] = set()
        self.blocks: list[str] = []

    def run(self) -> list[str]:
        while self.pending:
            name, schema, contract = self.pending.pop(0)
            if name in self.done:
                continue
            self.done.add(name)
            self.blocks.append(self.definition(name, schema, contract))
        return self.blocks

    def inline_name(self, schema: dict, context: str, hint: str) -> str:
        name = schema.get("title") or context + camel(hint)
        return name

    def expression(self, schema, context: str, contract: str) -> str:
        if schema is True or schema == {}:
            return self.any()
        if "$ref" in schema:
            return self.types.ref(schema["$ref"], contract)
        if "const" in schema:
            return self.literal([schema["const"]])
        if "enum" in schema:
            return self.literal(schema["enum"])
        for key in ("oneOf", "anyOf"):
            if key in schema and "properties" not in schema:
                options = schema[key]
                literals = string_literals(options)
                if literals is not None:
                    return self.literal(literals)
                parts = []
                for i, option in enumerate(options):
                    hint = variant_hint(option, i)
                    parts.append(self.expression(option, context, contract) if not is_object(option)
                                 else self.object_type(option, self.inline_name(option, context, hint), contract))
                return self.union(parts)
        types = schema.get("type")
        if isinstance(types, list):
            return self.union([self.expression({**schema, "type": t}, context, contract) for t in types])
        if types == "object" or "properties" in schema:
            return self.object_type(schema, context, contract)
        if types == "array":
            items = schema.get("items", True)
            item = self.expression(items, context + "Item", contract)
            if schema.get("minItems") is not None and schema.get("minItems") == schema.get("maxItems"):
                return self.tuple(item, schema["minItems"])
            return self.array(item)
        return self.scalar(types)

    def object_type(self, schema: dict, name: str, contract: str) -> str:
        if "properties" not in schema:
            extra = schema.get("additionalProperties", True)
            return self.mapping(self.expression(extra, name + "Value", contract))
        if name not in self.done:
            self.pending.insert(0, (name, schema, contract))
        return name

    def fields(self, schema: dict, name: str, contract: str):
        required = set(schema.get("required", []))
        for key, field in schema["properties"].items():
            hint = name + camel(key)
            if is_object(field) and "title" not in field:
                spelled = self.object_type(field, hint, contract)
            else:
                spelled = self.expression(field, hint, contract)
            yield key, spelled, key in required, field.get("description", "")


def is_object(schema) -> bool:
    return isinstance(schema, dict) and "properties" in schema


def variant_hint(option: dict, index: int) -> str:
    for key, value in option.get("properties", {}).items():
        if "const" in value:
            return str(value["const"])
    return f"variant{index}"


class Python(Emitter):
    def any(self) -> str:
        return "Any"

    def literal(self, values) -> str:
        return "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"

    def union(self, parts) -> str:
        unique = list(dict.fromkeys(parts))
        return " | ".join(unique)

    def tuple(self, item: str, n: int) -> str:
        return f"list[{item}]"

    def array(self, item: str) -> str:
        return f"list[{item}]"

    def mapping(self, value: str) -> str:
        return f"dict[str, {value}]"

    def scalar(self, kind) -> str:
        return {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}.get(kind, "Any")

    def definition(self, name: str, schema: dict, contract: str) -> str:
        description = schema.get("description", "")
        if not is_object(schema):
            spelled = HOST_OVERRIDES.get(name, {}).get("python") or self.expression(schema, name, contract)
            text = f"{name}: TypeAlias = {spelled}\n"
            return text + docstring(description, "") if description else text
        fields = list(self.fields(schema, name, contract))
        spelled = [(key, spelled if required else f"NotRequired[{spelled}]", text)
                   for key, spelled, required, text in fields]
        if any(keyword.iskeyword(key) or not key.isidentifier() for key, _, _ in spelled):
            lines = [f"{name} = TypedDict(", f"    {json.dumps(name)},", "    {"]
            lines += [f"        {json.dumps(key)}: {t}," for key, t, _ in spelled]
            lines += ["    },", ")"]
            notes = "\n".join(f"- ``{key}``: {text}" for key, _, text in spelled if text)
            doc = "\n\n".join(part for part in (description, notes) if part)
            return "\n".join(lines) + "\n" + (docstring(doc, "") if doc else "")
        lines = [f"class {name}(TypedDict):"]
        if description:
            lines.append(docstring(description, "    ").rstrip("\n"))
            lines.append("")
        for key, t, text in spelled:
            lines.append(f"    {key}: {t}")
            if text:
                lines.append(docstring(text, "    ").rstrip("\n"))
        if len(lines) == 1:
            lines.append("    pass")
        return "\n".join(lines) + "\n"


def docstring(text: str, indent: str) -> str:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text += " "
    body = text.replace("\n", "\n" + indent)
    return f'{indent}"""{body}"""\n'


class TypeScript(Emitter):
    def any(self) -> str:
        return "unknown"

    def literal(self, values) -> str:
        return " | ".join(json.dumps(v) for v in values)

    def union(self, parts) -> str:
        unique = list(dict.fromkeys(parts))
        return " | ".join(unique)

    def wrap(self, item: str) -> str:
        return f"({item})" if " | " in item else item

    def tuple(self, item: str, n: int) -> str:
        return "[" + ", ".join([item] * n) + "]"

    def array(self, item: str) -> str:
        return f"{self.wrap(item)}[]"

    def mapping(self, value: str) -> str:
        return f"Record<string, {value}>"

    def scalar(self, kind) -> str:
        return {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}.get(kind, "unknown")

    def definition(self, name: str, schema: dict, contract: str) -> str:
        description = schema.get("description", "")
        head = jsdoc(description, "") if description else ""
        if not is_object(schema):
            spelled = HOST_OVERRIDES.get(name, {}).get("node") or self.expression(schema, name, contract)
            return head + f"export type {name} = {spelled}\n"
        lines = [f"export interface {name} {{"]
        for key, spelled, required, text in self.fields(schema, name, contract):
            if text:
                lines.append(jsdoc(text, "  ").rstrip("\n"))
            prop = key if re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", key) else json.dumps(key)
            lines.append(f"  {prop}{'' if required else '?'}: {spelled}")
        lines.append("}")
        return head + "\n".join(lines) + "\n"


def jsdoc(text: str, indent: str) -> str:
    text = text.replace("*/", "*\\/")
    lines = text.split("\n")
    if len(lines) == 1:
        return f"{indent}/** {lines[0]} */\n"
    body = "\n".join(f"{indent} * {line}".rstrip() for line in lines)
    return f"{indent}/**\n{body}\n{indent} */\n"


HEADER = "Generated by core/schema/generate.py from core/schema/*.json: do not edit."


def python_typings(types: Types) -> str:
    emitter = Python(types)
    blocks = emitter.run()
    names = sorted(emitter.done)
    out = [
        f"# {HEADER}",
        "# The document types of rollgate (TypedDicts), one per type of the Rust",
        "# crate; the stubs of each area (_graph.pyi, ...) import them from here.",
        "from collections.abc import Sequence",
        "from typing import Any, Literal, NotRequired, TypeAlias, TypedDict",
        "",
        "from typing_extensions import Buffer",
        "",
        "__all__ = [",
        *[f"    {json.dumps(n)}," for n in sorted(names + ["Samples"])],
        "]",
        "",
    ]
    return "\n".join(out) + "\n" + "\n".join([HOST_TYPES["python"]] + blocks)


def node_typings(types: Types) -> str:
    blocks = TypeScript(types).run()
    out = [
        f"// {HEADER}",
        "// The document types of rollgate, one per type of the Rust crate; the",
        "// typings of each area (types/graph.d.ts, ...) import them from here.",
        "",
    ]
    return "\n".join(out) + "\n" + "\n".join([HOST_TYPES["node"]] + blocks)


# ---- reference pages -------------------------------------------------------


def anchor(name: str) -> str:
    return name.lower()


def render(schema, here: str) -> str:
    """A type in words, for a Markdown table cell."""
    if schema is True or schema == {}:
        return "any value"
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{anchor(name)})"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    for key in ("oneOf", "anyOf"):
        if key in schema and "properties" not in schema:
            literals = string_literals(schema[key])
            if literals is not None:
                return " \\| ".join(f"`{json.dumps(v)}`" for v in literals)
            return " or ".join(render(o, here) if not is_object(o) else f"[{o.get('title') or 'object'}](#{anchor(o.get('title') or here)})" for o in schema[key])
    types = schema.get("type")
    if isinstance(types, list):
        return " or ".join(render({**schema, "type": t} if t != "null" else {"type": "null"}, here) for t in types)
    if types == "array":
        items = render(schema.get("items", True), here)
        if schema.get("minItems") is not None and schema.get("minItems") == schema.get("maxItems"):
            return f"{schema['minItems']} × {items}"
        return f"list of {items}"
    if types == "object" or "properties" in schema:
        if "properties" in schema:
            return "object (below)"
        extra = schema.get("additionalProperties", True)
        return f"map of string → {render(extra, here)}"
    text = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "null": "null"}.get(types, "any value")
    extras = []
    if "pattern" in schema:
        extras.append(f"matching `{schema['pattern']}`")
    if "minimum" in schema:
        extras.append(f"≥ {schema['minimum']}")
    if "maximum" in schema:
        extras.append(f"≤ {schema['maximum']}")
    return text + (" (" + ", ".join(extras) + ")" if extras else "")


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def object_section(name: str, schema: dict, level: str) -> list[str]:
    lines = [f"{level} {name}", ""]
    if schema.get("description"):
        lines += [schema["description"], ""]
    if "properties" in schema:
        closed = schema.get("additionalProperties") is False
        lines += [
            "An object" + (" (no other fields allowed)." if closed else "."),
            "",
            "| Field | Type | Required | Default | Description |",
            "|---|---|---|---|---|",
        ]
        required = set(schema.get("required", []))
        for key, field in schema["properties"].items():
            default = f"`{json.dumps(field['default'])}`" if "default" in field else ""
            lines.append(
                f"| `{key}` | {cell(render(field, name))} | {'yes' if key in required else 'no'} | "
                f"{cell(default)} | {cell(field.get('description', ''))} |"
            )
        lines.append("")
        return lines
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if options and string_literals(options) is None:
            lines += ["One of:", ""]
            for option in options:
                label = render(option, name) if not is_object(option) else f"[{option.get('title') or name}](#{anchor(option.get('title') or name)})"
                text = option.get("description", "")
                lines.append(f"- {label}" + (f": {text}" if text else ""))
            lines.append("")
            for option in options:
                if is_object(option) and option.get("title"):
                    lines += object_section(option["title"], option, "###")
            return lines
    if options := (schema.get("oneOf") or schema.get("anyOf")):
        lines += ["One of:", ""]
        for option in options:
            text = option.get("description", "")
            lines.append(f"- `{json.dumps(option.get('const'))}`" + (f": {text}" if text else ""))
        lines.append("")
        return lines
    lines += [f"Type: {render(schema, name)}.", ""]
    return lines


def reference_page(document: dict) -> str:
    schema = load(document["name"] + ".json")
    title = document["title"]
    direction = {
        "input": "An input document: described as rollgate reads it (fields with a default may be left out).",
        "output": "An output document: described as rollgate writes it.",
        "both": "Written by one call and read back by another: described as rollgate reads it; "
                f"[`{document['name']}.output.json`](../{document['name']}.output.json) describes it as written.",
    }[document["direction"]]
    lines = [f"# {title}", "", f"<!-- {HEADER} -->", ""]
    lines += [direction, ""]
    uses = []
    if document["read_by"]:
        uses.append("Read by " + ", ".join(f"`{f}` (`{p}`)" for f, p in document["read_by"]) + ".")
    if document["returned_by"]:
        uses.append("Returned by " + ", ".join(f"`{f}`" for f in document["returned_by"]) + ".")
    if uses:
        lines += [" ".join(uses), ""]
    lines += [f"JSON Schema: [`{document['name']}.json`](../{document['name']}.json).", ""]
    root = {k: v for k, v in schema.items() if k not in ("$defs", "$schema", "title")}
    lines += object_section(title, root, "##")
    for name, definition in sorted(schema.get("$defs", {}).items()):
        lines += object_section(name, definition, "##")
    return "\n".join(lines).rstrip("\n") + "\n"


def reference_index(documents: list[dict]) -> str:
    lines = [
        "# Document reference",
        "",
        f"<!-- {HEADER} -->",
        "",
        "Every document rollgate reads or writes, one page each, generated from the JSON",
        "Schemas in `core/schema/` (themselves derived from the Rust types). The same",
        "JSON means the same thing in Rust, Python and Node.",
        "",
        "| Document | Direction | Read by | Returned by |",
        "|---|---|---|---|",
    ]
    for d in documents:
        read = ", ".join(f"`{f}`" for f in dict.fromkeys(f for f, _ in d["read_by"]))
        returned = ", ".join(f"`{f}`" for f in d["returned_by"])
        lines.append(f"| [{d['title']}]({d['name']}.md) | {d['direction']} | {read} | {returned} |")
    return "\n".join(lines) + "\n"


# The packages ship the schemas: Python as package data (rollgate/schema/),
# Node in the package's schema/ folder.
SCHEMA_COPIES = [ROOT / "bindings-python/python/rollgate/schema", ROOT / "bindings-node/schema"]
SCHEMA_DIRS = [SCHEMA_DIR, *SCHEMA_COPIES]


def outputs(documents: list[dict]) -> dict[Path, str]:
    """Every generated file and its content."""
    files: dict[Path, str] = {}
    schema_files = sorted(p.name for p in SOURCE[0].glob("*.json"))
    for directory in SCHEMA_DIRS:
        for name in schema_files:
            files[directory / name] = (SOURCE[0] / name).read_text()
    types = Types(documents)
    files[PYTHON_OUT] = python_typings(types)
    files[NODE_OUT] = node_typings(types)
    for document in documents:
        files[REFERENCE_DIR / f"{document['name']}.md"] = reference_page(document)
    files[REFERENCE_DIR / "README.md"] = reference_index(documents)
    files[CLI_OUT] = cli_table(schema_files)
    return files


def cli_table(schema_files: list[str]) -> str:
    """The schema files embedded in the `rollgate` binary (`rollgate schema`),
    so that the `cli` feature needs no schemars."""
    rows = "".join(
        f'    ("{name.removesuffix(".json")}", include_str!("../../../schema/{name}")),\n'
        for name in schema_files if name != "index.json"
    )
    return (
        "//! The committed schemas, embedded for `rollgate schema`. Generated by\n"
        "//! core/schema/generate.py from core/schema: do not edit.\n\n"
        "/// `core/schema/index.json`: every document, its direction and title.\n"
        'pub const INDEX: &str = include_str!("../../../schema/index.json");\n\n'
        "/// Every schema file as `(file name without .json, text)`, by name.\n"
        "#[rustfmt::skip]\n"
        f"pub const FILES: &[(&str, &str)] = &[\n{rows}];\n"
    )


def stale(files: dict[Path, str]) -> list[Path]:
    """Generated files of an earlier run that this run no longer writes."""
    found = [p for d in SCHEMA_DIRS for p in d.glob("*.json")] + list(REFERENCE_DIR.glob("*.md"))
    return sorted(p for p in found if p not in files)


def write_schemas(directory: Path) -> None:
    # ROLLGATE_FEATURES adds features to the build (tests/run: "cli", so that
    # the library it has already built for its tests is reused, not rebuilt).
    features = ",".join(["schema", *os.environ.get("ROLLGATE_FEATURES", "").replace(",", " ").split()])
    subprocess.run(
        ["cargo", "run", "-q", "-p", "rollgate", "--features", features, "--example", "write_schemas",
         "--", str(directory)],
        cwd=ROOT,
        check=True,
    )


def main(argv: list[str]) -> int:
    check = "--check" in argv
    with tempfile.TemporaryDirectory() as scratch:
        if "--no-cargo" not in argv:
            SOURCE[0] = Path(scratch)
            write_schemas(SOURCE[0])
        documents = load("index.json")["documents"]
        files = outputs(documents)
    old = stale(files)
    if check:
        differ = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
        for path in differ + old:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        if differ or old:
            print("run `python3 core/schema/generate.py` and commit the result", file=sys.stderr)
            return 1
        return 0
    for path in old:
        path.unlink()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
