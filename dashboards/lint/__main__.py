"""`python -m dashboards.lint`: the same command `python -m dashboards lint` mounts."""

from dashboards.lint.cli import lint_command

if __name__ == "__main__":
    lint_command()
