"""dashsync figures against the emulator: backup and push of 1,000 dashboards, and the requests each made.

Each figure is the `dashsync` command as a user runs it, in a fresh process (interpreter start and imports included),
timed from outside; the requests are counted by the emulator. The emulator runs in its own process (as a real Grafana
would: no shared GIL with dashsync) and answers every request after 10 ms, the setting in which grafana-backup-tool
was measured at ~13 s for 1,000 dashboards. It runs three times, as Grafana 11 (legacy /api: search, then one GET per
dashboard), 12 and 13 (the resource API: list pages carrying whole objects). On the legacy path grafana-backup-tool
itself is run side by side on the same server (from a throwaway virtualenv; the 13 s reference is printed instead when
it cannot be installed). Targets: backup at least 8x faster than grafana-backup-tool on the legacy API; on 12/13 list
calls only (tens of requests); a push of 1,000 unchanged dashboards that makes zero writes.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import niquests

DASHBOARDS = 1000
LATENCY = 0.010
REFERENCE_BACKUP_SECONDS = 13.0  # grafana-backup-tool, 1,000 dashboards, 10 ms server
TOKEN = "glsa_" + secrets.token_hex(16) + "_00000000"  # throwaway, for the emulator only


def _dashboard(n: int) -> dict:
    panels = [
        {
            "id": p,
            "title": f"Panel {p}",
            "type": "timeseries",
            "gridPos": {"h": 8, "w": 12, "x": 0, "y": p},
            "targets": [{"refId": "A", "expr": f"rate(metric_{n}_{p}_total[5m])"}],
        }
        for p in range(1, 7)
    ]
    return {
        "uid": f"bench-{n:04d}",
        "title": f"Bench dashboard {n}",
        "schemaVersion": 42,
        "panels": panels,
        "tags": ["bench"],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_emulator(port: int, major: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.grafana_emulator",
            "--port",
            str(port),
            "--token",
            TOKEN,
            "--grafana",
            str(major),
        ],
        cwd=Path(__file__).resolve().parent.parent,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            niquests.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
            return proc
        except niquests.exceptions.RequestException:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the emulator did not start")


WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _traffic(url: str) -> dict[str, int]:
    return niquests.get(f"{url}/_emulator/traffic", timeout=5).json()["by_method"]


def _timed_cli(label: str, url: str, *args: str) -> float:
    """`dashsync ARGS` in a fresh process against `url`: wall seconds, with the requests and writes it made."""
    before = _traffic(url)
    env = {"PATH": "/usr/bin:/bin", "GRAFANA_URL": url, "GRAFANA_TOKEN": TOKEN}
    start = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).with_name("dashsync")), *args], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"dashsync {' '.join(args)} failed (exit {result.returncode}): {result.stderr.strip()}")
    after = _traffic(url)
    requests = sum(after.values()) - sum(before.values())
    writes = sum(after.get(m, 0) - before.get(m, 0) for m in WRITES)
    print(f"{label}: {seconds:.2f} s, {requests} requests, {writes} writes")
    return seconds


GBT_VERSION = "1.4.2"  # PyPI package grafana-backup, the tool the maintainers compare with
GBT_VENV = Path(tempfile.gettempdir()) / f"bench-grafana-backup-{GBT_VERSION}"


def _grafana_backup_tool_seconds(url: str, out: Path) -> float | None:
    """Time grafana-backup-tool's `save` of folders and dashboards against the same emulator, side by side.

    It lives in a throwaway virtualenv under the temp directory (never a project dependency). Its API-key
    pre-check calls /api/auth/keys, which Grafana 12 removed, so that check is switched off as its settings allow.
    """
    tool = GBT_VENV / "bin" / "grafana-backup"
    if not tool.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(GBT_VENV)], capture_output=True)
        installed = (
            made.returncode == 0
            and subprocess.run(
                [str(GBT_VENV / "bin" / "pip"), "install", "--quiet", f"grafana-backup=={GBT_VERSION}"],
                capture_output=True,
            ).returncode
            == 0
        )
        if not installed:
            print(f"  grafana-backup-tool {GBT_VERSION} could not be installed into {GBT_VENV}")
            return None
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(out),
        "GRAFANA_URL": url,
        "GRAFANA_TOKEN": TOKEN,
        "BACKUP_DIR": str(out),
        "API_AUTH_CHECK": "false",
        "DEBUG": "false",
    }
    start = time.perf_counter()
    result = subprocess.run(
        [str(tool), "save", "--components=folders,dashboards", "--no-archive"], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    saved = sum(1 for _ in out.rglob("*.dashboard"))
    if result.returncode != 0 or saved != DASHBOARDS:
        print(f"  grafana-backup-tool failed (exit {result.returncode}, {saved} dashboards saved)")
        return None
    return seconds


def _write_code(root: Path) -> None:
    for n in range(DASHBOARDS):
        folder = root / f"Team {n % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"bench-{n:04d}.json").write_text(json.dumps(_dashboard(n)))


def _profile(major: int, root: Path, tmp: Path) -> float:
    """Push (new, then unchanged) and back up 1,000 dashboards against one version profile; backup seconds."""
    port = _free_port()
    proc = _start_emulator(port, major)
    try:
        url = f"http://127.0.0.1:{port}"
        api = "legacy /api" if major < 12 else "resources /apis"
        push = ("push", "--dir", str(root))
        _timed_cli(f"Grafana {major} ({api}): dashsync push, {DASHBOARDS} new dashboards (0 ms server)", url, *push)
        niquests.post(f"{url}/_emulator/faults", json={"latency": LATENCY}, timeout=5)
        _timed_cli(f"Grafana {major} ({api}): dashsync push, {DASHBOARDS} unchanged (10 ms server)", url, *push)
        ours = _timed_cli(
            f"Grafana {major} ({api}): dashsync backup, {DASHBOARDS} dashboards (10 ms server)",
            url,
            "backup",
            "--out",
            str(tmp / f"backup-{major}"),
        )
        if major >= 12:
            return ours
        theirs = _grafana_backup_tool_seconds(url, tmp / "grafana-backup-tool")
        if theirs is None:
            print(
                f"  backup vs grafana-backup-tool's reference {REFERENCE_BACKUP_SECONDS:.0f} s (the tool "
                f"could not be run here): {REFERENCE_BACKUP_SECONDS / ours:.1f}x faster (target >= 8x)"
            )
        else:
            print(
                f"grafana-backup-tool {GBT_VERSION} save, same {DASHBOARDS} dashboards and server: "
                f"{theirs:.2f} s; dashsync is {theirs / ours:.1f}x faster (target >= 8x)"
            )
        return ours
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "dashboards"
        _write_code(root)
        legacy = _profile(11, root, Path(tmp))
        for major in (12, 13):
            seconds = _profile(major, root, Path(tmp))
            print(f"  Grafana {major}: backup through /apis list pages is {legacy / seconds:.1f}x the legacy path")


if __name__ == "__main__":
    run()
