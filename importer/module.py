"""Assemble the dashboard module, format it with ruff, and prove it compiles back to the canonical input.

The proof is part of the import, not only of the tests: a module is only handed out when compiling it gives
JSON byte-identical to the canonical form of what was imported.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.canonical import BUILTIN_ANNOTATION
from compiler.compile import CompileError, compile_dashboard
from grafana_json.serialise import serialise
from importer.assembly import imported_dashboard
from importer.codegen import BUILDER, EXTENDED, RAW, Choice, panels_node, variable_node
from importer.pycode import Call, Name, imports, render
from importer.source import ImportFailure, Source

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD_LEVEL_CODE = ("uid", "title", "panels", "templating", "schemaVersion")
MAX_COMMENT = 72


@dataclass(frozen=True)
class Imported:
    """A generated module and what it took to write it."""

    name: str
    text: str
    uid: str
    title: str
    choices: tuple[Choice, ...]
    notes: tuple[str, ...]

    def summary(self) -> list[str]:
        counts = {path: sum(1 for c in self.choices if c.path == path) for path in (BUILDER, EXTENDED, RAW)}
        lines = [
            f"{self.name}: {len(self.choices)} panels: {counts[BUILDER]} builder, "
            f"{counts[EXTENDED]} builder+extend, {counts[RAW]} raw"
        ]
        lines += [f"  {c.path:15} {c.type:10} {c.title!r}" + (f": {c.why}" if c.why else "") for c in self.choices]
        lines += [f"  note: {n}" for n in self.notes]
        return lines


def _shorten_comments(node: Any) -> None:
    """Keep generated comments within the line length (the full reason is in the import report)."""
    if isinstance(node, Call):
        if len(node.comment) > MAX_COMMENT:
            object.__setattr__(node, "comment", node.comment[: MAX_COMMENT - 3] + "...")
        for child in (*node.args, *node.kwargs.values()):
            _shorten_comments(child)
    elif isinstance(node, list | tuple):
        for child in node:
            _shorten_comments(child)


def _import_lines(found: dict[str, set[str]]) -> str:
    return "\n".join(
        f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(found.items()) if module
    )


def _docstring_safe(text: str) -> str:
    """One line that cannot end the docstring or start an escape."""
    return " ".join(text.replace('"""', "'''").replace("\\", "/").split())


def source_text(source: Source, *, name: str, origin: str) -> tuple[str, tuple[Choice, ...]]:
    """The module's source before formatting."""
    d = source.dashboard
    panels, choices = panels_node(d.get("panels", []))
    variables = [variable_node(v) for v in d.get("templating", {}).get("list", [])]
    settings = {k: v for k, v in d.items() if k not in DASHBOARD_LEVEL_CODE}
    if settings.get("annotations") == {"list": [BUILTIN_ANNOTATION]}:
        del settings["annotations"]  # the compiler adds Grafana's built-in annotation itself
    call = Call(
        imported_dashboard,
        "importer.assembly",
        (),
        {
            "uid": Name("UID", "", d["uid"]),
            "title": d.get("title", ""),
            "settings": settings,
            "variables": variables,
            "panels": panels,
        },
    )
    _shorten_comments(call)
    counts = {p: sum(1 for c in choices if c.path == p) for p in (BUILDER, EXTENDED, RAW)}
    title = _docstring_safe(d.get("title", name))[:80]
    doc = (
        f'"""{title}: imported from Grafana.\n\n'
        f"Source: {_docstring_safe(origin)[-60:]}, imported by `python -m dashboards import`.\n"
        f"{len(choices)} panels: {counts[BUILDER]} on the project's builders, {counts[EXTENDED]} on a builder plus "
        f"keys it has no parameter\nfor (EXTENDED comments), {counts[RAW]} kept as Grafana JSON (RAW comments). "
        "Review those first; register the module in\n`dashboards/registry.py` to compile it.\n"
        '"""\n'
    )
    text = (
        f"{doc}\nfrom __future__ import annotations\n\nfrom grafanalib.core import Dashboard\n\n"
        f"{_import_lines(imports(call))}\n\nUID = {d['uid']!r}\n\n\n"
        f"def build() -> Dashboard:\n    return {render(call)}\n"
    )
    return text, tuple(choices)


def _ruff(args: list[str], text: str, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", f"dashboards/{name}.py", "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def format_module(text: str, name: str) -> str:
    """`ruff check --fix` (import order) then `ruff format`; any finding left is our bug and says so."""
    fixed = _ruff(["check", "--fix", "--quiet", "--exit-zero"], text, name).stdout or text
    formatted = _ruff(["format", "--quiet"], fixed, name)
    if formatted.returncode != 0:
        raise ImportFailure(f"generated module {name} does not parse: {formatted.stderr.strip().splitlines()[-1:]}")
    check = _ruff(["check", "--quiet", "--output-format", "concise"], formatted.stdout, name)
    if check.returncode != 0:
        first = (check.stdout or check.stderr).strip().splitlines()[0]
        raise ImportFailure(f"generated module {name} fails ruff (importer bug): {first}")
    return formatted.stdout


def compile_text(text: str, name: str) -> str:
    """Run the generated module's `build()` and compile it, as `python -m dashboards build` would."""
    namespace: dict[str, Any] = {"__name__": f"dashboards.{name}"}
    exec(compile(text, f"dashboards/{name}.py", "exec"), namespace)  # noqa: S102 - the code we just generated
    try:
        return compile_dashboard(namespace["build"](), name=name, folder="Imported").text
    except CompileError as exc:
        raise ImportFailure(str(exc)) from None


def _first_difference(got: str, wanted: str) -> str:
    for number, (a, b) in enumerate(zip(got.splitlines(), wanted.splitlines(), strict=False), start=1):
        if a != b:
            return f"line {number}: {a.strip()!r} != {b.strip()!r}"
    return "lengths differ"


def generate(source: Source, *, name: str, origin: str) -> Imported:
    """The verified, formatted module for `source`."""
    raw_text, choices = source_text(source, name=name, origin=origin)
    text = format_module(raw_text, name)
    wanted = serialise(source.dashboard)
    got = compile_text(text, name)
    if got != wanted:
        raise ImportFailure(
            f"importer bug: the generated module does not compile back to the input ({_first_difference(got, wanted)})"
        )
    d = source.dashboard
    return Imported(name, text, d["uid"], d.get("title", ""), choices, source.notes)
