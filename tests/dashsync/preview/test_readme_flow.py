"""The README's preview flow, run as written: after `make stack-local` (here the tests' own native stack, recorded
where `make stack-local` records it), both commands succeed and write what the README says they write."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from localstack import stack as st

REPO = Path(__file__).resolve().parents[3]
FLOW = re.compile(r"<!-- readme-flow-preview:[^>]*-->\n```sh\n(.*?)```\n<!-- /readme-flow-preview -->", re.S)
UIDS = sorted(p.stem for p in (REPO / "provisioning" / "dashboards").rglob("*.json"))


def test_the_readme_preview_flow_runs_as_written(local_stack: st.Stack, tmp_path: Path) -> None:
    [flow] = FLOW.findall((REPO / "README.md").read_text(encoding="utf-8"))
    shutil.copytree(REPO / "provisioning", tmp_path / "provisioning")
    os.symlink(REPO / ".venv", tmp_path / ".venv")
    state = tmp_path / ".stack" / "state.json"  # what `make stack-local` (python -m localstack up) writes
    state.parent.mkdir()
    state.write_text(json.dumps(local_stack.state()), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASHSYNC_", "GRAFANA_"))}
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", flow], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = tmp_path / "preview"
    assert sorted(p.stem for p in out.glob("*.html")) == UIDS
    assert sorted(p.stem for p in out.glob("*.png")) == UIDS
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    api = (out / "anonymeme-api.html").read_text(encoding="utf-8")
    assert local_stack.prometheus_url in api and "Traceback" not in run.stderr
