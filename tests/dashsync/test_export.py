"""Resource files for Grafana 13's tooling: `dashsync export` and `python -m dashboards build --format resource`
write each compiled dashboard as a `dashboard.grafana.app/v1beta1` Dashboard; the files are what the resource
API accepts (POSTed as written, read back the same), the two commands agree byte for byte, and a context's
values are applied only when one is named."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grafana_json.folders import folder_uid
from grafana_json.resource import ANNO_FOLDER, API_VERSION

from .conftest import Target
from .environments import COMPILED, REPO, context, dashsync, one_line_error, tree, write_config

DASHBOARDS = "/dashboard.grafana.app/v1beta1/dashboards"
FOLDERS = "/folder.grafana.app/v1beta1/folders"


def exported(tmp_path: Path, *args: str, env: dict[str, str | None] | None = None) -> Path:
    out = tmp_path / "resources"
    result = dashsync(*args, "export", "--dir", str(COMPILED), "--out", str(out), env=env)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("exported 5 dashboard(s) as resource files"), result.output
    return out


def test_the_files_are_resources_the_api_accepts_as_written(grafana_resources: Target, tmp_path: Path):
    out = exported(tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    files = sorted(out.rglob("*.json"))
    assert [p.relative_to(out).as_posix() for p in files] == sorted(
        p.relative_to(COMPILED).as_posix() for p in COMPILED.rglob("*.json")
    )
    for path in files:
        resource = json.loads(path.read_text())
        classic = json.loads((COMPILED / path.relative_to(out)).read_text())
        folder = tuple(path.relative_to(out).parts[:-1])
        assert resource["apiVersion"] == API_VERSION and resource["kind"] == "Dashboard"
        assert resource["metadata"] == {"name": classic["uid"], "annotations": {ANNO_FOLDER: folder_uid(folder)}}
        assert resource["spec"] == {k: v for k, v in classic.items() if k not in ("id", "uid", "version")}
        # the folder the annotation names, then the file itself, as a tool that reads it would send it
        made = grafana_resources.apis(
            "POST", FOLDERS, json={"metadata": {"name": folder_uid(folder)}, "spec": {"title": folder[-1]}}
        )
        assert made.status_code in (200, 201, 409), made.text  # 409: two dashboards share the folder
        answer = grafana_resources.apis("POST", DASHBOARDS, json=resource)
        assert answer.status_code in (200, 201), answer.text
        back = grafana_resources.apis("GET", f"{DASHBOARDS}/{classic['uid']}").json()
        assert back["metadata"]["name"] == classic["uid"]
        assert back["metadata"]["annotations"][ANNO_FOLDER] == folder_uid(folder)
        assert back["spec"] == resource["spec"]
        legacy = grafana_resources.api("GET", f"/dashboards/uid/{classic['uid']}").json()
        assert legacy["meta"]["folderUid"] == folder_uid(folder) and legacy["dashboard"]["title"] == classic["title"]


def test_build_format_resource_writes_the_same_files(tmp_path: Path):
    out = exported(tmp_path, env={"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    built = tmp_path / "built"
    done = subprocess.run(
        [sys.executable, "-m", "dashboards", "build", "--format", "resource", "--out", str(built)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("5 files built, 5 changed"), done.stdout
    assert tree(built) == tree(out)


def test_a_context_exports_its_values_and_bad_targets_are_refused(tmp_path: Path):
    config = write_config(
        tmp_path / "dashsync.yml",
        {"prod": context("http://127.0.0.1:9", "PROD_TOKEN", datasources={"prometheus": "prom-prod"})},
    )
    env = {"DASHSYNC_CONFIG": str(config), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}  # no token: none is read
    out = exported(tmp_path, "--context", "prod", env=env)
    api = json.loads((out / "Platform" / "anonymeme-api.json").read_text())
    variable = next(v for v in api["spec"]["templating"]["list"] if v["name"] == "datasource")
    assert variable["current"]["value"] == "prom-prod"
    before = tree(tmp_path)
    again = dashsync("export", "--dir", str(COMPILED), "--out", str(out), env=env)
    one_line_error(again, "already exists: export writes a new directory")
    one_line_error(dashsync("--context", "nope", "export", "--out", str(tmp_path / "x"), env=env), "unknown context")
    assert tree(tmp_path) == before
