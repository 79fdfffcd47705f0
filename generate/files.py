"""Every generated file, written atomically, and the staleness check CI runs.

`generated_files()` is the whole build as a mapping of repo-relative path -> text: the compiled dashboards, the
provisioning YAML, the alerting files and the metric reference. Nothing is written until all of it has been
built and validated, so a failed build leaves every generated file exactly as it was; then each changed file is
replaced by one atomic rename (see `generate.fileset` for why in place).
"""

from __future__ import annotations

from pathlib import Path

from alerting.render import render_all  # a sibling branch of the data flow, assembled here into one build
from compiler.compile import CompileError, compile_all
from compiler.provisioning import provisioning_files
from dashboards.registry import DASHBOARDS, Entry, folders
from generate import fileset
from generate.fileset import Staleness
from generate.panel_ids import links_resolvable, panel_ids
from grafana_json.schema import SCHEMA_VERSION, check_schema_version
from signals.reference import metrics_markdown

# Everything under these directories is generated: a file the build no longer produces there is stale.
OWNED_DIRS = ("provisioning",)


def generated_files(entries: tuple[Entry, ...] = DASHBOARDS, *, schema_version: int = SCHEMA_VERSION) -> dict[str, str]:
    try:
        check_schema_version(schema_version)
    except ValueError as exc:
        raise CompileError(str(exc)) from None
    compiled = compile_all(entries, schema_version=schema_version)
    files = {d.path: d.text for d in compiled}
    files.update(provisioning_files(folders(entries)))
    links = panel_ids(compiled) if links_resolvable(compiled) else None  # a subset build links dashboards only
    try:
        files.update(render_all(panel_ids=links))
    except (ValueError, KeyError) as exc:  # alerting's renderer refuses what it cannot render faithfully
        raise CompileError(f"alerting: {exc}") from None
    files["docs/metrics.md"] = metrics_markdown()
    return files


def staleness(files: dict[str, str], root: Path) -> Staleness:
    return fileset.staleness(files, root, OWNED_DIRS)


def write(files: dict[str, str], root: Path) -> Staleness:
    """Write what changed (after `generated_files` built and validated everything)."""
    return fileset.write(files, root, OWNED_DIRS)
