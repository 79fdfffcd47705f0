"""The exporters' Dockerfiles (no Docker engine here): pinned base, non-root, healthcheck, the project's own
dependency pins, and an image's COPY set is enough to run the entrypoint (replayed into a temp dir)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from signals.jobs import BUSINESS, SOLANA
from tests.exporters.conftest import REPO, TREASURY

IMAGES = {
    "solana": (
        REPO / "exporters/solana/Dockerfile",
        SOLANA.port,
        {"SOLANA_RPC_URL": "http://127.0.0.1:8899", "SOLANA_ACCOUNTS": f"treasury={TREASURY}"},
    ),
    "business": (
        REPO / "exporters/business/Dockerfile",
        BUSINESS.port,
        {"DATABASE_URL": "postgresql://collector@127.0.0.1:5432/platform"},
    ),
}


# Run a module with only the image's files importable: the virtualenv's editable install of this repository
# (a meta-path finder) would otherwise supply whatever the Dockerfile forgot to COPY.
ISOLATED_RUN = """
import runpy, sys
sys.meta_path = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")
                 and "__editable__" not in repr(f)]
sys.path = [p for p in sys.path if p.rstrip("/") != REPO] + ["."]
module = sys.argv[1]
sys.argv = [module, *sys.argv[2:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
""".replace("REPO", repr(str(REPO)))


def instructions(path) -> list[tuple[str, str]]:
    text = re.sub(r"\\\n\s*", " ", path.read_text())
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line.strip() else "")
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith("#")
    ]


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_dockerfile_is_pinned_non_root_and_healthchecked(image):
    path, port, _ = IMAGES[image]
    steps = instructions(path)
    kinds = [k for k, _ in steps]
    base = dict(steps)["FROM"]
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", base), base
    user = [arg for k, arg in steps if k == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert kinds.index("USER") < kinds.index("ENTRYPOINT")
    assert f'exporters.healthcheck", "{port}"' in dict(steps)["HEALTHCHECK"]
    assert dict(steps)["EXPOSE"] == str(port)
    installs = [arg for k, arg in steps if k == "RUN" and "pip install" in arg]
    assert installs == ["pip install --require-hashes -r /app/requirements.txt && rm /app/requirements.txt"], installs
    assert f"exporters/{image}/requirements.txt /app/requirements.txt" in [a for k, a in steps if k == "COPY"]


@pytest.mark.parametrize("image", sorted(IMAGES))
def test_the_copied_files_are_enough_to_start(image, tmp_path):
    path, _, env = IMAGES[image]
    app = tmp_path / "app"
    for kind, arg in instructions(path):
        if kind != "COPY":
            continue
        *sources, dest = arg.split()
        if dest.startswith("/"):  # only the WORKDIR may be named absolutely; never touch the host's /
            assert dest.startswith("/app/"), dest
            dest = dest.removeprefix("/app/")
        for source in sources:
            src, target = REPO / source, app / dest
            if src.is_dir():
                shutil.copytree(src, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, target / src.name)
    result = subprocess.run(
        [sys.executable, "-c", ISOLATED_RUN, f"exporters.{image}", "--check-config"],
        cwd=app,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    health = subprocess.run(
        [sys.executable, "-c", ISOLATED_RUN, "exporters.healthcheck", "1"],
        cwd=app,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert health.returncode == 1 and "unhealthy" in health.stderr  # nothing listens on port 1
