"""A token bucket: the exporter never sends more than `rate` requests per second to the RPC endpoint.

Why: public and paid RPC providers throttle or bill per request, and a poll fans out into one request per
account and per new program transaction. Callers reserve a token and sleep outside the lock, so concurrent
callers queue fairly instead of spinning.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """`capacity` tokens refilled at `rate` per second; `acquire()` blocks until a token is available.

    With the default capacity of 1, requests are spaced at least 1/rate seconds apart, so no one-second window
    ever holds more than `rate` of them.
    """

    def __init__(
        self,
        rate: float,
        capacity: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if rate <= 0 or capacity < 1:
            raise ValueError("rate must be > 0 and capacity >= 1")
        self.rate, self.capacity = rate, capacity
        self._clock, self._sleep = clock, sleep
        self._tokens = capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one token (possibly borrowed from the future); returns how long the caller must wait."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            self._tokens -= 1.0
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self) -> float:
        """Block until the caller may send; returns the seconds waited."""
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait
