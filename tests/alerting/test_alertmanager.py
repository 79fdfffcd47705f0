"""alertmanager.yml passes amtool, and amtool's own router proves who hears about which alert."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alerting import routing
from alerting.__main__ import PLACEHOLDER
from alerting.render import to_yaml
from alerting.rules import ESCALATION, WATCHDOG, all_alerts
from signals.durations import seconds
from tests.alerting.conftest import REPO, binary, run
from tests.generate.repo_copy import tree


@pytest.fixture(scope="module")
def am_config(tmp_path_factory) -> Path:
    """The config rendered against a temporary secrets dir holding dummy secrets (amtool reads the files)."""
    root = tmp_path_factory.mktemp("alertmanager")
    secrets = root / "secrets"
    secrets.mkdir()
    for s in routing.SECRET_FILES:
        value = "https://hooks.slack.example/T0/B0/x" if s.file.startswith("slack") else "dummy-secret"
        (secrets / s.file).write_text(value)
    path = root / "alertmanager.yml"
    path.write_text(to_yaml(routing.render(secrets_dir=str(secrets)), "routing.py"))
    return path


def receivers_for(config: Path, **labels: str) -> list[str]:
    args = [f"{k}={v}" for k, v in labels.items()]
    result = run(binary("amtool"), "config", "routes", "test", f"--config.file={config}", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().split(",")


def test_amtool_check_config_accepts_the_generated_config(am_config):
    result = run(binary("amtool"), "check-config", str(am_config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
    assert f"{len(routing.receivers())} receivers" in result.stdout


def test_committed_config_reads_every_secret_from_a_file():
    text = (REPO / "compose/alertmanager/alertmanager.yml").read_text()
    config = yaml.safe_load(text)
    for receiver in config["receivers"]:
        for kind, field in (
            ("slack_configs", "api_url"),
            ("pagerduty_configs", "routing_key"),
            ("email_configs", "auth_password"),
        ):
            for entry in receiver.get(kind, []):
                assert field not in entry, f"{receiver['name']} has an inline {field}"
    assert config["global"]["smtp_auth_password_file"] == "/etc/alertmanager/secrets/smtp_password"
    inline = re.findall(r"^\s*(api_url|routing_key|service_key|auth_password|smtp_auth_password):", text, re.M)
    assert inline == []
    assert "${" not in text, "Alertmanager does not expand environment variables"


_PAGE_DEVOPS = ["pagerduty-devops", "slack-critical", "email-devops", "email-executives", "slack-devops"]


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (
            {"severity": "critical", "team": "security"},
            ["pagerduty-security", "slack-critical", "email-security", "email-executives", "slack-security"],
        ),
        ({"severity": "critical", "team": "devops"}, _PAGE_DEVOPS),
        # business has no rotation: never paged, but mailed (team and executives)
        (
            {"severity": "critical", "team": "business"},
            ["slack-critical", "email-business", "email-executives", "slack-business"],
        ),
        ({"severity": "warning", "team": "devops"}, ["slack-devops"]),
        ({"severity": "warning", "team": "security"}, ["slack-security"]),
        ({"severity": "warning", "team": "business"}, ["slack-business"]),
        ({"severity": "warning"}, ["slack-default"]),
        ({"severity": "critical"}, ["slack-critical", "email-executives", "slack-default"]),
    ],
)
def test_routing_table(am_config, labels, expected):
    assert receivers_for(am_config, alertname="Example", **labels) == expected


def test_watchdog_reaches_only_the_deadmans_switch_in_a_group_of_its_own(am_config):
    [watchdog] = [a for a in all_alerts() if a.name == WATCHDOG]
    assert receivers_for(am_config, alertname=WATCHDOG, **watchdog.labels) == ["deadmans-switch"]
    route = routing.routes()[0]
    assert route["matchers"] == [f'alertname="{WATCHDOG}"'] and "continue" not in route
    assert route["group_by"] == ["alertname"]
    assert seconds(route["repeat_interval"]) <= 60 and seconds(route["group_wait"]) == 0
    [receiver] = [r for r in routing.receivers() if r["name"] == "deadmans-switch"]
    [hook] = receiver["webhook_configs"]
    assert hook["http_config"]["authorization"]["credentials_file"].endswith(routing.DEADMANS_SWITCH_SECRET.file)


def test_escalation_pages_in_business_hours_and_originals_page_after_hours(am_config):
    """amtool resolves receivers without the clock: the routes carry the time intervals, checked here."""
    for team in routing.PAGED_TEAMS:
        escalated = receivers_for(am_config, alertname=ESCALATION, severity="critical", team=team)
        assert escalated == [f"pagerduty-{team}", "slack-critical", f"email-{team}", f"slack-{team}"]
        pages = [r for r in routing.routes() if r["receiver"] == f"pagerduty-{team}"]
        by_interval = {tuple(r["active_time_intervals"]): r["matchers"] for r in pages}
        assert by_interval == {
            ("after-hours",): ['severity="critical"', f'team="{team}"', f'alertname!="{ESCALATION}"'],
            ("business-hours",): [f'alertname="{ESCALATION}"', f'team="{team}"'],
        }


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _in_interval(interval: dict, day: int, minute: int) -> bool:
    """Alertmanager's timeinterval semantics for the fields used: weekday ranges and [start, end) times."""

    def day_in(spec: str) -> bool:
        lo, _, hi = spec.partition(":")
        return _DAYS.index(lo) <= day <= _DAYS.index(hi or lo)

    def minutes(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)

    if "weekdays" in interval and not any(day_in(d) for d in interval["weekdays"]):
        return False
    times = interval.get("times")
    return times is None or any(minutes(t["start_time"]) <= minute < minutes(t["end_time"]) for t in times)


def test_business_hours_and_after_hours_cover_the_week_exactly_once(am_config):
    config = yaml.safe_load(am_config.read_text())
    named = {t["name"]: t["time_intervals"] for t in config["time_intervals"]}
    assert set(named) == {"business-hours", "after-hours"}
    for day in range(7):
        for minute in range(0, 24 * 60, 15):
            hits = [name for name, intervals in named.items() if any(_in_interval(i, day, minute) for i in intervals)]
            assert len(hits) == 1, (_DAYS[day], divmod(minute, 60), hits)
    assert _in_interval(named["business-hours"][0], 2, 10 * 60)  # Wednesday 10:00
    assert not any(_in_interval(i, 5, 10 * 60) for i in named["business-hours"])  # Saturday 10:00


def test_every_generated_alert_reaches_its_team_and_only_critical_pages(am_config):
    seen = set()
    for alert in all_alerts():
        key = (alert.name == ESCALATION, alert.severity, alert.team)
        if key in seen or alert.name == WATCHDOG:
            continue
        seen.add(key)
        got = receivers_for(am_config, alertname=alert.name, **alert.labels)
        assert f"slack-{alert.team}" in got, (alert.name, got)
        pages = [r for r in got if r.startswith("pagerduty-")]
        if alert.severity == "critical" and alert.team in routing.PAGED_TEAMS:
            assert pages == [f"pagerduty-{alert.team}"], (alert.name, got)
            assert f"email-{alert.team}" in got and "slack-critical" in got
        else:
            assert pages == [], f"{alert.name} ({alert.severity}) must not page: {got}"
        if alert.severity == "critical":
            assert ("email-executives" in got) is (alert.name != ESCALATION), (alert.name, got)


def test_critical_inhibits_the_matching_warning():
    rule = routing.inhibit_rules()[0]
    assert rule["source_matchers"] == ['severity="critical"']
    assert rule["target_matchers"] == ['severity="warning"']
    assert rule["equal"][0] == "alertname"
    names = {a.name for a in all_alerts() if a.severity == "critical"} & {
        a.name for a in all_alerts() if a.severity == "warning"
    }
    assert {"HostHighCpuUsage", "HostHighDiskUsage", "ApiErrorBudgetBurn"} <= names


def test_inhibit_rules_name_only_alerts_that_exist():
    names = {a.name for a in all_alerts()}
    for rule in routing.inhibit_rules():
        for matcher in rule["source_matchers"] + rule["target_matchers"]:
            m = re.fullmatch(r'alertname=~?"(.+)"', matcher)
            if m:
                assert set(m.group(1).split("|")) <= names, matcher


def _secrets_cli(
    tmp_path: Path, env: dict[str, str], *args: str, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {s.env for s in routing.SECRET_FILES}}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "alerting", "secrets", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**clean, **env},
        timeout=60,
        check=False,
    )


def test_secrets_command_writes_each_file_from_env_file_without_printing_values(tmp_path):
    values = {s.env: f"value-of-{s.env.lower()}" for s in routing.SECRET_FILES}
    env_file = tmp_path / ".env"
    env_file.write_text("# stack settings\n" + "".join(f"{k}='{v}'\n" for k, v in values.items()))
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {}, "--env-file", str(env_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for s in routing.SECRET_FILES:
        path = out / s.file
        assert path.read_text() == values[s.env]
        assert path.stat().st_mode & 0o777 == 0o600
        assert values[s.env] not in result.stdout + result.stderr


def test_secrets_command_refuses_missing_variables_before_writing(tmp_path):
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {"SLACK_WEBHOOK_URL": "https://hooks.slack.example/x"}, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "PAGERDUTY_DEVOPS_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_secrets_command_reads_env_files_as_compose_does(tmp_path):
    """An inline ` #` comment after an unquoted value is not part of the secret; inside quotes it is."""
    values = {s.env: f"value-of-{s.env.lower()}" for s in routing.SECRET_FILES}
    lines = [f"{k}={v}  # rotated 2026-11\n" for k, v in values.items()]
    lines[0] = f"{routing.SECRET_FILES[0].env}='quoted # kept'\n"
    env_file = tmp_path / ".env"
    env_file.write_text("".join(lines))
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {}, "--env-file", str(env_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    first, *rest = routing.SECRET_FILES
    assert (out / first.file).read_text() == "quoted # kept"
    for s in rest:
        assert (out / s.file).read_text() == values[s.env]


def test_secrets_command_refuses_the_example_placeholders(tmp_path):
    """compose/.env.example as shipped must not become a PagerDuty key that silently never pages."""
    out = tmp_path / "secrets"
    example = REPO / "compose" / ".env.example"
    # A variable the example does not carry yet (tests/compose names that gap) is given its placeholder here.
    shipped = {line.split("=", 1)[0] for line in example.read_text().splitlines() if "=" in line}
    absent = {s.env: PLACEHOLDER for s in routing.SECRET_FILES if s.env not in shipped}
    result = _secrets_cli(tmp_path, absent, "--env-file", str(example), "--out", str(out))
    assert result.returncode == 2
    assert "placeholder" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def _all_secrets() -> dict[str, str]:
    return {s.env: f"value-of-{s.env.lower()}" for s in routing.SECRET_FILES}


def _assert_one_line_exit_2(result: subprocess.CompletedProcess, expected: str) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [expected]


@pytest.mark.parametrize("dry_run", [False, True])
def test_secrets_out_below_a_file_is_one_line_exit_2_and_nothing_written(tmp_path, dry_run):
    """A --out whose directory is missing and cannot be created (a file stands where a directory should)."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file\n")
    for out in (blocker / "secrets", blocker):
        before = tree(tmp_path)
        result = _secrets_cli(tmp_path, _all_secrets(), "--out", str(out), *(["--dry-run"] * dry_run))
        _assert_one_line_exit_2(result, f"error: --out {out}: {blocker} is not a directory")
        assert result.stdout == ""
        assert tree(tmp_path) == before


def _read_only(directory: Path) -> tuple[str, ...]:
    """A command prefix under which `directory` is read-only for this process, whoever it runs as."""
    if os.geteuid() != 0:
        directory.chmod(0o500)
        return ()
    # Root ignores permission bits; only a read-only filesystem stops it: mount one in a private mount namespace.
    prefix = ("unshare", "--mount", "sh", "-c", 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"', str(directory))
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"running as root and cannot mount a read-only filesystem here: {probe.stderr.decode()}")
    return prefix


@pytest.mark.parametrize("subdir", ["", "secrets"])
def test_secrets_out_on_a_read_only_directory_is_one_line_exit_2(tmp_path, subdir):
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    prefix = _read_only(read_only)
    out = read_only / subdir if subdir else read_only
    try:
        result = _secrets_cli(tmp_path, _all_secrets(), "--out", str(out), prefix=prefix)
    finally:
        read_only.chmod(0o700)
    _assert_one_line_exit_2(result, f"error: --out {out}: {read_only} is not writable (read-only or permission denied)")
    assert result.stdout == ""
    assert list(read_only.iterdir()) == []
