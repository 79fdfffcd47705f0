"""Bring dashboards made in the Grafana UI back into code: Grafana JSON -> a Python module on `panels` builders.

`source` reads the file (classic JSON of any schemaVersion; `resource` turns v1/v2 dashboard resources into
classic JSON), runs Grafana's schema migrations (`schema_steps`) and its Angular panel migrations (`migrate`),
brings what the schema cannot hold back inside it (`schema_repair`), and canonicalises (datasource uids ->
`${datasource}`, instance ids dropped); `codegen` writes builder calls (verified one by one, falling back to
`panels.raw`), `module` assembles and formats the module and proves that compiling it gives the canonical input
back; `cli` is the `python -m dashboards import` command.
"""
