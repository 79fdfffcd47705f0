"""Solana JSON-RPC result shapes (solana.com/docs/rpc/http), shared by every fake node in this repository.

The local stack's moving chain and the exporter tests' scriptable node answer the same methods; building the
answers in one place keeps both faithful to the documented format.
"""

from __future__ import annotations

from typing import Any


def signatures_until(signatures: list[dict[str, Any]], options: dict[str, Any]) -> list[dict[str, Any]]:
    """getSignaturesForAddress: newest first, stopping before `until` (exclusive), at most `limit`."""
    out = []
    for entry in signatures:
        if entry["signature"] == options.get("until"):
            break
        out.append(entry)
    return out[: options.get("limit", 1000)]


def transaction(entry: dict[str, Any], fee: int) -> dict[str, Any]:
    """getTransaction's result for a signature entry ({signature, slot, blockTime, err}) that paid `fee`."""
    return {
        "slot": entry["slot"],
        "blockTime": entry["blockTime"],
        "version": 0,
        "meta": {
            "err": entry["err"],
            "fee": fee,
            "preBalances": [10_000_000, 1],
            "postBalances": [10_000_000 - fee, 1],
            "innerInstructions": [],
            "logMessages": [],
            "preTokenBalances": [],
            "postTokenBalances": [],
            "rewards": [],
            "status": {"Ok": None} if entry["err"] is None else {"Err": entry["err"]},
        },
        "transaction": {
            "message": {"accountKeys": [], "instructions": [], "recentBlockhash": "1"},
            "signatures": [entry["signature"]],
        },
    }
