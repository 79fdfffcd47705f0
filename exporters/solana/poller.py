"""One poll of the Solana node: health, chain progress, version, balances and the program's new transactions.

Why polling and not scrape-time calls: a scrape must answer fast whatever the node does, and the RPC budget
(RPC_MAX_RPS) must not depend on how many Prometheus servers scrape us. Every failure ends in the metrics
(a missing gauge, exporter_up 0, solana_rpc_requests_total{outcome!="success"}) and a log line, never a crash.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry

from exporters.runtime import Heartbeat
from exporters.solana.config import Config
from exporters.solana.metrics import (
    LAMPORTS_PER_SOL,
    EpochInfo,
    NodeSnapshot,
    PollMetrics,
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
T = TypeVar("T")


class SolanaPoller:
    def __init__(self, config: Config, registry: CollectorRegistry | None = None):
        self.config = config
        self.registry = registry if registry is not None else CollectorRegistry()
        self.snapshots = SnapshotCollector()
        self.registry.register(self.snapshots)
        self.program = ProgramMetrics(self.registry)
        self.poll_metrics = PollMetrics(self.registry)
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
        # A poll may legitimately take a few RPC timeouts (with retries) on top of its interval.
        self.heartbeat = Heartbeat(config.poll_interval, config.rpc_timeout * (config.rpc_retries + 1) * 10)
        self._lock = threading.Lock()

    # --- one poll ----------------------------------------------------------------------------------------
    def poll_once(self) -> NodeSnapshot:
        """Query everything once and publish the new snapshot; never raises for RPC trouble."""
        with self._lock:
            self._reached = False
            commitment = [{"commitment": self.config.commitment}]
            healthy, behind = self._step("health", self._health, (False, None))
            slot = self._step("slot", lambda: self._int(self._call("getSlot", commitment)), None)
            height = self._step("block_height", lambda: self._int(self._call("getBlockHeight", commitment)), None)
            epoch = self._step("epoch", lambda: self._epoch(self._call("getEpochInfo", commitment)), None)
            version = self._step("version", lambda: self._version(self._call("getVersion")), None)
            balances = self._step("balances", self._balances, ())
            self._step("program_transactions", self._program_transactions, None)
            self._step("program_fees", self._program_fees, None)
            snapshot = NodeSnapshot(self._reached, healthy, behind, slot, height, epoch, version, balances)
            self.snapshots.snapshot = snapshot
            self.polls += 1
            self.heartbeat.beat()
            return snapshot

    def _step(self, step: str, run: Callable[[], T], failed: T) -> T:
        """Run one step of the poll; an exception (a bug, an answer of an unforeseen shape) is counted in
        solana_exporter_poll_errors_total{step}, logged with its traceback, and the step yields `failed`.

        Why per step: one bad answer must cost only what that step would have published, never the whole
        snapshot, the poll count or the program's signature bookkeeping.
        """
        try:
            return run()
        except Exception:
            self.poll_metrics.errors.labels(step=step).inc()
            log.exception("poll step %s failed; the poll goes on without it", step)
            return failed

    def _balances(self) -> tuple[tuple[str, float], ...]:
        return tuple(
            (account.name, lamports / LAMPORTS_PER_SOL)
            for account in self.config.accounts
            if (lamports := self._balance(account.address)) is not None
        )

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
        """Fetch meta.fee for at most FEE_LOOKUPS_PER_POLL pending signatures; the rest wait a poll.

        A signature whose answer is null, has "meta": null (documented while status metadata is not available)
        or no usable fee is retried at later polls, up to FEE_LOOKUP_ATTEMPTS lookups. Popped signatures are
        put back even when a lookup raises, so an exception never loses one.
        """
        retry: list[_PendingFee] = []
        try:
            for _ in range(min(self.config.fee_lookups_per_poll, len(self._pending_fees))):
                pending = self._pending_fees.popleft()
                try:
                    fee = self._fee(pending.signature)
                    if fee is not None:
                        self.program.fees_sol.inc(fee / LAMPORTS_PER_SOL)
                except RpcUnavailable as exc:
                    log.warning("%s", exc)
                    retry.append(pending)
                    break  # the endpoint is struggling: leave the rest for the next poll
                except Exception:
                    self._retry_or_drop(pending, retry)
                    raise
                if fee is None:
                    self._retry_or_drop(pending, retry)
        finally:
            self._pending_fees.extendleft(reversed(retry))

    def _fee(self, signature: str) -> int | None:
        """The transaction's fee in lamports, or None when the node has no (usable) answer yet."""
        params = {"commitment": self.config.commitment, "encoding": "json", "maxSupportedTransactionVersion": 0}
        try:
            result = self.client.call("getTransaction", [signature, params])
        except RpcError as exc:
            self._reached = True
            log.warning("%s", exc)
            return None
        self._reached = True
        meta = result.get("meta") if isinstance(result, dict) else None
        fee = meta.get("fee") if isinstance(meta, dict) else None
        if isinstance(fee, int) and not isinstance(fee, bool) and fee >= 0:
            return fee
        return None

    @staticmethod
    def _retry_or_drop(pending: _PendingFee, retry: list[_PendingFee]) -> None:
        if pending.attempts + 1 < FEE_LOOKUP_ATTEMPTS:
            retry.append(_PendingFee(pending.signature, pending.attempts + 1))
        else:
            log.warning("getTransaction: no fee for a program transaction after %d attempts", FEE_LOOKUP_ATTEMPTS)

    # --- health ------------------------------------------------------------------------------------------
    def health(self) -> tuple[bool, dict]:
        """`Heartbeat`'s rule (exporters.runtime); the RPC node's own health is a metric, not this."""
        return self.heartbeat.healthy(), {
            "polls": self.polls,
            "last_poll_age_seconds": self.heartbeat.age(),
            "rpc_reachable": self.snapshots.snapshot.up,
        }
