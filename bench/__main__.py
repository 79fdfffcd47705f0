"""Run every benchmark area in turn; each prints its own figures and ratios."""

from __future__ import annotations

import importlib
import sys

AREAS = ("bench.build", "bench.sync", "bench.diff")


def main() -> int:
    for name in AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"{name}: not present")
            continue
        module.run()
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
