"""`python -m importer FILE`: the import command, also mounted as `python -m dashboards import`."""

from importer.cli import main

main()
