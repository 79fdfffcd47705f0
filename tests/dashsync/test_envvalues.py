"""Per-environment values: the datasource uid behind ${datasource} and variable defaults, set per context at
push time by a pure transform; the compiled JSON stays environment-free; diff and push --dry-run show them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from dashsync.envvalues import EnvValues, apply, unmapped, unused
from dashsync.local import load_dashboards

from .conftest import Target
from .environments import COMPILED, context, dashsync, one_line_error, tree, write_config

STAGING = {"datasources": {"prometheus": "prom-staging"}, "variables": {"job": "api-staging"}}
PROD = {"datasources": {"prometheus": "prom-prod"}, "variables": {"job": "api-prod"}}


def compiled() -> list[dict]:
    return [d.content for d in load_dashboards(COMPILED)]


def variable(dashboard: dict, name: str) -> dict:
    return next(v for v in dashboard["templating"]["list"] if v["name"] == name)


# ---------------------------------------------------------------------- the transform (pure)


def test_apply_sets_the_datasource_variable_and_defaults_and_leaves_the_input_alone():
    values = EnvValues.of({"prometheus": "prom-prod"}, {"job": "api-prod", "handler": ("a", "b")})
    for dashboard in compiled():
        before = copy.deepcopy(dashboard)
        mapped = apply(dashboard, values)
        assert dashboard == before  # pure: the compiled JSON is not touched
        assert variable(mapped, "datasource")["current"] == {
            "selected": True,
            "text": "prom-prod",
            "value": "prom-prod",
        }
        assert variable(mapped, "datasource")["query"] == "prometheus"  # still "any Prometheus", defaulting to prod's
        for panel in mapped["panels"]:
            if panel.get("datasource", {}).get("type") == "prometheus":
                assert panel["datasource"]["uid"] == "${datasource}"  # queries still read the variable
        if dashboard["uid"] == "anonymeme-api":
            assert variable(mapped, "job")["current"]["value"] == "api-prod"
            assert variable(mapped, "handler")["current"]["value"] == ["a", "b"]


def test_apply_over_another_context_equals_apply_to_the_code():
    staging = EnvValues.of(STAGING["datasources"], STAGING["variables"])
    prod = EnvValues.of(PROD["datasources"], PROD["variables"])
    for dashboard in compiled():
        assert apply(apply(dashboard, staging), prod) == apply(dashboard, prod)
    assert unmapped(staging, prod) == []
    assert unmapped(staging, EnvValues.of(PROD["datasources"], {})) == ["variable job"]


def test_constant_and_textbox_variables_carry_their_value_in_the_query():
    dashboard = {
        "uid": "u",
        "templating": {
            "list": [
                {"name": "env", "type": "constant", "query": "dev", "current": {}},
                {"name": "filter", "type": "textbox", "query": "", "current": {}},
            ]
        },
    }
    mapped = apply(dashboard, EnvValues.of({}, {"env": "prod", "filter": "x"}))
    assert [(v["query"], v["current"]["value"]) for v in mapped["templating"]["list"]] == [("prod", "prod"), ("x", "x")]


def test_a_mapping_no_dashboard_uses_is_found():
    values = EnvValues.of({"prometheus": "p", "loki": "l"}, {"job": "j", "jbo": "typo"})
    assert unused(compiled(), values) == ["datasource loki", "variable jbo"]


# ---------------------------------------------------------------------- against Grafana


@pytest.fixture
def config(tmp_path: Path, grafana: Target) -> dict[str, str | None]:
    """staging and prod: the same Grafana under two contexts with different values (one server suffices here)."""
    token_env = {"T": grafana.token}
    path = write_config(
        tmp_path / "dashsync.yml",
        {"staging": context(grafana.url, "T", **STAGING), "prod": context(grafana.url, "T", **PROD)},
    )
    return {**token_env, "DASHSYNC_CONFIG": str(path), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}


@pytest.mark.emulator_only  # write counters
def test_push_writes_each_contexts_values_and_leaves_the_compiled_json_alone(grafana: Target, config):
    before = tree(COMPILED)
    dry = dashsync("--context", "staging", "push", "--dry-run", "--dir", str(COMPILED), env=config)
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[0] == (
        "values of context staging: datasource variables of type prometheus = prom-staging, $job = api-staging"
    )
    assert grafana.writes == 0
    assert dashsync("--context", "staging", "push", "--dir", str(COMPILED), env=config).exit_code == 0
    stored = grafana.emulator.state.orgs[1].dashboards
    for uid in ("anonymeme-api", "anonymeme-security", "anonymeme-business"):
        assert variable(stored[uid].data, "datasource")["current"]["value"] == "prom-staging"
    assert variable(stored["anonymeme-api"].data, "job")["current"]["value"] == "api-staging"
    assert tree(COMPILED) == before  # provisioning/ stays environment-free
    # a second push recognises its own write: nothing to do
    writes = grafana.writes
    again = dashsync("--context", "staging", "push", "--dir", str(COMPILED), env=config)
    assert again.exit_code == 0 and "nothing to write" in again.output and grafana.writes == writes


@pytest.mark.emulator_only  # write counters
def test_dry_run_and_diff_show_the_mapped_values(grafana: Target, config):
    assert dashsync("--context", "staging", "push", "--dir", str(COMPILED), env=config).exit_code == 0
    writes = grafana.writes
    dry = dashsync("--context", "prod", "push", "--dry-run", "--dir", str(COMPILED), "--json", env=config)
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.output)
    assert report["values"] == PROD and report["plan"]["counts"]["update"] == 5
    api = next(s for s in report["plan"]["steps"] if s["uid"] == "anonymeme-api")
    assert "templating.list.datasource.current.value changed from 'prom-staging' to 'prom-prod'" in api["changes"]
    assert "templating.list.job.current.value changed from 'api-staging' to 'api-prod'" in api["changes"]
    assert grafana.writes == writes
    same = dashsync("--context", "staging", "diff", "--dir", str(COMPILED), env=config)
    assert same.exit_code == 0, same.output
    assert same.output == "no differences between live and code with context staging's values\n"
    other = dashsync("--context", "prod", "diff", "--dir", str(COMPILED), env=config)
    assert other.exit_code == 1
    assert "datasource.current.value changed from 'prom-staging' to 'prom-prod'" in other.output
    # without a context the code is compared as compiled: the defaults of provisioning/ differ from staging's
    plain = grafana.dashsync("diff", "--dir", str(COMPILED), env={"DASHSYNC_CONFIG": config["DASHSYNC_CONFIG"]})
    assert plain.exit_code == 1 and "changed from 'prom-staging' to 'Prometheus'" in plain.output


@pytest.mark.emulator_only  # write counters
def test_a_mapping_no_dashboard_has_is_said_before_the_plan(grafana: Target, tmp_path):
    typo = {"datasources": {"prometheus": "prom-prod"}, "variables": {"jbo": "api-prod"}}
    path = write_config(tmp_path / "dashsync.yml", {"prod": context(grafana.url, "T", **typo)})
    env = {"T": grafana.token, "DASHSYNC_CONFIG": str(path), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    dry = dashsync("--context", "prod", "push", "--dry-run", "--dir", str(COMPILED), env=env)
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[1] == (
        "note: context prod maps variable jbo, which none of these dashboards has (a typo, or renamed in code?)"
    )
    assert grafana.writes == 0


@pytest.mark.emulator_only  # write counters
def test_a_value_that_is_not_a_uid_is_refused_before_anything_is_read(grafana: Target, tmp_path):
    path = write_config(
        tmp_path / "dashsync.yml",
        {"bad": context(grafana.url, "T", datasources={"prometheus": "has space"})},
    )
    result = dashsync("--config", str(path), "--context", "bad", "push", env={"T": grafana.token})
    one_line_error(result, "contexts.bad.datasources.prometheus: 'has space' is not a datasource uid")
