"""A local Solana JSON-RPC endpoint with a chain that moves, so the REAL Solana exporter runs in the stack.

There is no Solana node here; this answers the methods exporters/solana calls, in the shapes documented at
solana.com/docs/rpc/http: the slot advances about 2.5 per second, block height and transaction count follow, and
the platform program gains signed transactions (about 2% failed) whose fees getTransaction reports.
"""

from __future__ import annotations

import json
import random
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from localstack.process import LOOPBACK
from localstack.solana_shapes import signatures_until, transaction

# Made-up base58 addresses for the stack's configuration (no real account is ever asked about).
PROGRAM_ADDRESS = "AnonymemeLoca1StackProgram1111111111111111"
ACCOUNTS = {
    "treasury": "AnonymemeLoca1StackTreasury111111111111111",
    "fee_payer": "AnonymemeLoca1StackFeePayer111111111111111",
}
SLOTS_PER_SECOND = 2.5
SLOTS_IN_EPOCH = 432_000


class Chain:
    def __init__(self, seed: int = 5) -> None:
        self.start, self.rng, self.lock = time.time(), random.Random(seed), threading.Lock()  # noqa: S311
        self.signatures: list[dict[str, Any]] = []  # newest first
        self.fees: dict[str, int] = {}

    def slot(self) -> int:
        return 290_000_000 + int((time.time() - self.start) * SLOTS_PER_SECOND)

    def _grow(self) -> None:
        for _ in range(self.rng.randint(0, 4)):
            sig = secrets.token_hex(32)
            err = {"InstructionError": [0, "Custom"]} if self.rng.random() < 0.02 else None
            self.signatures.insert(
                0,
                {
                    "signature": sig,
                    "slot": self.slot(),
                    "err": err,
                    "blockTime": int(time.time()),
                    "memo": None,
                    "confirmationStatus": "finalized",
                },
            )
            self.fees[sig] = self.rng.randint(5000, 20000)
        del self.signatures[2000:]

    def answer(self, method: str, params: list) -> Any:
        slot = self.slot()
        if method == "getHealth":
            return "ok"
        if method == "getSlot":
            return slot
        if method == "getBlockHeight":
            return slot - 20_000_000
        if method == "getEpochInfo":
            return {
                "absoluteSlot": slot,
                "blockHeight": slot - 20_000_000,
                "epoch": slot // SLOTS_IN_EPOCH,
                "slotIndex": slot % SLOTS_IN_EPOCH,
                "slotsInEpoch": SLOTS_IN_EPOCH,
                "transactionCount": 400_000_000_000 + (slot - 290_000_000) * 3000,
            }
        if method == "getVersion":
            return {"solana-core": "2.1.16", "feature-set": 3271415109}
        if method == "getBalance":
            return {
                "context": {"apiVersion": "2.1.16", "slot": slot},
                "value": self.rng.randint(10, 500) * 1_000_000_000,
            }
        with self.lock:
            if method == "getSignaturesForAddress":
                self._grow()
                options = params[1] if len(params) > 1 and isinstance(params[1], dict) else {}
                return signatures_until(self.signatures, options)
            if method == "getTransaction":
                sig = params[0] if params else None
                entry = next((e for e in self.signatures if e["signature"] == sig), None)
                if entry is None:
                    return None
                return transaction(entry, self.fees[sig])
        raise KeyError(method)


def serve(port: int) -> ThreadingHTTPServer:
    """Answer JSON-RPC POSTs on 127.0.0.1:port in a background thread."""
    chain = Chain()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            except ValueError:
                body = {}
            reply: dict[str, Any] = {"jsonrpc": "2.0", "id": body.get("id")}
            try:
                reply["result"] = chain.answer(str(body.get("method")), body.get("params") or [])
            except KeyError:
                reply["error"] = {"code": -32601, "message": "Method not found"}
            payload = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((LOOPBACK, port), Handler)
    threading.Thread(target=server.serve_forever, name="solana-rpc", daemon=True).start()
    return server
