# Pull-request review of generated dashboards and rules (issue 7). Included by the Makefile (-include mk/*.mk).

.PHONY: review review-golden

REVIEW_BASE ?= origin/main

review: $(STAMP)  ## what this branch does to dashboards and rules vs REVIEW_BASE (markdown + SVGs in build/review)
	$(PY) -m dashsync.review --against git:$(REVIEW_BASE) --format markdown \
	  --pictures build/review/pictures --output build/review/review.md || test $$? -eq 1
	@cat build/review/review.md

review-golden: $(STAMP)  ## rewrite tests/dashsync/review/golden/review.md after an intended wording change (then review it)
	REVIEW_UPDATE_GOLDEN=1 $(PY) -m pytest tests/dashsync/review/test_markdown.py -q
