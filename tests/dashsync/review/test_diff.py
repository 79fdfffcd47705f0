"""The review of a real change to the generated dashboards and rules, against git:HEAD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from grafana_json.walk import dashboard_panels

from .conftest import review, review_json
from .scenario import git


def _dashboard(payload: dict[str, Any], uid: str) -> dict[str, Any]:
    return next(d for d in payload["dashboards"] if d["uid"] == uid)


def _panel(dashboard: dict[str, Any], title: str) -> dict[str, Any]:
    return next(p for p in dashboard["panels"] if p["title"] == title)


def test_no_change_is_exit_0_and_says_so(base_repo: Path) -> None:
    result = review("--against", "git:HEAD")
    assert result.exit_code == 0, result.output
    assert result.stdout == "no dashboard or rule differs between git:HEAD and working tree\n"


def test_every_kind_of_panel_change_is_reported_before_to_after(changed_repo: Path) -> None:
    api = _dashboard(review_json("--against", "git:HEAD"), "anonymeme-api")
    assert api["status"] == "changed"
    kinds = {p["title"]: p["kind"] for p in api["panels"]}
    assert kinds == {
        "Request rate": "changed",
        "Latency distribution": "moved",
        "Endpoints": "moved",
        "Error ratio": "changed",
        "Active sessions": "changed",
        "Blocked requests": "removed",
        "Requests in flight": "added",
    }
    assert _panel(api, "Request rate")["details"] == [
        "query A changed from `sum by (handler) (rate(http_requests_total"
        '{job=~"$job", instance=~"$instance", handler=~"$handler"}'
        "[$__rate_interval]))` to `sum by (handler) (rate(http_requests_total[5m]))`"
    ]
    assert _panel(api, "Error ratio")["details"] == ["threshold 0.1 -> 0.2"]
    assert _panel(api, "Active sessions")["details"] == ["unit short -> none"]
    assert _panel(api, "Latency distribution")["details"] == ["x=0 y=27 12x8 -> x=12 y=27 12x8"]
    assert _panel(api, "Requests in flight")["details"] == ["at x=12 y=36 12x8"]


def test_rename_and_folder_move_are_dashboard_level_facts(changed_repo: Path) -> None:
    payload = review_json("--against", "git:HEAD")
    security = _dashboard(payload, "anonymeme-security")
    assert (security["old_title"], security["title"], security["panels"]) == ("Security", "Security and abuse", [])
    business = _dashboard(payload, "anonymeme-business")
    assert (business["old_folder"], business["new_folder"], business["panels"]) == ("Business", "Finance", [])
    assert {d["uid"] for d in payload["dashboards"]} == {"anonymeme-api", "anonymeme-security", "anonymeme-business"}


def test_alert_and_recording_rule_changes(changed_repo: Path) -> None:
    rules = {r["name"]: r for r in review_json("--against", "git:HEAD")["rules"]}
    assert set(rules) == {"ApiHighErrorRatio", "ApiNoTraffic", "job_handler:http_request_duration_seconds:p50_5m"}
    edited = rules["ApiHighErrorRatio"]
    assert (edited["kind"], edited["status"], edited["file"], edited["group"]) == (
        "alert",
        "changed",
        "alerts/warning.yml",
        "api-warning",
    )
    assert "for 10m -> 15m" in edited["details"]
    assert "label team 'devops' -> 'backend'" in edited["details"]
    assert any(d.startswith("expr `") and "> 0.05" in d and "> 0.04" in d for d in edited["details"])
    assert (rules["ApiNoTraffic"]["status"], rules["ApiNoTraffic"]["kind"]) == ("added", "alert")
    removed = rules["job_handler:http_request_duration_seconds:p50_5m"]
    assert (removed["status"], removed["kind"]) == ("removed", "record")


def test_repeated_alert_names_are_told_apart_by_labels(base_repo: Path) -> None:
    path = base_repo / "compose/prometheus/alerts/critical.yml"
    text = path.read_text()
    old, new = 'sum by (job) (up{job=~"security"}) == 0\n', 'sum by (job) (up{job=~"security"}) < 1\n'
    path.write_text(text.replace(old, new, 1))
    rules = review_json("--against", "git:HEAD")["rules"]
    assert [(r["name"], r["status"]) for r in rules] == [("ServiceDown [severity=critical,team=security]", "changed")]


def test_git_revision_other_than_head_and_a_checkout_directory(changed_repo: Path, tmp_path: Path) -> None:
    git(changed_repo, "add", ".")
    git(changed_repo, "commit", "-q", "-m", "change")
    assert review("--against", "git:HEAD").exit_code == 0
    by_rev = review_json("--against", "git:HEAD~1")
    base = tmp_path / "base"
    git(changed_repo, "worktree", "add", "-q", str(base), "HEAD~1")
    by_dir = review_json("--against", str(base))
    assert by_dir["dashboards"] == by_rev["dashboards"] and by_dir["rules"] == by_rev["rules"]


def test_volatile_fields_are_not_changes(base_repo: Path) -> None:
    path = base_repo / "provisioning/dashboards/Platform/anonymeme-api.json"
    content = json.loads(path.read_text())
    content.update(version=7, id=99, iteration=123)
    path.write_text(json.dumps(content))
    assert review("--against", "git:HEAD").exit_code == 0


def test_bad_input_is_one_line_exit_2_and_writes_nothing(changed_repo: Path, tmp_path: Path) -> None:
    pictures = tmp_path / "pictures"
    result = review("--against", "git:no-such-rev", "--pictures", str(pictures))
    assert result.exit_code == 2
    assert result.stderr.startswith("dashsync review: error: git ls-tree") and result.stderr.count("\n") == 1
    (changed_repo / "provisioning/dashboards/Platform/anonymeme-api.json").write_text("{not json")
    result = review("--against", "git:HEAD", "--pictures", str(pictures), "--output", str(tmp_path / "r.md"))
    assert result.exit_code == 2 and "not valid JSON" in result.stderr and "Traceback" not in result.output
    assert not pictures.exists() and not (tmp_path / "r.md").exists()


def test_output_and_dry_run(changed_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.md"
    dry = review("--against", "git:HEAD", "--format", "markdown", "--output", str(out), "--dry-run")
    assert dry.exit_code == 1 and not out.exists() and f"would write {out}" in dry.stderr
    assert review("--against", "git:HEAD", "--format", "markdown", "--output", str(out)).exit_code == 1
    assert out.read_text() == dry.stdout


def test_dashboard_settings_and_variables_are_dashboard_level_details(base_repo: Path) -> None:
    path = base_repo / "provisioning/dashboards/Platform/anonymeme-api.json"
    content = json.loads(path.read_text())
    content["refresh"] = "5m"
    content["templating"]["list"].append({"name": "region", "type": "custom", "query": "eu,us"})
    path.write_text(json.dumps(content))
    (api,) = review_json("--against", "git:HEAD")["dashboards"]
    assert api["panels"] == []
    assert any(d.startswith("refresh changed from") and "'5m'" in d for d in api["details"]), api["details"]
    assert any(d.startswith("templating.list.region added") for d in api["details"]), api["details"]


def test_threshold_steps_added_and_removed_are_told_as_thresholds(base_repo: Path) -> None:
    path = base_repo / "provisioning/dashboards/Platform/anonymeme-api.json"
    content = json.loads(path.read_text())
    latency = next(p for p in content["panels"] if p.get("title") == "Latency p50 / p95 / p99")
    latency["fieldConfig"]["defaults"]["thresholds"]["steps"].append({"color": "purple", "value": 2.5})
    failures = next(p for p in dashboard_panels(content) if p.get("title") == "Authentication failures")
    failures["fieldConfig"]["defaults"]["thresholds"]["steps"].pop()
    path.write_text(json.dumps(content))
    (api,) = review_json("--against", "git:HEAD")["dashboards"]
    details = {p["title"]: p["details"] for p in api["panels"]}
    assert details == {
        "Latency p50 / p95 / p99": ["threshold 2.5 (purple) added"],
        "Authentication failures": ["threshold 5 (red) removed"],
    }
