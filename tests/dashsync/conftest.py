"""Contract-test fixtures: the emulator by default, a real Grafana when GRAFANA_URL is set.

With GRAFANA_URL (+ GRAFANA_TOKEN, or GRAFANA_USER/GRAFANA_PASSWORD) the same tests run unchanged against a
real Grafana, e.g. the bundled Docker stack, to check the emulator's fidelity. That Grafana must be
DISPOSABLE: each test starts by deleting every dashboard, folder and library panel of the org. So the session
refuses to start unless DASHSYNC_TESTS_MAY_WIPE=yes is also set and GRAFANA_URL's host is loopback
(tests/grafana_emulator/real.py, the one gate every GRAFANA_URL-honouring test goes through).
Tests marked `emulator_only` need powers a real Grafana lacks (fault injection, request counters); they are
deselected, with the reason printed, when GRAFANA_URL is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import niquests
import pytest
from click.testing import CliRunner, Result

from dashsync.cli import main
from tests.grafana_emulator import Emulator, service_account_token
from tests.grafana_emulator.real import RealGrafana, UnsafeRealGrafana, real_grafana_from_env

FIXTURES = Path(__file__).parent / "fixtures" / "dashboards"

def _real_or_refusal() -> tuple[RealGrafana | None, str | None]:
    try:
        return real_grafana_from_env(), None
    except UnsafeRealGrafana as exc:
        return None, f"refusing to run the Grafana tests: {exc}"


REAL, REFUSAL = _real_or_refusal()
REAL_URL = REAL.url if REAL else None
EMULATOR_ONLY_REASON = "needs the emulator's fault injection or request counters (GRAFANA_URL is set)"
TEST_PASSWORD = "pw-Secret-9f1c2e"  # grepped for in every output by test_secrets


def refuse_unsafe_real_grafana() -> None:
    """Stop the whole session, before any test touches Grafana, when GRAFANA_URL may not be used."""
    if REFUSAL:
        pytest.exit(REFUSAL, returncode=pytest.ExitCode.USAGE_ERROR)


def pytest_configure(config: pytest.Config) -> None:
    refuse_unsafe_real_grafana()
    config.addinivalue_line("markers", f"emulator_only: {EMULATOR_ONLY_REASON}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not REAL_URL:
        return
    skipped = [i for i in items if i.get_closest_marker("emulator_only")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [i for i in items if not i.get_closest_marker("emulator_only")]
        print(f"\ndeselected {len(skipped)} test(s): {EMULATOR_ONLY_REASON}")


@dataclass
class Target:
    """A Grafana to test against, with the credentials dashsync gets through its environment."""

    url: str
    token: str | None
    user: str | None
    password: str | None
    emulator: Emulator | None

    @property
    def env(self) -> dict[str, str | None]:
        return {
            "GRAFANA_URL": self.url,
            "GRAFANA_TOKEN": self.token,
            "GRAFANA_USER": self.user,
            "GRAFANA_PASSWORD": self.password,
            "GRAFANA_ORG_ID": None,
        }

    def session(self) -> niquests.Session:
        s = niquests.Session()
        if self.token:
            s.headers["Authorization"] = f"Bearer {self.token}"
        else:
            s.auth = (self.user or "", self.password or "")
        return s

    def api(self, method: str, path: str, **kw: Any) -> niquests.Response:
        return self.session().request(method, f"{self.url}/api{path}", **kw)

    def dashsync(self, *args: str, env: dict[str, str | None] | None = None) -> Result:
        return CliRunner().invoke(main, list(args), env={**self.env, **(env or {})}, catch_exceptions=False)

    @property
    def writes(self) -> int:
        assert self.emulator is not None, "request counters exist only on the emulator"
        return self.emulator.traffic.writes


def wipe(target: Target) -> None:
    """Delete every dashboard, folder and library panel of the org (a real Grafana must be disposable)."""
    for hit in target.api("GET", "/search", params={"type": "dash-db", "limit": 5000}).json():
        target.api("DELETE", f"/dashboards/uid/{hit['uid']}")
    elements = target.api("GET", "/library-elements", params={"perPage": 500}).json()["result"]["elements"]
    for el in elements:
        target.api("DELETE", f"/library-elements/{el['uid']}")
    for hit in target.api("GET", "/folders").json():
        target.api("DELETE", f"/folders/{hit['uid']}", params={"forceDeleteRules": "true"})


@pytest.fixture
def grafana() -> Iterator[Target]:
    refuse_unsafe_real_grafana()
    if REAL:
        target = Target(REAL.url, REAL.token, REAL.user, REAL.password, None)
        wipe(target)
        yield target
        return
    token = service_account_token()
    with Emulator(admin_password=TEST_PASSWORD, token=token) as emulator:
        yield Target(emulator.url, token, None, None, emulator)


@pytest.fixture
def emulator(grafana: Target) -> Emulator:
    assert grafana.emulator is not None, EMULATOR_ONLY_REASON
    return grafana.emulator


def push_fixtures(target: Target, *extra: str) -> Result:
    result = target.dashsync("push", "--dir", str(FIXTURES), *extra)
    assert result.exit_code == 0, result.output
    return result


def create_library_panels(target: Target) -> None:
    """The two library panels the 'Library panels demo' fixture references, in a nested folder."""
    for uid, name, expr in (
        ("lib-error-rate", "Shared error rate", "sum(rate(errors_total[5m]))"),
        ("lib-latency", "Shared latency", "histogram_quantile(0.99, rate(x_bucket[5m]))"),
    ):
        model = {"type": "timeseries", "title": name, "targets": [{"expr": expr, "refId": "A"}]}
        folder = "third-party-f3c6dbcc99"  # "Third party", created by push_fixtures
        r = target.api(
            "POST", "/library-elements", json={"uid": uid, "name": name, "kind": 1, "model": model, "folderUid": folder}
        )
        assert r.status_code == 200, r.text
