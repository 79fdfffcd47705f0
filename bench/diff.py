"""Diff speed: 500 compiled dashboards x 40 panels against a copy with 5% of the panels changed.

Two figures, each beside a plain DeepDiff of the raw JSON on the same data: `dashsync diff --against DIR` as a
user runs it (the CLI in a fresh process, reading both trees from disk; maintainers' target: under a second,
at least 30x DeepDiff), and the review engine in-process. Both must find every planted change.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from deepdiff import DeepDiff

from bench.build import DASHBOARD_COUNT, synthetic_panels
from compiler.compile import compile_dashboard
from dashboards.common import dashboard
from dashsync.review.dashboards import diff_dashboard_sets
from grafana_json.walk import dashboard_panels

CHANGED_SHARE = 0.05


def _plant(panel: dict[str, Any], which: int) -> None:
    """One reviewer-visible edit: a query, a threshold, a unit or a position."""
    defaults = panel.setdefault("fieldConfig", {}).setdefault("defaults", {})
    if which == 0 and panel.get("targets"):
        panel["targets"][0]["expr"] += " * 2"
    elif which == 1:
        steps = defaults.setdefault("thresholds", {"mode": "absolute", "steps": [{"color": "green", "value": None}]})
        steps["steps"].append({"color": "purple", "value": 123})
    elif which == 2:
        defaults["unit"] = "bench-unit"
    else:
        panel["gridPos"]["h"] += 1


def data() -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """(old, new, planted): compiled synthetic dashboards, and a copy with 5% of the panels edited."""
    old = [
        json.loads(
            compile_dashboard(
                dashboard(uid=f"bench-{i}", title=f"Bench {i}", description="synthetic", panels=synthetic_panels(i)),
                name=f"bench-{i}",
                folder="Bench",
            ).text
        )
        for i in range(DASHBOARD_COUNT)
    ]
    new = copy.deepcopy(old)
    rng = random.Random(7)  # noqa: S311 - a reproducible benchmark, not security
    panels = [(d, p) for d in new for p in dashboard_panels(d) if p.get("type") != "row"]
    total = sum(1 for d in new for _ in dashboard_panels(d))
    planted = rng.sample(range(len(panels)), round(total * CHANGED_SHARE))
    for n, index in enumerate(planted):
        _plant(panels[index][1], n % 4)
    return old, new, len(planted)


def _cli_seconds(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> tuple[float, int]:
    """`dashsync diff --against OLD --dir NEW --format json` in a fresh process: (seconds, changes reported)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, dashboards in (("old", old), ("new", new)):
            folder = Path(tmp) / name / "Bench"
            folder.mkdir(parents=True)
            for d in dashboards:
                (folder / f"{d['uid']}.json").write_text(json.dumps(d, indent=2, sort_keys=True))
        dashsync = Path(sys.executable).with_name("dashsync")
        start = time.perf_counter()
        done = subprocess.run(
            [str(dashsync), "diff", "--against", f"{tmp}/old", "--dir", f"{tmp}/new", "--format", "json"],
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
    report = json.loads(done.stdout)
    return seconds, sum(len(d["changes"]) for d in report["dashboards"])


def run() -> None:
    old, new, planted = data()
    cli, cli_changes = _cli_seconds(old, new)
    panels = sum(1 for d in old for _ in dashboard_panels(d))
    old_set = {d["uid"]: (d, "Bench") for d in old}
    new_set = {d["uid"]: (d, "Bench") for d in new}
    start = time.perf_counter()
    found = diff_dashboard_sets(old_set, new_set)
    ours = time.perf_counter() - start
    changed_panels = sum(len(d.panels) for d in found)
    start = time.perf_counter()
    raw = DeepDiff(old, new)
    plain = time.perf_counter() - start
    print(f"diff: {DASHBOARD_COUNT} dashboards, {panels} panels, {planted} panels changed ({CHANGED_SHARE:.0%}):")
    print(
        f"  plain DeepDiff of the raw JSON  {plain:.2f} s ({len(raw.get('values_changed', {}))} values changed,"
        f" {len(raw.get('iterable_item_added', {}))} items added)"
    )
    print(f"  dashsync review semantic diff   {ours:.3f} s  ratio {plain / ours:.1f}x faster")
    verdict = "every planted change found" if changed_panels == planted else "MISMATCH"
    print(f"  changes found {changed_panels} of {planted} planted: {verdict}")
    cli_verdict = "every planted change found" if cli_changes == planted else "MISMATCH"
    print(
        f"  dashsync diff --against DIR, the CLI in a fresh process: {cli:.2f} s (target < 1 s), "
        f"{plain / cli:.0f}x a plain DeepDiff (target >= 30x); {cli_changes} of {planted} changes: {cli_verdict}"
    )
