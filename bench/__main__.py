"""Run every benchmark area in turn; each prints its own figures and ratios."""

from __future__ import annotations

import sys

from bench import build, diff, sync


def main() -> int:
    for area in (build, sync, diff):
        area.run()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
