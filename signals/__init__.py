"""The source of truth: metrics, scrape jobs, thresholds, SLOs and recording rules, written once.

Everything below this package in the data flow (panels, dashboards, alerting, the exporters' tests, the linter)
imports from here; this package imports nothing of ours. Changing a threshold here changes the panel colour and
the alert that watch it.
"""
