"""Run the emulator on its own: `python -m tests.grafana_emulator --grafana 13 --compose compose/docker-compose.yml`.

Listens on 127.0.0.1 only. With --compose it starts as the bundled stack's Grafana would: on the port that
service publishes, with its admin credentials (interpolated from the environment, as compose does from
compose/.env) and its provisioning files (dashboard providers and datasources, read through its volume mounts).
Otherwise credentials come from the options or from GRAFANA_USER, GRAFANA_PASSWORD and GRAFANA_TOKEN; a token
given here is accepted as an Admin service-account token of org 1.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from . import Emulator
from .profiles import PROFILES
from .provisioning import ProvisioningError, env_file, from_compose


@click.command()
@click.option("--port", type=int, help="TCP port on 127.0.0.1 (0: any) [default: 3000, or the compose port].")
@click.option(
    "--grafana",
    "major",
    type=click.Choice([str(v) for v in PROFILES]),
    default="11",
    show_default=True,
    help="Which Grafana version's behaviour to reproduce.",
)
@click.option(
    "--compose",
    "compose_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start as this compose file's grafana service: port, credentials, provisioning.",
)
@click.option(
    "--user",
    default=lambda: os.environ.get("GRAFANA_USER", "admin"),
    show_default="admin",
    help="Admin login [env GRAFANA_USER].",
)
@click.option(
    "--password",
    default=lambda: os.environ.get("GRAFANA_PASSWORD", "admin"),
    show_default="admin",
    help="Admin password [env GRAFANA_PASSWORD].",
)
@click.option(
    "--token",
    default=lambda: os.environ.get("GRAFANA_TOKEN"),
    help="Accept this service-account token as Admin [env GRAFANA_TOKEN].",
)
@click.option("--latency", type=float, default=0.0, help="Seconds added to every answer.")
@click.option("--fault-rate", type=float, default=0.0, help="Share of requests that fail (5xx or drop).")
@click.option("--seed", type=int, default=0, help="Seed of the fault generator.")
def main(
    port: int | None,
    major: str,
    compose_file: Path | None,
    user: str,
    password: str,
    token: str | None,
    latency: float,
    fault_rate: float,
    seed: int,
) -> None:
    """Serve an in-memory Grafana API on 127.0.0.1 until interrupted."""
    stack = None
    env = {**env_file(compose_file.parent / ".env"), **os.environ} if compose_file else dict(os.environ)
    if compose_file is not None:
        try:
            stack = from_compose(compose_file, env)
        except ProvisioningError as exc:
            click.echo(f"grafana-emulator: error: {exc}", err=True)
            sys.exit(2)
        user, password = stack.admin_user, stack.admin_password
    listen = port if port is not None else (stack.port if stack else 3000)
    emulator = Emulator(admin_user=user, admin_password=password, token=token, port=listen, grafana=int(major))
    if stack is not None:
        try:
            emulator.provision(stack.mounts, {**env, **stack.environment})
        except ProvisioningError as exc:
            click.echo(f"grafana-emulator: error: {exc}", err=True)
            sys.exit(2)
    emulator.inject(rate=fault_rate, latency=latency, seed=seed)
    emulator.start()
    click.echo(
        f"Grafana {emulator.profile.version} emulator listening on {emulator.url} (user {user}); Ctrl-C to stop",
        err=True,
    )
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
