"""`python -m localstack up|down|status`: the native local stack (make stack-local / stack-local-down).

Exit codes: 0 ok, 1 a service failed to start (its log tail is printed), 2 usage error (already running,
missing binary...).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from localstack import stack as st
from localstack.process import ServiceError

DEFAULT_STATE = Path(__file__).resolve().parents[1] / ".stack"


@click.group()
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_STATE,
    show_default=True,
    help="Where pids, ports, configs, data and logs live.",
)
@click.pass_context
def cli(ctx: click.Context, state_dir: Path) -> None:
    """Run the monitoring stack natively on 127.0.0.1 (no Docker): real Debian binaries + a load generator."""
    ctx.obj = state_dir


@cli.command()
@click.option("--interval", default="5s", show_default=True, help="Scrape and rule evaluation interval.")
@click.option("--dry-run", is_flag=True, help="Check binaries and render the configuration; start nothing.")
@click.option(
    "--scale-out",
    is_flag=True,
    help="Also run VictoriaMetrics (Prometheus remote-writes to it) and vmalert on the rules (docs/scaling.md).",
)
@click.pass_obj
def up(state_dir: Path, interval: str, dry_run: bool, scale_out: bool) -> None:
    """Start every service and wait until Prometheus scrapes all targets."""
    try:
        if any(st.running(state_dir).values()):
            click.echo(f"localstack: already running (state in {state_dir}); run `down` first", err=True)
            sys.exit(2)
        st.check_binaries(scale_out)
        if dry_run:
            click.echo("binaries present; configuration renders (dry run: nothing started)")
            return
        stack = st.start(state_dir, interval, scale_out=scale_out)
        st.save_state(stack)
        try:
            st.wait_until_ready(stack, scrapes=1)
        except ServiceError:
            st.stop_recorded(state_dir)
            raise
    except ServiceError as e:
        first, _, rest = str(e).partition("\n")
        click.echo(f"localstack: {first}", err=True)
        if rest:
            click.echo(rest, err=True)
        sys.exit(2 if "not found" in first else 1)
    click.echo(f"Prometheus   {stack.prometheus_url}")
    click.echo(f"Alertmanager http://127.0.0.1:{stack.ports.alertmanager}")
    if scale_out:
        click.echo(f"VictoriaMetrics {stack.victoriametrics_url}")
        click.echo(f"vmalert      {stack.vmalert_url}")
    click.echo(f"logs and state in {state_dir}; stop with `python -m localstack down`")


@cli.command()
@click.pass_obj
def down(state_dir: Path) -> None:
    """Stop everything `up` started (and only that)."""
    try:
        stopped = st.stop_recorded(state_dir)
    except ServiceError as e:
        click.echo(f"localstack: {e}", err=True)
        sys.exit(2)
    click.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing running")


@cli.command()
@click.pass_obj
def status(state_dir: Path) -> None:
    """Which services are running; exit 1 when any recorded service is down."""
    state = st.load_state(state_dir)
    if state is None:
        click.echo("not running")
        sys.exit(1)
    alive = st.running(state_dir)
    for name, ok in alive.items():
        click.echo(f"{name:<18} {'running' if ok else 'STOPPED'}")
    click.echo(f"prometheus_url     {state['prometheus_url']}")
    sys.exit(0 if all(alive.values()) else 1)


if __name__ == "__main__":
    cli()
