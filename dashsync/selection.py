"""Which Grafana a command talks to: a named context, or the GRAFANA_* environment and options (`env`).

The order is contexts.py's docstring; this module applies it to one command's options. Credentials are read
from their sources here, but a missing one is not an error yet: it becomes the one line `Grafana()` says when
the command actually connects, so `diff --against git:REV --context prod` works without prod's token.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .connection import Settings
from .contexts import ENV_CONTEXT, Config, Context, load
from .envvalues import EnvValues
from .errors import DashsyncError

WHERE_AND_WHO = ("url", "token", "user", "password", "org_id", "ca_cert", "insecure")  # what a context names
META = "dashsync.target"


@dataclass(frozen=True)
class Target:
    """The chosen Grafana: its context's name (`env` for the environment), settings and per-environment values."""

    name: str
    settings: Settings = field(repr=False)
    values: EnvValues = field(default_factory=EnvValues)
    development: bool = False
    context: Context | None = None


def settings_of(context: Context, transport: dict[str, Any]) -> Settings:
    """A context's connection with the command's transport options (timeout, retries, api, ...)."""
    if context.ca_file is not None and not Path(context.ca_file).is_file():
        raise DashsyncError(f"context {context.name}: ca-file {context.ca_file}: no such file")
    hint = None
    try:
        token, user, password = context.credentials()
    except DashsyncError as exc:
        token = user = password = None
        hint = exc.message
    return Settings(
        url=context.server,
        token=token,
        user=user,
        password=password,
        org_id=context.org_id,
        ca_cert=context.ca_file,
        insecure=context.insecure,
        credential_hint=hint,
        **{k: v for k, v in transport.items() if k not in WHERE_AND_WHO},
    )


def target_of(context: Context, transport: dict[str, Any]) -> Target:
    return Target(context.name, settings_of(context, transport), context.values, context.development, context)


def choose(
    options: dict[str, Any],
    command_line: frozenset[str],
    url_from_env: bool,
    selected: str | None,
    config: Path | None,
) -> Target:
    """The target of one command: `options` are its connection options, `command_line` those typed on it."""
    typed = [name for name in WHERE_AND_WHO if name in command_line]
    if selected and selected != ENV_CONTEXT:
        if typed:
            flag = "--" + typed[0].replace("_", "-")
            raise DashsyncError(
                f"{flag} cannot be combined with --context {selected}: the context names the Grafana and its "
                "credentials (drop one of them)"
            )
        return target_of(load(config).get(selected), options)
    if selected == ENV_CONTEXT or typed or url_from_env:
        return Target(ENV_CONTEXT, Settings(**options))
    found: Config = load(config)
    if found.current:
        return target_of(found.get(found.current), options)
    return Target(ENV_CONTEXT, Settings(**options))


def group_choice() -> tuple[str | None, Path | None]:
    """`--context` and `--config` of the dashsync group (None outside it, as in a direct call of a command)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    obj = root.obj if root is not None and isinstance(root.obj, dict) else {}
    return obj.get("context"), obj.get("config")


def for_command(options: dict[str, Any]) -> Settings:
    """The running command's settings; the target is kept on the click context for `current()`."""
    ctx = click.get_current_context()
    command_line = frozenset(
        name for name in options if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    )
    url_from_env = ctx.get_parameter_source("url") == click.core.ParameterSource.ENVIRONMENT
    selected, config = group_choice()
    target = choose(options, command_line, url_from_env, selected, config)
    ctx.meta[META] = target
    return target.settings


def current() -> Target | None:
    """The target `for_command` chose for the running command."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(META) if ctx is not None else None


def current_values() -> EnvValues:
    target = current()
    return target.values if target is not None else EnvValues()


__all__ = ["Target", "choose", "current", "current_values", "for_command", "settings_of", "target_of"]
