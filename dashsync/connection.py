"""The one place that talks HTTP to Grafana: grafana-client set up once, retries, plain-language errors.

Why a wrapper: grafana-client raises its own exceptions for 4xx/5xx but lets the transport's connection errors
escape, has no retries, and puts the whole response body in its messages. Here every failure becomes a
`GrafanaError` with one readable line (never a credential in it), and requests that are safe to repeat are
retried with exponential backoff and jitter on connection errors, timeouts, 429 and 5xx.

"Safe to repeat" is decided by the caller: reads always are; dashboard saves are sent with the live version
and `overwrite=false`, so a repeated save that had in fact landed answers 412 instead of writing twice, and
the caller checks what is live (see push.py).

Time is bounded twice: every request by `timeout`, every retry sequence by `retry_budget` seconds (no attempt
starts past it, so a server that never answers costs at most the budget plus one timeout, not retries x
timeout). A refused connection is not retried (nothing
listens there; asking again only delays the answer), and a 429 waits what its Retry-After says when that
fits the budget.
"""

from __future__ import annotations

import functools
import random
import threading
import time
import warnings
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from .errors import EXIT_USAGE, DashsyncError

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@functools.cache
def http() -> SimpleNamespace:
    """The HTTP libraries, imported on first use: they are most of dashsync's start-up time (0.3 s), and the
    commands that never talk to Grafana (diff against a directory or git, review) need none of them."""
    import niquests
    import requests
    from grafana_client import GrafanaApi
    from grafana_client.client import GrafanaException, GrafanaTimeoutError

    return SimpleNamespace(
        GrafanaApi=GrafanaApi,
        GrafanaException=GrafanaException,
        transport_errors=(niquests.exceptions.RequestException, requests.exceptions.RequestException, OSError),
        ssl_errors=(niquests.exceptions.SSLError, requests.exceptions.SSLError),
        timeouts=(niquests.exceptions.Timeout, requests.exceptions.Timeout, GrafanaTimeoutError),
    )


HEADER_SAFE = frozenset(map(chr, range(0x21, 0x7F)))  # what an Authorization header can carry


@dataclass(frozen=True)
class Settings:
    """How to reach Grafana. Credentials live here and nowhere else; `__repr__` hides them."""

    url: str
    token: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    org_id: int | None = None
    ca_cert: str | None = None
    insecure: bool = False
    timeout: float = 10.0
    retries: int = 8
    backoff: float = 0.2
    retry_budget: float = 30.0  # seconds one retry sequence may take, waits included
    concurrency: int = 8
    api: str = "auto"  # auto: the resource API (/apis) where Grafana serves it; resources; legacy (/api)
    credential_hint: str | None = field(default=None, repr=False)  # a context's "no credentials" line (selection.py)

    @property
    def display_url(self) -> str:
        """The URL as safe to print: any user:password@ part removed."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return f"{parts.scheme}://{host}{parts.path}".rstrip("/")


TLS_WORDS = (
    "certificate verify failed",
    "wrong version number",
    "record layer failure",
    "sslerror",
    "ssl: ",
    "tlsv1 alert",
    "handshake failure",
)


def _tls_failure(exc: BaseException) -> bool:
    """The TLS layer refused (by type, or by the OpenSSL words in a wrapped error; never by a host name)."""
    text = str(exc).lower()
    return isinstance(exc, http().ssl_errors) or any(word in text for word in TLS_WORDS)


def expect(ok: bool, request: str, shape: str) -> None:
    """An answer of an unforeseen shape is one line naming the request, not a KeyError three calls later."""
    if not ok:
        raise GrafanaError(f"{request} answered 200 but not with {shape}: is this a Grafana API?", 0)


def _retry_after(header: str | None) -> float:
    """Seconds a 429 asks to wait (Retry-After in seconds; an HTTP date or nonsense counts as 1 s)."""
    try:
        return max(0.0, float(header)) if header else 1.0
    except ValueError:
        return 1.0


class GrafanaError(DashsyncError):
    """A failed request: `status` is the HTTP status (0 when Grafana could not be reached)."""

    def __init__(self, message: str, status: int, body: Any = None) -> None:
        # never 1: CI reads exit 1 as "differences found"; a failed request is a failure of the run
        super().__init__(message, EXIT_USAGE)
        self.status = status
        self.body = body


@dataclass
class Traffic:
    """What this process asked of Grafana; the bench prints it."""

    requests: int = 0
    writes: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, method: str, retry: bool) -> None:
        with self.lock:
            self.requests += 1
            self.writes += method not in ("GET", "HEAD")
            self.retries += retry


class Grafana:
    """A Grafana org reached through grafana-client. Methods return parsed JSON or raise GrafanaError."""

    def __init__(self, settings: Settings) -> None:
        parts = urlsplit(settings.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DashsyncError(f"invalid Grafana URL {settings.display_url!r}: expected http(s)://host[:port]")
        if settings.token is not None and settings.token.strip() != settings.token:
            # a token read with $(cat file) or from an editor often ends in a newline: not part of the token
            settings = replace(settings, token=settings.token.strip() or None)
        if not settings.token and not (settings.user and settings.password):
            if settings.credential_hint:
                raise DashsyncError(settings.credential_hint)
            raise DashsyncError(
                "no credentials: set --token (GRAFANA_TOKEN) or --user and --password (GRAFANA_USER, GRAFANA_PASSWORD)"
            )
        if settings.token and not set(settings.token) <= HEADER_SAFE:
            raise DashsyncError(
                "the token has characters an HTTP header cannot carry (spaces, control or "
                "non-ASCII characters): check GRAFANA_TOKEN / --token"
            )
        if settings.user and ":" in settings.user:
            raise DashsyncError("the user name contains ':', which basic authentication cannot carry")
        self.settings = settings
        auth: Any = settings.token if settings.token else (settings.user, settings.password)
        verify: bool | str = settings.ca_cert or not settings.insecure
        if settings.insecure:
            warnings.filterwarnings("ignore", message="Unverified HTTPS request")
        prefix = parts.path.strip("/")
        self._api = http().GrafanaApi(
            auth=auth,
            host=parts.hostname,
            port=parts.port,
            url_path_prefix=f"{prefix}/" if prefix else "",
            protocol=parts.scheme,
            verify=verify,
            timeout=settings.timeout,
            organization_id=settings.org_id,
            session_pool_size=max(10, settings.concurrency + 2),
            user_agent="dashsync",
        )
        # grafana-client builds every URL under <base>/api; Grafana's resource API lives beside it under
        # <base>/apis. A second client object shares the session (pool, credentials, org header) and points at
        # that root. (copy.copy cannot be used: GrafanaClient.__getattr__ answers every attribute name.)
        legacy = self._api.client
        self._resource_client = object.__new__(type(legacy))
        self._resource_client.__dict__.update(legacy.__dict__)
        self._resource_client.url = legacy.url + "s"
        self.traffic = Traffic()
        # grafana-client's exceptions drop the response headers; a session hook keeps Retry-After, per thread
        self._retry_after = threading.local()
        legacy.s.hooks.setdefault("response", []).append(self._remember_retry_after)

    def _remember_retry_after(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self._retry_after.value = response.headers.get("Retry-After") if response.status_code == 429 else None
        return response

    # ------------------------------------------------------------------ transport

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        repeatable: bool | None = None,
        _root: str = "/api",
    ) -> Any:
        """One legacy API call (`path` after /api). Retries when `repeatable` (default: reads only)."""
        client = self._resource_client if _root == "/apis" else self._api.client
        return self._call(client, _root, method, path, params, json, repeatable)

    def resource(self, method: str, path: str, **options: Any) -> Any:
        """One call to Grafana's resource API (`path` after /apis): the options, retries and error lines of
        `request`."""
        return self.request(method, path, _root="/apis", **options)

    def _call(
        self,
        client: Any,
        root: str,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json: Any,
        repeatable: bool | None,
    ) -> Any:
        repeatable = method in ("GET", "HEAD") if repeatable is None else repeatable
        call = getattr(client, method)
        attempts = max(1, self.settings.retries) if repeatable else 1
        started = time.monotonic()
        libs = http()
        for attempt in range(attempts):
            self.traffic.count(method, retry=attempt > 0)
            try:
                answer = call(path, params=params, json=json) if json is not None else call(path, params=params)
            except libs.GrafanaException as exc:
                error = self._translate(exc, method, root + path)
            except libs.transport_errors as exc:
                if _tls_failure(exc):  # a certificate does not become valid by asking again
                    raise GrafanaError(self._unreachable(exc), 0) from None
                error = GrafanaError(self._unreachable(exc), 0)
            else:
                if isinstance(answer, str) and method != "DELETE":
                    raise GrafanaError(
                        f"{self.settings.display_url} is not a Grafana API: {method} {root}{path.split('?')[0]} "
                        "answered with a text or HTML page, not JSON (a web page or a proxy in front of Grafana?)",
                        0,
                    )
                return answer
            transient = (
                error.status == 0 and "connection refused" not in error.message
            ) or error.status in RETRYABLE_STATUS
            if not transient or attempt == attempts - 1:
                raise error
            delay = min(5.0, self.settings.backoff * 2**attempt) * (0.5 + random.random() / 2)  # noqa: S311
            if error.status == 429:
                delay = max(delay, _retry_after(self._last_retry_after()))
            # no new attempt starts past the budget (so a sequence ends within budget + one timeout)
            if time.monotonic() - started + delay > self.settings.retry_budget:
                raise GrafanaError(
                    f"{error.message} (gave up after {attempt + 1} attempt(s) in {time.monotonic() - started:.0f} s)",
                    error.status,
                    error.body,
                ) from None
            time.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _last_retry_after(self) -> str | None:
        return getattr(self._retry_after, "value", None)

    def _unreachable(self, exc: BaseException) -> str:
        url = self.settings.display_url
        if isinstance(exc, http().timeouts):
            return f"no answer from Grafana at {url} within {self.settings.timeout:g} s"
        text = str(exc).lower()
        if "refused" in text:
            return f"cannot reach Grafana at {url}: connection refused (nothing listens there)"
        if _tls_failure(exc):
            if self.settings.insecure or "wrong version number" in text or "record layer" in text:
                return (
                    f"cannot reach Grafana at {url}: the TLS handshake failed (is it an https server? "
                    "an http:// URL talks to a plain port)"
                )
            return f"cannot reach Grafana at {url}: TLS verification failed (use --ca-cert, or --insecure deliberately)"
        if "name or service not known" in text or "nodename nor servname" in text or "resolve" in text:
            return f"cannot reach Grafana at {url}: the host name does not resolve"
        return f"cannot reach Grafana at {url}: {type(exc).__name__}"

    def _translate(self, exc: Any, method: str, path: str) -> GrafanaError:
        """One line for a failed answer; `path` is the full path (/api/... or /apis/...)."""
        status = int(exc.status_code or 0)
        body = exc.response
        message = body.get("message") if isinstance(body, dict) else None
        message = str(message or "").strip().splitlines()[0] if message else ""
        where = f"{method} {path.split('?')[0]}"
        if status == 0:
            return GrafanaError(self._unreachable(exc), 0)
        if status == 401:
            org = self.settings.org_id
            if self.settings.token:
                text = (
                    f"Grafana rejected the token (401 {message or 'Unauthorized'}): the token is invalid, "
                    "expired, or belongs to another org"
                )
            elif org is not None:
                text = (
                    f"Grafana refused org {org} (401 {message or 'Unauthorized'}): org {org} not found or "
                    "not yours, or the user name or password is wrong"
                )
            else:
                text = f"Grafana rejected the user name or password (401 {message or 'Unauthorized'})"
            return GrafanaError(text, 401, body)
        if isinstance(body, str) and body.lstrip().startswith("<"):
            return GrafanaError(
                f"{self.settings.display_url} is not a Grafana API: {where} answered {status} "
                "with an HTML page (a proxy or another web server?)",
                status,
            )
        if status == 403:
            return GrafanaError(f"permission denied for {where}: {message or 'Forbidden'}", 403, body)
        return GrafanaError(f"{where} failed with {status}: {message or 'no message'}", status, body)

    # ------------------------------------------------------------------ endpoints

    def health(self) -> dict[str, Any]:
        return self.request("GET", "/health")

    def api_groups(self) -> dict[str, tuple[str, ...]]:
        """The resource API's groups and their versions (GET /apis), {} where Grafana serves none (11.x)."""
        try:
            found = self.resource("GET", "")
        except GrafanaError as exc:
            if exc.status in (404, 405, 406, 501):
                return {}
            raise
        groups = found.get("groups") if isinstance(found, dict) else None
        return {
            str(g.get("name")): tuple(str(v.get("version")) for v in g.get("versions") or [] if isinstance(v, dict))
            for g in groups or []
            if isinstance(g, dict)
        }

    def namespace(self) -> str:
        """The resource API's namespace of this org: `default` for org 1, `org-<id>` for any other."""
        org_id = self.settings.org_id
        if org_id is None:
            current = self.request("GET", "/org")
            org_id = int(current.get("id") or 1) if isinstance(current, dict) else 1
        return "default" if org_id == 1 else f"org-{org_id}"

    def search(self, kind: str, **filters: Any) -> list[dict[str, Any]]:
        """Every hit of a search, paging 1000 at a time; `kind` is dash-db or dash-folder."""
        hits: dict[str, dict[str, Any]] = {}
        page = 1
        while True:
            params = {"type": kind, "limit": 1000, "page": page, **filters}
            batch = self.request("GET", "/search", params=params)
            expect(
                isinstance(batch, list) and all(isinstance(h, dict) and isinstance(h.get("uid"), str) for h in batch),
                "GET /api/search",
                "a list of hits with uids",
            )
            for hit in batch:
                hits.setdefault(hit["uid"], hit)
            if len(batch) < 1000:
                return list(hits.values())
            page += 1

    def get_dashboard(self, uid: str) -> dict[str, Any] | None:
        try:
            found = self.request("GET", f"/dashboards/uid/{uid}")
            expect(
                isinstance(found, dict) and isinstance(found.get("dashboard"), dict | None),
                f"GET /api/dashboards/uid/{uid}",
                "an object with a dashboard",
            )
            return found
        except GrafanaError as exc:
            if exc.status == 404:
                return None
            raise

    def get_version(self, uid: str, version: int) -> dict[str, Any] | None:
        """One version with its raw save message (the list endpoint rewrites the first one)."""
        try:
            return self.request("GET", f"/dashboards/uid/{uid}/versions/{version}")
        except GrafanaError as exc:
            if exc.status in (404, 500):  # Grafana answers 500 for a missing version
                return None
            raise

    def save_dashboard(
        self, dashboard: dict[str, Any], folder_uid: str, message: str, overwrite: bool = False
    ) -> dict[str, Any]:
        body = {"dashboard": dashboard, "folderUid": folder_uid, "message": message, "overwrite": overwrite}
        return self.request("POST", "/dashboards/db", json=body, repeatable=not overwrite)

    def delete_dashboard(self, uid: str) -> None:
        try:
            self.request("DELETE", f"/dashboards/uid/{uid}", repeatable=True)
        except GrafanaError as exc:
            if exc.status != 404:  # gone already: a retried delete that had landed
                raise

    def get_folder(self, uid: str) -> dict[str, Any] | None:
        try:
            return self.request("GET", f"/folders/{uid}")
        except GrafanaError as exc:
            if exc.status == 404:
                return None
            raise

    def create_folder(self, uid: str, title: str, parent_uid: str | None) -> dict[str, Any]:
        """Create a folder; a retried create that had landed (412/409: uid taken) is checked, not failed."""
        body: dict[str, Any] = {"uid": uid, "title": title}
        if parent_uid:
            body["parentUid"] = parent_uid
        try:
            return self.request("POST", "/folders", json=body, repeatable=True)
        except GrafanaError as exc:
            if exc.status in (409, 412):
                live = self.get_folder(uid)
                if live and live.get("title") == title and (live.get("parentUid") or None) == parent_uid:
                    return live
            raise

    def list_datasources(self) -> list[dict[str, Any]]:
        return self.request("GET", "/datasources")

    def get_datasource(self, uid: str) -> dict[str, Any]:
        return self.request("GET", f"/datasources/uid/{uid}")

    def create_datasource(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.request("POST", "/datasources", json=body, repeatable=True)
        except GrafanaError as exc:
            if exc.status == 409 and self._exists(f"/datasources/uid/{body.get('uid')}"):
                return {}
            raise

    def list_library_panels(self) -> list[dict[str, Any]]:
        elements: list[dict[str, Any]] = []
        page = 1
        while True:
            answer = self.request("GET", "/library-elements", params={"perPage": 100, "page": page})
            expect(
                isinstance(answer, dict) and isinstance(answer.get("result"), dict),
                "GET /api/library-elements",
                "an object with a result",
            )
            result = answer["result"]
            elements.extend(result.get("elements") or [])
            if len(elements) >= result.get("totalCount", 0) or not result.get("elements"):
                return elements
            page += 1

    def get_library_panel(self, uid: str) -> dict[str, Any] | None:
        try:
            return self.request("GET", f"/library-elements/{uid}")["result"]
        except GrafanaError as exc:
            if exc.status == 404:
                return None
            raise

    def create_library_panel(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.request("POST", "/library-elements", json=body, repeatable=True)["result"]
        except GrafanaError as exc:
            live = self.get_library_panel(body["uid"]) if exc.status == 400 else None
            if live and live.get("model") == body.get("model"):
                return live
            raise

    def update_library_panel(self, uid: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"/library-elements/{uid}", json=body, repeatable=False)["result"]

    def permissions(self) -> dict[str, Any] | None:
        """The caller's RBAC actions, or None when this Grafana has no such endpoint."""
        try:
            return self.request("GET", "/access-control/user/permissions")
        except GrafanaError as exc:
            if exc.status in (404, 403):
                return None
            raise

    def _exists(self, path: str) -> bool:
        try:
            self.request("GET", path)
            return True
        except GrafanaError as exc:
            if exc.status == 404:
                return False
            raise
