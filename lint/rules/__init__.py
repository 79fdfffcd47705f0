"""The rules, grouped as grafana/dashboard-linter groups them: dashboard, panel and target rules.

Each rule is a pure function yielding `(panel_title, message)` pairs; `lint.registry` names
them, gives
their severity and one-line doc, and turns the pairs into `Finding` records.
"""
