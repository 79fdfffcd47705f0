"""The pull-request workflow and the pre-commit hooks: valid, and doing what the README promises."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .scenario import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "dashboards.yml"
PRE_COMMIT = PROJECT / ".pre-commit-config.yaml"


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    return job["steps"]


def _runs(steps: list[dict[str, Any]]) -> str:
    return "\n".join(step.get("run", "") for step in steps)


def test_workflow_is_valid_against_the_github_workflow_schema() -> None:
    tool = Path(sys.executable).parent / "check-jsonschema"
    command = [str(tool)] if tool.exists() else [shutil.which("check-jsonschema") or "check-jsonschema"]
    done = subprocess.run(
        [*command, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflow_runs_on_pull_requests_with_the_rights_it_needs() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}


def test_workflow_steps_in_order() -> None:
    steps = _steps()
    runs = [step.get("run", "") for step in steps]

    def first(needle: str) -> int:
        return next(i for i, run in enumerate(runs) if needle in run)

    checkout = next(i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/checkout@"))
    assert steps[checkout]["with"]["fetch-depth"] == 0  # the base branch must be there to compare with
    install, check, lint = first("make dashboards"), first("make check"), first("-m dashboards lint")
    tests, review = first("make test"), first("dashsync review")
    assert checkout < install < check < lint < tests < review
    assert "git diff --exit-code" in runs[check] and "git status --porcelain" in runs[check]
    assert "ruff check" in runs[lint]
    assert '--against "git:origin/$BASE_REF"' in runs[review] and "--format markdown" in runs[review]
    assert "--pictures dashboard-review" in runs[review] and "--output dashboard-review/review.md" in runs[review]
    assert "--max-chars 60000 --output comment.md" in runs[review]
    assert "${{" not in runs[review]  # no expression injected into a shell line


def test_workflow_publishes_the_pictures_and_the_comment() -> None:
    steps = _steps()
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "dashboard-review" and upload["with"]["path"] == "dashboard-review/"
    comment = next(s for s in steps if str(s.get("uses", "")).startswith("marocchino/sticky-pull-request-comment@"))
    assert comment["with"]["path"] == "comment.md"
    for step in (upload, comment):
        assert "!cancelled()" in step["if"]  # a red test run still gets its review


def test_pre_commit_rebuilds_checks_and_lints() -> None:
    config = yaml.safe_load(PRE_COMMIT.read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert list(hooks) == ["dashboards-build", "dashboards-check", "dashboards-lint", "ruff", "ruff-format"]
    assert hooks["ruff-format"]["entry"].endswith("-m ruff format --check")
    assert hooks["dashboards-build"]["entry"] == "make dashboards"
    assert hooks["dashboards-check"]["entry"].endswith("-m dashboards check")
    assert hooks["dashboards-lint"]["entry"].endswith("-m dashboards lint")
    for hook in hooks.values():
        assert hook["language"] == "system"
        executable = hook["entry"].split()[0]
        assert (PROJECT / executable).exists() or shutil.which(executable), executable
