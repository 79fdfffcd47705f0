"""Every generated file, written atomically, and the staleness check CI runs.

`generated_files()` is the whole build as a mapping of repo-relative path -> text: the compiled dashboards, the
provisioning YAML and the alerting files. Nothing is written until all of it has been built and validated; then
`provisioning/` is rebuilt in a temporary sibling directory and swapped in, and each other file is replaced by a
rename, so a failed build leaves every generated file exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from atomicfile import umask, write_text
from dashboards.canonical import SCHEMA_VERSION
from dashboards.compile import compile_all
from dashboards.provisioning import provisioning_files
from dashboards.registry import DASHBOARDS, Entry
from signals.reference import metrics_markdown

PROVISIONING = "provisioning"


def generated_files(entries: tuple[Entry, ...] = DASHBOARDS, *,
                    schema_version: int = SCHEMA_VERSION) -> dict[str, str]:
    from alerting.render import render_all  # a sibling branch of the data flow, assembled here for one build

    files = {d.path: d.text for d in compile_all(entries, schema_version=schema_version)}
    files.update(provisioning_files())
    files.update(render_all())
    files["docs/metrics.md"] = metrics_markdown()
    return files


@dataclass(frozen=True)
class Staleness:
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.missing or self.extra)


def _existing_generated(root: Path) -> set[str]:
    base = root / PROVISIONING
    return {p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()} if base.is_dir() else set()


def staleness(files: dict[str, str], root: Path) -> Staleness:
    changed, missing = [], []
    for rel, text in sorted(files.items()):
        path = root / rel
        if not path.is_file():
            missing.append(rel)
        elif path.read_bytes() != text.encode():
            changed.append(rel)
    extra = sorted(_existing_generated(root) - set(files))
    return Staleness(tuple(changed), tuple(missing), tuple(extra))


def write(files: dict[str, str], root: Path) -> None:
    """Swap in a freshly written `provisioning/`, then replace every other generated file atomically."""
    inside = {rel: text for rel, text in files.items() if rel.startswith(PROVISIONING + "/")}
    fresh = Path(tempfile.mkdtemp(dir=root, prefix=".provisioning."))
    fresh.chmod(0o777 & ~umask())  # mkdtemp makes it 0700; Grafana's container user must read the tree
    try:
        for rel, text in inside.items():
            target = fresh / Path(rel).relative_to(PROVISIONING)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        current = root / PROVISIONING
        old = root / f".provisioning.old.{os.getpid()}"
        if current.exists():
            os.replace(current, old)
        os.replace(fresh, current)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    for rel, text in files.items():
        if not rel.startswith(PROVISIONING + "/"):
            path = root / rel
            if not path.is_file() or path.read_bytes() != text.encode():
                write_text(path, text)
