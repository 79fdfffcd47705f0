"""Dashboard resources as Grafana 12/13 export them (issue #16): a v1 resource wraps classic JSON in `spec`; a v2
resource has `spec.elements` placed by `spec.layout`. The fixtures (tests/importer/fixtures/resources) are written
in the v2beta1 shape of apps/dashboard/pkg/apis/dashboard/v2beta1; the expected positions follow Grafana's own
conversion to classic JSON (apps/dashboard/pkg/migration/conversion/v2beta1_to_v2alpha1.go, then
v2alpha1_to_v1beta1.go: `convertGridLayoutToPanels`, `processRowItem`, `processTabItem`,
`convertAutoGridLayoutToPanelsWithOffset`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grafana_json.resource_to_classic import ResourceProblem, v2_to_classic
from tests.importer.helpers import compile_module, import_file

RESOURCES = Path(__file__).parent / "fixtures" / "resources"
FIXTURES = Path(__file__).parent / "fixtures"


def _compiled(name: str, tmp_path: Path) -> dict[str, Any]:
    module = name.replace("-", "_")
    import_file(RESOURCES / f"{name}.json", module, tmp_path)
    return json.loads(compile_module(tmp_path / f"{module}.py", module))


def _layout(compiled: dict[str, Any]) -> list[tuple[str, str, tuple[int, ...]]]:
    out = []
    for panel in compiled["panels"]:
        pos = panel["gridPos"]
        out.append((panel["type"], panel["title"], (pos["x"], pos["y"], pos["w"], pos["h"])))
        for child in panel.get("panels") or []:
            cpos = child["gridPos"]
            out.append(("  " + child["type"], child["title"], (cpos["x"], cpos["y"], cpos["w"], cpos["h"])))
    return out


def test_a_v1_resource_imports_like_the_classic_json_it_wraps(tmp_path) -> None:
    """v1beta1: the spec is the classic dashboard; metadata.name is the uid."""
    from_resource = _compiled("v1beta1-classic", tmp_path)
    import_file(FIXTURES / "10-api-wrapper.json", "classic", tmp_path)
    classic = json.loads(compile_module(tmp_path / "classic.py", "classic"))
    assert from_resource == classic


def test_a_v2_grid_layout_keeps_each_items_position(tmp_path) -> None:
    compiled = _compiled("v2beta1-grid", tmp_path)
    assert compiled["uid"] == "v2-grid"  # metadata.name
    assert _layout(compiled) == [
        ("timeseries", "Request rate", (0, 0, 12, 8)),
        ("stat", "Errors", (12, 0, 12, 8)),
        ("timeseries", "Latency", (0, 8, 16, 8)),
        ("stat", "Up", (16, 8, 8, 8)),
    ]
    # convertDashboardSpec_V2alpha1_to_V1beta1: cursorSync, time settings, tags
    assert compiled["graphTooltip"] == 1 and compiled["refresh"] == "30s" and compiled["tags"] == ["http"]
    assert compiled["time"] == {"from": "now-1h", "to": "now"}
    first = compiled["panels"][0]
    assert first["fieldConfig"]["defaults"]["unit"] == "reqps"
    assert first["targets"][0]["expr"] == "sum(rate(http_requests_total[5m]))"
    assert first["targets"][0]["legendFormat"] == "rps"
    assert first["targets"][0]["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_v2_variables_become_classic_variables(tmp_path) -> None:
    """convertQueryVariableToV1: enums back to numbers (refresh onTimeRangeChanged = 2, sort alphabeticalAsc = 1),
    the legacy string query back to a string."""
    variables = {v["name"]: v for v in _compiled("v2beta1-grid", tmp_path)["templating"]["list"]}
    job = variables["job"]
    assert job["type"] == "query" and job["query"] == "label_values(up, job)"
    assert job["refresh"] == 2 and job["sort"] == 1 and job["multi"] is True and job["includeAll"] is True
    assert variables["datasource"]["query"] == "prometheus"


def test_v2_rows_become_row_panels_and_a_collapsed_row_holds_its_panels(tmp_path) -> None:
    """processRowItem: a row panel at the running y; an expanded row's items at item.y + (y after the row) - 1;
    the next row after the lowest panel; a collapsed row's items inside it at item.y + its y + 1."""
    assert _layout(_compiled("v2beta1-rows", tmp_path)) == [
        ("row", "Traffic", (0, 0, 24, 1)),
        ("timeseries", "Request rate", (0, 0, 12, 8)),
        ("stat", "Errors", (12, 0, 12, 8)),
        ("row", "Latency", (0, 8, 24, 1)),
        ("  timeseries", "Latency", (0, 9, 16, 8)),
        ("  stat", "Up", (16, 9, 8, 8)),
    ]


def test_v2_tabs_become_expanded_rows_and_an_auto_grid_is_laid_out(tmp_path) -> None:
    """processTabItem: each tab an expanded row, its grid items below it; an AutoGridLayout inside a tab:
    24 / maxColumnCount (2 -> 12) wide, `short` rows 5 high, left to right."""
    assert _layout(_compiled("v2beta1-tabs", tmp_path)) == [
        ("row", "Traffic", (0, 0, 24, 1)),
        ("timeseries", "Request rate", (0, 1, 12, 8)),
        ("stat", "Errors", (12, 1, 12, 8)),
        ("row", "Latency", (0, 9, 24, 1)),
        ("timeseries", "Latency", (0, 10, 12, 5)),
        ("stat", "Up", (12, 10, 12, 5)),
    ]


def test_a_v2_auto_grid_wraps_at_max_column_count(tmp_path) -> None:
    """convertAutoGridLayoutToPanels: 3 columns of 8, `standard` rows 9 high, wrapping after the third."""
    assert [pos for _, _, pos in _layout(_compiled("v2beta1-autogrid", tmp_path))] == [
        (0, 0, 8, 9),
        (8, 0, 8, 9),
        (16, 0, 8, 9),
        (0, 9, 8, 9),
    ]


def test_a_v2_layout_naming_a_missing_element_is_refused() -> None:
    spec = json.loads((RESOURCES / "v2beta1-grid.json").read_text())["spec"]
    del spec["elements"]["panel-4"]
    with pytest.raises(ResourceProblem, match="panel-4"):
        v2_to_classic(spec)


def test_an_element_no_layout_places_is_left_out_and_said_so() -> None:
    """v2alpha1_to_v1beta1.go `convertPanelsFromElementsAndLayout` walks the layout: Grafana never converts
    (nor draws) an element no item names."""
    spec = json.loads((RESOURCES / "v2beta1-grid.json").read_text())["spec"]
    placed, _ = v2_to_classic(spec)
    name = spec["layout"]["spec"]["items"].pop()["spec"]["element"]["name"]
    dashboard, notes = v2_to_classic(spec)
    assert len(dashboard["panels"]) == len(placed["panels"]) - 1
    assert notes == (f"left out elements no layout item places (Grafana does not draw them): {name}",)


def test_a_v2_resource_exported_as_yaml_imports_like_its_json(tmp_path) -> None:
    """Grafana 12/13's export drawer writes a resource as JSON or YAML; the corpus has one dashboard both ways."""
    from importer.source import read

    corpus = Path(__file__).parent / "corpus"
    from_yaml, notes = read(corpus / "jenkins-2026--node-autoprovisioning.v2.yaml")
    from_json, _ = read(corpus / "jenkins-2026--node-autoprovisioning.v2.json")
    assert from_yaml == from_json and len(from_json["panels"]) > 5
    assert "read as YAML: a dashboard resource" in notes


def test_yaml_that_is_not_a_dashboard_resource_is_still_refused(tmp_path) -> None:
    from importer.source import ImportFailure, read

    provisioning = tmp_path / "dashboards.yaml"
    provisioning.write_text("apiVersion: 1\nproviders:\n  - name: x\n    options: {path: /d}\n")
    with pytest.raises(ImportFailure, match="provisioning file"):
        read(provisioning)
    other = tmp_path / "board.yaml"
    other.write_text("title: t\npanels: []\n")
    with pytest.raises(ImportFailure, match="YAML, not a dashboard JSON export"):
        read(other)
