# The bundled Docker stack (compose/), its operational scripts (scripts/monitoring/) and their checks (issue 6).
# Included by the Makefile (-include mk/*.mk). The checks run here without Docker.
.PHONY: compose-check test-compose health-check

compose-check: $(STAMP)  ## validate compose/docker-compose.yml (compose spec schema) and shellcheck every script
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec compose/docker-compose.yml
	shellcheck scripts/monitoring/*.sh compose/entrypoints/*.sh

test-compose: $(STAMP)  ## compose file checks, secrets entrypoint, and the scripts against real local services
	$(PY) -m pytest -q tests/compose tests/scripts

health-check:  ## run scripts/monitoring/health_check.sh against the running stack (env: HEALTH_SERVICES, *_URL)
	bash scripts/monitoring/health_check.sh
