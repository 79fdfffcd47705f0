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
