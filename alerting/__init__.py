"""Prometheus alert and recording rules, prometheus.yml and Alertmanager routing, generated from `signals`.

Data flows one way: signals -> alerting.rules / alerting.routing / alerting.prometheus_config ->
alerting.render -> compose/prometheus and compose/alertmanager. `tests/alerting/scenarios.py` turns the same
alerts and thresholds into promtool unit tests, so the tests move when a threshold moves.
"""
