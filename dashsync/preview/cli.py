"""`dashsync preview`: compiled dashboards drawn with real data from Prometheus, as offline HTML pages (and PNGs).

Exit codes: 0 every page written; 2 bad input (a file that is not compiled dashboard JSON, an unknown --var, a
bad time range), an unreachable Prometheus or a missing Chromium: one line on stderr, nothing written. A query
Prometheus rejects is not a failure of the command: that panel shows the error, as Grafana's would.

The order is a plan, then a thin act: every dashboard is read and checked, Prometheus is asked whether it is
there, every page is rendered in memory, and only then are files written (each atomically).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from atomicfile import write_bytes, write_text

from ..errors import DashsyncError, failures_as_one_line
from ..local import DEFAULT_ROOT
from . import compiled, screenshot, timerange
from .layout import DEFAULT_WIDTH

if TYPE_CHECKING:  # the rendering and HTTP stacks load when a preview runs, not with every dashsync command
    from .prometheus import Source
    from .render import Page

STACK_STATE = Path(".stack/state.json")  # where `python -m localstack up` records the native stack's addresses
DATASOURCES = Path("provisioning/datasources/datasources.yml")
FALLBACK_SCRAPE = "15s"


def default_prometheus(state_file: Path = STACK_STATE) -> str:
    """The native local stack's Prometheus (`make stack-local`), read from the state file it writes.

    dashsync does not import localstack (docs/architecture.md): the state file is the contract between them."""
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DashsyncError(
            f"no --prometheus given and no native stack running ({state_file} not found): "
            "start one with `make stack-local`, or pass --prometheus URL"
        ) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise DashsyncError(f"{state_file}: unreadable native stack state ({exc})") from None
    url = state.get("prometheus_url") if isinstance(state, dict) else None
    if not isinstance(url, str) or not url:
        raise DashsyncError(f"{state_file}: no prometheus_url in the native stack state")
    return url


def default_scrape(datasources: Path = DATASOURCES) -> str:
    """The Prometheus datasource's jsonData.timeInterval in the provisioning, which Grafana uses as the minimum
    interval of every query; Grafana's own default is 15s."""
    import yaml  # only when a preview runs: `dashsync --help` stays quick

    try:
        doc = yaml.safe_load(datasources.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return FALLBACK_SCRAPE
    for source in doc.get("datasources") or [] if isinstance(doc, dict) else []:
        if isinstance(source, dict) and source.get("type") == "prometheus" and source.get("isDefault", True):
            interval = (source.get("jsonData") or {}).get("timeInterval")
            if isinstance(interval, str) and interval:
                return interval
    return FALLBACK_SCRAPE


def parse_vars(items: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """`--var job=api --var handler=/a --var handler=/b`: repeated names are a multi-value selection; `All` is All."""
    out: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise DashsyncError(f"--var {item!r}: expected name=value")
        out.setdefault(name.strip(), []).append("$__all" if value == "All" else value)
    return {k: tuple(v) for k, v in out.items()}


@dataclass(frozen=True)
class Output:
    page: Page
    html_path: Path
    png_path: Path | None


def render_all(
    dashboards: list[compiled.Compiled],
    source: Source,
    now: float,
    raw_from: str | None,
    raw_to: str | None,
    overrides: dict[str, tuple[str, ...]],
    scrape: float,
    width: int,
    label: str,
) -> list[Page]:
    """Every page, in memory: the plan before anything is written."""
    from .render import Settings, render

    pages = []
    for dash in dashboards:
        window = timerange.dashboard_range(dash.content, raw_from, raw_to, now)
        settings = Settings(window, scrape, overrides, width, label)
        try:
            pages.append(render(dash.content, source, settings))
        except DashsyncError as exc:
            raise DashsyncError(f"{dash.path}: {exc.message}", exc.exit_code) from None
    return pages


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--prometheus",
    "prometheus_url",
    envvar="DASHSYNC_PROMETHEUS",
    metavar="URL",
    help="Prometheus to query [env DASHSYNC_PROMETHEUS]; default: the native stack's (`make stack-local`).",
)
@click.option(
    "--from", "raw_from", metavar="TIME", help="Start: now-6h, now-7d/d, epoch ms or ISO; default: the dashboard's."
)
@click.option("--to", "raw_to", metavar="TIME", help="End, as --from; default: the dashboard's (usually now).")
@click.option(
    "--var", "var_items", multiple=True, metavar="NAME=VALUE", help="A variable's value (repeat for several; All)."
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("preview"),
    show_default=True,
    help="Where the pages go: UID.html (and UID.png).",
)
@click.option("--png", is_flag=True, help="Also a PNG screenshot of each page, by headless Chromium.")
@click.option(
    "--width", type=click.IntRange(min=400, max=8000), default=DEFAULT_WIDTH, show_default=True, help="Grid width, px."
)
@click.option(
    "--scrape-interval",
    metavar="DURATION",
    help=f"The datasource's minimum interval; default: its timeInterval in {DATASOURCES}, else {FALLBACK_SCRAPE}.",
)
@click.option(
    "--record", type=click.Path(dir_okay=False, path_type=Path), help="Also save every Prometheus answer here."
)
@click.option(
    "--replay",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Render from a --record file instead of Prometheus (same pages, byte for byte).",
)
def preview(
    paths: tuple[Path, ...],
    prometheus_url: str | None,
    raw_from: str | None,
    raw_to: str | None,
    var_items: tuple[str, ...],
    output_dir: Path,
    png: bool,
    width: int,
    scrape_interval: str | None,
    record: Path | None,
    replay: Path | None,
) -> None:
    """Draw compiled dashboards (default: provisioning/dashboards) with data from Prometheus, one offline HTML page
    per dashboard, laid out by gridPos as Grafana lays it out, units formatted as Grafana formats them."""
    from .prometheus import Client, Recorder, Recording

    with failures_as_one_line("dashsync preview"):
        dashboards = compiled.find(paths, DEFAULT_ROOT)
        overrides = parse_vars(var_items)
        scrape = timerange.parse_duration(scrape_interval or default_scrape())
        if png:
            screenshot.browser()
        source: Source
        if replay:
            try:
                source, now = Recording.load(replay.read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError) as exc:
                raise DashsyncError(f"{replay}: not a recording made by --record ({exc})") from None
            label = f"recording {replay.name}"
        else:
            url = prometheus_url or default_prometheus()
            client = Client(url)
            version = client.check()
            source, now, label = client, time.time(), f"Prometheus {version} at {url}"
        recorder = Recorder(source) if record else None
        pages = render_all(dashboards, recorder or source, now, raw_from, raw_to, overrides, scrape, width, label)
        outputs = [Output(p, output_dir / f"{p.uid}.html", output_dir / f"{p.uid}.png" if png else None) for p in pages]
        for out in outputs:
            write_text(out.html_path, out.page.html)
        for out in outputs:
            if out.png_path:
                write_bytes(out.png_path, screenshot.take(out.html_path, out.page.screen_width, out.page.height))
        if recorder and record:
            write_text(record, recorder.dump(now))
        for out in outputs:
            states = [s.state for s in out.page.panels]
            counts = ", ".join(
                f"{states.count(k)} {k}" for k in ("ok", "nodata", "error", "placeholder") if k in states
            )
            click.echo(f"wrote {out.html_path}" + (f" and {out.png_path.name}" if out.png_path else "") + f": {counts}")
