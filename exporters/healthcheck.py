"""`python -m exporters.healthcheck PORT`: the containers' HEALTHCHECK (slim images have no curl).

Exit 0 when http://127.0.0.1:$LISTEN_PORT/health answers 200, else 1; the port argument is the default when
LISTEN_PORT is not set, so the check follows a port changed at run time.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    port = os.environ.get("LISTEN_PORT") or (argv[1] if len(argv) > 1 else "")
    if not port.isdigit():
        print("usage: python -m exporters.healthcheck PORT (or set LISTEN_PORT)", file=sys.stderr)
        return 2
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
