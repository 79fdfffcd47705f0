"""The exporter's configuration: read from the environment once, validated before anything starts.

Why a separate pure function: a typo in SOLANA_ACCOUNTS or a negative interval must stop the container at
start with one clear line, not surface later as a silent gap in the metrics.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from exporters.runtime import ConfigError, env_log_level, env_number, env_port

DEFAULT_PORT = 9301  # signals.jobs.SOLANA.port
_BASE58 = re.compile(r"^[1-9A-HJ-NP-Za-km-z]{32,44}$")
_ACCOUNT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
COMMITMENTS = ("finalized", "confirmed")  # getSignaturesForAddress and getTransaction refuse "processed"


@dataclass(frozen=True)
class Account:
    """A platform wallet watched for its balance; only `name` becomes a label (addresses must not)."""

    name: str
    address: str


@dataclass(frozen=True)
class Config:
    rpc_url: str
    contract_address: str | None = None
    accounts: tuple[Account, ...] = ()
    poll_interval: float = 30.0
    rpc_timeout: float = 5.0
    max_rps: float = 5.0
    rpc_retries: int = 2
    retry_backoff: float = 0.5
    commitment: str = "finalized"
    signatures_limit: int = 1000
    fee_lookups_per_poll: int = 20
    listen_address: str = "0.0.0.0"  # noqa: S104 (a container must be reachable by Prometheus)
    listen_port: int = DEFAULT_PORT
    log_level: str = "INFO"


def parse_accounts(text: str) -> tuple[Account, ...]:
    """`name=address,name=address` -> accounts; names are label values, so they are restricted."""
    accounts: list[Account] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, address = (s.strip() for s in item.partition("="))
        if not sep or not name or not address:
            raise ConfigError(f"SOLANA_ACCOUNTS: {item!r} is not name=address")
        if not _ACCOUNT_NAME.match(name):
            raise ConfigError(f"SOLANA_ACCOUNTS: account name {name!r} must match {_ACCOUNT_NAME.pattern}")
        if not _BASE58.match(address):
            raise ConfigError(f"SOLANA_ACCOUNTS: the address of {name!r} is not a base58 public key")
        if any(a.name == name for a in accounts):
            raise ConfigError(f"SOLANA_ACCOUNTS: account name {name!r} is repeated")
        accounts.append(Account(name, address))
    return tuple(accounts)


def from_env(env: Mapping[str, str]) -> Config:
    """Build the configuration from environment variables (empty values mean "use the default")."""
    rpc_url = env.get("SOLANA_RPC_URL", "").strip()
    if not rpc_url:
        raise ConfigError("SOLANA_RPC_URL is required (the Solana JSON-RPC endpoint, e.g. http://rpc:8899)")
    parsed = urlparse(rpc_url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError("SOLANA_RPC_URL must be an http(s) URL")
    contract = env.get("CONTRACT_ADDRESS", "").strip() or None
    if contract is not None and not _BASE58.match(contract):
        raise ConfigError("CONTRACT_ADDRESS is not a base58 public key")
    commitment = env.get("SOLANA_COMMITMENT", "").strip() or "finalized"
    if commitment not in COMMITMENTS:
        raise ConfigError(f"SOLANA_COMMITMENT must be one of {', '.join(COMMITMENTS)}")
    max_rps = env_number(env, "RPC_MAX_RPS", 5.0, 0.1)
    return Config(
        rpc_url=rpc_url,
        contract_address=contract,
        accounts=parse_accounts(env.get("SOLANA_ACCOUNTS", "")),
        poll_interval=env_number(env, "POLL_INTERVAL_SECONDS", 30.0, 0.1),
        rpc_timeout=env_number(env, "RPC_TIMEOUT_SECONDS", 5.0, 0.05),
        max_rps=max_rps,
        rpc_retries=env_number(env, "RPC_RETRIES", 2, 0, integer=True),
        retry_backoff=env_number(env, "RPC_RETRY_BACKOFF_SECONDS", 0.5, 0.0),
        commitment=commitment,
        signatures_limit=min(env_number(env, "SIGNATURES_LIMIT", 1000, 1, integer=True), 1000),
        fee_lookups_per_poll=env_number(env, "FEE_LOOKUPS_PER_POLL", 20, 0, integer=True),
        listen_address=env.get("LISTEN_ADDRESS", "").strip() or "0.0.0.0",  # noqa: S104
        listen_port=env_port(env, "LISTEN_PORT", DEFAULT_PORT),
        log_level=env_log_level(env),
    )
