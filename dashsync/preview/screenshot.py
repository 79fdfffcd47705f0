"""A PNG of a preview page, taken by headless Chromium (Debian's /usr/bin/chromium), for the pull request.

Chromium's own `--screenshot` is enough: the page is a local file with everything inlined, its height is known
before it is opened (page.page_height), and `--virtual-time-budget` lets the page's script draw every chart
before the picture is taken. A throwaway profile directory keeps the user's own Chromium profile out of it;
`--no-sandbox` only when running as root, where Chromium refuses to start otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import DashsyncError

CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT = 120.0


def browser() -> Path:
    found = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    if not found.exists():
        raise DashsyncError(f"--png needs Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    return found


def command(html_file: Path, png_file: Path, width: int, height: int, profile: Path) -> list[str]:
    args = [
        str(browser()),
        "--headless=new",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        "--virtual-time-budget=10000",
        f"--screenshot={png_file}",
        html_file.resolve().as_uri(),
    ]
    if os.geteuid() == 0:
        args.insert(2, "--no-sandbox")
    return args


def take(html_file: Path, width: int, height: int) -> bytes:
    """The screenshot's bytes; the caller writes them (atomically) where they belong."""
    with tempfile.TemporaryDirectory(prefix="dashsync-preview-") as tmp:
        png = Path(tmp) / "page.png"
        try:
            done = subprocess.run(  # noqa: S603 - a fixed binary, our own arguments
                command(html_file, png, width, height, Path(tmp) / "profile"),
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise DashsyncError(f"chromium took more than {TIMEOUT:.0f} s to screenshot {html_file}") from None
        if done.returncode != 0 or not png.exists():
            last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            raise DashsyncError(f"chromium could not screenshot {html_file}: {last}")
        return png.read_bytes()
