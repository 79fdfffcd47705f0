"""The corpus of public dashboards (tests/importer/corpus): import each, compile the module, compare the meaning.

`python -m tests.importer.corpus_report` rewrites docs/import-corpus.md; `test_corpus.py` checks that the file is
what this script writes, that every dashboard imports or is explained, and the share that matches exactly.

"Matches" is semantic, against what Grafana holds after opening the original: the original taken through
Grafana's schema steps (`importer.schema_steps.upgrade`), the Angular panel types named as Grafana's frontend
names them on load (PanelModel.ts `autoMigrateAngular`), then compared with the compiled import on what a
reader of the dashboard sees: panels and rows (title, type, position), queries (the PromQL and its legend),
units, threshold levels and colours, and variables (name, type, query). The datasource variable is left out:
the importer puts every query on the project's `${datasource}` on purpose.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atomicfile import write_text
from grafana_json import schema
from grafana_json.schema import load
from grafana_json.serialise import serialise
from grafana_json.walk import walk_panels
from importer.module import compile_text, source_text
from importer.schema_steps import upgrade
from importer.source import ImportFailure, normalise, read

ROOT = Path(__file__).resolve().parents[2]
# The schema's GridPos defaults: what Grafana assumes for a position key a hand-written dashboard leaves out.
GRID_DEFAULTS = {k: v.get("default") for k, v in load("dashboard")["definitions"]["GridPos"]["properties"].items()}
CORPUS = Path(__file__).resolve().parent / "corpus"
MANIFEST = CORPUS / "MANIFEST.json"
DOC = ROOT / "docs" / "import-corpus.md"

# PanelModel.ts autoMigrateAngular: the type Grafana gives an Angular panel when it opens the dashboard.
AUTO_MIGRATE = {
    "graph": "timeseries",
    "table-old": "table",
    "singlestat": "stat",
    "grafana-singlestat-panel": "stat",
    "grafana-piechart-panel": "piechart",
    "grafana-worldmap-panel": "geomap",
}

# Why a dashboard does not match exactly, by file: checked by test_corpus.py to cover every one that does not.
EXPLAINED: dict[str, str] = {
    "jenkins-2026--rum-frontend.v2.json": (
        "no query is on Prometheus (Loki, Tempo and expressions only): refused on purpose, the project's dashboards "
        "are on its Prometheus (issue #16 lists a Loki-only dashboard among the inputs to refuse in one line)"
    ),
    "meraki--meraki-client-telemetry.json": "Loki only: refused on purpose, as above",
}


@dataclass(frozen=True)
class Result:
    file: str
    origin: str
    licence: str
    schema_version: int
    panels: int
    status: str  # "exact", "differs", "refused"
    detail: str


def _unit(panel: dict[str, Any]) -> str:
    """The unit Grafana shows: the field default, or (graph) the left axis format its migration takes; an id
    Grafana does not define is the suffix it draws (`rds` and `suffix:rds` are drawn alike)."""
    unit = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("unit")
    if panel.get("type") == "graph" and not unit:
        yaxes = panel.get("yaxes") or [{}]
        unit = (yaxes[0] or {}).get("format") if isinstance(yaxes[0], dict) else None
    return schema.as_drawn(unit) if isinstance(unit, str) else ""


def _steps(panel: dict[str, Any]) -> list[tuple[Any, Any]]:
    steps = (((panel.get("fieldConfig") or {}).get("defaults") or {}).get("thresholds") or {}).get("steps") or []
    out = []
    for step in steps:
        if isinstance(step, dict) and ("value" in step or not out):
            value = step.get("value")
            out.append((float(value) if isinstance(value, int | float) else value, step.get("color")))
    return [] if out in ([], [(None, "green")]) else out


def _graph_levels(panel: dict[str, Any]) -> list[tuple[Any, Any]]:
    """A graph's threshold levels (`thresholds: [{value, colorMode, op}]`): Grafana's graph -> timeseries
    migration turns them into field thresholds; their colours are chosen by that migration, so only the levels
    are compared."""
    return sorted(
        (float(t["value"]), None)
        for t in panel.get("thresholds") or []
        if isinstance(t, dict) and isinstance(t.get("value"), int | float)
    )


def _queries(panel: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for target in panel.get("targets") or []:
        if isinstance(target, dict) and target.get("expr"):
            legend = target.get("legendFormat") or ""
            out.append((" ".join(str(target["expr"]).split()), "" if legend == "__auto" else legend))
    return out


def meaning(dashboard: dict[str, Any]) -> dict[str, Any]:
    """What a reader of the dashboard sees, in a form two dashboards can be compared by."""
    panels = []
    for panel in walk_panels(dashboard.get("panels")):
        pos = panel.get("gridPos") or {}
        ptype = AUTO_MIGRATE.get(panel.get("type", ""), panel.get("type", ""))
        entry = {
            "title": panel.get("title", ""),
            "type": ptype,
            "gridPos": tuple(pos.get(k, GRID_DEFAULTS[k]) for k in ("x", "y", "w", "h")),
        }
        if ptype != "row":
            steps = _graph_levels(panel) if panel.get("type") == "graph" else _steps(panel)
            entry |= {"queries": _queries(panel), "unit": _unit(panel), "thresholds": steps}
        panels.append(entry)
    variables = [
        (
            v.get("name"),
            v.get("type"),
            v.get("query") if isinstance(v.get("query"), str) else (v.get("query") or {}).get("query"),
        )
        for v in (dashboard.get("templating") or {}).get("list") or []
        if isinstance(v, dict) and v.get("type") != "datasource"
    ]
    return {"panels": panels, "variables": variables}


def _same(aspect: str, want: dict[str, Any], got: dict[str, Any]) -> bool:
    if aspect == "thresholds" and want.get("thresholds") and all(c is None for _, c in want["thresholds"]):
        levels = sorted(v for v, _ in got.get("thresholds") or [] if v is not None)  # a graph's: levels only
        return levels == [v for v, _ in want["thresholds"]]
    return want.get(aspect) == got.get(aspect)


def differences(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Which aspects differ, in words (empty: the import means what Grafana holds)."""
    out = []
    if len(want["panels"]) != len(got["panels"]):
        return [f"{len(want['panels'])} panels in, {len(got['panels'])} out"]
    for aspect in ("title", "type", "gridPos", "queries", "unit", "thresholds"):
        count = sum(1 for w, g in zip(want["panels"], got["panels"], strict=True) if not _same(aspect, w, g))
        if count:
            out.append(f"{aspect} of {count} panel{'s' if count > 1 else ''}")
    if want["variables"] != got["variables"]:
        out.append("variables")
    return out


def _manifest() -> dict[str, dict[str, str]]:
    return {row["file"]: row for row in json.loads(MANIFEST.read_text(encoding="utf-8"))}


def check(path: Path, entry: dict[str, str]) -> Result:
    """Import one corpus file, compile the module, and compare it with the original after Grafana's migration."""
    origin, licence = entry["origin"], entry["licence"]
    try:
        raw, notes = read(path)
    except ImportFailure as exc:
        return Result(path.name, origin, licence, 0, 0, "refused", str(exc).split(": ", 1)[-1])
    version = upgrade(raw).from_version
    want = meaning(upgrade(raw).dashboard)
    try:
        source = normalise(raw, where=path.name, notes=notes)
        name = "corpus_" + path.stem.replace("-", "_").replace(".", "_").lower()
        # The module as `generate` writes it, before ruff formats it (formatting changes no meaning, and 90
        # ruff runs would triple the time); the same proof: compiling it must give the canonical input back.
        text, _ = source_text(source, name=name, origin=path.name)
        got = compile_text(text, name)
        if got != serialise(source.dashboard):
            raise ImportFailure("importer bug: the generated module does not compile back to the input")
        compiled = json.loads(got)
    except ImportFailure as exc:
        return Result(path.name, origin, licence, version, len(want["panels"]), "refused", str(exc).split(": ", 1)[-1])
    diff = differences(want, meaning(compiled))
    return Result(
        path.name, origin, licence, version, len(want["panels"]), "differs" if diff else "exact", "; ".join(diff)
    )


def results() -> list[Result]:
    manifest = _manifest()
    return [check(CORPUS / name, manifest[name]) for name in sorted(manifest)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(found: list[Result]) -> str:
    exact = sum(1 for r in found if r.status == "exact")
    lines = [
        "# Importing dashboards from the wild: the corpus",
        "",
        "Generated by `python -m tests.importer.corpus_report` (checked by `tests/importer/test_corpus.py`); do not",
        "edit by hand. Each dashboard of `tests/importer/corpus/` (origin, commit, path and licence in its",
        "`MANIFEST.json`) is imported, the module compiled, and the result compared with the original as Grafana",
        "holds it after its own migration: panels and rows (title, type, position), queries (PromQL and legend),",
        "units, thresholds and variables. `exact`: no difference; `differs`: the aspects that differ; `refused`:",
        "the one-line reason. Every dashboard that is not exact has its explanation below the table.",
        "",
        "Grafana 12/13 dashboard resources (`dashboard.grafana.app/v2`, `v2beta1`, `v2alpha1`; JSON or YAML) are",
        "converted to classic JSON as Grafana's backend converts them (`grafana_json/resource_to_classic.py`), and",
        "that conversion is what the import is compared with.",
        "",
        f"**{exact} of {len(found)} exact ({100 * exact / len(found):.1f}%).**",
        "",
        "| dashboard | origin | licence | schemaVersion | panels | result | detail |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {r.file} | {r.origin} | {r.licence} | {r.schema_version} | {r.panels} | {r.status} | {_cell(r.detail)} |"
        for r in found
    ]
    others = [r for r in found if r.status != "exact"]
    if others:
        lines += ["", "## Why the others are not exact", ""]
        lines += [f"- **{r.file}**: {_cell(EXPLAINED.get(r.file, 'NOT EXPLAINED'))}" for r in others]
    return "\n".join(lines) + "\n"


def main() -> None:
    write_text(DOC, render(results()))
    print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
