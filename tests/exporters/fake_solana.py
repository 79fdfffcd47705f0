"""A local Solana JSON-RPC server answering in the documented response shapes, scriptable per method.

Shapes follow solana.com/docs/rpc/http: getHealth "ok" or error -32005 ("Node is behind by N slots",
data.numSlotsBehind, or the generic "Node is unhealthy" with empty data); getBalance {context, value};
getVersion {"solana-core", "feature-set"}; getEpochInfo {absoluteSlot, blockHeight, epoch, slotIndex,
slotsInEpoch, transactionCount}; getSignaturesForAddress newest first, `until` exclusive; getTransaction
{slot, blockTime, meta: {err, fee, ...}, transaction} or null.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from localstack.solana_shapes import signatures_until, transaction


@dataclass
class Fault:
    """How a method misbehaves: sleep (a timeout for the client), an HTTP status, an RPC error, or garbage."""

    sleep: float = 0.0
    http_status: int | None = None
    rpc_error: dict | None = None
    garbage: bool = False


@dataclass
class ChainState:
    health: str = "ok"  # ok | behind | unhealthy
    slots_behind: int = 0
    slot: int = 166598
    block_height: int = 166500
    epoch_info: dict = field(
        default_factory=lambda: {
            "absoluteSlot": 166598,
            "blockHeight": 166500,
            "epoch": 27,
            "slotIndex": 2790,
            "slotsInEpoch": 8192,
            "transactionCount": 22661093,
        }
    )
    version: str = "2.1.16"
    balances: dict[str, int] = field(default_factory=dict)  # address -> lamports
    signatures: list[dict] = field(default_factory=list)  # newest first
    fees: dict[str, int] = field(default_factory=dict)  # signature -> lamports
    faults: dict[str, Fault] = field(default_factory=dict)
    # signatures whose getTransaction has "meta": null (documented: status metadata not available yet)
    null_meta: set[str] = field(default_factory=set)

    def add_transaction(self, signature: str, fee: int, failed: bool = False, slot: int = 0) -> None:
        err = {"InstructionError": [0, {"Custom": 6001}]} if failed else None
        self.signatures.insert(
            0,
            {
                "signature": signature,
                "slot": slot or self.slot,
                "err": err,
                "memo": None,
                "blockTime": 1764072000,
                "confirmationStatus": "finalized",
            },
        )
        self.fees[signature] = fee


class FakeSolanaRpc:
    def __init__(self, state: ChainState | None = None):
        self.state = state or ChainState()
        self.requests: list[tuple[float, str, Any]] = []  # (monotonic time, method, params)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/"

    def start(self) -> FakeSolanaRpc:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls(self, method: str) -> list[Any]:
        with self._lock:
            return [params for _, m, params in self.requests if m == method]

    def _answer(self, method: str, params: list) -> Any:
        s = self.state
        if method == "getHealth":
            if s.health == "behind":
                raise _RpcErr(-32005, f"Node is behind by {s.slots_behind} slots", {"numSlotsBehind": s.slots_behind})
            if s.health == "unhealthy":
                raise _RpcErr(-32005, "Node is unhealthy", {})
            return "ok"
        if method == "getSlot":
            return s.slot
        if method == "getBlockHeight":
            return s.block_height
        if method == "getEpochInfo":
            return s.epoch_info
        if method == "getVersion":
            return {"solana-core": s.version, "feature-set": 3271415109}
        if method == "getBalance":
            address = params[0]
            return {"context": {"apiVersion": s.version, "slot": s.slot}, "value": s.balances.get(address, 0)}
        if method == "getSignaturesForAddress":
            return signatures_until(s.signatures, params[1] if len(params) > 1 else {})
        if method == "getTransaction":
            signature = params[0]
            if signature not in s.fees:
                return None
            entry = next(e for e in s.signatures if e["signature"] == signature)
            result = transaction(entry, s.fees[signature])
            return {**result, "meta": None} if signature in s.null_meta else result
        raise _RpcErr(-32601, "Method not found")

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                method, params = body.get("method"), body.get("params") or []
                with fake._lock:
                    fake.requests.append((time.monotonic(), method, params))
                fault = fake.state.faults.get(method, Fault())
                if fault.sleep:
                    time.sleep(fault.sleep)
                if fault.http_status:
                    return self._send(fault.http_status, b"upstream trouble")
                if fault.garbage:
                    return self._send(200, b"<html>not json</html>")
                reply: dict[str, Any] = {"jsonrpc": "2.0", "id": body.get("id")}
                if fault.rpc_error:
                    reply["error"] = fault.rpc_error
                else:
                    try:
                        reply["result"] = fake._answer(method, params)
                    except _RpcErr as err:
                        reply["error"] = {
                            "code": err.code,
                            "message": err.message,
                            **({"data": err.data} if err.data is not None else {}),
                        }
                self._send(200, json.dumps(reply).encode())

            def _send(self, status: int, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout); that is the point of a slow fault

        return Handler


class _RpcErr(Exception):
    def __init__(self, code: int, message: str, data: Any = None):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data
