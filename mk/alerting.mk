# Alerting: Prometheus rules, prometheus.yml and alertmanager.yml generated from signals/ (see docs/alerting.md).

.PHONY: rules rules-check test-alerting

rules: $(STAMP)  ## regenerate compose/prometheus and compose/alertmanager from signals/
	$(PY) -m alerting build

rules-check: $(STAMP)  ## fail when the committed alerting files are stale
	$(PY) -m alerting check

test-alerting: $(STAMP) system-deps  ## promtool/amtool/Prometheus tests of the alerting files
	$(PY) -m pytest tests/alerting
