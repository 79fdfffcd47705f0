"""Where the runbooks live: every alert's `runbook_url` is this base plus `/<family>.md`.

Kept in signals so a fork of the repository changes one line and every alert links to its own copy of
`runbooks/`; the tests check that the file behind each link exists.
"""

from __future__ import annotations

RUNBOOK_BASE_URL = "https://github.com/anonymeme/monitoring/blob/main/runbooks"


def runbook_url(family: str) -> str:
    """The public link to `runbooks/<family>.md`."""
    return f"{RUNBOOK_BASE_URL}/{family}.md"
