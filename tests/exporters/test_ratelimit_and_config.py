"""The token bucket's arithmetic (on a manual clock, so the check is exact) and the Solana env parsing."""

from __future__ import annotations

import threading

import pytest

from exporters.runtime import env_log_level, env_number, env_port
from exporters.solana.config import Account, ConfigError, from_env, parse_accounts
from exporters.solana.ratelimit import TokenBucket
from tests.exporters.conftest import FEES_WALLET, TREASURY


class ManualClock:
    """Time that only moves when the bucket sleeps: the bucket's own waits are the whole timeline."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_bucket_spaces_requests_at_the_configured_rate():
    clock = ManualClock()
    bucket = TokenBucket(rate=4, clock=clock.time, sleep=clock.sleep)
    sent = []
    for _ in range(9):
        bucket.acquire()
        sent.append(clock.now)
    assert sent == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]


def test_bucket_with_burst_capacity_then_steady_rate():
    clock = ManualClock()
    bucket = TokenBucket(rate=2, capacity=3, clock=clock.time, sleep=clock.sleep)
    waits = [bucket.acquire() for _ in range(5)]
    assert waits == [0.0, 0.0, 0.0, 0.5, 0.5]


def test_bucket_refills_while_idle_but_never_beyond_capacity():
    clock = ManualClock()
    bucket = TokenBucket(rate=1, capacity=2, clock=clock.time, sleep=clock.sleep)
    bucket.acquire(), bucket.acquire()
    clock.now += 100  # idle for a long time
    assert [bucket.acquire() for _ in range(3)] == [0.0, 0.0, 1.0]


def test_bucket_reservations_are_fair_across_threads():
    # A clock that stands still: the 50 reservations are made at one instant however the machine schedules the
    # threads (with the real clock, a loaded machine spread them over more than the 10 ms tolerance).
    bucket = TokenBucket(rate=1000, clock=lambda: 100.0)
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        wait = bucket.reserve()
        with lock:
            waits.append(wait)

    threads = [threading.Thread(target=take) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 50 reservations made at one instant are queued 1 ms apart, none twice the same slot.
    assert sorted(waits) == pytest.approx([i / 1000 for i in range(50)])


def test_bucket_rejects_nonsense():
    with pytest.raises(ValueError):
        TokenBucket(rate=0)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, capacity=0.5)


def test_accounts_parse_names_and_addresses():
    assert parse_accounts(f" treasury={TREASURY}, fees = {FEES_WALLET} ,") == (
        Account("treasury", TREASURY),
        Account("fees", FEES_WALLET),
    )
    assert parse_accounts("") == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"treasury={TREASURY},treasury={FEES_WALLET}", "repeated"),
        ("treasury=not-base58-0OIl", "not a base58 public key"),
        (f"={TREASURY}", "is not name=address"),
        (f"Treasury={TREASURY}", "must match"),
    ],
)
def test_bad_accounts_are_refused(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_accounts(text)


def test_defaults_and_overrides():
    config = from_env({"SOLANA_RPC_URL": "http://rpc:8899"})
    assert (config.listen_port, config.poll_interval, config.max_rps, config.commitment) == (
        9301,
        30.0,
        5.0,
        "finalized",
    )
    config = from_env({"SOLANA_RPC_URL": "http://rpc:8899", "SIGNATURES_LIMIT": "5000", "RPC_RETRIES": "0"})
    assert config.signatures_limit == 1000 and config.rpc_retries == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SOLANA_RPC_URL": "ftp://rpc"}, "http"),
        ({"SOLANA_RPC_URL": "http://rpc", "POLL_INTERVAL_SECONDS": "soon"}, "not a number"),
        ({"SOLANA_RPC_URL": "http://rpc", "RPC_RETRIES": "1.5"}, "not an integer"),
        ({"SOLANA_RPC_URL": "http://rpc", "SOLANA_COMMITMENT": "processed"}, "finalized, confirmed"),
        ({"SOLANA_RPC_URL": "http://rpc", "CONTRACT_ADDRESS": "0x1234"}, "CONTRACT_ADDRESS"),
    ],
)
def test_bad_settings_are_refused(env, message):
    with pytest.raises(ConfigError, match=message):
        from_env(env)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("70000", "at most 65535"), ("-1", "at least 0"), ("nan", "not an integer"), ("1e3", "not an integer")],
)
def test_port_is_bounded(raw, message):
    with pytest.raises(ConfigError, match=message):
        env_port({"LISTEN_PORT": raw}, "LISTEN_PORT", 9301)


def test_numbers_are_finite():
    with pytest.raises(ConfigError, match="finite"):
        env_number({"X": "nan"}, "X", 1.0, 0.1)
    with pytest.raises(ConfigError, match="finite"):
        env_number({"X": "inf"}, "X", 1.0, 0.1)
    assert env_port({"LISTEN_PORT": "65535"}, "LISTEN_PORT", 9301) == 65535


def test_log_level_is_one_of_the_known_names():
    assert env_log_level({}) == "INFO"
    assert env_log_level({"LOG_LEVEL": " debug "}) == "DEBUG"
    with pytest.raises(ConfigError, match="LOG_LEVEL: 'bogus' is not one of DEBUG, INFO"):
        env_log_level({"LOG_LEVEL": "bogus"})
    assert from_env({"SOLANA_RPC_URL": "http://rpc", "LOG_LEVEL": "warning"}).log_level == "WARNING"
