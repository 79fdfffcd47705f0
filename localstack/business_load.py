"""Platform activity written into the local PostgreSQL, so the REAL business collector has something to count.

The business metrics are SQL over the platform's tables (exporters/business/queries.yml); rather than imitate
the collector, the stack runs it and this writer plays the platform: users register and come back, tokens are
created and some graduate, trades, on-chain transactions and revenue accrue, in the tables of
exporters/business/schema.sql.
"""

from __future__ import annotations

import random
import secrets
from pathlib import Path

import psycopg

SCHEMA = Path(__file__).resolve().parents[1] / "exporters" / "business" / "schema.sql"
DATABASE = "anonymeme"
TX_TYPES = ("trade", "create_token", "graduate", "withdraw")
REVENUE_SOURCES = ("trading_fee", "listing_fee")


def create_database(admin_dsn: str) -> None:
    """Create the platform database and its tables (exporters/business/schema.sql)."""
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    with psycopg.connect(admin_dsn.rsplit("/", 1)[0] + f"/{DATABASE}", autocommit=True) as conn:
        conn.execute(SCHEMA.read_text(encoding="utf-8"))


class BusinessLoad:
    """One connection; each `tick()` is a fraction of a second of platform activity."""

    def __init__(self, dsn: str, seed: int = 11) -> None:
        self.conn = psycopg.connect(dsn, autocommit=True)
        self.rng = random.Random(seed)  # noqa: S311 (load, not cryptography)

    def _address(self) -> str:
        return secrets.token_hex(16)

    def tick(self) -> None:
        rng, cur = self.rng, self.conn.cursor()
        for _ in range(rng.randint(1, 3)):
            cur.execute("INSERT INTO users (wallet_address, last_active_at) VALUES (%s, now())", (self._address(),))
        cur.execute(
            "UPDATE users SET last_active_at = now() WHERE id IN (SELECT id FROM users ORDER BY random() LIMIT 5)"
        )
        cur.execute(
            "INSERT INTO tokens (mint_address, symbol, creator_id, market_cap_sol) "
            "SELECT %s, %s, id, %s FROM users ORDER BY random() LIMIT 1",
            (self._address(), f"MEME{rng.randint(1, 9999)}", rng.uniform(10, 5000)),
        )
        if rng.random() < 0.2:
            cur.execute(
                "UPDATE tokens SET graduated_at = now() WHERE id = "
                "(SELECT id FROM tokens WHERE graduated_at IS NULL ORDER BY random() LIMIT 1)"
            )
        for _ in range(rng.randint(3, 10)):
            status = "failed" if rng.random() < 0.02 else "success"
            cur.execute(
                "INSERT INTO trades (user_id, token_id, side, amount_sol, status) "
                "SELECT u.id, t.id, %s, %s, %s FROM (SELECT id FROM users ORDER BY random() LIMIT 1) u, "
                "(SELECT id FROM tokens ORDER BY random() LIMIT 1) t",
                (rng.choice(("buy", "sell")), rng.uniform(0.01, 25), status),
            )
            cur.execute(
                "INSERT INTO transactions (signature, type, status, fee_lamports) VALUES (%s, %s, %s, %s)",
                (secrets.token_hex(32), rng.choice(TX_TYPES), status, rng.randint(5000, 50000)),
            )
            cur.execute(
                "INSERT INTO revenue (source, amount_sol) VALUES (%s, %s)",
                (rng.choice(REVENUE_SOURCES), rng.uniform(0.001, 0.1)),
            )
        cur.execute(
            "UPDATE tokens SET market_cap_sol = market_cap_sol * %s WHERE id IN "
            "(SELECT id FROM tokens ORDER BY random() LIMIT 3)",
            (rng.uniform(0.9, 1.2),),
        )
