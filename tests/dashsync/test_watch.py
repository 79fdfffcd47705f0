"""`dashsync watch`, the real command in a subprocess, on a temporary copy of the repository, against an
emulated Grafana 13 served on 127.0.0.1: a save is rebuilt and pushed, a syntax error is shown and pushes
nothing, Ctrl-C (SIGINT) stops it cleanly. The file-system events are the real ones (watchfiles)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashsync.watch import changes, is_source
from tests.generate.repo_copy import copy_repo, edit
from tests.grafana_emulator import Emulator, service_account_token

from .environments import REPO, context, dashsync, one_line_error, write_config

pytestmark = pytest.mark.emulator_only  # write counters of the Grafana watch pushes to

DASHSYNC = REPO / ".venv" / "bin" / "dashsync"
WAIT = 60.0  # seconds a line may take before the test fails (a slow shared machine, never a measurement)


@dataclass
class Watch:
    """The running command: its output lines as they come, read by a thread so the test can wait for one."""

    proc: subprocess.Popen[str]
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def start_reading(self) -> None:
        def pump() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.lines.put(line.rstrip("\n"))
            self.lines.put(None)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, wanted: Callable[[str], bool], what: str) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                line = None if left <= 0 else ""
            if line is None:
                raise AssertionError(f"no line {what} from dashsync watch; it said:\n" + "\n".join(self.seen))
            if line:
                self.seen.append(line)
                if wanted(line):
                    return line


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's sources (dashboards/, panels/, signals/, the build) and generated files."""
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def watching(tmp_path: Path, repo: Path) -> Iterator[tuple[Watch, Emulator]]:
    token = service_account_token()
    with Emulator(token=token, grafana=13) as emulator:
        config = write_config(
            tmp_path / "dashsync.yml",
            {"dev": context(emulator.url, "DEV_TOKEN", development=True, datasources={"prometheus": "prom-dev"})},
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GRAFANA_", "DASHSYNC_"))}
        env.update({"DEV_TOKEN": token, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PYTHONUNBUFFERED": "1"})
        proc = subprocess.Popen(
            [str(DASHSYNC), "--config", str(config), "--context", "dev", "watch", "--repo", str(repo)],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # one stream: an error line and a traceback would both be seen
            text=True,
        )
        watch = Watch(proc)
        watch.start_reading()
        try:
            yield watch, emulator
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def test_a_save_is_pushed_a_syntax_error_is_not_and_ctrl_c_stops(watching: tuple[Watch, Emulator], repo: Path):
    watch, emulator = watching
    stored = emulator.state.orgs[1].dashboards
    watch.wait_for(lambda line: line.startswith("watching "), "saying it watches")
    # the first round pushed every dashboard, with dev's datasource
    assert any(line.startswith("pushed every dashboard") for line in watch.seen), watch.seen
    assert len(stored) == 5
    api = next(v for v in stored["anonymeme-api"].data["templating"]["list"] if v["name"] == "datasource")
    assert api["current"]["value"] == "prom-dev"

    module = repo / "dashboards" / "api.py"
    edit(module, 'description="The platform API:', 'description="Watched. The platform API:')
    pushed = watch.wait_for(lambda line: line.startswith(("pushed ", "push failed", "build failed")), "after the save")
    assert pushed.startswith("pushed 1 changed dashboard(s)"), watch.seen
    assert stored["anonymeme-api"].data["description"].startswith("Watched. The platform API:")
    assert "Watched." not in (REPO / "provisioning" / "dashboards" / "Platform" / "anonymeme-api.json").read_text()

    writes = emulator.traffic.writes
    module.write_text(module.read_text(encoding="utf-8") + "\ndef broken(:\n", encoding="utf-8")
    failed = watch.wait_for(lambda line: line.startswith(("pushed ", "push failed", "build failed")), "after the error")
    assert failed.startswith("build failed: dashboards/api.py:"), watch.seen
    assert "SyntaxError" in failed and failed.endswith("nothing pushed")
    assert emulator.traffic.writes == writes
    assert stored["anonymeme-api"].data["description"].startswith("Watched.")

    watch.proc.send_signal(signal.SIGINT)
    code = watch.proc.wait(timeout=WAIT)
    rest = []
    while (line := watch.lines.get(timeout=WAIT)) is not None:
        rest.append(line)
    output = "\n".join(watch.seen + rest)
    assert code in (0, 130), output
    assert "Traceback" not in output
    assert rest[-1] in ("watch: stopped", "dashsync: interrupted"), output


def test_watch_pushes_only_to_a_development_context(tmp_path: Path):
    config = write_config(
        tmp_path / "dashsync.yml",
        {"prod": context("http://127.0.0.1:9", "PROD_TOKEN"), "dev": context("http://127.0.0.1:9", "DEV_TOKEN",
                                                                               development=True)},
    )  # fmt: skip
    env = {
        "DASHSYNC_CONFIG": str(config),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "PROD_TOKEN": "t",
        "DEV_TOKEN": "t",
    }
    one_line_error(dashsync("--context", "prod", "watch", env=env), "context prod is not a development context")
    one_line_error(dashsync("watch", env=env), "only to a development context")
    missing = dashsync("--context", "dev", "watch", "--repo", str(tmp_path), env=env)
    one_line_error(missing, f"{tmp_path / 'dashboards'}: no such directory (--repo must be the repository root)")


def test_a_round_pushes_only_what_changed_and_ignores_what_is_not_a_module(tmp_path: Path):
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    assert changes({a: "1", b: "2"}, {a: "1", b: "3", c: "4"}) == ((b, c), ())
    assert changes({a: "1", b: "2"}, {a: "1"}) == ((), (b,))
    assert [is_source(p) for p in ("dashboards/api.py", "panels/.#api.py", "signals/__pycache__/x.py", "x.pyc")] == [
        True,
        False,
        False,
        False,
    ]
