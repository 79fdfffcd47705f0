"""`python -m dashboards.importer FILE`: the import command, usable before it is mounted on `python -m dashboards`."""

from dashboards.importer.cli import main

main()
