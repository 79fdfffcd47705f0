"""`python -m dashboards.lint`: the same command `python -m dashboards lint` mounts."""

from pathlib import Path

from dashboards.source_error import exit_on_source_error

with exit_on_source_error(Path(__file__).resolve().parents[2]):  # the linter reads signals/ for known metrics
    from dashboards.lint.cli import lint_command

if __name__ == "__main__":
    lint_command()
