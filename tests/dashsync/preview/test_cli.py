"""`dashsync preview`'s bad inputs: one line on stderr, exit 2, nothing written (docs/bad-inputs.md's promise).

Unreachable Prometheus is a real closed port on 127.0.0.1; a Prometheus that rejects a query is the native stack
(tests/dashsync/preview/test_browser.py shows that error drawn in its panel, the command still succeeding).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dashsync.cli import main
from localstack import stack as st
from localstack.process import free_port

FEATURES = Path(__file__).parent / "fixtures" / "features.json"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["preview", *args])


def _one_line_exit_2(result: Result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dashsync preview: error: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]
    return lines[0]


def test_an_unreachable_prometheus(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = _run(str(FEATURES), "--prometheus", url, "--output-dir", str(tmp_path / "out"))
    _one_line_exit_2(result, "cannot reach Prometheus at", url)
    assert not (tmp_path / "out").exists()


def test_no_prometheus_and_no_native_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .stack/state.json here
    monkeypatch.delenv("DASHSYNC_PROMETHEUS", raising=False)
    result = _run(str(FEATURES), "--output-dir", "out")
    _one_line_exit_2(result, "make stack-local", "--prometheus")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("definition.py", "from dashboards.common import dashboard\n", "not JSON at all"),
        ("envelope.json", json.dumps({"dashboard": {"uid": "x", "panels": []}, "meta": {}}), "API envelope"),
        ("grafanalib.json", json.dumps({"title": "t", "rows": [{"panels": []}]}), "old `rows` layout"),
        ("nogrid.json", json.dumps({"uid": "x", "schemaVersion": 41, "panels": [{"type": "stat"}]}), "no gridPos"),
    ],
)
def test_a_file_that_is_not_compiled_output(tmp_path: Path, name: str, content: str, reason: str) -> None:
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    result = _run(str(bad), "--prometheus", f"http://127.0.0.1:{free_port()}", "--output-dir", str(tmp_path / "out"))
    _one_line_exit_2(result, str(bad), "not compiled dashboard JSON", reason)
    assert not (tmp_path / "out").exists()


def test_usage_mistakes_against_a_real_prometheus(local_stack: st.Stack, tmp_path: Path) -> None:
    url = local_stack.prometheus_url
    out = tmp_path / "out"
    _one_line_exit_2(_run(str(FEATURES), "--prometheus", url, "--var", "nope=1", "--output-dir", str(out)), "nope")
    _one_line_exit_2(_run(str(FEATURES), "--prometheus", url, "--var", "shard", "--output-dir", str(out)), "name=value")
    _one_line_exit_2(
        _run(str(FEATURES), "--prometheus", url, "--from", "now", "--to", "now-1h", "--output-dir", str(out))
    )
    _one_line_exit_2(_run(str(FEATURES), "--prometheus", url + "/nothing-here", "--output-dir", str(out)), "HTTP 404")
    assert not out.exists()
    replay = tmp_path / "r.json"
    replay.write_text("{}", encoding="utf-8")
    _one_line_exit_2(_run(str(FEATURES), "--replay", str(replay), "--output-dir", str(out)), "not a recording")
    assert not out.exists()


def test_the_native_stack_is_the_default(
    local_stack: st.Stack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / ".stack" / "state.json"
    state.parent.mkdir()
    state.write_text(json.dumps(local_stack.state()), encoding="utf-8")  # what `python -m localstack up` writes
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASHSYNC_PROMETHEUS", raising=False)
    result = _run(str(FEATURES), "--scrape-interval", "1s", "--output-dir", "out")
    assert result.exit_code == 0, result.output
    assert f"wrote {Path('out') / 'preview-features.html'}" in result.output
    page = (tmp_path / "out" / "preview-features.html").read_text(encoding="utf-8")
    assert f"at {local_stack.prometheus_url}" in page
