"""Preview speed: `dashsync preview` drawing the five compiled dashboards with data from the native stack.

Three figures, each the CLI in a fresh process as a user runs it: the HTML pages from a live Prometheus, the
same with `--png` (one headless Chromium screenshot per page), and the pages again from a recording (`--replay`:
the rendering alone, no Prometheus). There is no anchor to run beside it here: the anchors' previews
(grafana-image-renderer, grizzly serve, gcx dev serve) all need a running Grafana, which this figure does not.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from localstack import stack as st

DASHBOARDS = Path("provisioning/dashboards")
RANGE = ("--from", "now-5m", "--scrape-interval", "1s")


def _timed(*args: str) -> tuple[float, str]:
    dashsync = Path(sys.executable).with_name("dashsync")
    start = time.perf_counter()
    done = subprocess.run([str(dashsync), "preview", *args], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench preview: dashsync preview failed: {done.stderr.strip()}")
    return seconds, done.stdout


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        stack = st.start(Path(tmp) / "stack", interval="1s")
        try:
            st.wait_until_ready(stack, scrapes=3)
            source = ("--prometheus", stack.prometheus_url)
            recording = str(Path(tmp) / "recording.json")
            html, report = _timed(str(DASHBOARDS), *source, *RANGE, "--record", recording, "--output-dir", f"{tmp}/a")
            png, _ = _timed(str(DASHBOARDS), *source, *RANGE, "--png", "--output-dir", f"{tmp}/b")
            replay, _ = _timed(str(DASHBOARDS), *RANGE, "--replay", recording, "--output-dir", f"{tmp}/c")
        finally:
            stack.stop()
    pages = report.count("wrote ")
    print(f"preview: {pages} compiled dashboards drawn from the native stack's Prometheus (the CLI, a fresh process):")
    print(f"  HTML pages, queries included                {html:.2f} s")
    print(f"  HTML pages and a Chromium PNG of each       {png:.2f} s")
    print(f"  HTML pages from a recording (--replay)      {replay:.2f} s  (rendering alone)")
