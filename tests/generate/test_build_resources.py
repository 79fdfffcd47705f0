"""`python -m dashboards build --format resource --out DIR`: the dashboards as v1beta1 resource files, DIR kept
in step in place (a dropped dashboard's file removed, nothing else touched), the repository never written.
That the files are what Grafana's resource API accepts is tests/dashsync/test_export.py's (against the emulator)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import generate.cli as cli_module
from generate.files import generated_files
from generate.resources import resource_files
from grafana_json.resource import API_VERSION
from tests.generate.repo_copy import tree

ROOT = Path(__file__).resolve().parents[2]


def build(*args: str):
    return CliRunner().invoke(cli_module.cli, ["build", *args], catch_exceptions=False)


def test_resource_files_are_the_compiled_dashboards_and_nothing_else():
    files = generated_files()
    resources = resource_files(files)
    compiled = {rel for rel in files if rel.startswith("provisioning/dashboards/") and rel.endswith(".json")}
    assert sorted(resources) == sorted(rel.removeprefix("provisioning/dashboards/") for rel in compiled)
    for rel, text in resources.items():
        document = json.loads(text)
        classic = json.loads(files[f"provisioning/dashboards/{rel}"])
        assert document["apiVersion"] == API_VERSION and document["metadata"]["name"] == classic["uid"]
        assert text.endswith("}\n") and "\n  " in text  # export style, as every JSON file the project writes


def test_out_is_kept_in_step_in_place_and_the_repository_is_not_written(tmp_path: Path):
    out = tmp_path / "resources"
    repo_before = tree(ROOT / "provisioning")
    first = build("--format", "resource", "--out", str(out))
    assert first.exit_code == 0, first.output
    written = tree(out)
    assert len(written) == 5
    # a dashboard the build no longer produces, and a file that is not a dashboard resource
    (out / "Gone").mkdir()
    (out / "Gone" / "old.json").write_text(json.dumps({"apiVersion": API_VERSION, "kind": "Dashboard"}))
    (out / "README.md").write_text("ours\n")
    (out / "folder.json").write_text('{"kind": "Folder"}\n')
    dry = build("--format", "resource", "--out", str(out), "--dry-run")
    assert dry.exit_code == 0 and "delete Gone/old.json" in dry.output and (out / "Gone" / "old.json").exists()
    again = build("--format", "resource", "--out", str(out))
    assert again.exit_code == 0, again.output
    assert again.output.splitlines() == ["delete Gone/old.json", "5 files built, 1 changed"]
    assert not (out / "Gone").exists()
    kept = tree(out)
    assert kept.pop("README.md") and kept.pop("folder.json") and kept == written
    assert (out / "README.md").read_text() == "ours\n" and (out / "folder.json").read_text() == '{"kind": "Folder"}\n'
    assert tree(ROOT / "provisioning") == repo_before


def test_format_and_out_go_together(tmp_path: Path):
    for args in (["--out", str(tmp_path / "r")], ["--format", "resource"]):
        result = CliRunner().invoke(cli_module.cli, ["build", *args], catch_exceptions=False)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.splitlines() == [
            "error: --format resource and --out DIR go together (resource files are written to DIR)"
        ]
    assert list(tmp_path.iterdir()) == []
