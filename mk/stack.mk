# Dashboard linter and the native local stack (issue 5). Included by the Makefile (-include mk/*.mk).

.PHONY: lint-dashboards stack-local stack-local-down stack-local-status

lint-dashboards: $(STAMP)  ## lint the compiled dashboards (python -m dashboards lint; FILES=... for others)
	$(PY) -m dashboards.lint $(FILES)
