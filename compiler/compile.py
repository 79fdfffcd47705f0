"""grafanalib objects -> canonical, schema-valid JSON text, one file per dashboard (pure; no file I/O here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from grafanalib.core import Dashboard

from compiler.canonical import SCHEMA_VERSION, canonicalise
from compiler.validate import dashboard_problems
from dashboards.registry import Entry
from grafana_json.serialise import plain, serialise
from panels.layout import LayoutError

DASHBOARDS_DIR = "provisioning/dashboards"


class CompileError(Exception):
    """A dashboard cannot be compiled; the message is one line naming the dashboard (and panel)."""


@dataclass(frozen=True)
class CompiledDashboard:
    name: str
    folder: str
    uid: str
    title: str
    text: str

    @property
    def path(self) -> str:
        return f"{DASHBOARDS_DIR}/{self.folder}/{self.uid}.json"


def compile_dashboard(
    dashboard: Dashboard, *, name: str, folder: str, schema_version: int = SCHEMA_VERSION
) -> CompiledDashboard:
    canonical = canonicalise(plain(dashboard), schema_version=schema_version)
    problems = dashboard_problems(canonical)
    if problems:
        raise CompileError(
            f"dashboard {name!r} ({canonical.get('title', '')}): {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    uid = canonical.get("uid")
    if not uid:
        raise CompileError(f"dashboard {name!r}: no uid; every dashboard needs a stable uid")
    return CompiledDashboard(name, folder, uid, canonical.get("title", ""), serialise(canonical))


def compile_entry(entry: Entry, *, schema_version: int = SCHEMA_VERSION) -> CompiledDashboard:
    try:
        dashboard = entry.build()
    except LayoutError as exc:
        raise CompileError(f"dashboard {entry.name!r}: {exc}") from None
    except Exception as exc:  # a dashboard module's own bug: name it, keep the build's one-line contract
        raise CompileError(f"dashboard {entry.name!r}: build() raised {type(exc).__name__}: {exc}") from None
    return compile_dashboard(dashboard, name=entry.name, folder=entry.folder, schema_version=schema_version)


def compile_all(entries: Iterable[Entry], *, schema_version: int = SCHEMA_VERSION) -> list[CompiledDashboard]:
    """Every dashboard, or a CompileError for the first that fails (including a uid used twice)."""
    compiled: list[CompiledDashboard] = []
    seen: dict[str, str] = {}
    for entry in entries:
        result = compile_entry(entry, schema_version=schema_version)
        if result.uid in seen:
            raise CompileError(
                f"dashboard {entry.name!r}: uid {result.uid!r} is already used by dashboard {seen[result.uid]!r}"
            )
        seen[result.uid] = entry.name
        compiled.append(result)
    return compiled
