"""`dashsync context list|show|use`: the contexts of dashsync.yml and the user's override, and the default.

Nothing here talks to Grafana, and no secret is read for display: `show` prints where each credential comes
from and whether it is set, never its value. `use` writes only `current-context` into the user's file
(atomically; the rest of that file, comments included, is kept as it was).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from atomicfile import write_text

from .connection import Settings
from .contexts import ENV_CONTEXT, Config, Context, document, load, parse
from .errors import EXIT_OK, DashsyncError, failures_as_one_line
from .selection import group_choice

CURRENT_LINE = re.compile(r"^current-context:.*$", re.M)


def _active(config: Config, selected: str | None) -> str:
    """The context a command would use without connection options (see contexts.py for the order)."""
    if selected:
        return selected
    if os.environ.get("GRAFANA_URL"):
        return ENV_CONTEXT
    return config.current or ENV_CONTEXT


def _describe(context: Context) -> dict[str, Any]:
    """A context as safe to print: sources and whether they are set, never a value."""
    return {
        "name": context.name,
        "file": str(context.origin),
        "server": context.server,
        "org-id": context.org_id,
        "ca-file": context.ca_file,
        "insecure-skip-verify": context.insecure,
        "token": context.token.describe() if context.token else None,
        "user": context.user or (context.user_source.describe() if context.user_source else None),
        "password": context.password.describe() if context.password else None,
        "development": context.development,
        "description": context.description or None,
        **context.values.as_dict(),
    }


def _env_description() -> dict[str, Any]:
    def state(name: str) -> str:
        return f"env {name} ({'set' if os.environ.get(name) else 'not set'})"

    return {
        "name": ENV_CONTEXT,
        "file": None,
        "server": (  # as safe to print: a user:password@ in GRAFANA_URL is dropped
            Settings(url=os.environ["GRAFANA_URL"]).display_url
            if os.environ.get("GRAFANA_URL")
            else "http://127.0.0.1:3030 (GRAFANA_URL not set)"
        ),
        "org-id": os.environ.get("GRAFANA_ORG_ID") or None,
        "token": state("GRAFANA_TOKEN"),
        "user": state("GRAFANA_USER"),
        "password": state("GRAFANA_PASSWORD"),
        "development": False,
        "datasources": {},
        "variables": {},
    }


def _lines(described: dict[str, Any]) -> list[str]:
    lines = [f"context: {described['name']}" + (f" (from {described['file']})" if described.get("file") else "")]
    for key in ("description", "server", "org-id", "ca-file", "insecure-skip-verify", "token", "user", "password"):
        if described.get(key) not in (None, "", False) or key in ("server", "token"):
            lines.append(f"{key}: {described.get(key) if described.get(key) is not None else '-'}")
    lines.append(f"development: {'yes (watch may push here)' if described.get('development') else 'no'}")
    for plugin, uid in sorted(described.get("datasources", {}).items()):
        lines.append(f"datasource ({plugin}): {uid}")
    for name, value in sorted(described.get("variables", {}).items()):
        lines.append(f"variable ${name}: {' + '.join(value) if isinstance(value, list) else value}")
    return lines


def _run(body: Callable[[], int]) -> None:
    with failures_as_one_line("dashsync"):
        code = body()
    raise SystemExit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
def context_command() -> None:
    """The Grafanas named in dashsync.yml (and your override in $XDG_CONFIG_HOME/dashsync/config.yml)."""


@context_command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def list_command(as_json: bool) -> None:
    """Every context, the one in use marked with `*`."""

    def body() -> int:
        selected, config_path = group_choice()
        config = load(config_path)
        active = _active(config, selected)
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "active": active,
                        "default": config.current,
                        "files": [str(f) for f in config.files],
                        "contexts": [_describe(c) for _, c in sorted(config.contexts.items())],
                    },
                    indent=2,
                    sort_keys=True,
                )
            )
            return EXIT_OK
        if not config.contexts:
            click.echo(f"no contexts (none in {config_path or 'dashsync.yml'} or {config.user_file})")
        width = max([len(n) for n in config.contexts] + [3])
        for name, context in sorted(config.contexts.items()):
            mark = "*" if name == active else " "
            flags = " [development]" if context.development else ""
            default = " (default)" if name == config.current else ""
            click.echo(f"{mark} {name:<{width}}  {context.server}{flags}{default}")
        if active == ENV_CONTEXT:
            why = "GRAFANA_URL is set" if os.environ.get("GRAFANA_URL") else "no default context"
            click.echo(f"* {ENV_CONTEXT:<{width}}  the GRAFANA_* environment ({why}; --context NAME chooses one)")
        return EXIT_OK

    _run(body)


@context_command.command("show")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
def show_command(name: str | None, as_json: bool) -> None:
    """One context (default: the one in use): server, org, CA, where each credential comes from, its values.

    Credentials are shown as their source and whether it is set, never as a value.
    """

    def body() -> int:
        selected, config_path = group_choice()
        config = load(config_path)
        chosen = name or _active(config, selected)
        described = _env_description() if chosen == ENV_CONTEXT else _describe(config.get(chosen))
        if as_json:
            click.echo(json.dumps(described, indent=2, sort_keys=True))
        else:
            for line in _lines(described):
                click.echo(line)
        return EXIT_OK

    _run(body)


def with_current(text: str, name: str) -> str:
    """The user file's text with `current-context: name`, every other line kept."""
    line = f"current-context: {name}"
    if CURRENT_LINE.search(text):
        return CURRENT_LINE.sub(line, text, count=1)
    return (text if not text or text.endswith("\n") else text + "\n") + line + "\n"


@context_command.command("use")
@click.argument("name")
def use_command(name: str) -> None:
    """Make NAME the default context for you (writes current-context into your config.yml, atomically)."""

    def body() -> int:
        _, config_path = group_choice()
        config = load(config_path)
        config.get(name)  # an unknown name is refused before anything is written
        target: Path = config.user_file
        try:
            old = target.read_text(encoding="utf-8") if target.exists() else ""
        except (OSError, UnicodeDecodeError) as exc:
            raise DashsyncError(f"{target}: cannot read it ({type(exc).__name__})") from None
        new = with_current(old, name)
        parse(target, document(target, new))  # what is written must read back (and still hold no secret)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_text(target, new)
        except OSError as exc:
            raise DashsyncError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
        click.echo(f"default context: {name} (written to {target})")
        return EXIT_OK

    _run(body)


__all__ = ["context_command", "with_current"]
