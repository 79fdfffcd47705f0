# Alerting: Prometheus rules, prometheus.yml and alertmanager.yml generated from signals/ (see docs/alerting.md).

.PHONY: rules rules-check test-alerting

rules: dashboards  ## regenerate compose/prometheus and compose/alertmanager from signals/ (the one build)

rules-check: check  ## fail when the committed generated files (rules included) are stale

test-alerting: $(STAMP) system-deps  ## promtool/amtool/Prometheus tests of the alerting files
	$(PY) -m pytest tests/alerting
