# Two commands on a fresh Debian machine:
#   make dashboards   virtualenv + install + compile dashboards and rules into provisioning/ and compose/
#   make test         the above, plus the Debian packages the tests need, then the whole suite
# Area-specific targets live in mk/*.mk, one file per area, so each area's recipe stays next to its peers.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv dashboards check system-deps test bench clean help
.DEFAULT_GOAL := help

help:  ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | sort

# Dependencies come from requirements.lock (exact versions and hashes, `make lock` regenerates it from
# pyproject.toml); the project itself is then installed without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

venv: $(STAMP)  ## create the virtualenv and install the project

dashboards: $(STAMP)  ## compile the dashboards, provisioning YAML and Prometheus/Alertmanager rules
	$(PY) -m dashboards build

check: $(STAMP)  ## fail when the committed generated files are stale
	$(PY) -m dashboards check

system-deps:  ## install the Debian packages the tests run for real (apt, only what is missing)
	bash scripts/install-system-deps.sh

test: $(STAMP) system-deps  ## install everything the tests need and run the whole suite
	$(PY) -m dashboards check
	$(PY) -m dashboards lint
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m pytest

bench: $(STAMP)  ## print build, diff, backup and push figures and ratios
	$(PY) -m bench

clean:  ## remove the virtualenv and caches (never provisioning/)
	rm -rf $(VENV) .pytest_cache .ruff_cache

-include mk/*.mk
