"""The emulator's HTTP edge: routing, authentication, org selection, RBAC, faults and request counters.

A `ThreadingHTTPServer` on 127.0.0.1 only, speaking HTTP/1.1 with keep-alive so a client's connection pool
behaves as it does against a real Grafana. Rules about dashboards and folders live in `state.py`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import socket
import ssl
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .faults import FaultPlan
from .profiles import DASHBOARD_GROUP, Profile, profile
from .provisioning import Mounts, Provisioner
from .resources import Resources, status
from .state import GrafanaState, Response, traced

VIEWER = frozenset({"dashboards:read", "folders:read", "library.panels:read"})
EDITOR = VIEWER | {
    "dashboards:create",
    "dashboards:write",
    "dashboards:delete",
    "folders:create",
    "folders:write",
    "folders:delete",
    "library.panels:create",
    "library.panels:write",
    "library.panels:delete",
}
ADMIN = EDITOR | {"datasources:read", "datasources:create", "datasources:write", "datasources:delete"}
ROLES = {"Viewer": VIEWER, "Editor": EDITOR, "Admin": ADMIN}
READ_METHODS = frozenset({"GET", "HEAD"})
RESOURCE_PATH = re.compile(
    r"/apis/(dashboard\.grafana\.app|folder\.grafana\.app)/([^/]+)/namespaces/([^/]+)/(dashboards|folders)(?:/([^/]+))?"
)
RESOURCE_PERMISSIONS = {  # the legacy actions the resource API's authorizer maps each verb onto
    ("dashboards", "GET"): "dashboards:read",
    ("dashboards", "POST"): "dashboards:create",
    ("dashboards", "PUT"): "dashboards:write",
    ("dashboards", "DELETE"): "dashboards:delete",
    ("folders", "GET"): "folders:read",
    ("folders", "POST"): "folders:create",
    ("folders", "PUT"): "folders:write",
    ("folders", "DELETE"): "folders:delete",
}


def service_account_token() -> str:
    """A token in Grafana's format: glsa_<32 chars>_<crc32 of 'glsa_<secret>' as little-endian hex>."""
    secret = secrets.token_hex(16)
    checksum = zlib.crc32(f"glsa_{secret}".encode()).to_bytes(4, "little").hex()
    return f"glsa_{secret}_{checksum}"


def errutil(status: int, message: str, message_id: str) -> dict[str, Any]:
    """Shape C (contract §1.1)."""
    return {"message": message, "messageId": message_id, "statusCode": status, "traceID": ""}


def access_denied(permission: str) -> dict[str, Any]:
    """Shape D (contract §1.1): RBAC route middleware refusal."""
    return {
        "title": "Access denied",
        "message": f"You'll need additional permissions to perform this action. Permissions needed: {permission}",
        "accessErrorId": "ACE" + "".join(secrets.choice("0123456789") for _ in range(10)),
    }


@dataclass(frozen=True)
class Identity:
    login: str
    org_id: int
    role: str


@dataclass
class Account:
    password: str
    roles: dict[int, str]  # org id -> role


@dataclass
class Token:
    name: str
    org_id: int
    role: str


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    name: str
    permission: str | None
    handler: Callable[..., Response]


@dataclass
class Traffic:
    """Request counters the tests read: everything received, and per route name."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    by_route: Counter[str] = field(default_factory=Counter)
    by_method: Counter[str] = field(default_factory=Counter)

    def record(self, method: str, route: str) -> None:
        with self.lock:
            self.by_route[f"{method} {route}"] += 1
            self.by_method[method] += 1

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.by_method.values())

    @property
    def writes(self) -> int:
        with self.lock:
            return sum(n for method, n in self.by_method.items() if method not in READ_METHODS)

    def reset(self) -> None:
        with self.lock:
            self.by_route.clear()
            self.by_method.clear()


class Emulator:
    """One emulated Grafana: state, accounts, faults, counters and the HTTP server around them."""

    def __init__(
        self,
        admin_user: str = "admin",
        admin_password: str = "admin",
        token: str | None = None,
        port: int = 0,
        grafana: int | Profile = 11,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        """`grafana` picks the version profile (11, 12, 13: profiles.py); `tls` = (certificate, key) serves HTTPS."""
        self.profile = grafana if isinstance(grafana, Profile) else profile(grafana)
        self.state = GrafanaState(self.profile)
        self.resources = Resources(self.state)
        self.accounts: dict[str, Account] = {admin_user: Account(admin_password, {1: "Admin"})}
        self.tokens: dict[str, Token] = {}
        if token:
            self.tokens[token] = Token("sa-dashsync", 1, "Admin")
        self.faults = FaultPlan()
        self.traffic = Traffic()
        self.routes = _routes(self.state)
        self._admin = admin_user
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_class(self))
        self._server.daemon_threads = True
        self._scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host}:{port}"

    def add_user(self, login: str, password: str, role: str = "Viewer", org_id: int = 1) -> None:
        self.accounts.setdefault(login, Account(password, {})).roles[org_id] = role

    def add_token(self, role: str = "Admin", org_id: int = 1, name: str = "sa") -> str:
        token = service_account_token()
        self.tokens[token] = Token(name, org_id, role)
        return token

    def add_org(self, name: str) -> int:
        org_id = self.state.add_org(name)
        self.accounts[self._admin].roles[org_id] = "Admin"
        return org_id

    def provision(self, mounts: Mounts, env: Mapping[str, str] | None = None) -> Provisioner:
        """Apply file provisioning (datasources, then dashboard providers) as Grafana does at start-up."""
        provisioner = Provisioner(self.state, mounts, env)
        provisioner.datasources()
        provisioner.reload()
        return provisioner

    def inject(
        self,
        rate: float = 0.0,
        kinds: tuple[str, ...] = ("error", "drop"),
        latency: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.faults = FaultPlan(rate=rate, kinds=kinds, latency=latency, seed=seed)

    def start(self) -> Emulator:
        self._thread = threading.Thread(target=self._server.serve_forever, name="grafana-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ authentication (contract §2)

    def authenticate(self, headers: Any, query: dict[str, list[str]]) -> tuple[Identity | None, Response]:
        wanted_org = (query.get("targetOrgId") or [None])[0] or headers.get("X-Grafana-Org-Id")
        try:
            org_id = int(wanted_org) if wanted_org else None
        except ValueError:
            return None, (400, traced("bad request data"))
        auth = headers.get("Authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value:
            return self._by_token(value.strip(), org_id)
        if scheme.lower() == "basic" and value:
            try:
                login, sep, password = base64.b64decode(value.strip()).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                login, sep, password = "", "", ""
            if not sep:
                return None, (400, errutil(400, "Invalid Basic Auth Header", "basic-auth.invalid-header"))
            if login == "api_key":
                return self._by_token(password, org_id)
            account = self.accounts.get(login)
            if account is None or not secrets.compare_digest(account.password, password):
                return None, (401, errutil(401, "Invalid username or password", "password-auth.failed"))
            org = org_id or min(account.roles)
            if org not in account.roles or org not in self.state.orgs:
                # Emulator choice: the contract is silent on a user outside the requested org.
                return None, (401, errutil(401, "Unauthorized", "auth.unauthorized"))
            return Identity(login, org, account.roles[org]), (200, None)
        return None, (401, errutil(401, "Unauthorized", "auth.unauthorized"))

    def _by_token(self, token: str, org_id: int | None) -> tuple[Identity | None, Response]:
        found = self.tokens.get(token)
        if found is None:
            return None, (401, errutil(401, "Invalid API key", "api-key.invalid"))
        if org_id is not None and org_id != found.org_id:
            return None, (
                401,
                errutil(
                    401,
                    "API key does not belong to the requested organization",
                    "api-key.organization-mismatch",
                ),
            )
        return Identity(found.name, found.org_id, found.role), (200, None)

    # ------------------------------------------------------------------ dispatch

    def dispatch(self, method: str, raw_path: str, headers: Any, body: bytes) -> tuple[str, Response]:
        parts = urlsplit(raw_path)
        path = parts.path.rstrip("/") or "/"
        query = parse_qs(parts.query, keep_blank_values=True)
        if path == "/_emulator/faults" and method == "POST":
            # Emulator-only control (not Grafana API): lets a bench or demo in another process set faults.
            try:
                wanted = json.loads(body or b"{}")
                self.inject(
                    rate=float(wanted.get("rate", 0)),
                    latency=float(wanted.get("latency", 0)),
                    seed=int(wanted.get("seed", 0)),
                )
            except (ValueError, TypeError, AttributeError):
                return "emulator.faults", (400, traced("bad request data"))
            return "emulator.faults", (200, {"message": "faults set"})
        if path == "/_emulator/traffic" and method == "GET":
            # Emulator-only: the requests received so far, for a bench that runs the CLI in another process.
            by_method: Counter[str] = Counter()
            with self.traffic.lock:
                for key, count in self.traffic.by_route.items():
                    verb, route = key.split(" ", 1)
                    if not route.startswith("emulator."):  # the bench's own control calls are not dashsync's
                        by_method[verb] += count
            return "emulator.traffic", (200, {"by_method": dict(by_method)})
        if path == "/api/health" and method in READ_METHODS:
            return "health", (200, {"database": "ok", "version": self.state.version, "commit": "emulator"})
        if path == "/apis" or path.startswith("/apis/"):
            return self._dispatch_resource(method, path, headers, query, body)
        for route in self.routes:
            if route.method != method:
                continue
            match = route.pattern.fullmatch(path)
            if not match:
                continue
            identity, refusal = self.authenticate(headers, query)
            if identity is None:
                return route.name, refusal
            if route.permission and not _allowed(route.permission, ROLES[identity.role]):
                return route.name, (403, access_denied(route.permission))
            payload: Any = None
            if method in ("POST", "PUT", "PATCH"):
                try:
                    payload = json.loads(body or b"null")
                except ValueError:
                    return route.name, (400, traced("bad request data"))
            args = [unquote(g) for g in match.groups()]
            return route.name, route.handler(identity, query, payload, *args)
        if path.startswith("/api/"):
            identity, refusal = self.authenticate(headers, query)
            if identity is None:
                return "unknown", refusal
        return "unknown", (404, {"message": "Not found"})

    def _dispatch_resource(
        self, method: str, path: str, headers: Any, query: dict[str, list[str]], body: bytes
    ) -> tuple[str, Response]:
        """/apis: discovery, and dashboards and folders as resources (resources.py), for profiles that serve them."""
        identity, refusal = self.authenticate(headers, query)
        if identity is None:
            return "apis", refusal
        if path == "/apis" and method in READ_METHODS:
            return "apis.discovery", self.resources.discovery()
        match = RESOURCE_PATH.fullmatch(path)
        if not match:
            return "apis.unknown", (404, status(404, "NotFound", "the server could not find the requested resource"))
        group, version, namespace, resource, name = match.groups()
        route = f"apis.{resource}.{'list' if method == 'GET' and not name else method.lower()}"
        if not self.resources.serves(group, version) or (group == DASHBOARD_GROUP) != (resource == "dashboards"):
            return route, (404, status(404, "NotFound", "the server could not find the requested resource"))
        permission = RESOURCE_PERMISSIONS.get((resource, "GET" if method == "HEAD" else method))
        if permission is None:
            return route, (405, status(405, "MethodNotAllowed", f"the server does not allow this method: {method}"))
        if not _allowed(permission, ROLES[identity.role]):
            verb = {
                "GET": "get" if name else "list",
                "HEAD": "get",
                "POST": "create",
                "PUT": "update",
                "DELETE": "delete",
            }[method]
            return route, (
                403,
                status(
                    403,
                    "Forbidden",
                    (
                        f'{resource}.{group} is forbidden: User "{identity.login}" cannot {verb} resource "{resource}" '
                        f'in API group "{group}" in the namespace "{namespace}"'
                    ),
                ),
            )
        org = self.resources.org_for(identity.org_id, namespace)
        if org is None:
            return route, (403, status(403, "Forbidden", f"namespace {namespace!r} is not the caller's org"))
        payload: Any = None
        if method in ("POST", "PUT"):
            try:
                payload = json.loads(body or b"null")
            except ValueError:
                return route, (400, status(400, "BadRequest", "the request body is not JSON"))
        if resource == "dashboards":
            if method == "GET":
                answer = (
                    self.resources.get(org, resource, version, name)
                    if name
                    else self.resources.list(org, resource, version, query)
                )
            elif method == "DELETE" and name:
                answer = self.resources.delete_dashboard(org, name)
            elif method in ("POST", "PUT") and (name is None) == (method == "POST"):
                answer = self.resources.write_dashboard(org, identity.login, version, payload, name)
            else:
                answer = 405, status(405, "MethodNotAllowed", f"the server does not allow this method: {method}")
            return route, answer
        if method == "GET":
            return route, (
                self.resources.get(org, resource, version, name)
                if name
                else self.resources.list(org, resource, version, query)
            )
        if method == "DELETE" and name:
            code, answer = self.state.delete_folder(identity.org_id, name)
            if code != 200:
                return route, (code, status(code, "NotFound" if code == 404 else "Forbidden", answer["message"]))
            return route, (200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"})
        if method in ("POST", "PUT") and (name is None) == (method == "POST"):
            return route, self.resources.write_folder(org, identity.org_id, identity.login, payload, name)
        return route, (405, status(405, "MethodNotAllowed", f"the server does not allow this method: {method}"))


def _allowed(permission: str, granted: frozenset[str]) -> bool:
    """`permission` is one action, or Grafana's evaluator text "any of a, b"."""
    actions = permission.removeprefix("any of ").split(", ")
    return any(action in granted for action in actions)


def _routes(state: GrafanaState) -> list[Route]:
    def r(method: str, pattern: str, name: str, permission: str | None, handler: Callable[..., Response]) -> Route:
        return Route(method, re.compile(pattern), name, permission, handler)

    uid = r"([^/]+)"
    return [
        r("GET", r"/api/search", "search", None, lambda i, q, b: state.search(i.org_id, q)),
        r(
            "POST",
            r"/api/dashboards/db",
            "dashboards.save",
            "any of dashboards:create, dashboards:write",
            lambda i, q, b: state.save_dashboard(i.org_id, i.login, b),
        ),
        r(
            "GET",
            rf"/api/dashboards/uid/{uid}",
            "dashboards.get",
            "dashboards:read",
            lambda i, q, b, u: state.get_dashboard(i.org_id, u),
        ),
        r(
            "DELETE",
            rf"/api/dashboards/uid/{uid}",
            "dashboards.delete",
            "dashboards:delete",
            lambda i, q, b, u: state.delete_dashboard(i.org_id, u),
        ),
        r(
            "GET",
            rf"/api/dashboards/uid/{uid}/versions",
            "versions.list",
            "dashboards:write",
            lambda i, q, b, u: state.list_versions(i.org_id, u, q),
        ),
        r(
            "GET",
            rf"/api/dashboards/uid/{uid}/versions/{uid}",
            "versions.get",
            "dashboards:write",
            lambda i, q, b, u, n: state.get_version(i.org_id, u, n),
        ),
        r(
            "POST",
            rf"/api/dashboards/uid/{uid}/restore",
            "versions.restore",
            "dashboards:write",
            lambda i, q, b, u: state.restore_version(i.org_id, i.login, u, b),
        ),
        r(
            "GET",
            r"/api/folders",
            "folders.list",
            "folders:read",
            lambda i, q, b: state.list_folders(i.org_id, q),
        ),
        r(
            "POST",
            r"/api/folders",
            "folders.create",
            "folders:create",
            lambda i, q, b: state.create_folder(i.org_id, i.login, b),
        ),
        r(
            "GET",
            rf"/api/folders/{uid}",
            "folders.get",
            "folders:read",
            lambda i, q, b, u: state.get_folder(i.org_id, u),
        ),
        r(
            "PUT",
            rf"/api/folders/{uid}",
            "folders.update",
            "folders:write",
            lambda i, q, b, u: state.update_folder(i.org_id, i.login, u, b),
        ),
        r(
            "DELETE",
            rf"/api/folders/{uid}",
            "folders.delete",
            "folders:delete",
            lambda i, q, b, u: state.delete_folder(i.org_id, u),
        ),
        r(
            "GET",
            r"/api/datasources",
            "datasources.list",
            "datasources:read",
            lambda i, q, b: state.list_datasources(i.org_id),
        ),
        r(
            "POST",
            r"/api/datasources",
            "datasources.create",
            "datasources:create",
            lambda i, q, b: state.create_datasource(i.org_id, b),
        ),
        r(
            "GET",
            rf"/api/datasources/uid/{uid}",
            "datasources.get",
            "datasources:read",
            lambda i, q, b, u: state.get_datasource(i.org_id, u),
        ),
        r(
            "DELETE",
            rf"/api/datasources/uid/{uid}",
            "datasources.delete",
            "datasources:delete",
            lambda i, q, b, u: state.delete_datasource(i.org_id, u),
        ),
        r(
            "GET",
            r"/api/library-elements",
            "library.list",
            "library.panels:read",
            lambda i, q, b: state.list_library(i.org_id, q),
        ),
        r(
            "POST",
            r"/api/library-elements",
            "library.create",
            "library.panels:create",
            lambda i, q, b: state.create_library(i.org_id, i.login, b),
        ),
        r(
            "GET",
            rf"/api/library-elements/{uid}",
            "library.get",
            "library.panels:read",
            lambda i, q, b, u: state.get_library(i.org_id, u),
        ),
        r(
            "PATCH",
            rf"/api/library-elements/{uid}",
            "library.patch",
            "library.panels:write",
            lambda i, q, b, u: state.patch_library(i.org_id, i.login, u, b),
        ),
        r(
            "DELETE",
            rf"/api/library-elements/{uid}",
            "library.delete",
            "library.panels:delete",
            lambda i, q, b, u: state.delete_library(i.org_id, u),
        ),
        r(
            "GET",
            r"/api/org",
            "org.current",
            None,
            lambda i, q, b: (200, {"id": i.org_id, "name": state.orgs[i.org_id].name}),
        ),
        r(
            "GET",
            r"/api/access-control/user/permissions",
            "permissions",
            None,
            lambda i, q, b: (200, {p: [] for p in sorted(ROLES[i.role])}),
        ),
    ]


def _handler_class(emulator: Emulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "grafana-emulator"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes; without this, Nagle + delayed ACK add 40 ms per answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
            return

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            method = self.command
            fate = emulator.faults.draw()
            if emulator.faults.latency:
                time.sleep(emulator.faults.latency)
            if fate == "drop-before":
                emulator.traffic.record(method, "dropped")
                self._drop()
                return
            if fate == "error":
                emulator.traffic.record(method, "faulted")
                status = emulator.faults.error_status()
                self._send(status, traced("Internal Server Error" if status == 500 else "emulated upstream failure"))
                return
            route, (status, payload) = emulator.dispatch(method, self.path, self.headers, body)
            emulator.traffic.record(method, route)
            if fate == "drop-after":
                self._drop()
                return
            self._send(status, payload, head=method == "HEAD", pretty=route == "health")

        def _drop(self) -> None:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def _send(self, status: int, payload: Any, head: bool = False, pretty: bool = False) -> None:
            data = json.dumps(payload, indent=2 if pretty else None).encode()
            self.send_response(status)
            ctype = "application/json; charset=UTF-8" if pretty else "application/json"
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not head:
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    return Handler
