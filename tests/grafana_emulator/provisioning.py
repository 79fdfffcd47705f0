"""File provisioning as Grafana does it, so the emulator can start with the bundled stack's configuration.

Dashboards (pkg/services/provisioning/dashboards/config_reader.go, file_reader.go; PROFILES.md):
- every `*.yml`/`*.yaml` in the provisioning directory is read; each provider of `type: file` walks its
  `options.path` for `*.json` files;
- the folder: with `foldersFromFilesStructure` each file's directory name is a folder title (files at the root
  go to General); otherwise the provider's `folder`. `getOrCreateFolder` looks a folder up by the provider's
  `folderUid` when it has one, else by title at the top level, and creates it (with that uid, or a random one);
- the dashboard is saved with overwrite, marked provisioned (`provisionedExternalId` = the file's path
  relative to the provider path); with `allowUiUpdates: false` the API refuses to save or delete it;
- a file whose uid another provider already wrote is skipped (Grafana logs "dashboard uid is already
  provisioned").

Datasources (pkg/services/provisioning/datasources): `$VAR` and `${VAR}` are expanded from the environment;
a provisioned datasource is read-only through the API.

`from_compose` reads the grafana service of a compose file: its published port, its volume mounts (so the
provider's container paths resolve to the repository's files) and its admin credentials, interpolated from the
environment the way compose does (`${X}`, `${X:-default}`, `${X:?message}`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .state import GrafanaState, Provisioned

DASHBOARDS_DIR = "/etc/grafana/provisioning/dashboards"
DATASOURCES_DIR = "/etc/grafana/provisioning/datasources"
VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


class ProvisioningError(Exception):
    """Grafana would refuse to start with this configuration; the message says why in one line."""


def interpolate(text: str, env: Mapping[str, str]) -> str:
    """compose / Grafana variable expansion: ${X}, ${X:-default}, ${X-default}, ${X:?message}, $X."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(4)
        op, arg = match.group(2), match.group(3) or ""
        value = env.get(name)
        empty = value is None or (value == "" and op and op.startswith(":"))
        if op and op.endswith("-") and empty:
            return arg
        if op and op.endswith("?") and empty:
            raise ProvisioningError(f"variable {name} is required: {arg}")
        return value or ""

    return VARIABLE.sub(one, text)


@dataclass(frozen=True)
class Mounts:
    """Container path -> host path, from a service's volumes (longest container prefix wins)."""

    table: tuple[tuple[str, Path], ...]

    def host(self, container: str) -> Path | None:
        target = PurePosixPath(container)
        for mount, host in sorted(self.table, key=lambda m: -len(m[0])):
            if target == PurePosixPath(mount) or PurePosixPath(mount) in target.parents:
                return host / target.relative_to(mount)
        return None

    def files_in(self, container_dir: str, suffixes: tuple[str, ...]) -> list[Path]:
        """Files Grafana sees directly in `container_dir`: mounted one by one, or inside a mounted directory."""
        found: dict[str, Path] = {}
        directory = self.host(container_dir)
        if directory is not None and directory.is_dir():
            found.update({p.name: p for p in directory.iterdir() if p.is_file()})
        for mount, host in self.table:
            if str(PurePosixPath(mount).parent) == container_dir and host.is_file():
                found[PurePosixPath(mount).name] = host
        return [found[name] for name in sorted(found) if name.endswith(suffixes)]


@dataclass(frozen=True)
class ComposeGrafana:
    port: int
    admin_user: str
    admin_password: str
    mounts: Mounts
    environment: dict[str, str]


def env_file(path: Path) -> dict[str, str]:
    """KEY=value lines of a compose `.env` file (comments and blank lines skipped; quotes around a value removed)."""
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            out[key.strip()] = value.strip().strip("'\"")
    return out


def from_compose(compose_file: Path, env: Mapping[str, str], service: str = "grafana") -> ComposeGrafana:
    data = yaml.safe_load(compose_file.read_text(encoding="utf-8"))
    spec = (data.get("services") or {}).get(service)
    if not isinstance(spec, dict):
        raise ProvisioningError(f"{compose_file}: no service {service!r}")
    environment = {k: interpolate(str(v), env) for k, v in (spec.get("environment") or {}).items()}
    table = []
    for volume in spec.get("volumes") or []:
        source, _, rest = str(volume).partition(":")
        target = rest.split(":")[0]
        if source.startswith((".", "/")):  # a bind mount; named volumes hold Grafana's own data
            table.append((target, (compose_file.parent / source).resolve()))
    port = 3000
    for mapping in spec.get("ports") or []:
        parts = interpolate(str(mapping), env).split(":")
        if parts[-1] == "3000" and len(parts) >= 2:
            port = int(parts[-2])
    return ComposeGrafana(
        port,
        environment.get("GF_SECURITY_ADMIN_USER") or "admin",
        environment.get("GF_SECURITY_ADMIN_PASSWORD") or "admin",
        Mounts(tuple(table)),
        environment,
    )


def _read_yaml(path: Path, env: Mapping[str, str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(interpolate(path.read_text(encoding="utf-8"), env))
    except (OSError, yaml.YAMLError) as exc:
        raise ProvisioningError(f"{path}: {exc}") from None
    return data if isinstance(data, dict) else {}


class Provisioner:
    """Applies dashboard providers and datasources to an emulator's state; `reload()` is one polling pass."""

    def __init__(self, state: GrafanaState, mounts: Mounts, env: Mapping[str, str] | None = None) -> None:
        self.state = state
        self.mounts = mounts
        self.env = dict(os.environ if env is None else env)

    def providers(self) -> list[dict[str, Any]]:
        out = []
        for path in self.mounts.files_in(DASHBOARDS_DIR, (".yml", ".yaml")):
            for provider in _read_yaml(path, self.env).get("providers") or []:
                if provider.get("type", "file") == "file":
                    out.append(provider)
        return out

    def reload(self) -> None:
        """One pass of every provider, as its polling loop does (and as start-up does first)."""
        seen: dict[str, str] = {}
        for provider in self.providers():
            self._provide(provider, seen)

    def _provide(self, provider: dict[str, Any], seen: dict[str, str]) -> None:
        options = provider.get("options") or {}
        container_root = str(options.get("path") or "")
        root = self.mounts.host(container_root)
        if root is None or not root.is_dir():
            raise ProvisioningError(f"provider {provider.get('name')!r}: path {container_root!r} is not mounted")
        org_id = int(provider.get("orgId") or 1)
        allow_ui = bool(provider.get("allowUiUpdates", False))
        for path in sorted(root.rglob("*.json")):
            raw = path.read_bytes()
            try:
                data = json.loads(raw)
            except ValueError:
                continue  # Grafana logs "failed to load dashboard from" and carries on
            if not isinstance(data, dict):
                continue
            uid = str(data.get("uid") or "")
            if uid and uid in seen and seen[uid] != provider.get("name"):
                continue
            if options.get("foldersFromFilesStructure"):
                title = path.parent.name if path.parent != root else ""
            else:
                title = str(provider.get("folder") or "")
            folder_uid = self._folder(org_id, title, str(provider.get("folderUid") or "")) if title else None
            external = path.relative_to(root).as_posix()
            record = Provisioned(str(provider.get("name")), external, allow_ui, hashlib.sha1(raw).hexdigest())  # noqa: S324
            self._save(org_id, data, folder_uid, record)
            if uid:
                seen[uid] = str(provider.get("name"))

    def _folder(self, org_id: int, title: str, uid: str) -> str:
        """getOrCreateFolder: by the provider's folderUid when set, else by title at the top level."""
        with self.state.lock:
            org = self.state.orgs[org_id]
            if uid:
                if uid in org.folders:
                    return uid
            else:
                found = sorted(
                    (f for f in org.folders.values() if f.title == title and not f.parent_uid), key=lambda f: f.id
                )
                if found:
                    return found[0].uid
            code, answer = self.state.create_folder(org_id, "admin", {"uid": uid, "title": title})
            if code != 200:
                raise ProvisioningError(f"cannot create folder {title!r}: {answer}")
            return answer["uid"]

    def _save(self, org_id: int, data: dict[str, Any], folder_uid: str | None, record: Provisioned) -> None:
        with self.state.lock:
            org = self.state.orgs[org_id]
            uid = str(data.get("uid") or "")
            existing = org.dashboards.get(uid) if uid else None
            if (
                existing is not None
                and existing.provisioned
                and existing.provisioned.checksum == record.checksum
                and existing.folder_uid == folder_uid
            ):
                return  # unchanged file: the provider does not save it again
            title = str(data.get("title") or "").strip()
            self.state.store_dashboard(
                org, "Anonymous", dict(data), title, uid, existing, folder_uid, "", provisioned=record
            )

    def datasources(self) -> None:
        for path in self.mounts.files_in(DATASOURCES_DIR, (".yml", ".yaml")):
            for ds in _read_yaml(path, self.env).get("datasources") or []:
                org_id = int(ds.get("orgId") or 1)
                body = {k: v for k, v in ds.items() if k not in ("orgId", "editable")}
                code, answer = self.state.create_datasource(org_id, body)
                if code != 200:
                    raise ProvisioningError(f"{path}: datasource {ds.get('name')!r}: {answer}")
                with self.state.lock:
                    self.state.orgs[org_id].datasources[answer["datasource"]["uid"]]["readOnly"] = True
