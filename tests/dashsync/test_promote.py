"""`dashsync promote --from staging --to prod` between two Grafanas on 127.0.0.1 (two emulator instances of
different version profiles): plan, push's conflict rules on the target, source edits blocked, values swapped."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import niquests
import pytest

from tests.grafana_emulator import Emulator, service_account_token

from .environments import COMPILED, context, dashsync, one_line_error, write_config

pytestmark = pytest.mark.emulator_only  # two Grafanas and their write counters

STAGING_VALUES = {"datasources": {"prometheus": "prom-staging"}, "variables": {"job": "api-staging"}}
PROD_VALUES = {"datasources": {"prometheus": "prom-prod"}, "variables": {"job": "api-prod"}}


@dataclass
class Pair:
    staging: Emulator
    prod: Emulator
    tokens: dict[str, str]
    env: dict[str, str | None]
    config: Path

    def run(self, *args: str):
        return dashsync(*args, env=self.env)

    def ui_edit(self, emulator: Emulator, uid: str, title: str) -> None:
        """What a person saving in Grafana's UI does: a new version without dashsync's marker."""
        token = self.tokens["staging" if emulator is self.staging else "prod"]
        headers = {"Authorization": f"Bearer {token}"}
        found = niquests.get(f"{emulator.url}/api/dashboards/uid/{uid}", headers=headers, timeout=10).json()
        body = {
            "dashboard": {**found["dashboard"], "title": title},
            "folderUid": found["meta"]["folderUid"],
            "overwrite": True,
            "message": "edited in the UI",
        }
        answer = niquests.post(f"{emulator.url}/api/dashboards/db", json=body, headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text

    def stored(self, emulator: Emulator) -> dict:
        return emulator.state.orgs[1].dashboards


@pytest.fixture(params=[(12, 13), (13, 11)], ids=lambda p: f"grafana{p[0]}-to-grafana{p[1]}")
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    tokens = {"staging": service_account_token(), "prod": service_account_token()}
    major_staging, major_prod = request.param
    with (
        Emulator(token=tokens["staging"], grafana=major_staging) as staging,
        Emulator(token=tokens["prod"], grafana=major_prod) as prod,
    ):
        config = write_config(
            tmp_path / "dashsync.yml",
            {
                "staging": context(staging.url, "STAGING_TOKEN", **STAGING_VALUES),
                "prod": context(prod.url, "PROD_TOKEN", **PROD_VALUES),
            },
        )
        env = {
            "STAGING_TOKEN": tokens["staging"],
            "PROD_TOKEN": tokens["prod"],
            "DASHSYNC_CONFIG": str(config),
            "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        }
        yield Pair(staging, prod, tokens, env, config)


def datasource_default(data: dict) -> str:
    return next(v for v in data["templating"]["list"] if v["name"] == "datasource")["current"]["value"]


def test_promote_plans_then_writes_with_the_targets_values(pair: Pair):
    assert pair.run("--context", "staging", "push", "--dir", str(COMPILED)).exit_code == 0
    dry = pair.run("promote", "--from", "staging", "--to", "prod", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[0] == "promote staging -> prod: 5 dashboard(s) read from staging"
    assert "plan: 5 create" in dry.output and dry.output.rstrip().endswith("dry run: nothing written")
    assert pair.prod.traffic.writes == 0
    done = pair.run("promote", "--from", "staging", "--to", "prod")
    assert done.exit_code == 0, done.output
    assert re.search(r"promoted to prod: \d+ write\(s\)$", done.output.rstrip()), done.output
    stored = pair.stored(pair.prod)
    assert len(stored) == 5 and {datasource_default(d.data) for d in stored.values()} == {"prom-prod"}
    # exactly what a push from code to prod writes: push finds nothing to do, and recognises promote's writes
    writes = pair.prod.traffic.writes
    push = pair.run("--context", "prod", "push", "--dir", str(COMPILED))
    assert push.exit_code == 0 and "nothing to write" in push.output, push.output
    assert pair.prod.traffic.writes == writes
    again = pair.run("promote", "--from", "staging", "--to", "prod")
    assert again.exit_code == 0 and "nothing to write" in again.output


def test_a_dashboard_edited_in_prods_ui_is_a_conflict_until_force(pair: Pair, tmp_path: Path):
    assert pair.run("--context", "staging", "push", "--dir", str(COMPILED)).exit_code == 0
    assert pair.run("promote", "--from", "staging", "--to", "prod").exit_code == 0
    pair.ui_edit(pair.prod, "anonymeme-api", "API (edited in prod)")
    changed = tmp_path / "code"
    shutil.copytree(COMPILED, changed)
    api = changed / "Platform" / "anonymeme-api.json"
    api.write_text(api.read_text().replace('"title": "API"', '"title": "API v2"'))
    assert pair.run("--context", "staging", "push", "--dir", str(changed)).exit_code == 0
    writes = pair.prod.traffic.writes
    refused = pair.run("promote", "--from", "staging", "--to", "prod")
    assert refused.exit_code == 3, refused.output
    assert "conflict API v2 (anonymeme-api)" in refused.output
    assert "1 conflict(s): dashboards edited in prod; nothing written" in refused.output
    assert pair.prod.traffic.writes == writes
    assert pair.stored(pair.prod)["anonymeme-api"].title == "API (edited in prod)"
    forced = pair.run("promote", "--from", "staging", "--to", "prod", "--force")
    assert forced.exit_code == 0, forced.output
    assert pair.stored(pair.prod)["anonymeme-api"].title == "API v2"


def test_a_dashboard_edited_in_stagings_ui_is_never_promoted(pair: Pair):
    assert pair.run("--context", "staging", "push", "--dir", str(COMPILED)).exit_code == 0
    pair.ui_edit(pair.staging, "anonymeme-security", "Security (unreviewed)")
    for extra in ([], ["--force"], ["--dry-run"]):
        result = pair.run("promote", "--from", "staging", "--to", "prod", *extra)
        assert result.exit_code == 3, result.output
        blocked = "blocked  Security (unreviewed) (anonymeme-security) in Security: edited in staging's UI"
        assert blocked in result.output
        assert "1 dashboard(s) in staging are not what dashsync wrote there; nothing written" in result.output
    assert pair.prod.traffic.writes == 0
    # the others alone can be promoted by uid
    only = pair.run("promote", "--from", "staging", "--to", "prod", "anonymeme-api", "anonymeme-business")
    assert only.exit_code == 0, only.output
    assert set(pair.stored(pair.prod)) == {"anonymeme-api", "anonymeme-business"}


def test_json_report(pair: Pair):
    assert pair.run("--context", "staging", "push", "--dir", str(COMPILED)).exit_code == 0
    result = pair.run("promote", "--from", "staging", "--to", "prod", "--dry-run", "--json")
    report = json.loads(result.output)
    assert report["exit"] == 0 and report["from"] == "staging" and report["to"] == "prod"
    assert report["plan"]["counts"]["create"] == 5 and report["blocked"] == [] and report["written"] == 0
    assert report["values"] == PROD_VALUES


def test_promote_refuses_what_would_carry_stagings_values_and_bad_choices(pair: Pair):
    write_config(
        pair.config,
        {
            "staging": context(pair.staging.url, "STAGING_TOKEN", **STAGING_VALUES),
            "prod": context(pair.prod.url, "PROD_TOKEN", datasources={"prometheus": "prom-prod"}),
        },
    )
    one_line_error(
        pair.run("promote", "--from", "staging", "--to", "prod"),
        "context staging maps variable job but prod does not: prod would get staging's value",
    )
    one_line_error(pair.run("promote", "--from", "staging", "--to", "staging"), "--from and --to are both 'staging'")
    one_line_error(pair.run("promote", "--from", "staging", "--to", "nowhere"), "unknown context 'nowhere'")
    one_line_error(pair.run("promote", "--from", "env", "--to", "prod"), "two named contexts")
    without_prod_token = dashsync("promote", "--from", "prod", "--to", "staging", env={**pair.env, "PROD_TOKEN": None})
    one_line_error(without_prod_token, "context prod: no credentials: env PROD_TOKEN (not set)")
    assert pair.staging.traffic.total == 0 and pair.prod.traffic.total == 0  # refused before any request
    one_line_error(pair.run("promote", "--from", "prod", "--to", "staging", "no-such-uid"), "no dashboard with uid")
