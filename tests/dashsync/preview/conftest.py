"""The preview tests reuse the native stack of tests/localstack (one per session, real binaries on free ports)."""

from __future__ import annotations

from tests.localstack.conftest import SCRAPE_INTERVAL, local_stack

__all__ = ["SCRAPE_INTERVAL", "local_stack"]
