"""The five compiled dashboards are what Grafana itself exports, and valid against its published schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from compiler.canonical import LEGACY_DASHBOARD_KEYS, LEGACY_PANEL_KEYS, LEGACY_TARGET_KEYS
from compiler.compile import compile_all
from dashboards.registry import DASHBOARDS
from grafana_json import schema
from grafana_json.serialise import serialise
from grafana_json.walk import dashboard_panels

ROOT = Path(__file__).resolve().parents[2]
COMPILED = {c.uid: c for c in compile_all(DASHBOARDS)}
EXPECTED_UIDS = {
    "anonymeme-system-overview",
    "anonymeme-api",
    "anonymeme-infrastructure",
    "anonymeme-business",
    "anonymeme-security",
}


def _load(uid: str) -> dict:
    return json.loads(COMPILED[uid].text)


def test_the_five_dashboards_are_built_with_stable_uids():
    assert set(COMPILED) == EXPECTED_UIDS


@pytest.mark.parametrize("uid", sorted(EXPECTED_UIDS))
def test_validates_against_grafana_schema_with_an_independent_validator(uid):
    """jsonschema (pure Python) as a second opinion on what jsonschema-rs accepted at compile time."""
    dash = _load(uid)
    jsonschema.Draft7Validator(schema.load("dashboard")).validate(dash)
    for panel in dashboard_panels(dash):
        if panel["type"] in schema.PANEL_SCHEMAS:
            definitions = schema.load(schema.PANEL_SCHEMAS[panel["type"]])
            jsonschema.Draft7Validator({**definitions, "$ref": "#/definitions/Options"}).validate(panel["options"])
            custom = panel.get("fieldConfig", {}).get("defaults", {}).get("custom")
            if custom is not None and "FieldConfig" in definitions["definitions"]:
                jsonschema.Draft7Validator({**definitions, "$ref": "#/definitions/FieldConfig"}).validate(custom)
        for target in panel.get("targets", []):
            jsonschema.Draft7Validator({**schema.load("prometheus"), "$ref": "#/definitions/Dataquery"}).validate(
                target
            )


def _nulls(node, path=""):
    if node is None:
        yield path
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _nulls(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _nulls(v, f"{path}/{i}")


@pytest.mark.parametrize("uid", sorted(EXPECTED_UIDS))
def test_grafana_export_shape(uid):
    dash = _load(uid)
    assert dash["schemaVersion"] == 42
    assert not LEGACY_DASHBOARD_KEYS & dash.keys()
    # The only null Grafana writes: the base threshold step.
    for path in _nulls(dash):
        assert path.endswith("/thresholds/steps/0/value"), path
    assert dash["templating"]["list"][0]["name"] == "datasource"
    ids = [p["id"] for p in dashboard_panels(dash)]
    assert ids == list(range(1, len(ids) + 1)), "panel ids follow layout order"
    for panel in dashboard_panels(dash):
        assert not LEGACY_PANEL_KEYS & panel.keys(), panel["title"]
        if panel["type"] == "row":
            continue
        assert panel["title"] and panel["description"], panel
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
        if panel["type"] == "heatmap":
            unit = panel["options"]["yAxis"]["unit"]
        if panel["type"] != "text":
            assert unit in schema.known_units(), (panel["title"], unit)
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        ref_ids = [t["refId"] for t in panel.get("targets", [])]
        assert ref_ids == ["ABCDEFGHIJ"[i] for i in range(len(ref_ids))]
        for target in panel.get("targets", []):
            assert target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert not LEGACY_TARGET_KEYS & target.keys()


def test_serialisation_is_canonical_text():
    for compiled in COMPILED.values():
        text = compiled.text
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert serialise(json.loads(text)) == text, "serialising the parsed text again changes nothing"
        assert list(json.loads(text)) == sorted(json.loads(text)), "keys are sorted"
        assert text.splitlines()[1].startswith('  "'), "2-space indent"


def test_building_twice_gives_identical_bytes():
    again = {c.uid: c.text for c in compile_all(DASHBOARDS)}
    assert again == {uid: c.text for uid, c in COMPILED.items()}


def test_committed_provisioning_matches_the_sources():
    for compiled in COMPILED.values():
        assert (ROOT / compiled.path).read_text() == compiled.text, f"{compiled.path} is stale: make dashboards"
