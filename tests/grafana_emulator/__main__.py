"""Run the emulator on its own for a demo: `python -m tests.grafana_emulator --port 3000`.

Listens on 127.0.0.1 only. Credentials come from the options or from GRAFANA_USER, GRAFANA_PASSWORD and
GRAFANA_TOKEN; a token given here is accepted as an Admin service-account token of org 1.
"""

from __future__ import annotations

import os
import threading

import click

from . import Emulator


@click.command()
@click.option("--port", type=int, default=3000, show_default=True, help="TCP port on 127.0.0.1 (0: any).")
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
def main(port: int, user: str, password: str, token: str | None, latency: float, fault_rate: float, seed: int) -> None:
    """Serve an in-memory Grafana API on 127.0.0.1 until interrupted."""
    emulator = Emulator(admin_user=user, admin_password=password, token=token, port=port)
    emulator.inject(rate=fault_rate, latency=latency, seed=seed)
    emulator.start()
    click.echo(f"Grafana emulator listening on {emulator.url} (user {user}); Ctrl-C to stop", err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
