"""One poll of the Solana node: health, chain progress, version, balances and the program's new transactions.

Why polling and not scrape-time calls: a scrape must answer fast whatever the node does, and the RPC budget
(RPC_MAX_RPS) must not depend on how many Prometheus servers scrape us. Every failure ends in the metrics
(a missing gauge, exporter_up 0, solana_rpc_requests_total{outcome!="success"}) and a log line, never a crash.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry

from exporters.solana.config import Config
from exporters.solana.metrics import (
    LAMPORTS_PER_SOL,
    EpochInfo,
    NodeSnapshot,
    ProgramMetrics,
    RpcMetrics,
    SnapshotCollector,
)
from exporters.solana.ratelimit import TokenBucket
from exporters.solana.rpc import RpcClient, RpcError, RpcUnavailable

log = logging.getLogger("exporters.solana")

NODE_UNHEALTHY = -32005  # getHealth's error code; data.numSlotsBehind when the node knows its lag
FEE_LOOKUP_ATTEMPTS = 3  # getTransaction may return null until the transaction is finalized
PENDING_FEES_MAX = 10_000


@dataclass(frozen=True)
class _PendingFee:
    signature: str
    attempts: int = 0


class _Missing:
    """Sentinel for "the call failed" (a JSON null result is a valid answer for some methods)."""


MISSING = _Missing()


class SolanaPoller:
    def __init__(self, config: Config, registry: CollectorRegistry | None = None):
        self.config = config
        self.registry = registry if registry is not None else CollectorRegistry()
        self.snapshots = SnapshotCollector()
        self.registry.register(self.snapshots)
        self.program = ProgramMetrics(self.registry)
        self.client = RpcClient(
            config.rpc_url,
            timeout=config.rpc_timeout,
            retries=config.rpc_retries,
            backoff=config.retry_backoff,
            limiter=TokenBucket(config.max_rps),
            metrics=RpcMetrics(self.registry),
        )
        self._last_signature: str | None = None
        self._pending_fees: collections.deque[_PendingFee] = collections.deque(maxlen=PENDING_FEES_MAX)
        self._reached = False
        self.polls = 0
        self.started = time.monotonic()
        self.last_poll_finished: float | None = None  # time.monotonic()
        self._lock = threading.Lock()

    # --- one poll ----------------------------------------------------------------------------------------
    def poll_once(self) -> NodeSnapshot:
        """Query everything once and publish the new snapshot; never raises for RPC trouble."""
        with self._lock:
            self._reached = False
            healthy, behind = self._health()
            slot = self._int(self._call("getSlot", [{"commitment": self.config.commitment}]))
            height = self._int(self._call("getBlockHeight", [{"commitment": self.config.commitment}]))
            epoch = self._epoch(self._call("getEpochInfo", [{"commitment": self.config.commitment}]))
            version = self._version(self._call("getVersion"))
            balances = tuple(
                (account.name, lamports / LAMPORTS_PER_SOL)
                for account in self.config.accounts
                if (lamports := self._balance(account.address)) is not None
            )
            self._program_transactions()
            self._program_fees()
            snapshot = NodeSnapshot(self._reached, healthy, behind, slot, height, epoch, version, balances)
            self.snapshots.snapshot = snapshot
            self.polls += 1
            self.last_poll_finished = time.monotonic()
            return snapshot

    def _call(self, method: str, params: list | None = None) -> Any:
        """The result, or MISSING after logging; RpcError is re-raised only for getHealth's caller."""
        try:
            result = self.client.call(method, params)
            self._reached = True
            return result
        except RpcError as exc:
            self._reached = True
            log.warning("%s", exc)
        except RpcUnavailable as exc:
            log.warning("%s", exc)
        return MISSING

    def _health(self) -> tuple[bool, int | None]:
        try:
            result = self.client.call("getHealth")
        except RpcError as exc:
            self._reached = True
            if exc.code == NODE_UNHEALTHY:
                behind = exc.data.get("numSlotsBehind") if isinstance(exc.data, dict) else None
                log.warning("node unhealthy: %s", exc.message)
                return False, behind if isinstance(behind, int) else None
            log.warning("%s", exc)
            return False, None
        except RpcUnavailable as exc:
            log.warning("%s", exc)
            return False, None
        self._reached = True
        return result == "ok", 0 if result == "ok" else None

    @staticmethod
    def _int(result: Any) -> int | None:
        return result if isinstance(result, int) and not isinstance(result, bool) else None

    def _epoch(self, result: Any) -> EpochInfo | None:
        try:
            first = int(result["absoluteSlot"]) - int(result["slotIndex"])
            count = result.get("transactionCount")
            return EpochInfo(
                int(result["epoch"]),
                first,
                first + int(result["slotsInEpoch"]) - 1,
                int(count) if count is not None else None,
            )
        except (TypeError, KeyError, ValueError, AttributeError):
            if result is not MISSING:
                log.warning("getEpochInfo: unexpected result shape")
            return None

    @staticmethod
    def _version(result: Any) -> str | None:
        version = result.get("solana-core") if isinstance(result, dict) else None
        return version if isinstance(version, str) and version else None

    def _balance(self, address: str) -> int | None:
        result = self._call("getBalance", [address, {"commitment": self.config.commitment}])
        value = result.get("value") if isinstance(result, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    # --- the platform program ----------------------------------------------------------------------------
    def _program_transactions(self) -> None:
        """Count signatures newer than the last one seen (`until`); the first poll only sets that baseline.

        Why a baseline: counting the address's whole recent history at every restart would show as a burst of
        transactions that did not happen now. Counters restart at 0, which rate() handles.
        """
        contract = self.config.contract_address
        if contract is None:
            return
        options: dict[str, Any] = {
            "commitment": self.config.commitment,
            "limit": self.config.signatures_limit,
        }
        if self._last_signature is not None:
            options["until"] = self._last_signature
        result = self._call("getSignaturesForAddress", [contract, options])
        if not isinstance(result, list):
            if result is not MISSING:
                log.warning("getSignaturesForAddress: unexpected result shape")
            return
        entries = [e for e in result if isinstance(e, dict) and isinstance(e.get("signature"), str)]
        if not entries:
            return
        baseline = self._last_signature is None
        newest = entries[0]["signature"]  # results are newest first
        fresh = [e for e in entries if e["signature"] != self._last_signature]
        self._last_signature = newest
        if baseline:
            log.info("program %s: baseline set at the newest of %d signatures", contract, len(entries))
            return
        if len(entries) >= self.config.signatures_limit:
            log.warning(
                "program %s: %d new signatures reached SIGNATURES_LIMIT, older ones were skipped",
                contract,
                len(entries),
            )
        for entry in fresh:
            status = "success" if entry.get("err") is None else "failed"
            self.program.transactions.labels(status=status).inc()
        for entry in reversed(fresh):  # oldest first
            self._pending_fees.append(_PendingFee(entry["signature"]))

    def _program_fees(self) -> None:
        """Fetch meta.fee for at most FEE_LOOKUPS_PER_POLL pending signatures; the rest wait a poll."""
        retry: list[_PendingFee] = []
        for _ in range(min(self.config.fee_lookups_per_poll, len(self._pending_fees))):
            pending = self._pending_fees.popleft()
            try:
                result = self.client.call(
                    "getTransaction",
                    [
                        pending.signature,
                        {
                            "commitment": self.config.commitment,
                            "encoding": "json",
                            "maxSupportedTransactionVersion": 0,
                        },
                    ],
                )
            except RpcError as exc:
                self._reached = True
                log.warning("%s", exc)
                result = None
            except RpcUnavailable as exc:
                log.warning("%s", exc)
                retry.append(pending)
                break  # the endpoint is struggling: leave the rest for the next poll
            self._reached = True
            fee = result.get("meta", {}).get("fee") if isinstance(result, dict) else None
            if isinstance(fee, int) and not isinstance(fee, bool) and fee >= 0:
                self.program.fees_sol.inc(fee / LAMPORTS_PER_SOL)
            elif pending.attempts + 1 < FEE_LOOKUP_ATTEMPTS:
                retry.append(_PendingFee(pending.signature, pending.attempts + 1))
            else:
                log.warning(
                    "getTransaction: no fee for a program transaction after %d attempts", FEE_LOOKUP_ATTEMPTS
                )
        self._pending_fees.extendleft(reversed(retry))

    # --- health ------------------------------------------------------------------------------------------
    def health(self) -> tuple[bool, dict]:
        """Healthy while the poll loop keeps finishing polls; the RPC node's own health is a metric."""
        now = time.monotonic()
        age = None if self.last_poll_finished is None else round(now - self.last_poll_finished, 3)
        # A poll may legitimately take a few RPC timeouts (with retries) on top of its interval.
        budget = self.config.poll_interval * 3 + self.config.rpc_timeout * (self.config.rpc_retries + 1) * 10
        since = now - (self.last_poll_finished if self.last_poll_finished is not None else self.started)
        healthy = since <= budget
        return healthy, {
            "polls": self.polls,
            "last_poll_age_seconds": age,
            "rpc_reachable": self.snapshots.snapshot.up,
        }
