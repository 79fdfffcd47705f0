"""The linter reads a Grafana 12/13 dashboard resource as the classic dashboard it converts to, not as an object
without panels: a v2 export from the corpus is linted on its panels and queries."""

from __future__ import annotations

import json
from pathlib import Path

from lint import model

CORPUS = Path(__file__).resolve().parents[1] / "importer" / "corpus"


def test_a_v2_resource_is_linted_on_the_dashboard_it_holds() -> None:
    resource = json.loads((CORPUS / "jenkins-2026--jvm-internals.v2.json").read_text())
    assert resource["apiVersion"] == "dashboard.grafana.app/v2"
    dashboard = model.read(model.unwrap(resource))
    assert dashboard.raw["title"] == resource["spec"]["title"]
    assert len(dashboard.panels) >= len(resource["spec"]["elements"])
    assert not dashboard.problems


def test_a_resource_that_cannot_be_converted_is_linted_as_it_is() -> None:
    broken = {"apiVersion": "dashboard.grafana.app/v2beta1", "kind": "Dashboard", "spec": {"elements": []}}
    assert model.unwrap(broken) is broken


def test_a_v2_resource_of_a_shape_the_schema_does_not_allow_is_one_problem_not_a_crash() -> None:
    from grafana_json.resource_to_classic import ResourceProblem, classic_from_resource

    resource = json.loads((CORPUS / "jenkins-2026--jvm-internals.v2.json").read_text())
    resource["spec"]["layout"]["spec"] = [1, 2]
    try:
        classic_from_resource(resource)
    except ResourceProblem as exc:
        assert "shape the v2 schema does not allow" in str(exc)
    else:
        raise AssertionError("a layout spec that is a list was converted")
    assert model.unwrap(resource) is resource  # the linter then lints it as it is
