"""Talking to Prometheus: its HTTP API as Grafana's Prometheus datasource uses it (queries as POST form requests,
the provisioned datasource's httpMethod; label values and build info as GET, the only method they answer), and a
recording of answers so a page can be rendered again from fixed data.

Two kinds of failure, kept apart on purpose: Prometheus unreachable (or not Prometheus) is the whole command's
failure, one line and exit 2 before anything is written; a query Prometheus rejects (bad PromQL, a timeout) is
that panel's failure, drawn in the panel as Grafana draws a query error.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from ..errors import DashsyncError
from .variables import Lookup

TIMEOUT = 30.0
_POST = frozenset({"/api/v1/query", "/api/v1/query_range"})


class QueryError(Exception):
    """Prometheus answered, and refused the query: the panel shows this message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Source(Lookup):
    """Answers to the three calls a preview makes; `get` returns the answer's `data`. `window` ({"start", "end"})
    bounds label look-ups to the dashboard's time range, as Grafana's label_values does."""

    window: dict[str, str]

    def get(self, path: str, params: dict[str, str]) -> Any:  # pragma: no cover - an interface
        raise NotImplementedError

    def label_values(self, label: str, match: str | None) -> list[str]:
        params = {"match[]": match} if match else {}
        params.update(self.window)
        return [str(v) for v in self.get(f"/api/v1/label/{label}/values", params) or []]

    def instant_strings(self, expr: str) -> list[str]:
        data = self.get("/api/v1/query", {"query": expr, "time": self.window.get("end", "")})
        out = []
        for item in data.get("result") or []:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted((item.get("metric") or {}).items()) if k != "__name__")
            name = (item.get("metric") or {}).get("__name__", "")
            out.append(
                f"{name}{{{labels}}} {item.get('value', [0, ''])[1]} {int(float(item.get('value', [0])[0]) * 1000)}"
            )
        return out


def _key(path: str, params: dict[str, str]) -> str:
    return path + "?" + urllib.parse.urlencode(sorted(params.items()))


@dataclass
class Client(Source):
    """Prometheus over HTTP. `window` ({"start", "end"}) bounds label look-ups to the dashboard's range."""

    url: str
    timeout: float = TIMEOUT
    window: dict[str, str] = field(default_factory=dict)
    session: Any = field(default=None)  # a niquests.Session, made on first use

    def _session(self) -> Any:
        """niquests is imported here, not at the top: every dashsync command imports this module through the CLI,
        and loading the HTTP stack costs most of a command's start-up when the command never queries."""
        if self.session is None:
            import niquests

            self.session = niquests.Session()
        return self.session

    def check(self) -> str:
        """Reachable and Prometheus (or API-compatible): its version, else one clear line, exit 2."""
        data = self.get("/api/v1/status/buildinfo", {}, fatal=True)
        return str((data or {}).get("version", "unknown version"))

    def get(self, path: str, params: dict[str, str], fatal: bool = False) -> Any:
        import niquests  # loaded by _session already: this only names its exceptions

        target = self.url.rstrip("/") + path
        session = self._session()
        try:
            if path in _POST:  # the datasource's httpMethod POST; the other endpoints answer GET only
                answer = session.post(target, data=params, timeout=self.timeout)
            else:
                answer = session.get(target, params=params, timeout=self.timeout)
        except niquests.exceptions.ReadTimeout:
            if fatal:
                raise DashsyncError(f"Prometheus at {self.url} did not answer within {self.timeout:.0f} s") from None
            raise QueryError(f"timeout: no answer within {self.timeout:.0f} s") from None  # that panel's error
        except niquests.exceptions.RequestException as exc:
            reason = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise DashsyncError(f"cannot reach Prometheus at {self.url}: {reason}") from None
        try:
            body = answer.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or body.get("status") not in ("success", "error"):
            message = (
                f"{target} answered HTTP {answer.status_code} without a Prometheus API answer (is --prometheus right?)"
            )
            if fatal or answer.status_code in (404, 401, 403):
                raise DashsyncError(message)
            raise QueryError(message)
        if body["status"] == "error":
            message = f"{body.get('errorType', 'error')}: {body.get('error', 'unknown error')}"
            if fatal:
                raise DashsyncError(f"Prometheus at {self.url}: {message}")
            raise QueryError(message)
        return body.get("data")


@dataclass
class Recording(Source):
    """Answers recorded from a real Prometheus (`Recorder`), replayed exactly: a request never recorded fails."""

    answers: dict[str, Any]
    window: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, params: dict[str, str]) -> Any:
        key = _key(path, params)
        if key not in self.answers:
            raise DashsyncError(
                f"the recording has no answer for {key} (replay with the dashboards and the --from, --to, --var, "
                "--width and --scrape-interval of the run that recorded it)"
            )
        answer = self.answers[key]
        if isinstance(answer, dict) and "__error__" in answer:
            raise QueryError(answer["__error__"])
        return answer

    @classmethod
    def load(cls, text: str) -> tuple[Recording, float]:
        doc = json.loads(text)
        return cls(doc["answers"]), float(doc["now"])


@dataclass
class Recorder(Source):
    """Passes every request to `inner` and keeps the answer (errors included) for a Recording."""

    inner: Source
    answers: dict[str, Any] = field(default_factory=dict)

    @property
    def window(self) -> dict[str, str]:  # type: ignore[override]
        return self.inner.window

    @window.setter
    def window(self, value: dict[str, str]) -> None:
        self.inner.window = value

    def get(self, path: str, params: dict[str, str]) -> Any:
        key = _key(path, params)
        try:
            self.answers[key] = self.inner.get(path, params)
        except QueryError as exc:
            self.answers[key] = {"__error__": exc.message}
            raise
        return self.answers[key]

    def dump(self, now: float) -> str:
        return json.dumps({"now": now, "answers": self.answers}, indent=1, sort_keys=True) + "\n"
