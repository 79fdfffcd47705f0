# Dashboard importer (issue 9): Grafana UI JSON -> a module in dashboards/. Included by the Makefile (-include mk/*.mk).

.PHONY: import-dashboard test-importer

import-dashboard: $(STAMP)  ## import a dashboard exported from Grafana: make import-dashboard FILE=x.json [NAME=my_dash]
	@test -n "$(FILE)" || { echo "usage: make import-dashboard FILE=x.json [NAME=module_name] [ARGS=--dry-run]" >&2; exit 2; }
	$(PY) -m importer "$(FILE)" $(if $(NAME),--name "$(NAME)") $(ARGS)

test-importer: $(STAMP)  ## round-trip the five dashboards and the third-party fixtures through the importer
	$(PY) -m pytest -q tests/importer
