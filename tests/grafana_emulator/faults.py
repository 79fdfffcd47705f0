"""Fault injection for the reliability tests: latency, 5xx answers and dropped connections.

A seeded random generator makes a failing run reproducible. A dropped connection happens either before the
request is handled or after it was applied (the answer is lost), because the second case is the one that
tests whether a client's retries are really safe to repeat.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

FAULT_KINDS = ("error", "drop")


@dataclass
class FaultPlan:
    """What to inject: `rate` is the chance that one request fails; `latency` applies to every request."""

    rate: float = 0.0
    kinds: tuple[str, ...] = FAULT_KINDS
    latency: float = 0.0
    seed: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        self._rng.seed(self.seed)

    def draw(self) -> str | None:
        """Decide the fate of one request: None, 'error', 'drop-before' or 'drop-after'."""
        with self._lock:
            if self.rate <= 0 or self._rng.random() >= self.rate:
                return None
            kind = self._rng.choice(self.kinds)
            if kind == "drop":
                return self._rng.choice(("drop-before", "drop-after"))
            return kind

    def error_status(self) -> int:
        with self._lock:
            return self._rng.choice((500, 502, 503, 504))
