"""A Solana JSON-RPC client that rate-limits, retries with backoff, and counts every request it sends.

Why it never raises anything unexpected: the exporter must keep serving metrics whatever the node does. A
JSON-RPC error object (e.g. -32005 "node is behind") is an answer and is returned as `RpcError`; transport
failures (timeouts, refused connections, HTTP 429/5xx, malformed bodies) are retried and end as
`RpcUnavailable`.
Each attempt is one sample in solana_rpc_requests_total{method,outcome} and in the duration histogram.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from exporters.solana.metrics import RpcMetrics
from exporters.solana.ratelimit import TokenBucket

log = logging.getLogger("exporters.solana.rpc")

# The bounded set of outcome label values.
SUCCESS, RPC_ERROR, TIMEOUT, CONNECTION_ERROR, HTTP_ERROR, INVALID_RESPONSE = (
    "success",
    "rpc_error",
    "timeout",
    "connection_error",
    "http_error",
    "invalid_response",
)
_RETRYABLE = frozenset({TIMEOUT, CONNECTION_ERROR, HTTP_ERROR})
MAX_BACKOFF_SECONDS = 10.0


class RpcError(Exception):
    """The node answered with a JSON-RPC error object."""

    def __init__(self, method: str, code: int, message: str, data: Any = None):
        super().__init__(f"{method}: RPC error {code}: {message}")
        self.method, self.code, self.message, self.data = method, code, message, data


class RpcUnavailable(Exception):
    """No usable answer after every retry; `outcome` is the last attempt's outcome label."""

    def __init__(self, method: str, outcome: str, detail: str):
        super().__init__(f"{method}: {outcome}: {detail}")
        self.method, self.outcome, self.detail = method, outcome, detail


class _AttemptFailed(Exception):
    def __init__(self, outcome: str, detail: str):
        super().__init__(detail)
        self.outcome, self.detail = outcome, detail


class RpcClient:
    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        retries: int,
        backoff: float,
        limiter: TokenBucket,
        metrics: RpcMetrics,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff
        self.limiter, self.metrics, self._sleep = limiter, metrics, sleep
        self._session = requests.Session()
        self._ids = itertools.count(1)

    def call(self, method: str, params: list | None = None) -> Any:
        """The method's `result`; raises RpcError for an error object, RpcUnavailable when unreachable."""
        for attempt in range(self.retries + 1):
            try:
                return self._attempt(method, params)
            except _AttemptFailed as failed:
                retryable = failed.outcome in _RETRYABLE and attempt < self.retries
                if not retryable:
                    raise RpcUnavailable(method, failed.outcome, failed.detail) from None
                delay = min(MAX_BACKOFF_SECONDS, self.backoff * (2**attempt))
                log.warning(
                    "%s failed (%s: %s), retry %d/%d in %.2fs",
                    method,
                    failed.outcome,
                    failed.detail,
                    attempt + 1,
                    self.retries,
                    delay,
                )
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, method: str, params: list | None) -> Any:
        self.limiter.acquire()
        payload: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self._ids), "method": method}
        if params is not None:
            payload["params"] = params
        started = time.monotonic()
        outcome = INVALID_RESPONSE
        try:
            try:
                response = self._session.post(self.url, json=payload, timeout=self.timeout)
            except requests.Timeout as exc:
                outcome = TIMEOUT
                raise _AttemptFailed(TIMEOUT, f"no answer within {self.timeout:g}s") from exc
            except requests.RequestException as exc:
                outcome = CONNECTION_ERROR
                raise _AttemptFailed(CONNECTION_ERROR, type(exc).__name__) from exc
            if response.status_code == 429 or response.status_code >= 500:
                outcome = HTTP_ERROR
                raise _AttemptFailed(HTTP_ERROR, f"HTTP {response.status_code}")
            try:
                body = response.json()
            except ValueError:
                raise _AttemptFailed(INVALID_RESPONSE, f"HTTP {response.status_code}, body is not JSON") from None
            if not isinstance(body, dict) or ("result" not in body and "error" not in body):
                raise _AttemptFailed(INVALID_RESPONSE, f"HTTP {response.status_code}, not a JSON-RPC response")
            error = body.get("error")
            if error is not None:
                outcome = RPC_ERROR
                if not isinstance(error, dict):
                    raise RpcError(method, 0, str(error))
                raise RpcError(method, int(error.get("code", 0)), str(error.get("message", "")), error.get("data"))
            outcome = SUCCESS
            return body["result"]
        finally:
            self.metrics.observe(method, outcome, time.monotonic() - started)
