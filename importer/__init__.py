"""Bring dashboards made in the Grafana UI back into code: Grafana JSON -> a Python module on `panels` builders.

`source` reads and canonicalises the JSON (datasource uids -> `${datasource}`, instance ids dropped, old panel
types migrated), `codegen` writes builder calls (verified one by one, falling back to `panels.raw`), `module`
assembles and formats the module and proves that compiling it gives the canonical input back; `cli` is the
`python -m dashboards import` command.
"""
