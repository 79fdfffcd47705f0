# Security: sensitive labels, TLS and basic auth, secret canaries, compose hardening, supply chain
# (see docs/security.md).

.PHONY: test-security lock audit

test-security: $(STAMP) system-deps  ## real-Prometheus relabel/TLS tests, secret canaries, compose hardening
	$(PY) -m pytest tests/security

lock:  ## regenerate requirements.lock (hashes) from pyproject.toml in a throwaway venv
	bash scripts/lock-requirements.sh

# Needs network (the PyPI/OSV vulnerability database): CI runs it, `make test` does not depend on it.
# pip-audit lives in a throwaway venv so it is not a project dependency. Not --strict: a locked version the
# vulnerability service does not know is reported and skipped, not a failure.
audit:  ## pip-audit requirements.lock against the PyPI vulnerability database
	@tmp=$$(mktemp -d /tmp/pip-audit.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet pip-audit; \
	"$$tmp/venv/bin/pip-audit" --require-hashes --disable-pip -r requirements.lock
