"""The provisioning YAML Grafana reads: one file provider per folder under dashsync's folder uid, datasources with
fixed uids."""

from __future__ import annotations

import yaml

from compiler.provisioning import DASHBOARDS_MOUNT, PROMETHEUS_DATASOURCE_UID
from dashsync.local import folder_uid
from generate.files import generated_files

FILES = generated_files()


def test_one_provider_per_folder_under_the_folder_uid_dashsync_manages():
    provider = yaml.safe_load(FILES["provisioning/dashboards.yml"])
    assert provider["apiVersion"] == 1
    folders = {path.split("/")[2] for path in FILES if path.startswith("provisioning/dashboards/")}
    assert folders == {"Overview", "Platform", "Infrastructure", "Business", "Security"}
    entries = provider["providers"]
    assert {e["folder"] for e in entries} == folders
    assert len({e["name"] for e in entries}) == len(entries), "Grafana refuses two providers of one name"
    for entry in entries:
        assert entry["type"] == "file" and entry["allowUiUpdates"] is False
        assert entry["folderUid"] == folder_uid((entry["folder"],)), "the folder dashsync derives for that title"
        # Grafana refuses foldersFromFilesStructure together with folder/folderUid (file_reader.go)
        assert entry["options"] == {"path": f"{DASHBOARDS_MOUNT}/{entry['folder']}"}


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
