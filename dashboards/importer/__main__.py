"""`python -m dashboards.importer FILE`: the import command, also mounted as `python -m dashboards import`."""

from dashboards.importer.cli import main

main()
