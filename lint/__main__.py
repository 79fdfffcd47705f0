"""`python -m lint`: the same command `python -m dashboards lint` mounts."""

from pathlib import Path

from generate.source_error import exit_on_source_error

with exit_on_source_error(Path(__file__).resolve().parents[1]):  # the linter reads signals/ for known metrics
    from lint.cli import lint_command

if __name__ == "__main__":
    lint_command()
