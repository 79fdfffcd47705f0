"""Lint any Grafana dashboard JSON: the compiled five, or a third-party dashboard a user points it at.

Modelled on grafana/dashboard-linter: rules are small pure functions over plain JSON dicts, grouped as
dashboard,
panel and target rules, each returning `Finding` records; `registry.RULES` names them with a one-line doc. The
linter never imports the Python dashboard definitions, so it judges exactly what Grafana would load.
"""
