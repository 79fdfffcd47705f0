"""Run every benchmark area in turn; each prints its own figures and ratios, then the process's peak memory."""

from __future__ import annotations

import resource
import sys

from bench import build, diff, sync


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> int:
    for area in (build, sync, diff):
        area.run()
        print(f"  peak memory of the bench process so far: {_peak_rss_mib():.0f} MiB")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
