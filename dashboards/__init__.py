"""The five Anonymeme dashboards: each module's `build()` returns a grafanalib `Dashboard` made of panels/ builders.

Only content lives here (the definitions, `registry` naming them with their folders, `common` for what they
share, `lint-exclusions.yml` with a reason per excluded finding). The compiler is `compiler/`, the build that
writes every generated file is `generate/`; `python -m dashboards` is kept as the command users know and runs
`generate.cli`.
"""
