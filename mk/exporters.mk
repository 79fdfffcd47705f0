# The platform's own collectors (exporters/solana, exporters/business). See docs/exporters.md.
.PHONY: test-exporters exporters-check-config

test-exporters: $(STAMP)  ## run the exporters' tests (real PostgreSQL 15, local Solana JSON-RPC server)
	$(PY) -m pytest -q tests/exporters

exporters-check-config: $(STAMP)  ## validate the exporters' shipped configuration (queries.yml) without running them
	DATABASE_URL=postgresql://check@127.0.0.1/check $(PY) -m exporters.business --check-config
	SOLANA_RPC_URL=http://127.0.0.1:8899 $(PY) -m exporters.solana --check-config

.PHONY: exporters-requirements exporters-requirements-check
exporters-requirements: $(STAMP)  ## rewrite exporters/<image>/requirements.txt (hashed) from requirements.lock
	$(PY) -m exporters.image_requirements

exporters-requirements-check: $(STAMP)  ## fail when an image's hashed requirements are stale against requirements.lock
	$(PY) -m exporters.image_requirements --check
