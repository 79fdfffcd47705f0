"""The bundled stack and dashsync agree: the README's dashsync flow, run as written, against the emulator started
as compose/docker-compose.yml's Grafana (its provisioning files, port and credentials), on every version profile.

The model (docs/dashsync.md): the stack's Grafana provisions the five dashboards from files, one provider per
folder under the folder uid dashsync derives, so no second set of folders appears; dashsync treats
file-provisioned dashboards as owned by the files and writes nothing to them.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashsync.cli import main
from dashsync.local import folder_uid
from tests.grafana_emulator import Emulator
from tests.grafana_emulator.provisioning import Provisioner, from_compose

REPO = Path(__file__).resolve().parents[2]
README_FLOW = re.compile(r"<!-- readme-flow:[^>]*-->\n```sh\n(.*?)```\n<!-- /readme-flow -->", re.S)
FOLDERS = ("Overview", "Platform", "Infrastructure", "Business", "Security")

pytestmark = pytest.mark.emulator_only


def stack_env() -> dict[str, str]:
    """compose/.env as a user makes it from .env.example: every change-me set."""
    env = {}
    for line in (REPO / "compose" / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            env[key.strip()] = f"pw-{secrets.token_hex(6)}" if value.strip() == "change-me" else value.strip()
    return env


@pytest.fixture(params=[11, 12, 13], ids=lambda m: f"grafana{m}")
def bundled(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Emulator, dict[str, str], Path]]:
    """A copy of the repository's compose/ and provisioning/, and the emulator started from it."""
    for part in ("compose", "provisioning"):
        shutil.copytree(REPO / part, tmp_path / part, symlinks=True)
    env = stack_env()
    stack = from_compose(tmp_path / "compose" / "docker-compose.yml", env)
    with Emulator(
        admin_user=stack.admin_user, admin_password=stack.admin_password, port=stack.port, grafana=request.param
    ) as grafana:
        grafana.provisioner = grafana.provision(stack.mounts, {**env, **stack.environment})
        yield grafana, env, tmp_path


def test_the_stack_provisions_its_folders_under_dashsyncs_uids(bundled) -> None:
    grafana, _, _ = bundled
    org = grafana.state.orgs[1]
    assert {f.uid: f.title for f in org.folders.values()} == {folder_uid((t,)): t for t in FOLDERS}
    assert len(org.dashboards) == 5 and all(d.refuses_api_writes for d in org.dashboards.values())
    assert grafana.url.endswith(":3030")  # the port compose publishes


def test_the_readme_flow_runs_as_written(bundled) -> None:
    grafana, env, workdir = bundled
    [flow] = README_FLOW.findall((REPO / "README.md").read_text())
    (workdir / "compose" / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    os.symlink(REPO / ".venv", workdir / ".venv")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFANA_", "DASHSYNC_"))}
    with Emulator(
        admin_user=env["GRAFANA_ADMIN_USER"],
        admin_password=env["GRAFANA_ADMIN_PASSWORD"],
        port=3031,
        grafana=grafana.profile,
    ) as empty:
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", flow],
            cwd=workdir,
            env=clean,
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output
        assert "nothing to write" in output and "5 provisioned" in output
        assert "0 create, 0 update, 0 unchanged, 0 conflict, 0 delete, 0 keep, 5 provisioned, 0 folder(s)" in output
        assert "no dashboard differs" in output
        assert "backup written to backups/grafana-today" in output
        assert "restored:" in output
        assert env["GRAFANA_ADMIN_PASSWORD"] not in output and env["PROMETHEUS_PASSWORD"] not in output
        folders = {f.uid: f.title for f in empty.state.orgs[1].folders.values()}
        assert folders == {folder_uid((t,)): t for t in FOLDERS}, "no stray folder"
        assert sorted(empty.state.orgs[1].dashboards) == sorted(grafana.state.orgs[1].dashboards)
    assert len(grafana.state.orgs[1].folders) == 5 and grafana.traffic.writes == 0  # the stack: nothing written


def test_a_changed_file_is_reported_and_grafana_reloads_it(bundled) -> None:
    grafana, env, workdir = bundled
    path = workdir / "provisioning" / "dashboards" / "Platform" / "anonymeme-api.json"
    path.write_text(path.read_text().replace('"refresh": "30s"', '"refresh": "1m"'))
    auth = {
        "GRAFANA_URL": grafana.url,
        "GRAFANA_USER": env["GRAFANA_ADMIN_USER"],
        "GRAFANA_PASSWORD": env["GRAFANA_ADMIN_PASSWORD"],
        "GRAFANA_TOKEN": None,
    }
    dashboards = str(workdir / "provisioning" / "dashboards")
    push = CliRunner().invoke(main, ["push", "--dir", dashboards], env=auth)
    assert push.exit_code == 0, push.output
    assert "provisioned API (anonymeme-api) in Platform: file changed; Grafana reloads it" in push.output
    assert "refresh changed from '30s' to '1m'" in push.output and grafana.traffic.writes == 0
    provisioner: Provisioner = grafana.provisioner
    provisioner.reload()  # the provider's next polling pass
    again = CliRunner().invoke(main, ["push", "--dir", dashboards], env=auth)
    assert again.exit_code == 0 and "file changed" not in again.output, again.output


def test_grafana_refuses_api_writes_to_a_provisioned_dashboard(bundled) -> None:
    grafana, env, _ = bundled
    import niquests

    auth = (env["GRAFANA_ADMIN_USER"], env["GRAFANA_ADMIN_PASSWORD"])
    found = niquests.get(f"{grafana.url}/api/dashboards/uid/anonymeme-api", auth=auth).json()
    assert found["meta"]["provisioned"] is True and found["meta"]["provisionedExternalId"] == "anonymeme-api.json"
    body = {"dashboard": {**found["dashboard"], "title": "edited"}, "folderUid": found["meta"]["folderUid"]}
    saved = niquests.post(f"{grafana.url}/api/dashboards/db", json=body, auth=auth)
    assert (saved.status_code, saved.json()["message"]) == (400, "Cannot save provisioned dashboard")
    stale = niquests.post(
        f"{grafana.url}/api/dashboards/db", auth=auth, json={**body, "dashboard": {**body["dashboard"], "version": 999}}
    )
    # 13 checks "provisioned" first (saveDashboardViaK8s); 11 and 12 the version first
    assert stale.status_code == (400 if grafana.profile.major >= 13 else 412)
    gone = niquests.delete(f"{grafana.url}/api/dashboards/uid/anonymeme-api", auth=auth)
    assert (gone.status_code, gone.json()["message"]) == (400, "provisioned dashboard cannot be deleted")
    if grafana.profile.serves_resources:
        url = f"{grafana.url}/apis/dashboard.grafana.app/v1beta1/namespaces/default/dashboards/anonymeme-api"
        item = niquests.get(url, auth=auth).json()
        assert item["metadata"]["annotations"]["grafana.app/managedBy"] == "classic-file-provisioning"
        assert niquests.delete(url, auth=auth).status_code == 400


def test_the_documented_demo_starts_as_the_bundled_stack(tmp_path: Path) -> None:
    """docs/dashsync.md's demo, as written: the emulator started from the compose file reads compose/.env."""
    import niquests

    for part in ("compose", "provisioning"):
        shutil.copytree(REPO / part, tmp_path / part, symlinks=True)
    env = stack_env()
    (tmp_path / "compose" / ".env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    command = ".venv/bin/python -m tests.grafana_emulator --grafana 13 --compose compose/docker-compose.yml"
    assert command in (REPO / "docs" / "dashsync.md").read_text().replace("\n", " ")
    os.symlink(REPO / ".venv", tmp_path / ".venv")
    os.symlink(REPO / "tests", tmp_path / "tests")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFANA_", "PROMETHEUS_", "ELASTIC_"))}
    proc = subprocess.Popen(command.split(), cwd=tmp_path, env=clean, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()
        assert "Grafana 13.2.0 emulator listening on http://127.0.0.1:3030" in line, line
        auth = (env["GRAFANA_ADMIN_USER"], env["GRAFANA_ADMIN_PASSWORD"])
        found = niquests.get("http://127.0.0.1:3030/api/dashboards/uid/anonymeme-api", auth=auth, timeout=10).json()
        assert found["meta"]["provisioned"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
