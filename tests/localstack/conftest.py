"""The native stack for the whole test session: started once, on 127.0.0.1 and free ports, always stopped.

Scrapes and rule evaluations run every second here, so a few seconds after start every target has been scraped
several times and every rule group evaluated; a missing Debian binary fails (never skips) with its name and
`make system-deps`.

The session's stack runs the scale-out path too (`scale_out`: VictoriaMetrics fed by Prometheus's remote-write,
vmalert on the rules): Prometheus answers the same with or without a remote-write, and one stack for both
test_panels_show_data.py and test_victoriametrics.py keeps the suite's run time (and the machine's load) down.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from localstack import stack as st
from localstack.process import ServiceError

SCRAPE_INTERVAL = "1s"


@pytest.fixture(scope="session")
def local_stack(request: pytest.FixtureRequest) -> Iterator[st.Stack]:
    state_dir = Path(tempfile.mkdtemp(prefix="anonymeme-stack-"))
    try:
        stack = st.start(state_dir, interval=SCRAPE_INTERVAL, scale_out=True)
    except ServiceError as e:
        pytest.fail(f"native stack did not start: {e}", pytrace=False)
    request.addfinalizer(stack.stop)
    try:
        st.wait_until_ready(stack, scrapes=3)
    except ServiceError as e:
        pytest.fail(str(e), pytrace=False)
    yield stack
