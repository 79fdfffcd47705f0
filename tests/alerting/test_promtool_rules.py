"""The generated rule files pass the real promtool, and the generated unit tests prove every alert."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import yaml

from alerting.render import recording_rules
from alerting.rules import WATCHDOG, all_alerts, num
from signals.slo import RESOURCE_UTILISATION
from tests.alerting import scenarios
from tests.alerting.conftest import binary, run


def _write_tests(path: Path, rule_files: list[str], cases=None) -> Path:
    path.write_text(yaml.safe_dump(scenarios.unit_test_file(rule_files, cases), sort_keys=False, width=1000))
    return path


def test_promtool_check_rules_accepts_every_generated_rule_file(rule_files):
    result = run(binary("promtool"), "check", "rules", *rule_files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("SUCCESS") == len(rule_files)


def test_promtool_unit_tests_pass(tmp_path, rule_files):
    """All generated cases, in two files run side by side (the multi-day SLO windows are the slow half)."""
    cases = scenarios.all_cases()
    slow = [c for c in cases if c.title.startswith("ApiErrorBudgetBurn")]
    fast = [c for c in cases if c not in slow]
    files = [_write_tests(tmp_path / f"{name}.yml", rule_files, part) for name, part in (("slo", slow), ("rest", fast))]
    procs = [
        subprocess.Popen(
            [binary("promtool"), "test", "rules", str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for f in files
    ]
    for proc in procs:
        output, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, output
        assert "SUCCESS" in output


def _rule_key(alert) -> tuple:
    return alert.name, tuple(sorted(alert.labels.items()))


def test_every_alert_has_a_case_where_it_fires_and_one_where_it_must_not():
    fires, quiet = set(), set()
    for case in scenarios.all_cases():
        for check in case.checks:
            for alert in all_alerts():
                if alert.name != check.alertname:
                    continue
                matched = any(all(lbl.get(k) == v for k, v in alert.labels.items()) for lbl in check.expected)
                (fires if matched else quiet).add(_rule_key(alert))
    every = {_rule_key(a) for a in all_alerts()}
    assert every - fires == set(), "alerts without a firing case"
    # The Watchdog (`vector(1)`) has no quiet state by design: it is the heartbeat.
    assert {k for k in every - quiet if k[0] != WATCHDOG} == set(), "alerts without a quiet case"


def test_threshold_cases_sit_on_both_sides_of_the_signals_threshold():
    """Cases are derived from signals.slo: the CPU critical cases straddle RESOURCE_UTILISATION.critical."""
    titles = [c.title for c in scenarios.all_cases() if c.title.startswith("HostHighCpuUsage critical")]
    crit = RESOURCE_UTILISATION.critical
    assert any(scenarios.number(crit + 0.02) in t and "fires" in t for t in titles), titles
    assert any(scenarios.number(crit - 0.02) in t and "quiet" in t for t in titles), titles


def test_cases_fail_when_a_rule_drifts_from_its_threshold(tmp_path):
    """The generated cases are not vacuous: a rule whose threshold no longer matches signals fails them."""
    crit = RESOURCE_UTILISATION.critical
    old, new = f"> {num(crit)}", f"> {num(crit + 0.03)}"
    drifted = []
    for alert in all_alerts():
        if alert.name == "HostHighCpuUsage" and alert.severity == "critical":
            assert old in alert.expr
            alert = dataclasses.replace(alert, expr=alert.expr.replace(old, new))
        drifted.append(alert)
    rules_file = tmp_path / "drifted.yml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "drifted", "rules": [a.to_rule() for a in drifted]}]}))
    recording = tmp_path / "recording.yml"
    recording.write_text(yaml.safe_dump(recording_rules()))
    cases = [c for c in scenarios.all_cases() if c.title.startswith("HostHighCpuUsage")]
    tests = _write_tests(tmp_path / "tests.yml", [str(rules_file), str(recording)], cases)
    result = run(binary("promtool"), "test", "rules", str(tests))
    assert result.returncode != 0
    assert "HostHighCpuUsage critical" in result.stdout + result.stderr
