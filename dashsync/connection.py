"""The one place that talks HTTP to Grafana: reads over keep-alive connections, writes through grafana-client
(set up on the first write), retries, plain-language errors.

Reads (GET) go through the standard library's http.client (`KeepAliveReads`), sending what grafana-client
would: a legacy backup is one GET per dashboard, and grafana-client on niquests cost five times the CPU per
request and 0.3 s of imports. Where a proxy from the environment applies, or a read is redirected,
grafana-client carries it, as it carries every write.

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

import base64
import functools
import os
import random
import select
import sys
import threading
import time
import warnings
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from json import JSONDecodeError, loads
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

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
    concurrency: int = 16  # parallel reads; the CLIs' --concurrency default is this one
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
    import ssl

    if isinstance(exc, ssl.SSLError) or any(word in text for word in TLS_WORDS):
        return True
    return _loaded("niquests") and isinstance(exc, http().ssl_errors)


def _loaded(module: str) -> bool:
    """Whether `module` is imported: an exception can only be one of its types if it is (and asking must not
    import it: the HTTP libraries are most of the start-up time)."""
    return module in sys.modules


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


class Refused(Exception):
    """A read answered with a 4xx/5xx status, with its body parsed as grafana-client would (JSON, else text)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def answer_of(status: int, headers: Any, body: bytes) -> Any:
    """An answer as grafana-client's `GrafanaClient._extract_from_response` (grafana_client/client.py) makes it:
    a failure raises with its body as JSON or else text, 204 is None, text/* stays text, anything else must be
    JSON (an empty or broken body raises JSONDecodeError, as niquests' `Response.json` does)."""
    if status >= 400:
        try:
            parsed = loads(body)
        except ValueError:
            parsed = _text(headers, body)
        raise Refused(status, parsed)
    if status == 204:
        return None
    if str(headers.get("Content-Type", "")).startswith("text/"):
        return _text(headers, body)
    return loads(body)


def _text(headers: Any, body: bytes) -> str:
    try:
        return body.decode(headers.get_content_charset() or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")


def proxy_applies(scheme: str, host: str) -> bool:
    """Whether niquests (trust_env, as grafana-client leaves it) would reach `host` through a proxy named in the
    environment: {scheme}_proxy or all_proxy, in either case, unless no_proxy covers the host."""
    names = {f"{scheme}_proxy", "all_proxy"}
    if not any(value for name, value in os.environ.items() if name.lower() in names):
        return False
    import urllib.request  # only when a proxy is set at all: it costs 15 ms of start-up

    return not urllib.request.proxy_bypass_environment(host)


def request_headers(settings: Settings) -> dict[str, str]:
    """What grafana-client puts on every request: Bearer token or Basic user:password (UTF-8, as niquests'
    `_basic_auth_str`), the org header when an org is chosen, dashsync's user agent."""
    if settings.token:
        authorization = f"Bearer {settings.token}"
    else:
        pair = f"{settings.user}:{settings.password}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode()
    # gzip: Grafana compresses answers when [server] enable_gzip is on (pkg/middleware/gziper.go, Gziper)
    headers = {"User-Agent": "dashsync", "Accept": "*/*", "Accept-Encoding": "gzip", "Authorization": authorization}
    if settings.org_id:
        headers["X-Grafana-Org-Id"] = str(settings.org_id)
    return headers


def tls_context(settings: Settings) -> Any:
    """TLS verified as niquests verifies it for grafana-client's `verify=ca_cert or not insecure`: the CA file
    (or directory) given alone; else, unless --insecure, REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE as niquests reads
    them (Session.merge_environment_settings), else the system's CAs. Host names are checked whenever
    certificates are."""
    import ssl

    ca = settings.ca_cert
    if not ca and settings.insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    ca = ca or os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if ca and os.path.isdir(ca):
        return ssl.create_default_context(capath=ca)
    return ssl.create_default_context(cafile=ca or None)


OPENING = 4  # connections opened and not yet answered, at most


class KeepAliveReads:
    """GETs over the standard library's HTTP/1.1 keep-alive connections, shared by the reader threads.

    grafana-client on niquests spends about five times the CPU of http.client on each request (1.4 ms against
    0.27 ms for one dashboard GET on the 2-core bench machine); a legacy backup is one GET per dashboard, so
    that difference, with the 0.3 s niquests takes to import, was most of its time. The requests carry what
    grafana-client's would (`request_headers`, `tls_context`). A connection the server closed while it sat idle
    is noticed before it is reused (as urllib3 does) and never carries a request; at most `keep` idle
    connections are kept.

    New connections are opened at most OPENING at a time: one counts as opening until its first answer (which
    means the server accepted it). A burst of connections overflows a small listen backlog (Python's http.server
    listens with 5); the kernel drops what does not fit and the client's SYN is retried only after a second.
    """

    def __init__(self, settings: Settings) -> None:
        import http.client

        parts = urlsplit(settings.url)
        self._host, self._port, self._timeout = parts.hostname or "", parts.port, settings.timeout
        self._tls = tls_context(settings) if parts.scheme == "https" else None
        self._connection_type = http.client.HTTPSConnection if self._tls else http.client.HTTPConnection
        self._http_error = http.client.HTTPException
        prefix = parts.path.strip("/")
        self._prefix = f"/{prefix}" if prefix else ""
        self._headers = request_headers(settings)
        self._idle: list[Any] = []
        self._opening = 0
        self._ready = threading.Condition(threading.Lock())
        self._keep = max(10, settings.concurrency + 2)

    def get(self, path: str, params: Mapping[str, Any] | None) -> tuple[int, Any, bytes]:
        """Status, headers and (decompressed) body of `GET <prefix><path>?<params>`; transport errors raise."""
        target = quote(self._prefix + path, safe="!#$%&'()*+,/:;=?@[]~")  # as requests' requote_uri leaves it
        if params:
            query = urlencode(_without_none(params), doseq=True)
            if query:
                target += ("&" if "?" in target else "?") + query
        connection, new = self._take()
        try:
            connection.request("GET", target, headers=self._headers)
            response = connection.getresponse()
            body = response.read()
        except BaseException:
            connection.close()
            self._answered(new)
            raise
        self._answered(new)
        if response.will_close:
            connection.close()
        else:
            self._give(connection)
        if str(response.headers.get("Content-Encoding", "")).lower() == "gzip":
            try:
                body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
            except zlib.error:
                raise self._http_error("a gzip answer that does not decompress") from None
        return response.status, response.headers, body

    def _take(self) -> tuple[Any, bool]:
        """An idle connection the server has not closed, else a new one (is it new?) once fewer than OPENING are."""
        while True:
            with self._ready:
                while not self._idle and self._opening >= OPENING:
                    self._ready.wait()
                connection = self._idle.pop() if self._idle else None
                if connection is None:
                    self._opening += 1
            if connection is None:
                tls = {"context": self._tls} if self._tls else {}
                return self._connection_type(self._host, self._port, timeout=self._timeout, **tls), True
            if not _closed_by_server(connection):  # a system call: outside the lock
                return connection, False
            connection.close()

    def _answered(self, new: bool) -> None:
        if new:
            with self._ready:
                self._opening -= 1
                self._ready.notify()

    def _give(self, connection: Any) -> None:
        with self._ready:
            if len(self._idle) < self._keep:
                self._idle.append(connection)
                self._ready.notify()
                return
        connection.close()


def _without_none(params: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Query pairs as requests encodes them: a None value (alone or in a list) is left out."""
    pairs: list[tuple[str, Any]] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, v) for v in values if v is not None)
    return pairs


def _closed_by_server(connection: Any) -> bool:
    """An idle keep-alive socket with something to read has been closed (or spoken on) by the server."""
    sock = connection.sock
    if sock is None:
        return False
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([sock], [], [], 0)[0])
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


class Grafana:
    """A Grafana org: reads through `KeepAliveReads`, writes through grafana-client. Methods return parsed JSON
    or raise GrafanaError."""

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
        if settings.insecure:
            warnings.filterwarnings("ignore", message="Unverified HTTPS request")
        self.traffic = Traffic()
        self._retry_after = threading.local()  # the last 429's Retry-After, per thread
        self._client_lock = threading.Lock()
        self._clients: tuple[Any, Any] | None = None
        # reads go through the standard library's keep-alive connections (a fifth of grafana-client's CPU per
        # request, and none of its 0.3 s of imports); where a proxy applies, grafana-client (which honours it)
        # carries them too
        self._reads = None if proxy_applies(parts.scheme, parts.hostname) else KeepAliveReads(settings)

    def _legacy_and_resource_clients(self) -> tuple[Any, Any]:
        """grafana-client, built on first use (writes, or reads through a proxy): two clients on one session."""
        with self._client_lock:
            if self._clients is None:
                self._clients = self._build_clients()
            return self._clients

    def _build_clients(self) -> tuple[Any, Any]:
        settings = self.settings
        parts = urlsplit(settings.url)
        auth: Any = settings.token if settings.token else (settings.user, settings.password)
        verify: bool | str = settings.ca_cert or not settings.insecure
        prefix = parts.path.strip("/")
        api = http().GrafanaApi(
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
        legacy = api.client
        resource_client = object.__new__(type(legacy))
        resource_client.__dict__.update(legacy.__dict__)
        resource_client.url = legacy.url + "s"
        # grafana-client's exceptions drop the response headers; a session hook keeps Retry-After, per thread
        legacy.s.hooks.setdefault("response", []).append(self._remember_retry_after)
        return legacy, resource_client

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
        return self._call(_root, method, path, params, json, repeatable)

    def resource(self, method: str, path: str, **options: Any) -> Any:
        """One call to Grafana's resource API (`path` after /apis): the options, retries and error lines of
        `request`."""
        return self.request(method, path, _root="/apis", **options)

    def _call(
        self,
        root: str,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        json: Any,
        repeatable: bool | None,
    ) -> Any:
        repeatable = method in ("GET", "HEAD") if repeatable is None else repeatable
        attempts = max(1, self.settings.retries) if repeatable else 1
        started = time.monotonic()
        for attempt in range(attempts):
            self.traffic.count(method, retry=attempt > 0)
            try:
                answer = self._send(root, method, path, params, json)
            except Exception as exc:  # noqa: BLE001 - sorted into one GrafanaError below, or raised as it is
                error = self._failure(exc, method, root + path)
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

    def _send(self, root: str, method: str, path: str, params: dict[str, Any] | None, json: Any) -> Any:
        """One attempt: a read through the keep-alive connections, anything else (and a redirected read, which
        grafana-client follows) through grafana-client. Raises the transport's own exceptions."""
        if method == "GET" and json is None and self._reads is not None:
            status, headers, body = self._reads.get(f"{root}{path}", params)
            self._retry_after.value = headers.get("Retry-After") if status == 429 else None
            if not 300 <= status < 400:
                return answer_of(status, headers, body)
        legacy, resources = self._legacy_and_resource_clients()
        call = getattr(resources if root == "/apis" else legacy, method)
        return call(path, params=params, json=json) if json is not None else call(path, params=params)

    def _failure(self, exc: Exception, method: str, path: str) -> GrafanaError:
        """The GrafanaError for a failed attempt (a TLS refusal raised at once: asking again does not help);
        an exception that is no failure of the request (a bug) is raised as it is."""
        if isinstance(exc, Refused):
            return self._translate(exc.status, exc.body, method, path, exc)
        if _loaded("grafana_client") and isinstance(exc, http().GrafanaException):
            return self._translate(int(exc.status_code or 0), exc.response, method, path, exc)
        from http.client import HTTPException

        stdlib = (OSError, HTTPException, JSONDecodeError)  # ssl, timeouts, refused, reset; a non-JSON answer
        if isinstance(exc, stdlib) or (_loaded("niquests") and isinstance(exc, http().transport_errors)):
            if _tls_failure(exc):  # a certificate does not become valid by asking again
                raise GrafanaError(self._unreachable(exc), 0) from None
            return GrafanaError(self._unreachable(exc), 0)
        raise exc

    def _last_retry_after(self) -> str | None:
        return getattr(self._retry_after, "value", None)

    def _unreachable(self, exc: BaseException) -> str:
        url = self.settings.display_url
        if isinstance(exc, TimeoutError) or (_loaded("niquests") and isinstance(exc, http().timeouts)):
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

    def _translate(self, status: int, body: Any, method: str, path: str, exc: Exception) -> GrafanaError:
        """One line for a failed answer; `path` is the full path (/api/... or /apis/...)."""
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
