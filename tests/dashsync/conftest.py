"""Contract-test fixtures: the emulator by default, a real Grafana when GRAFANA_URL is set.

With GRAFANA_URL (+ GRAFANA_TOKEN, or GRAFANA_USER/GRAFANA_PASSWORD) the same tests run unchanged against a
real Grafana, e.g. the bundled Docker stack, to check the emulator's fidelity. That Grafana must be
DISPOSABLE: each test starts by deleting every dashboard, folder and library panel of the org. So the session
refuses to start unless DASHSYNC_TESTS_MAY_WIPE=yes is also set and GRAFANA_URL's host is loopback
(tests/grafana_emulator/real.py, the one gate every GRAFANA_URL-honouring test goes through).
Tests marked `emulator_only` need powers a real Grafana lacks (fault injection, request counters); they are
deselected, with the reason printed, when GRAFANA_URL is set.

Against the emulator every test runs three times, once per version profile (Grafana 11, 12 and 13:
tests/grafana_emulator/profiles.py), so each behaviour dashsync relies on is proved on each version.
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
from tests.grafana_emulator.profiles import PROFILES
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
    major: int | None = None  # the emulator's version profile; None for a real Grafana

    @property
    def env(self) -> dict[str, str | None]:
        return {
            "GRAFANA_URL": self.url,
            "GRAFANA_TOKEN": self.token,
            "GRAFANA_USER": self.user,
            "GRAFANA_PASSWORD": self.password,
            "GRAFANA_ORG_ID": None,
        }

    @property
    def version_major(self) -> int:
        """The Grafana major version: the emulator's profile, or what a real Grafana's /api/health reports."""
        if self.major is not None:
            return self.major
        return int(str(niquests.get(f"{self.url}/api/health", timeout=10).json()["version"]).split(".")[0])

    def session(self) -> niquests.Session:
        s = niquests.Session()
        if self.token:
            s.headers["Authorization"] = f"Bearer {self.token}"
        else:
            s.auth = (self.user or "", self.password or "")
        return s

    def api(self, method: str, path: str, **kw: Any) -> niquests.Response:
        return self.session().request(method, f"{self.url}/api{path}", **kw)

    def apis(self, method: str, path: str, **kw: Any) -> niquests.Response:
        """The resource API of org 1: `path` after /apis/<group>/<version>/namespaces/default."""
        group, version, rest = path.lstrip("/").split("/", 2)
        return self.session().request(method, f"{self.url}/apis/{group}/{version}/namespaces/default/{rest}", **kw)

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


PROFILE_PARAMS = [None] if REAL else sorted(PROFILES)
RESOURCE_PROFILE_PARAMS = [None] if REAL else sorted(m for m, p in PROFILES.items() if p.serves_resources)


def _target(major: int | None) -> Iterator[Target]:
    refuse_unsafe_real_grafana()
    if REAL:
        target = Target(REAL.url, REAL.token, REAL.user, REAL.password, None)
        wipe(target)
        yield target
        return
    token = service_account_token()
    with Emulator(admin_password=TEST_PASSWORD, token=token, grafana=major or 11) as emulator:
        yield Target(emulator.url, token, None, None, emulator, major)


def _profile_id(major: int | None) -> str:
    return "real" if major is None else f"grafana{major}"


@pytest.fixture(params=PROFILE_PARAMS, ids=_profile_id)
def grafana(request: pytest.FixtureRequest) -> Iterator[Target]:
    """Every dashsync test runs once per version profile (11, 12, 13), or once against GRAFANA_URL."""
    yield from _target(request.param)


@pytest.fixture(params=RESOURCE_PROFILE_PARAMS, ids=_profile_id)
def grafana_resources(request: pytest.FixtureRequest) -> Iterator[Target]:
    """A Grafana that serves the resource API (/apis): profiles 12 and 13, or a real Grafana 12 or later."""
    for target in _target(request.param):
        if target.version_major < 12:
            pytest.skip(f"GRAFANA_URL is Grafana {target.version_major}: no dashboard.grafana.app/v1beta1 to test")
        yield target


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
