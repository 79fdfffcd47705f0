"""The build: every generated file of the repository, built in memory, checked for staleness, written atomically.

`files.generated_files()` assembles the compiled dashboards, provisioning YAML, alerting files and docs/metrics.md;
`fileset` compares such a set with the tree and writes what changed; `cli` is `python -m dashboards`.
"""
