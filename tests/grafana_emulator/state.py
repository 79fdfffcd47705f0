"""In-memory Grafana state and the rules of the legacy /api, for the Grafana 11, 12 and 13 profiles.

Every method returns `(status, body)` exactly as Grafana answers: status codes, JSON shapes and messages
follow the API contract document the project was built from (section numbers cited next to each rule), and
where versions differ the rule asks the profile (profiles.py; sources in PROFILES.md). HTTP, authentication
and faults live in `server.py`, the /apis resource view of the same store in `resources.py`; this module only
knows about dashboards, folders, versions, datasources and library panels, per organisation.
"""

from __future__ import annotations

import copy
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .profiles import PROFILES, Profile, go_numbers
from .slug import slugify

Response = tuple[int, Any]

UID_PATTERN = re.compile(r"^[a-zA-Z0-9\-_]*$")
MAX_FOLDER_DEPTH = 4  # newest Grafana; 11.x allowed 8 (contract §9, §12)
GENERAL_FOLDER_TITLE = "General"
ANNOTATIONS_PERMISSIONS = {
    "dashboard": {"canAdd": True, "canEdit": True, "canDelete": True},
    "organization": {"canAdd": True, "canEdit": True, "canDelete": True},
}


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _content(data: dict[str, Any]) -> dict[str, Any]:
    """A stored spec without the fields the store itself sets."""
    return {k: v for k, v in data.items() if k not in ("id", "uid", "version")}


def plain(message: str) -> dict[str, Any]:
    """Shape A (contract §1.1)."""
    return {"message": message}


def traced(message: str) -> dict[str, Any]:
    """Shape A' (contract §1.1): `response.Error` with an error, tracing off."""
    return {"message": message, "traceID": ""}


def with_status(message: str, status: str) -> dict[str, Any]:
    """Shape B (contract §1.1)."""
    return {"message": message, "status": status}


def new_uid(profile: Profile | None = None) -> str:
    """11.x: letter + 24 hex + letter (contract §5.6); 12+: uuid.NewString() (contract §15.1)."""
    if profile is not None and profile.uuid_uids:
        return str(uuid.uuid4())
    return "e" + uuid.uuid4().hex[:24] + "a"


@dataclass
class Provisioned:
    """A dashboard written by a file provider (pkg/services/provisioning/dashboards/file_reader.go)."""

    provider: str
    external_id: str  # the file's path relative to the provider's path
    allow_ui_updates: bool
    checksum: str


@dataclass
class Dashboard:
    id: int
    uid: str
    title: str
    data: dict[str, Any]
    folder_uid: str | None
    version: int
    created: str
    updated: str
    created_by: str
    updated_by: str
    api_version: str = "v0alpha1"  # "v2beta1": stored in the v2 schema (`data` is then the v2 spec)
    provisioned: Provisioned | None = None
    resource_version: int = 0
    annotations: dict[str, str] = field(default_factory=dict)  # set through /apis, kept on the object
    indexed_at: float = field(default_factory=time.monotonic)  # when search can first see it

    @property
    def is_v2(self) -> bool:
        return self.api_version.startswith("v2")

    @property
    def refuses_api_writes(self) -> bool:
        return self.provisioned is not None and not self.provisioned.allow_ui_updates

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def tags(self) -> list[str]:
        tags = self.data.get("tags")
        return sorted(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else []


@dataclass
class Folder:
    id: int
    uid: str
    title: str
    parent_uid: str | None
    description: str
    version: int
    created: str
    updated: str
    created_by: str
    updated_by: str
    resource_version: int = 0
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return slugify(self.title)


@dataclass
class Org:
    id: int
    name: str
    dashboards: dict[str, Dashboard] = field(default_factory=dict)
    folders: dict[str, Folder] = field(default_factory=dict)
    versions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    datasources: dict[str, dict[str, Any]] = field(default_factory=dict)
    library: dict[str, dict[str, Any]] = field(default_factory=dict)


class GrafanaState:
    """All orgs of one emulated Grafana. One lock serialises every call, like SQLite does for writes."""

    def __init__(self, profile: Profile | None = None) -> None:
        self.profile = profile or PROFILES[11]
        self.version = self.profile.version
        # 12+ give no search-after-write guarantee (dashboard_service.go waitForSearchQuery); tests set how long
        # a new dashboard stays out of /api/search on such a profile
        self.search_lag = 0.0
        self.lock = threading.RLock()
        self.orgs: dict[int, Org] = {1: Org(1, "Main Org.")}
        self._next_id = 1
        self._next_version_row = 1
        self._next_ds_id = 1
        self._next_lib_id = 1
        self._next_rv = 1

    # ---------------------------------------------------------------- helpers

    def add_org(self, name: str) -> int:
        with self.lock:
            org_id = max(self.orgs) + 1
            self.orgs[org_id] = Org(org_id, name)
            return org_id

    def reset(self) -> None:
        """Forget everything (tests use a fresh Grafana per test without restarting the server)."""
        with self.lock:
            self.orgs = {org_id: Org(org_id, org.name) for org_id, org in self.orgs.items()}

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def next_resource_version(self) -> int:
        """One counter for every write, like the storage's resourceVersion (a growing number, sent as text)."""
        self._next_rv += 1
        return self._next_rv - 1

    def _folder_ancestors(self, org: Org, uid: str | None) -> list[Folder]:
        """Ancestors of a folder uid from the root down to the folder itself."""
        chain: list[Folder] = []
        while uid:
            folder = org.folders.get(uid)
            if folder is None:
                break
            chain.append(folder)
            uid = folder.parent_uid
        return list(reversed(chain))

    def _folder_dto(self, org: Org, folder: Folder, with_parents: bool = True) -> dict[str, Any]:
        dto: dict[str, Any] = {
            "id": folder.id,
            "uid": folder.uid,
            "orgId": org.id,
            "title": folder.title,
            "url": f"/dashboards/f/{folder.uid}/{folder.slug}",
            "hasAcl": False,
            "canSave": True,
            "canEdit": True,
            "canAdmin": True,
            "canDelete": True,
            "createdBy": folder.created_by,
            "created": folder.created,
            "updatedBy": folder.updated_by,
            "updated": folder.updated,
            "version": folder.version,
        }
        if folder.parent_uid:
            dto["parentUid"] = folder.parent_uid
            if with_parents:
                parents = self._folder_ancestors(org, folder.parent_uid)
                dto["parents"] = [self._folder_dto(org, p, with_parents=False) for p in parents]
        return dto

    # ---------------------------------------------------------------- search (§4)

    def search(self, org_id: int, params: dict[str, list[str]]) -> Response:
        org = self.orgs[org_id]
        first = {k: v[0] for k, v in params.items() if v}
        try:
            limit = int(first.get("limit", "0") or 0)
            page = int(first.get("page", "1") or 1)
        except ValueError:
            return 400, traced("bad request data")
        if limit > 5000:
            return 422, plain("Limit is above maximum allowed (5000), use page parameter to access hits beyond limit")
        if limit < 1:
            limit = 1000
        page = max(page, 1)
        if (params.get("dashboardIds") or params.get("folderIds")) and (
            params.get("dashboardUIDs") or params.get("folderUIDs") or params.get("dashboardUID")
        ):
            return 400, plain("search supports UIDs or IDs, not both")
        query = first.get("query", "").lower()
        tags = params.get("tag", [])
        kind = first.get("type", "")
        uids = params.get("dashboardUIDs") or params.get("dashboardUID") or []
        folder_uids = params.get("folderUIDs", [])
        with self.lock:
            items: list[tuple[str, int, dict[str, Any]]] = []
            if kind != "dash-db":
                for f in org.folders.values():
                    items.append((f.title, f.id, self._folder_hit(org, f)))
            if kind != "dash-folder":
                lag = 0.0 if self.profile.search_after_write else self.search_lag
                for d in org.dashboards.values():
                    if time.monotonic() - d.indexed_at >= lag:
                        items.append((d.title, d.id, self._dashboard_hit(org, d)))
        hits = []
        for _, _, hit in sorted(items, key=lambda item: (item[0], item[1])):
            if query and query not in hit["title"].lower():
                continue
            if tags and not set(tags) <= set(hit["tags"]):
                continue
            if uids and hit["uid"] not in uids:
                continue
            if folder_uids:
                parent = hit.get("folderUid") or "general"
                if parent not in folder_uids:
                    continue
            hits.append(hit)
        page_hits = hits[(page - 1) * limit : page * limit]
        page_hits.sort(key=lambda h: (h["type"] != "dash-folder", h["title"].lower()))
        return 200, page_hits

    def _folder_hit(self, org: Org, f: Folder) -> dict[str, Any]:
        hit: dict[str, Any] = {
            "id": f.id,
            "uid": f.uid,
            "orgId": org.id,
            "title": f.title,
            "uri": f"db/{f.slug}",
            "url": f"/dashboards/f/{f.uid}/{f.slug}",
            "slug": "",
            "type": "dash-folder",
            "tags": [],
            "isStarred": False,
            "sortMeta": 0,
            "isDeleted": False,
        }
        if f.parent_uid and f.parent_uid in org.folders:
            self._add_parent(hit, org.folders[f.parent_uid])
        return hit

    def _dashboard_hit(self, org: Org, d: Dashboard) -> dict[str, Any]:
        hit: dict[str, Any] = {
            "id": d.id,
            "uid": d.uid,
            "orgId": org.id,
            "title": d.title,
            "uri": f"db/{d.slug}",
            "url": f"/d/{d.uid}/{d.slug}",
            "slug": "",
            "type": "dash-db",
            "tags": d.tags,
            "isStarred": False,
            "sortMeta": 0,
            "isDeleted": False,
        }
        if d.folder_uid and d.folder_uid in org.folders:
            self._add_parent(hit, org.folders[d.folder_uid])
        return hit

    @staticmethod
    def _add_parent(hit: dict[str, Any], parent: Folder) -> None:
        hit.update(
            {
                "folderId": parent.id,
                "folderUid": parent.uid,
                "folderTitle": parent.title,
                "folderUrl": f"/dashboards/f/{parent.uid}/{parent.slug}",
            }
        )

    # ---------------------------------------------------------------- dashboards (§5-§8)

    def save_dashboard(self, org_id: int, user: str, body: Any, restored_from: int = 0) -> Response:
        """POST /api/dashboards/db, validation order of contract §5.3, resolution rules of §5.4.

        Profile differences (PROFILES.md): 13 keeps the title as sent and checks "provisioned" before the
        version, answering a version clash with 409; 11 and 12 answer it with 412.
        """
        if not isinstance(body, dict) or not isinstance(body.get("dashboard"), dict):
            return 400, traced("bad request data")
        if body.get("isFolder"):
            return 400, plain("Use folders endpoint for saving folders.")
        profile = self.profile
        data = copy.deepcopy(body["dashboard"])
        raw_title = data.get("title") if isinstance(data.get("title"), str) else ""
        title = raw_title.strip() if profile.trims_title else raw_title
        raw_id = data.get("id")
        dash_id = int(raw_id) if isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool) else 0
        uid = data.get("uid").strip() if isinstance(data.get("uid"), str) else ""
        raw_version = data.get("version")
        has_version = isinstance(raw_version, (int, float)) and not isinstance(raw_version, bool)
        version = int(raw_version) if has_version and (dash_id or uid) else 0
        message = body.get("message") if isinstance(body.get("message"), str) else ""
        overwrite = body.get("overwrite") is True
        folder_uid = body.get("folderUid") if isinstance(body.get("folderUid"), str) else ""
        if not title.strip():
            if profile.trims_title:
                return 400, with_status(profile.empty_title_message, "empty-name")
            return 400, plain(profile.empty_title_message)
        if len(title.encode()) > 5000:
            return 400, with_status("Dashboard title cannot contain more than 5 000 characters", "title-too-long")
        if len(message) > 500:
            return 400, plain("message too long, max 500 characters")
        if not UID_PATTERN.match(uid):
            return 400, plain("uid contains illegal characters")
        if len(uid) > 40:
            return 400, plain("uid too long, max 40 characters")
        with self.lock:
            org = self.orgs[org_id]
            if folder_uid and folder_uid not in org.folders:
                return 400, plain("folder not found")
            existing: Dashboard | None = None
            if dash_id:
                existing = next((d for d in org.dashboards.values() if d.id == dash_id), None)
                if existing is None:
                    if any(f.id == dash_id for f in org.folders.values()):
                        return 400, plain("Dashboard cannot be changed to a folder")
                    return 404, with_status("Dashboard not found", "not-found")
                if not uid:
                    uid = existing.uid
                elif uid != existing.uid and (uid in org.dashboards or uid in org.folders):
                    return 400, plain("A dashboard with the same uid already exists")
            elif uid:
                if uid in org.folders:
                    return 400, plain("Dashboard cannot be changed to a folder")
                existing = org.dashboards.get(uid)
            stale = existing is not None and existing.version != version and not overwrite
            provisioned = existing is not None and existing.refuses_api_writes
            checks = [
                (stale, (profile.conflict_status, dict(profile.conflict_body))),
                (provisioned, (400, plain("Cannot save provisioned dashboard"))),
            ]
            if profile.provisioned_before_version:
                checks.reverse()
            for failed, answer in checks:
                if failed:
                    return answer
            # 12+ build a new object for a legacy save: only folder and message annotations survive
            return 200, self.store_dashboard(
                org, user, data, title, uid, existing, folder_uid or None, message, restored_from, annotations={}
            )

    def store_dashboard(
        self,
        org: Org,
        user: str,
        data: dict[str, Any],
        title: str,
        uid: str,
        existing: Dashboard | None,
        folder_uid: str | None,
        message: str,
        restored_from: int = 0,
        *,
        api_version: str = "v0alpha1",
        provisioned: Provisioned | None = None,
        annotations: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Write one dashboard (any path: legacy save, /apis, file provisioning) and its history row.

        12+ decode the spec into a map (numbers become float64); 13 counts versions as generations, so a save
        that changes neither content nor folder keeps the version (PROFILES.md).
        """
        stamp = now()
        profile = self.profile
        if profile.reencodes_numbers:
            data = go_numbers(data)  # type: ignore[assignment]
        for key in ("id", "uid", "version"):
            data.pop(key, None)
        if api_version.startswith("v2"):
            data["title"] = title
        if existing is None:
            uid = uid or new_uid(profile)
            dash = Dashboard(self._id(), uid, title, data, folder_uid, 1, stamp, stamp, user, user)
            parent_version = 0
        else:
            if existing.uid != uid:  # id matched, new uid: Grafana renames the uid in place
                del org.dashboards[existing.uid]
                org.versions[uid] = org.versions.pop(existing.uid, [])
            parent_version = existing.version
            same = (
                profile.version_is_generation
                and _content(existing.data) == _content({**data, "title": title})
                and existing.folder_uid == folder_uid
                and existing.api_version == api_version
            )
            dash = Dashboard(
                existing.id,
                uid,
                title,
                data,
                folder_uid,
                existing.version if same else existing.version + 1,
                existing.created,
                existing.updated if same else stamp,
                existing.created_by,
                existing.updated_by if same else user,
                provisioned=existing.provisioned,
                annotations=dict(existing.annotations),
                indexed_at=existing.indexed_at,
            )
        dash.api_version = api_version
        if provisioned is not None:
            dash.provisioned = provisioned
        if annotations is not None:
            dash.annotations = dict(annotations)
        dash.annotations["grafana.app/message"] = message  # kept on the stored object (prepare.go strips it not)
        dash.resource_version = self.next_resource_version()
        if not dash.is_v2:
            data.update({"id": dash.id, "uid": dash.uid, "version": dash.version, "title": title})
        org.dashboards[uid] = dash
        if existing is None or dash.version != existing.version:
            org.versions.setdefault(uid, []).append(
                {
                    "id": self._next_version_row,
                    "dashboardId": dash.id,
                    "uid": uid,
                    "parentVersion": parent_version,
                    "restoredFrom": restored_from,
                    "version": dash.version,
                    "created": stamp,
                    "createdBy": user,
                    "message": message,
                    "data": copy.deepcopy(data),
                }
            )
            self._next_version_row += 1
        return {
            "id": dash.id,
            "uid": uid,
            "url": f"/d/{uid}/{dash.slug}",
            "status": "success",
            "version": dash.version,
            "slug": dash.slug,
            "folderUid": folder_uid or "",
        }

    def legacy_view(self, dash: Dashboard) -> dict[str, Any] | None:
        """The classic JSON the legacy GET answers with: as stored, or (13) down-converted from v2 with loss."""
        if not dash.is_v2:
            return copy.deepcopy(dash.data)
        if self.profile.v2_on_legacy_get != "downconvert":
            return None
        from .v2 import v2_to_classic  # a leaf module: only the v2 schema's shapes

        classic = v2_to_classic(dash.data)
        classic.update({"id": dash.id, "uid": dash.uid, "version": dash.version})
        return classic

    def get_dashboard(self, org_id: int, uid: str) -> Response:
        with self.lock:
            org = self.orgs[org_id]
            dash = org.dashboards.get(uid)
            if dash is None:
                return 404, traced("Dashboard not found")
            if dash.is_v2 and self.profile.v2_on_legacy_get == "406":
                namespace = "default" if org_id == 1 else f"org-{org_id}"
                return 406, plain(
                    "dashboard api version not supported, use "
                    f"/apis/dashboard.grafana.app/{dash.api_version}/namespaces/{namespace}/dashboards/{uid} instead"
                )
            folder = org.folders.get(dash.folder_uid or "")
            meta = {
                "type": "db",
                "canSave": True,
                "canEdit": True,
                "canAdmin": True,
                "canStar": True,
                "canDelete": True,
                "slug": dash.slug,
                "url": f"/d/{dash.uid}/{dash.slug}",
                "expires": "0001-01-01T00:00:00Z",
                "created": dash.created,
                "updated": dash.updated,
                "updatedBy": dash.updated_by,
                "createdBy": dash.created_by,
                "version": dash.version,
                "hasAcl": False,
                "isFolder": False,
                "folderId": folder.id if folder else 0,
                "folderUid": folder.uid if folder else "",
                "folderTitle": folder.title if folder else GENERAL_FOLDER_TITLE,
                "folderUrl": f"/dashboards/f/{folder.uid}/{folder.slug}" if folder else "",
                "provisioned": dash.refuses_api_writes,
                "provisionedExternalId": dash.provisioned.external_id if dash.provisioned else "",
                "annotationsPermissions": copy.deepcopy(ANNOTATIONS_PERMISSIONS),
            }
            if self.profile.major >= 12:
                meta["apiVersion"] = dash.api_version if dash.is_v2 else "v1beta1"
            return 200, {"dashboard": self.legacy_view(dash), "meta": meta}

    def delete_dashboard(self, org_id: int, uid: str) -> Response:
        with self.lock:
            org = self.orgs[org_id]
            if uid in org.folders:
                return 400, plain("Use folders endpoint for deleting folders.")
            dash = org.dashboards.get(uid)
            if dash is None:
                return 404, traced("Dashboard not found")
            if dash.provisioned is not None:  # any file provisioning, whatever allowUiUpdates says
                return 400, plain("provisioned dashboard cannot be deleted")
            del org.dashboards[uid]
            org.versions.pop(uid, None)
            return 200, {"title": dash.title, "message": f"Dashboard {dash.title} deleted", "uid": uid}

    def list_versions(self, org_id: int, uid: str, params: dict[str, list[str]]) -> Response:
        """§8.1, 11.6+ wrapped shape; messages rewritten the way the list handler does."""
        with self.lock:
            org = self.orgs[org_id]
            dash = org.dashboards.get(uid)
            if dash is None:
                return 404, traced("Dashboard not found")
            limit = int((params.get("limit") or ["0"])[0] or 0) or 1000
            start = int((params.get("start") or ["0"])[0] or 0)
            rows = sorted(org.versions.get(uid, []), key=lambda r: -r["version"])[start : start + limit]
            if not rows:
                return 404, traced(f"No versions found for dashboardId {dash.id}")
            items = []
            for row in rows:
                item = copy.deepcopy(row)
                if row["restoredFrom"] == row["version"]:
                    item["message"] = "Initial save (created by migration)"
                if row["restoredFrom"] > 0:
                    item["message"] = f"Restored from version {row['restoredFrom']}"
                if row["parentVersion"] == 0:
                    item["message"] = "Initial save"
                items.append(item)
            return 200, {"continueToken": "", "versions": items}

    def get_version(self, org_id: int, uid: str, number: str) -> Response:
        """§8.2: the raw message, and 500 (not 404) for a missing version."""
        with self.lock:
            org = self.orgs[org_id]
            dash = org.dashboards.get(uid)
            if dash is None:
                return 404, traced("Dashboard not found")
            try:
                wanted = int(number)
            except ValueError:
                return 500, traced("Internal Server Error")
            row = next((r for r in org.versions.get(uid, []) if r["version"] == wanted), None)
            if row is None:
                return 500, traced(f"Dashboard version {wanted} not found for dashboardId {dash.id}")
            return 200, copy.deepcopy(row)

    def restore_version(self, org_id: int, user: str, uid: str, body: Any) -> Response:
        """§8.3: re-save version N's data through the normal save path."""
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, int) or isinstance(version, bool) or version == 0:
            return 400, traced("bad request data")
        with self.lock:
            org = self.orgs[org_id]
            dash = org.dashboards.get(uid)
            if dash is None:
                return 404, traced("Dashboard not found")
            row = next((r for r in org.versions.get(uid, []) if r["version"] == version), None)
            if row is None:
                return 404, plain("Dashboard version not found")
            data = copy.deepcopy(row["data"])
            data.update({"version": dash.version, "uid": dash.uid})
            save = {
                "dashboard": data,
                "folderUid": dash.folder_uid or "",
                "message": f"Restored from version {version}",
            }
            return self.save_dashboard(org_id, user, save, restored_from=version)

    # ---------------------------------------------------------------- folders (§9)

    def list_folders(self, org_id: int, params: dict[str, list[str]]) -> Response:
        parent = (params.get("parentUid") or [""])[0] or None
        limit = int((params.get("limit") or ["0"])[0] or 0) or 1000
        page = max(int((params.get("page") or ["1"])[0] or 1), 1)
        with self.lock:
            org = self.orgs[org_id]
            children = sorted(
                (f for f in org.folders.values() if f.parent_uid == parent),
                key=lambda f: (f.title.lower(), f.id),
            )
            out = []
            for f in children[(page - 1) * limit : page * limit]:
                item: dict[str, Any] = {"id": f.id, "uid": f.uid, "title": f.title}
                if f.parent_uid:
                    item["parentUid"] = f.parent_uid
                out.append(item)
            return 200, out

    def get_folder(self, org_id: int, uid: str) -> Response:
        with self.lock:
            org = self.orgs[org_id]
            folder = org.folders.get(uid)
            if folder is None:
                return 404, with_status("folder not found", "not-found")
            return 200, self._folder_dto(org, folder)

    def create_folder(self, org_id: int, user: str, body: Any) -> Response:
        if not isinstance(body, dict):
            return 400, traced("bad request data")
        title = body.get("title").strip() if isinstance(body.get("title"), str) else ""
        uid = body.get("uid") if isinstance(body.get("uid"), str) else ""
        parent_uid = body.get("parentUid") if isinstance(body.get("parentUid"), str) else ""
        if not title:
            return 400, plain("folder title cannot be empty")
        if title.lower() == "general":
            return 400, plain("A folder with that name already exists")
        if uid == "general":
            return 400, plain("invalid uid for folder provided")
        if not UID_PATTERN.match(uid):
            return 400, plain("uid contains illegal characters")
        if len(uid) > 40:
            return 400, plain("uid too long, max 40 characters")
        with self.lock:
            org = self.orgs[org_id]
            if uid and (uid in org.folders or uid in org.dashboards):
                return 412, with_status("the folder has been changed by someone else", "version-mismatch")
            if parent_uid:
                if parent_uid not in org.folders:
                    return 404, with_status("folder not found", "not-found")
                if len(self._folder_ancestors(org, parent_uid)) >= MAX_FOLDER_DEPTH:
                    return 400, {
                        "messageId": "folder.maximum-depth-reached",
                        "message": "Maximum nested folder depth reached",
                    }
            stamp = now()
            folder = Folder(
                self._id(),
                uid or new_uid(self.profile),
                title,
                parent_uid or None,
                str(body.get("description") or ""),
                1,
                stamp,
                stamp,
                user,
                user,
                resource_version=self.next_resource_version(),
            )
            org.folders[folder.uid] = folder
            return 200, self._folder_dto(org, folder)

    def update_folder(self, org_id: int, user: str, uid: str, body: Any) -> Response:
        if not isinstance(body, dict):
            return 400, traced("bad request data")
        with self.lock:
            org = self.orgs[org_id]
            folder = org.folders.get(uid)
            if folder is None:
                return 404, with_status("folder not found", "not-found")
            version = body.get("version") if isinstance(body.get("version"), int) else 0
            if version != folder.version and body.get("overwrite") is not True:
                return 412, with_status("the folder has been changed by someone else", "version-mismatch")
            title = body.get("title").strip() if isinstance(body.get("title"), str) else ""
            if title:
                folder.title = title
            if isinstance(body.get("description"), str):
                folder.description = body["description"]
            folder.version += 1
            folder.updated, folder.updated_by = now(), user
            folder.resource_version = self.next_resource_version()
            return 200, self._folder_dto(org, folder)

    def delete_folder(self, org_id: int, uid: str) -> Response:
        """§9.5: cascades to subfolders and their dashboards."""
        with self.lock:
            org = self.orgs[org_id]
            if uid not in org.folders:
                return 404, with_status("folder not found", "not-found")
            doomed = {uid}
            grew = True
            while grew:
                more = {f.uid for f in org.folders.values() if f.parent_uid in doomed} - doomed
                doomed |= more
                grew = bool(more)
            if any(el["folderUid"] in doomed and self._connections(org, el["uid"]) for el in org.library.values()):
                return 403, plain("Folder could not be deleted because it contains library elements in use")
            for dash_uid in [d.uid for d in org.dashboards.values() if d.folder_uid in doomed]:
                del org.dashboards[dash_uid]
                org.versions.pop(dash_uid, None)
            for el_uid in [e["uid"] for e in org.library.values() if e["folderUid"] in doomed]:
                del org.library[el_uid]
            for folder_uid in doomed:
                del org.folders[folder_uid]
            return 200, {"message": "Folder deleted"}

    # ---------------------------------------------------------------- datasources (§10)

    @staticmethod
    def _datasource_dto(ds: dict[str, Any], full: bool) -> dict[str, Any]:
        keys = [
            "id",
            "uid",
            "orgId",
            "name",
            "type",
            "typeName",
            "typeLogoUrl",
            "access",
            "url",
            "user",
            "database",
            "basicAuth",
            "isDefault",
            "jsonData",
            "readOnly",
        ]
        if full:
            keys += ["basicAuthUser", "withCredentials", "version"]
        dto = {k: copy.deepcopy(ds[k]) for k in keys if k in ds}
        if full:
            dto["secureJsonFields"] = {k: True for k in ds.get("secureJsonData", {})}
        return dto

    def list_datasources(self, org_id: int) -> Response:
        with self.lock:
            items = sorted(self.orgs[org_id].datasources.values(), key=lambda d: d["name"].lower())
            return 200, [self._datasource_dto(d, full=False) for d in items]

    def get_datasource(self, org_id: int, uid: str) -> Response:
        with self.lock:
            ds = self.orgs[org_id].datasources.get(uid)
            if ds is None:
                return 404, plain("Data source not found")
            return 200, self._datasource_dto(ds, full=True)

    def create_datasource(self, org_id: int, body: Any) -> Response:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
            return 400, traced("bad request data")
        with self.lock:
            org = self.orgs[org_id]
            if any(d["name"] == body["name"] for d in org.datasources.values()):
                return 409, plain("data source with the same name already exists")
            uid = body.get("uid") or new_uid()
            if uid in org.datasources:
                return 409, plain("data source with the same uid already exists")
            ds = {
                "id": self._next_ds_id,
                "uid": uid,
                "orgId": org_id,
                "name": body["name"],
                "type": body.get("type", ""),
                "typeName": str(body.get("type", "")).title(),
                "typeLogoUrl": "",
                "access": body.get("access", "proxy"),
                "url": body.get("url", ""),
                "user": body.get("user", ""),
                "database": body.get("database", ""),
                "basicAuth": bool(body.get("basicAuth", False)),
                "isDefault": bool(body.get("isDefault", False)),
                "jsonData": copy.deepcopy(body.get("jsonData") or {}),
                "readOnly": False,
                "basicAuthUser": body.get("basicAuthUser", ""),
                "withCredentials": bool(body.get("withCredentials", False)),
                "version": 1,
                "secureJsonData": copy.deepcopy(body.get("secureJsonData") or {}),
            }
            self._next_ds_id += 1
            org.datasources[uid] = ds
            return 200, {
                "message": "Datasource added",
                "id": ds["id"],
                "name": ds["name"],
                "datasource": self._datasource_dto(ds, full=True),
            }

    def delete_datasource(self, org_id: int, uid: str) -> Response:
        with self.lock:
            ds = self.orgs[org_id].datasources.pop(uid, None)
            if ds is None:
                return 404, plain("Data source not found")
            return 200, {"message": "Data source deleted", "id": ds["id"]}

    # ---------------------------------------------------------------- library panels
    # Not in the contract; shapes and messages from grafana/grafana pkg/services/libraryelements
    # (api.go, model/model.go): {"result": ...} envelopes, 400 "already exists", 404 "could not be found",
    # 412 "changed by someone else", 403 "has connections". Kept minimal: panels (kind 1) only.

    def _connections(self, org: Org, lib_uid: str) -> list[str]:
        def refs(panels: Any) -> bool:
            for panel in panels if isinstance(panels, list) else []:
                if isinstance(panel, dict):
                    lp = panel.get("libraryPanel")
                    if isinstance(lp, dict) and lp.get("uid") == lib_uid:
                        return True
                    if refs(panel.get("panels")):
                        return True
            return False

        return [d.uid for d in org.dashboards.values() if refs(d.data.get("panels"))]

    def _library_dto(self, org: Org, el: dict[str, Any]) -> dict[str, Any]:
        folder = org.folders.get(el["folderUid"] or "")
        dto = {k: copy.deepcopy(v) for k, v in el.items() if not k.startswith("_")}
        dto["meta"] = {
            "folderName": folder.title if folder else GENERAL_FOLDER_TITLE,
            "folderUid": el["folderUid"],
            "connectedDashboards": len(self._connections(org, el["uid"])),
            "created": el["_created"],
            "updated": el["_updated"],
            "createdBy": {"id": 1, "name": el["_created_by"], "avatarUrl": ""},
            "updatedBy": {"id": 1, "name": el["_updated_by"], "avatarUrl": ""},
        }
        return dto

    def list_library(self, org_id: int, params: dict[str, list[str]]) -> Response:
        per_page = int((params.get("perPage") or ["0"])[0] or 0) or 100
        page = max(int((params.get("page") or ["1"])[0] or 1), 1)
        with self.lock:
            org = self.orgs[org_id]
            elements = sorted(org.library.values(), key=lambda e: (e["name"].lower(), e["id"]))
            chunk = elements[(page - 1) * per_page : page * per_page]
            return 200, {
                "result": {
                    "totalCount": len(elements),
                    "page": page,
                    "perPage": per_page,
                    "elements": [self._library_dto(org, e) for e in chunk],
                }
            }

    def get_library(self, org_id: int, uid: str) -> Response:
        with self.lock:
            org = self.orgs[org_id]
            if uid not in org.library:
                return 404, traced("library element could not be found")
            return 200, {"result": self._library_dto(org, org.library[uid])}

    def create_library(self, org_id: int, user: str, body: Any) -> Response:
        if not isinstance(body, dict) or not isinstance(body.get("model"), dict):
            return 400, traced("bad request data")
        uid = body.get("uid") if isinstance(body.get("uid"), str) else ""
        name = body.get("name") if isinstance(body.get("name"), str) else ""
        folder_uid = body.get("folderUid") if isinstance(body.get("folderUid"), str) else ""
        if not UID_PATTERN.match(uid):
            return 400, traced("uid contains illegal characters")
        with self.lock:
            org = self.orgs[org_id]
            if folder_uid and folder_uid not in org.folders:
                return 400, traced("failed to get folder")
            taken = uid in org.library or any(
                e["name"] == name and e["folderUid"] == folder_uid for e in org.library.values()
            )
            if taken:
                return 400, traced("library element with that name or UID already exists")
            stamp = now()
            model = copy.deepcopy(body["model"])
            el = {
                "id": self._next_lib_id,
                "orgId": org_id,
                "folderUid": folder_uid,
                "uid": uid or new_uid(),
                "name": name,
                "kind": body.get("kind", 1),
                "type": model.get("type", ""),
                "description": model.get("description", ""),
                "model": model,
                "version": 1,
                "_created": stamp,
                "_updated": stamp,
                "_created_by": user,
                "_updated_by": user,
            }
            self._next_lib_id += 1
            org.library[el["uid"]] = el
            return 200, {"result": self._library_dto(org, el)}

    def patch_library(self, org_id: int, user: str, uid: str, body: Any) -> Response:
        if not isinstance(body, dict):
            return 400, traced("bad request data")
        with self.lock:
            org = self.orgs[org_id]
            el = org.library.get(uid)
            if el is None:
                return 404, traced("library element could not be found")
            if body.get("version") != el["version"]:
                return 412, traced("the library element has been changed by someone else")
            if isinstance(body.get("folderUid"), str):
                if body["folderUid"] and body["folderUid"] not in org.folders:
                    return 400, traced("failed to get folder")
                el["folderUid"] = body["folderUid"]
            if isinstance(body.get("name"), str) and body["name"]:
                el["name"] = body["name"]
            if isinstance(body.get("model"), dict):
                el["model"] = copy.deepcopy(body["model"])
                el["type"] = el["model"].get("type", "")
                el["description"] = el["model"].get("description", "")
            el["version"] += 1
            el["_updated"], el["_updated_by"] = now(), user
            return 200, {"result": self._library_dto(org, el)}

    def delete_library(self, org_id: int, uid: str) -> Response:
        with self.lock:
            org = self.orgs[org_id]
            el = org.library.get(uid)
            if el is None:
                return 404, traced("library element could not be found")
            if self._connections(org, uid):
                return 403, traced("the library element has connections")
            del org.library[uid]
            return 200, {"message": "Library element deleted", "id": el["id"]}
