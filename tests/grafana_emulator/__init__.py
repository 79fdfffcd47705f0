"""An in-process Grafana (legacy /api of 11.3-12.x) for dashsync's tests and demos.

    with Emulator(token="glsa_...") as grafana:
        grafana.url                 # http://127.0.0.1:<free port>
        grafana.inject(rate=0.2)    # 5xx answers and dropped connections, seeded
        grafana.traffic.writes      # requests that were not GET/HEAD

It follows the API contract the project was built from to the status code, JSON shape and message; where the
contract is silent (library panels), Grafana's own source was read and the shape kept minimal.
"""

from .server import Emulator, service_account_token

__all__ = ["Emulator", "service_account_token"]
