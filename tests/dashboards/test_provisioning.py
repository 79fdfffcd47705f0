"""The provisioning YAML Grafana reads: one file provider with folders from the tree, datasources with fixed uids."""

from __future__ import annotations

import yaml

from dashboards.output import generated_files
from dashboards.provisioning import DASHBOARDS_MOUNT, PROMETHEUS_DATASOURCE_UID

FILES = generated_files()


def test_dashboard_provider_reads_the_compiled_tree_with_folders_from_directories():
    provider = yaml.safe_load(FILES["provisioning/dashboards.yml"])
    assert provider["apiVersion"] == 1
    [entry] = provider["providers"]
    assert entry["type"] == "file"
    assert entry["options"] == {"path": DASHBOARDS_MOUNT, "foldersFromFilesStructure": True}
    assert "folder" not in entry and "folderUid" not in entry, "foldersFromFilesStructure needs them empty"
    folders = {path.split("/")[2] for path in FILES if path.startswith("provisioning/dashboards/")}
    assert folders == {"Overview", "Platform", "Infrastructure", "Business", "Security"}


def test_datasources_have_fixed_uids_and_take_secrets_only_from_the_environment():
    sources = {d["name"]: d for d in yaml.safe_load(FILES["provisioning/datasources/datasources.yml"])["datasources"]}
    assert set(sources) == {"Prometheus", "Alertmanager", "Jaeger", "Elasticsearch"}
    prometheus = sources["Prometheus"]
    assert prometheus["uid"] == PROMETHEUS_DATASOURCE_UID and prometheus["isDefault"] is True
    assert prometheus["basicAuth"] is True and prometheus["basicAuthUser"].startswith("$")
    for source in sources.values():
        for value in source.get("secureJsonData", {}).values():
            assert value.startswith("$"), f"{source['name']}: a secret must be an environment reference"
    assert [d["type"] for d in sources.values()] == ["prometheus", "alertmanager", "jaeger", "elasticsearch"]


def test_dashboards_default_to_the_provisioned_prometheus_by_name():
    for path, text in FILES.items():
        if path.endswith(".json") and path.startswith("provisioning/dashboards/"):
            assert '"name": "datasource"' in text and '"query": "prometheus"' in text, path
