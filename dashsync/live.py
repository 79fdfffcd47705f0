"""What Grafana holds, and the writes dashsync makes to it, through whichever API this Grafana serves best.

Two ways in, one interface (`Live`), chosen once per run by `connect`:

- **resources** (Grafana 12 and 13 serve `dashboard.grafana.app/v1beta1` and `folder.grafana.app/v1beta1`
  under /apis; 13 deprecates /api for both): one list walk per kind returns whole objects, so reading 1,000
  dashboards takes about 1,000 / page size requests, not one GET each. Updates carry
  `metadata.resourceVersion`, so an edit made between plan and write answers 409 instead of being overwritten.
  dashsync's provenance marker is in the save message, which Grafana keeps on the object as the
  `grafana.app/message` annotation (apistore prepare.go leaves it), so the listing carries it too.
- **legacy** (Grafana 11, or `--api legacy`): one search per kind, then one GET per dashboard needed and one
  version GET per dashboard whose content differs (the marker is in that version's save message).

A dashboard stored in the v2 schema (13's default for dashboards made in the UI) is never read through a
lossy down-conversion: it is marked `stored_as_v2`, its native resource is fetched when a backup needs it,
and a push that would overwrite it is a conflict (plan.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .connection import Grafana, GrafanaError, expect
from .errors import DashsyncError
from .normalise import content_hash, recorded_hash
from .parallel import read_all
from .plan import LiveDashboard, LiveFolder

DASHBOARDS = "dashboard.grafana.app"
FOLDERS = "folder.grafana.app"
CLASSIC = "v1beta1"
V2 = "v2beta1"
ANNO_FOLDER = "grafana.app/folder"
ANNO_MESSAGE = "grafana.app/message"
ANNO_MANAGED_BY = "grafana.app/managedBy"
ANNO_EDITS = "grafana.app/managerAllowsEdits"
PAGE = 500
API_CHOICES = ("auto", "resources", "legacy")


class WriteRefused(GrafanaError):
    """A write Grafana refused because the object changed or exists (412/409): the caller decides what it means."""


class Live(Protocol):
    """One Grafana org as dashsync sees it; each implementation reads as little as its API allows."""

    kind: str
    serves_v2: bool

    def folders(self) -> dict[str, LiveFolder]: ...

    def index(self) -> dict[str, LiveDashboard]: ...

    def dashboards(self, uids: Iterable[str]) -> dict[str, LiveDashboard]: ...

    def provenance(self, live: dict[str, LiveDashboard], uids: Iterable[str]) -> dict[str, str | None]: ...

    def native(self, uid: str) -> dict[str, Any] | None: ...

    def fresh(self, uid: str) -> LiveDashboard | None: ...

    def save(self, body: dict[str, Any], folder_uid: str, live: LiveDashboard | None, message: str) -> None: ...

    def save_native(self, resource: dict[str, Any], live: LiveDashboard | None) -> None: ...

    def delete(self, uid: str) -> None: ...

    def create_folder(self, uid: str, title: str, parent_uid: str | None) -> None: ...

    def rename_folder(self, uid: str, title: str) -> None: ...


def connect(grafana: Grafana, api: str | None = None) -> Live:
    """The resource API where Grafana serves what dashsync needs of it, the legacy API elsewhere."""
    api = api or grafana.settings.api
    if api not in API_CHOICES:
        raise DashsyncError(f"--api {api!r}: expected one of {', '.join(API_CHOICES)}")
    if api == "legacy":
        return LegacyLive(grafana)
    groups = grafana.api_groups()
    serves = CLASSIC in groups.get(DASHBOARDS, ()) and CLASSIC in groups.get(FOLDERS, ())
    if serves:
        return ResourceLive(grafana, grafana.namespace(), V2 in groups.get(DASHBOARDS, ()))
    if api == "resources":
        raise DashsyncError(
            f"{grafana.settings.display_url} does not serve {DASHBOARDS}/{CLASSIC} and {FOLDERS}/{CLASSIC} "
            "under /apis (Grafana 12 or later does); use --api legacy or auto"
        )
    return LegacyLive(grafana)


def _landed(live: LiveDashboard | None, digest: str, folder_uid: str) -> bool:
    return (
        live is not None
        and not live.stored_as_v2
        and content_hash(live.content) == digest
        and live.folder_uid == folder_uid
    )


# ---------------------------------------------------------------------- legacy /api


class LegacyLive:
    """/api: search, GET per dashboard, the save message of the live version as provenance."""

    kind = "legacy /api"
    serves_v2 = False

    def __init__(self, grafana: Grafana) -> None:
        self.grafana = grafana
        self.workers = grafana.settings.concurrency

    def folders(self) -> dict[str, LiveFolder]:
        hits = self.grafana.search("dash-folder")
        return {h["uid"]: LiveFolder(h["uid"], h["title"], h.get("folderUid") or None) for h in hits}

    def index(self) -> dict[str, LiveDashboard]:
        return {
            h["uid"]: LiveDashboard(
                h["uid"], str(h.get("title", "")), h.get("folderUid") or "", 0, {}, tuple(h.get("tags") or ())
            )
            for h in self.grafana.search("dash-db")
        }

    def _one(self, uid: str) -> LiveDashboard | None:
        try:
            found = self.grafana.get_dashboard(uid)
        except GrafanaError as exc:
            if exc.status == 406:  # Grafana 12: "dashboard api version not supported": stored as v2
                return LiveDashboard(uid, "", "", 0, {}, stored_as_v2=True)
            raise
        if found is None:
            return None
        dash, meta = found["dashboard"], found.get("meta", {})
        v2 = str(meta.get("apiVersion") or "").startswith("v2")  # 13 down-converts it, with loss
        return LiveDashboard(
            str(dash.get("uid", uid)),
            str(dash.get("title", "")),
            meta.get("folderUid") or "",
            int(meta.get("version", dash.get("version", 0)) or 0),
            dash,
            tuple(dash.get("tags") or ()),
            provisioned=bool(meta.get("provisioned")),  # true only when the provider refuses UI/API writes
            file_managed=bool(meta.get("provisioned") or meta.get("provisionedExternalId")),
            stored_as_v2=v2,
            updated=str(meta.get("updated") or ""),
        )

    def dashboards(self, uids: Iterable[str]) -> dict[str, LiveDashboard]:
        wanted = list(uids)
        found = read_all(self._one, wanted, self.workers, "reading dashboards")
        return {uid: item for uid, item in zip(wanted, found, strict=True) if item is not None}

    def provenance(self, live: dict[str, LiveDashboard], uids: Iterable[str]) -> dict[str, str | None]:
        wanted = [u for u in uids if u in live and not live[u].stored_as_v2]

        def one(uid: str) -> str | None:
            version = self.grafana.get_version(uid, live[uid].version)
            return recorded_hash(version.get("message")) if version else None

        return dict(zip(wanted, read_all(one, wanted, self.workers, "reading versions"), strict=True))

    def native(self, uid: str) -> dict[str, Any] | None:
        """A v2 dashboard's resource; the legacy API has none (Grafana 12 answers 406, 13 down-converts)."""
        return None

    def fresh(self, uid: str) -> LiveDashboard | None:
        return self._one(uid)

    def save(self, body: dict[str, Any], folder_uid: str, live: LiveDashboard | None, message: str) -> None:
        payload = {k: v for k, v in body.items() if k not in ("id", "version")}
        if live is not None:
            payload["version"] = live.version
        over_v2 = live is not None and live.stored_as_v2  # only with --force: its version is not readable here
        try:
            self.grafana.save_dashboard(payload, folder_uid, message, overwrite=over_v2)
        except GrafanaError as exc:
            # 412 on 11/12, 409 on 13 ("Dashboard already exists. Use overwrite flag to update."): the version
            # moved, or a create met a dashboard that search did not show yet
            if exc.status in (409, 412):
                raise WriteRefused(exc.message, exc.status, exc.body) from None
            raise

    def save_native(self, resource: dict[str, Any], live: LiveDashboard | None) -> None:
        raise DashsyncError(
            f"dashboard {resource.get('metadata', {}).get('name')} is a v2 dashboard: this Grafana serves no "
            f"{DASHBOARDS}/{V2} to restore it into (Grafana 12 or later does)"
        )

    def delete(self, uid: str) -> None:
        self.grafana.delete_dashboard(uid)

    def create_folder(self, uid: str, title: str, parent_uid: str | None) -> None:
        self.grafana.create_folder(uid, title, parent_uid)

    def rename_folder(self, uid: str, title: str) -> None:
        live = self.grafana.get_folder(uid)
        version = live.get("version") if live else None
        self.grafana.request("PUT", f"/folders/{uid}", json={"title": title, "version": version}, repeatable=False)


# ---------------------------------------------------------------------- resources /apis


@dataclass
class ResourceLive:
    """/apis: list walks that carry whole objects; resourceVersion guards updates; provenance as an annotation."""

    grafana: Grafana
    namespace: str
    serves_v2: bool
    kind: str = "resources /apis"
    _dashboards: dict[str, LiveDashboard] | None = field(default=None, repr=False)
    _folders: dict[str, LiveFolder] | None = field(default=None, repr=False)

    def _path(self, group: str, version: str, resource: str, name: str = "") -> str:
        tail = f"/{name}" if name else ""
        return f"/{group}/{version}/namespaces/{self.namespace}/{resource}{tail}"

    def _walk(self, group: str, resource: str) -> list[dict[str, Any]]:
        """Every object of a list, page by page (`metadata.continue` until it is absent)."""
        items: list[dict[str, Any]] = []
        token = ""
        while True:
            params: dict[str, Any] = {"limit": PAGE, **({"continue": token} if token else {})}
            page = self.grafana.resource("GET", self._path(group, CLASSIC, resource), params=params)
            expect(
                isinstance(page, dict) and isinstance(page.get("items"), list),
                f"GET /apis{self._path(group, CLASSIC, resource)}",
                "a list with items",
            )
            items.extend(i for i in page["items"] if isinstance(i, dict))
            token = str((page.get("metadata") or {}).get("continue") or "")
            if not token:
                return items

    def folders(self) -> dict[str, LiveFolder]:
        if self._folders is None:
            self._folders = {}
            for item in self._walk(FOLDERS, "folders"):
                meta = item.get("metadata") or {}
                parent = (meta.get("annotations") or {}).get(ANNO_FOLDER) or None
                uid = str(meta.get("name"))
                self._folders[uid] = LiveFolder(uid, str((item.get("spec") or {}).get("title", "")), parent)
        return self._folders

    def index(self) -> dict[str, LiveDashboard]:
        if self._dashboards is None:
            self._dashboards = {}
            for item in self._walk(DASHBOARDS, "dashboards"):
                live = as_live(item)
                self._dashboards[live.uid] = live
        return self._dashboards

    def dashboards(self, uids: Iterable[str]) -> dict[str, LiveDashboard]:
        index = self.index()
        return {uid: index[uid] for uid in uids if uid in index}

    def provenance(self, live: dict[str, LiveDashboard], uids: Iterable[str]) -> dict[str, str | None]:
        """The marker from the object's annotation; where a write through /api left none, the version message."""
        out: dict[str, str | None] = {}
        missing = []
        for uid in uids:
            if uid in live and not live[uid].stored_as_v2:
                out[uid] = live[uid].recorded
                if out[uid] is None:
                    missing.append(uid)

        def from_version(uid: str) -> str | None:
            version = self.grafana.get_version(uid, live[uid].version)
            return recorded_hash(version.get("message")) if version else None

        found = read_all(from_version, missing, self.grafana.settings.concurrency, "reading versions")
        out.update(zip(missing, found, strict=True))
        return out

    def native(self, uid: str) -> dict[str, Any] | None:
        live = self.index().get(uid)
        if live is None or not live.stored_as_v2:
            return None
        version = live.stored_version or V2
        found = self.grafana.resource("GET", self._path(DASHBOARDS, version, "dashboards", uid))
        return found if isinstance(found, dict) else None

    def fresh(self, uid: str) -> LiveDashboard | None:
        """One object read now, past the listing this run planned from."""
        try:
            return as_live(self.grafana.resource("GET", self._path(DASHBOARDS, CLASSIC, "dashboards", uid)))
        except GrafanaError as exc:
            if exc.status == 404:
                return None
            raise

    def _refusable(self, method: str, path: str, body: dict[str, Any]) -> None:
        """A write that is safe to repeat: a retried create that had landed answers 409 (exists), a retried
        update 409 (resourceVersion moved); the caller then checks what is live."""
        try:
            self.grafana.resource(method, path, json=body, repeatable=True)
        except GrafanaError as exc:
            if exc.status == 409:  # stale resourceVersion, or a create of a name that exists
                raise WriteRefused(exc.message, exc.status, exc.body) from None
            raise

    def save(self, body: dict[str, Any], folder_uid: str, live: LiveDashboard | None, message: str) -> None:
        spec = {k: v for k, v in body.items() if k not in ("id", "uid", "version")}
        if isinstance(spec.get("title"), str):
            spec["title"] = spec["title"].strip()  # as the legacy API stores it; /apis keeps a title as sent
        annotations = {ANNO_MESSAGE: message}
        if folder_uid:
            annotations[ANNO_FOLDER] = folder_uid
        metadata: dict[str, Any] = {"name": body["uid"], "annotations": annotations}
        resource = {"apiVersion": f"{DASHBOARDS}/{CLASSIC}", "kind": "Dashboard", "metadata": metadata, "spec": spec}
        if live is None:
            self._refusable("POST", self._path(DASHBOARDS, CLASSIC, "dashboards"), resource)
        else:
            metadata["resourceVersion"] = live.resource_version
            self._refusable("PUT", self._path(DASHBOARDS, CLASSIC, "dashboards", body["uid"]), resource)

    def save_native(self, resource: dict[str, Any], live: LiveDashboard | None) -> None:
        version = str(resource.get("apiVersion", "")).rpartition("/")[2] or V2
        if not self.serves_v2 and version.startswith("v2"):
            raise DashsyncError(f"this Grafana serves no {DASHBOARDS}/{version} to restore a v2 dashboard into")
        meta = resource.get("metadata") or {}
        clean = {
            "apiVersion": f"{DASHBOARDS}/{version}",
            "kind": "Dashboard",
            "metadata": {"name": meta.get("name"), "annotations": writable_annotations(meta.get("annotations") or {})},
            "spec": resource.get("spec") or {},
        }
        if live is None:
            self._refusable("POST", self._path(DASHBOARDS, version, "dashboards"), clean)
        else:
            clean["metadata"]["resourceVersion"] = live.resource_version
            self._refusable("PUT", self._path(DASHBOARDS, version, "dashboards", str(meta.get("name"))), clean)

    def delete(self, uid: str) -> None:
        try:
            self.grafana.resource("DELETE", self._path(DASHBOARDS, CLASSIC, "dashboards", uid), repeatable=True)
        except GrafanaError as exc:
            if exc.status != 404:  # gone already: a retried delete that had landed
                raise

    def create_folder(self, uid: str, title: str, parent_uid: str | None) -> None:
        annotations = {ANNO_FOLDER: parent_uid} if parent_uid else {}
        body = {
            "apiVersion": f"{FOLDERS}/{CLASSIC}",
            "kind": "Folder",
            "metadata": {"name": uid, "annotations": annotations},
            "spec": {"title": title},
        }
        try:
            self.grafana.resource("POST", self._path(FOLDERS, CLASSIC, "folders"), json=body, repeatable=True)
        except GrafanaError as exc:
            if exc.status != 409:
                raise
            found = self.grafana.resource("GET", self._path(FOLDERS, CLASSIC, "folders", uid))
            expect(isinstance(found, dict), f"GET /apis{self._path(FOLDERS, CLASSIC, 'folders', uid)}", "a Folder")
            spec, meta = found.get("spec") or {}, found.get("metadata") or {}
            parent = (meta.get("annotations") or {}).get(ANNO_FOLDER) or None
            if spec.get("title") != title or parent != parent_uid:  # not a retried create that had landed
                raise

    def rename_folder(self, uid: str, title: str) -> None:
        found = self.grafana.resource("GET", self._path(FOLDERS, CLASSIC, "folders", uid))
        found.setdefault("spec", {})["title"] = title
        self.grafana.resource("PUT", self._path(FOLDERS, CLASSIC, "folders", uid), json=found, repeatable=False)


SERVER_ANNOTATIONS = ("grafana.app/created", "grafana.app/updated", "grafana.app/manage", "grafana.app/source")


def writable_annotations(annotations: dict[str, Any]) -> dict[str, str]:
    """Annotations a client may set: not the server's bookkeeping, not a manager's (provisioning) marks."""
    return {str(k): str(v) for k, v in annotations.items() if not str(k).startswith(SERVER_ANNOTATIONS)}


def as_live(item: dict[str, Any]) -> LiveDashboard:
    """A listed or fetched v1beta1 Dashboard object as dashsync's view of it."""
    meta = item.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    conversion = (item.get("status") or {}).get("conversion") or {}
    stored = str(conversion.get("storedVersion") or "")
    uid = str(meta.get("name"))
    spec = item.get("spec") if isinstance(item.get("spec"), dict) else {}
    v2 = stored.startswith("v2")
    content = {} if v2 else {**spec, "uid": uid}
    return LiveDashboard(
        uid,
        str(spec.get("title", "")),
        str(annotations.get(ANNO_FOLDER) or ""),
        int(meta.get("generation") or 0),
        content,
        tuple(spec.get("tags") or ()),
        provisioned=bool(annotations.get(ANNO_MANAGED_BY)) and annotations.get(ANNO_EDITS) != "true",
        file_managed=bool(annotations.get(ANNO_MANAGED_BY)),
        stored_as_v2=v2,
        stored_version=stored or None,
        resource_version=str(meta.get("resourceVersion") or ""),
        recorded=recorded_hash(annotations.get(ANNO_MESSAGE)),
        updated=str(annotations.get("grafana.app/updatedTimestamp") or meta.get("creationTimestamp") or ""),
    )


def landed(live: Live, uid: str, digest: str, folder_uid: str) -> bool:
    """After a refused write: is what we meant to write live already (a retried write that had landed)?"""
    return _landed(live.fresh(uid), digest, folder_uid)


__all__ = ["Live", "LegacyLive", "ResourceLive", "WriteRefused", "connect", "landed"]
