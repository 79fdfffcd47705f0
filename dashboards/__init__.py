"""The five Anonymeme dashboards, and the pipeline that compiles them into Grafana provisioning files.

Pipeline: a dashboard module's `build()` returns a grafanalib `Dashboard` -> `canonical.canonicalise` turns
grafanalib's dict into the JSON Grafana itself exports -> `validate` checks it against Grafana's published schema
-> `output` writes every generated file atomically. `python -m dashboards --help` lists the commands.
"""
