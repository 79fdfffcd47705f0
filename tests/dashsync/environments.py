"""Helpers of the environment tests (contexts, values, promote, watch, export): a contexts file pointing at
emulators, and dashsync run with a clean environment (no GRAFANA_* or DASHSYNC_* of the person running the
tests, and a throwaway XDG_CONFIG_HOME, so no real user file is read or written)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from dashsync.cli import main
from tests.grafana_emulator import Emulator

REPO = Path(__file__).resolve().parents[2]
COMPILED = REPO / "provisioning" / "dashboards"  # the five real dashboards, with ${datasource} and $job
CANARY = "glsa_CanaryToken_6b1f0e2d9c_00000000"  # a distinctive secret: it must appear in no output or file
CLEAN = {
    name: None
    for name in (
        "GRAFANA_URL",
        "GRAFANA_TOKEN",
        "GRAFANA_USER",
        "GRAFANA_PASSWORD",
        "GRAFANA_ORG_ID",
        "DASHSYNC_API",
        "DASHSYNC_CONTEXT",
        "DASHSYNC_CONFIG",
    )
}


def context(url: str, token_env: str, **extra: Any) -> dict[str, Any]:
    """One context's entry: a server and the variable its token comes from."""
    grafana = {"server": url, "token-env": token_env, **extra.pop("grafana", {})}
    return {"grafana": grafana, **extra}


def write_config(path: Path, contexts: dict[str, Any], current: str | None = None) -> Path:
    document: dict[str, Any] = {"contexts": contexts}
    if current:
        document["current-context"] = current
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def dashsync(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """dashsync in-process with a clean environment plus `env`."""
    return CliRunner().invoke(main, list(args), env={**CLEAN, **(env or {})}, catch_exceptions=False)


def one_line_error(result: Result, words: str) -> None:
    """Exit 2 and exactly one line, `dashsync: error: ...` containing `words`; no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dashsync: error: "), result.output
    assert words in lines[0], result.output


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def live_variable(emulator: Emulator, uid: str, name: str) -> dict[str, Any]:
    """A variable of a dashboard as the emulator stores it."""
    data = emulator.state.orgs[1].dashboards[uid].data
    return next(v for v in data["templating"]["list"] if v["name"] == name)
