# Dashboard linter and the native local stack (issue 5). Included by the Makefile (-include mk/*.mk).

.PHONY: lint-dashboards stack-local stack-local-down stack-local-status stack-test

lint-dashboards: $(STAMP)  ## lint the compiled dashboards (python -m dashboards lint; FILES=... for others)
	$(PY) -m lint $(FILES)

stack-local: $(STAMP)  ## start the native stack on 127.0.0.1 (Debian prometheus, exporters, PostgreSQL, Redis, load)
	$(PY) -m localstack up

stack-local-down: $(STAMP)  ## stop everything stack-local started (and only that)
	$(PY) -m localstack down

stack-local-status: $(STAMP)  ## list the native stack's services; exit 1 when one is down
	$(PY) -m localstack status

stack-test: $(STAMP)  ## run the "every panel shows data" tests on a fresh native stack
	$(PY) -m pytest tests/localstack -q
