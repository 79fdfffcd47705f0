"""`python -m dashboards build|check|lint|import`: the command users and CI type, kept where they expect it.

The CLI itself lives in `generate.cli` (the build owns the commands that write generated files); this entry
point only hands over, so the definitions in this package import nothing of the build.
"""

from generate.cli import cli

cli()
