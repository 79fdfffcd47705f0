"""The Kubernetes-style resource API (/apis) of Grafana 12 and 13, on the same store as the legacy /api.

    /apis                                                                  discovery (APIGroupList)
    /apis/dashboard.grafana.app/{v1beta1|v2beta1|...}/namespaces/{ns}/dashboards[/{name}]
    /apis/folder.grafana.app/v1beta1/namespaces/{ns}/folders[/{name}]

Objects, lists, paging and errors follow the shapes in PROFILES.md (each with the Grafana file it was read
from): `metadata.name` is the uid, `metadata.generation` the version, `metadata.resourceVersion` guards
updates (409 when stale), the folder is the `grafana.app/folder` annotation, a list page carries whole objects
and `metadata.continue` until the last page. A dashboard stored in the v2 schema read as v1beta1 carries
`status.conversion` (12: failed; 13: down-converted with loss).
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

from .profiles import DASHBOARD_GROUP, FOLDER_GROUP
from .state import Dashboard, Folder, GrafanaState, Org, Response

MAX_PAGE_BYTES = 2 * 1024 * 1024  # ... and a page closes once it holds about 2 MiB
ANNO_FOLDER = "grafana.app/folder"
ANNO_MESSAGE = "grafana.app/message"
ANNO_MANAGER_KIND = "grafana.app/managedBy"
ANNO_MANAGER_ID = "grafana.app/managerId"
ANNO_SOURCE_PATH = "grafana.app/sourcePath"
ANNO_SOURCE_CHECKSUM = "grafana.app/sourceChecksum"
ANNO_MANAGER_EDITS = "grafana.app/managerAllowsEdits"
MANAGER_CLASSIC_FILE = "classic-file-provisioning"  # pkg/apimachinery/utils/manager.go ManagerKindClassicFP
SET_BY_SERVER = ("grafana.app/createdBy", "grafana.app/updatedBy", "grafana.app/updatedTimestamp")


def namespace_of(org_id: int) -> str:
    return "default" if org_id == 1 else f"org-{org_id}"


def status(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Kubernetes Status object, the body of every /apis error."""
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure" if code >= 400 else "Success",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if details:
        body["details"] = details
    return body


def not_found(resource: str, group: str, name: str) -> Response:
    return 404, status(
        404, "NotFound", f'{resource}.{group} "{name}" not found', {"name": name, "group": group, "kind": resource}
    )


class Resources:
    """The /apis handlers; every write goes through GrafanaState so both APIs see one store."""

    def __init__(self, state: GrafanaState) -> None:
        self.state = state

    @property
    def profile(self):  # noqa: ANN201 - the state's Profile
        return self.state.profile

    # ------------------------------------------------------------------ discovery

    def discovery(self) -> Response:
        groups = []
        for group, versions in (
            (DASHBOARD_GROUP, self.profile.dashboard_versions),
            (FOLDER_GROUP, self.profile.folder_versions),
        ):
            if not versions:
                continue
            listed = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
            preferred = next((entry for entry in listed if entry["version"] == "v1beta1"), listed[0])
            groups.append({"name": group, "versions": listed, "preferredVersion": preferred})
        return 200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}

    def serves(self, group: str, version: str) -> bool:
        served = self.profile.dashboard_versions if group == DASHBOARD_GROUP else self.profile.folder_versions
        return version in served

    def org_for(self, org_id: int, namespace: str) -> Org | None:
        return self.state.orgs.get(org_id) if namespace == namespace_of(org_id) else None

    # ------------------------------------------------------------------ object views

    def _meta(self, org: Org, name: str, record: Dashboard | Folder, annotations: dict[str, str]) -> dict[str, Any]:
        return {
            "name": name,
            "namespace": namespace_of(org.id),
            "uid": f"{org.id:08x}-0000-4000-8000-{record.id:012x}",
            "resourceVersion": str(record.resource_version),
            "generation": record.version,
            "creationTimestamp": record.created,
            "labels": {"grafana.app/deprecatedInternalID": str(record.id)},
            "annotations": annotations,
        }

    @staticmethod
    def _annotations(record: Dashboard | Folder, folder_uid: str | None) -> dict[str, str]:
        """The object's own annotations, the server's bookkeeping (apistore prepare.go) and its folder."""
        annotations = {
            **record.annotations,
            "grafana.app/createdBy": f"user:{record.created_by}",
            "grafana.app/updatedBy": f"user:{record.updated_by}",
            "grafana.app/updatedTimestamp": record.updated,
        }
        if folder_uid:
            annotations[ANNO_FOLDER] = folder_uid
        return annotations

    def dashboard_object(self, org: Org, dash: Dashboard, version: str) -> dict[str, Any]:
        annotations = self._annotations(dash, dash.folder_uid)
        if dash.provisioned is not None:
            annotations.update(
                {
                    ANNO_MANAGER_KIND: MANAGER_CLASSIC_FILE,
                    ANNO_MANAGER_ID: dash.provisioned.provider,
                    ANNO_SOURCE_PATH: dash.provisioned.external_id,
                    ANNO_SOURCE_CHECKSUM: dash.provisioned.checksum,
                }
            )
            if dash.provisioned.allow_ui_updates:
                annotations[ANNO_MANAGER_EDITS] = "true"
        obj: dict[str, Any] = {
            "kind": "Dashboard",
            "apiVersion": f"{DASHBOARD_GROUP}/{version}",
            "metadata": self._meta(org, dash.uid, dash, dict(sorted(annotations.items()))),
        }
        wants_v2 = version.startswith("v2")
        if dash.is_v2 == wants_v2:
            obj["spec"] = copy.deepcopy(dash.data) if wants_v2 else _classic_spec(dash.data)
            obj["status"] = {}
        elif dash.is_v2 and self.profile.v2_as_v1 == "downconvert":
            from .v2 import v2_to_classic

            obj["spec"] = v2_to_classic(dash.data)
            obj["status"] = {"conversion": {"failed": False, "storedVersion": dash.api_version}}
        else:
            # 12's first v2 code: only the metadata is copied (Convert_V2alpha1_to_V1); the emulator does not
            # convert classic dashboards up to v2 either, and says so the same way
            obj["spec"] = {}
            obj["status"] = {
                "conversion": {
                    "failed": True,
                    "storedVersion": dash.api_version,
                    "error": "backend conversion not yet implemented",
                }
            }
        return obj

    def folder_object(self, org: Org, folder: Folder) -> dict[str, Any]:
        annotations = self._annotations(folder, folder.parent_uid)
        spec: dict[str, Any] = {"title": folder.title}
        if folder.description:
            spec["description"] = folder.description
        return {
            "kind": "Folder",
            "apiVersion": f"{FOLDER_GROUP}/v1beta1",
            "metadata": self._meta(org, folder.uid, folder, dict(sorted(annotations.items()))),
            "spec": spec,
        }

    # ------------------------------------------------------------------ list / get

    def list(self, org: Org, resource: str, version: str, params: dict[str, list[str]]) -> Response:
        try:
            limit = int((params.get("limit") or ["0"])[0] or 0) or self.profile.list_default_limit
            offset = _decode_continue((params.get("continue") or [""])[0])
        except ValueError:
            return 400, status(400, "BadRequest", "invalid continue token or limit")
        with self.state.lock:
            if resource == "dashboards":
                records = sorted(org.dashboards.values(), key=lambda d: d.uid)
                objects = [lambda d=d: self.dashboard_object(org, d, version) for d in records]
                kind, group = "DashboardList", DASHBOARD_GROUP
            else:
                records = sorted(org.folders.values(), key=lambda f: f.uid)
                objects = [lambda f=f: self.folder_object(org, f) for f in records]
                kind, group = "FolderList", FOLDER_GROUP
            items: list[dict[str, Any]] = []
            size = 0
            index = offset
            while index < len(objects) and len(items) < limit and size < MAX_PAGE_BYTES:
                item = objects[index]()
                size += len(json.dumps(item))
                items.append(item)
                index += 1
            metadata: dict[str, Any] = {"resourceVersion": str(self.state._next_rv - 1)}
            if index < len(objects):
                metadata["continue"] = _encode_continue(index)
            return 200, {"kind": kind, "apiVersion": f"{group}/{version}", "metadata": metadata, "items": items}

    def get(self, org: Org, resource: str, version: str, name: str) -> Response:
        with self.state.lock:
            if resource == "dashboards":
                dash = org.dashboards.get(name)
                if dash is None:
                    return not_found("dashboards", DASHBOARD_GROUP, name)
                return 200, self.dashboard_object(org, dash, version)
            folder = org.folders.get(name)
            if folder is None:
                return not_found("folders", FOLDER_GROUP, name)
            return 200, self.folder_object(org, folder)

    # ------------------------------------------------------------------ writes

    def write_dashboard(self, org: Org, user: str, version: str, body: Any, name: str | None) -> Response:
        """POST (name None) creates, PUT updates; resourceVersion guards an update, provisioned ones refuse."""
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("metadata"), dict)
            or not isinstance(body.get("spec"), dict)
        ):
            return 400, status(400, "BadRequest", "the body must be a Dashboard object with metadata and spec")
        meta = body["metadata"]
        target = name or meta.get("name") or ""
        if body.get("apiVersion") not in (None, f"{DASHBOARD_GROUP}/{version}"):
            return 400, status(
                400,
                "BadRequest",
                f"the API version in the data ({body.get('apiVersion')}) does not "
                f"match the expected API version ({DASHBOARD_GROUP}/{version})",
            )
        if name is not None and meta.get("name") not in (None, name):
            return 400, status(400, "BadRequest", "the name of the object does not match the name on the URL")
        annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
        folder_uid = annotations.get(ANNO_FOLDER) or None
        spec = copy.deepcopy(body["spec"])
        title = spec.get("title") if isinstance(spec.get("title"), str) else ""
        if not title:
            return 400, status(400, "BadRequest", "Dashboard spec is missing required title property")
        if not isinstance(target, str) or not target:
            if not meta.get("generateName"):
                return 400, status(400, "BadRequest", "metadata.name or metadata.generateName is required")
        kept = {
            k: str(v)
            for k, v in annotations.items()
            if k not in (ANNO_FOLDER, *SET_BY_SERVER)
            and not k.startswith("grafana.app/manage")
            and not k.startswith("grafana.app/source")
        }
        message = str(annotations.get(ANNO_MESSAGE) or "")
        with self.state.lock:
            if folder_uid and folder_uid not in org.folders:
                return 400, status(400, "BadRequest", f"folder {folder_uid} not found")
            existing = org.dashboards.get(target) if target else None
            if name is None and existing is not None:
                return 409, status(
                    409,
                    "AlreadyExists",
                    f'dashboards.{DASHBOARD_GROUP} "{target}" already exists',
                    {"name": target, "group": DASHBOARD_GROUP, "kind": "dashboards"},
                )
            if existing is not None:
                wanted_rv = str(meta.get("resourceVersion") or "")  # none: an unconditional update
                if wanted_rv and wanted_rv != str(existing.resource_version):
                    return 409, status(
                        409,
                        "Conflict",
                        f'Operation cannot be fulfilled on dashboards.{DASHBOARD_GROUP} "{target}": the object has '
                        "been modified; please apply your changes to the latest version and try again",
                        {"name": target, "group": DASHBOARD_GROUP, "kind": "dashboards"},
                    )
                if existing.refuses_api_writes and self.profile.resources_refuse_provisioned_update:
                    return 400, status(400, "BadRequest", "Cannot save provisioned dashboard")
            self.state.store_dashboard(
                org,
                user,
                spec,
                title,
                target,
                existing,
                folder_uid,
                message,
                api_version=version,
                annotations=kept,
            )
            stored = org.dashboards[target] if target else max(org.dashboards.values(), key=lambda d: d.id)
            return (201 if existing is None else 200), self.dashboard_object(org, stored, version)
        # (a PUT to a name that does not exist creates it: the generic strategy's AllowCreateOnUpdate)

    def delete_dashboard(self, org: Org, name: str) -> Response:
        with self.state.lock:
            dash = org.dashboards.get(name)
            if dash is None:
                return not_found("dashboards", DASHBOARD_GROUP, name)
            if dash.provisioned is not None:  # any file provisioning (validateDelete: provisionedData != nil)
                return 400, status(400, "BadRequest", "provisioned dashboard cannot be deleted")
            del org.dashboards[name]
            org.versions.pop(name, None)
            return 200, {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Success",
                "details": {
                    "name": name,
                    "group": DASHBOARD_GROUP,
                    "kind": "dashboards",
                    "uid": f"{org.id:08x}-0000-4000-8000-{dash.id:012x}",
                },
            }

    def write_folder(self, org: Org, org_id: int, user: str, body: Any, name: str | None) -> Response:
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("metadata"), dict)
            or not isinstance(body.get("spec"), dict)
        ):
            return 400, status(400, "BadRequest", "the body must be a Folder object with metadata and spec")
        meta, spec = body["metadata"], body["spec"]
        target = name or meta.get("name") or ""
        annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
        parent = annotations.get(ANNO_FOLDER) or ""
        with self.state.lock:
            existing = org.folders.get(target)
            if name is None:
                if existing is not None or target in org.dashboards:
                    return 409, status(
                        409,
                        "AlreadyExists",
                        f'folders.{FOLDER_GROUP} "{target}" already exists',
                        {"name": target, "group": FOLDER_GROUP, "kind": "folders"},
                    )
                code, answer = self.state.create_folder(
                    org_id,
                    user,
                    {
                        "uid": target,
                        "title": spec.get("title"),
                        "parentUid": parent,
                        "description": spec.get("description") or "",
                    },
                )
            else:
                if existing is None:
                    return not_found("folders", FOLDER_GROUP, target)
                wanted_rv = str(meta.get("resourceVersion") or "")
                if wanted_rv and wanted_rv != str(existing.resource_version):
                    return 409, status(
                        409,
                        "Conflict",
                        f"Operation cannot be fulfilled on folders.{FOLDER_GROUP} "
                        f'"{target}": the object has been modified; please apply your changes to '
                        "the latest version and try again",
                    )
                code, answer = self.state.update_folder(
                    org_id,
                    user,
                    target,
                    {"title": spec.get("title"), "overwrite": True, "description": spec.get("description")},
                )
            if code != 200:
                message = answer.get("message", "") if isinstance(answer, dict) else str(answer)
                return code, status(code, "BadRequest" if code == 400 else "Invalid", message)
            return (201 if name is None else 200), self.folder_object(org, org.folders[answer["uid"]])


def _classic_spec(data: dict[str, Any]) -> dict[str, Any]:
    """The stored classic JSON as /apis shows it: id, uid and version live in metadata, not in the spec."""
    return {k: copy.deepcopy(v) for k, v in data.items() if k not in ("id", "uid", "version")}


def _encode_continue(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode()


def _decode_continue(token: str) -> int:
    if not token:
        return 0
    try:
        offset = int(json.loads(base64.urlsafe_b64decode(token.encode()))["o"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError("bad continue token") from exc
    if offset < 0:
        raise ValueError("bad continue token")
    return offset


__all__ = ["Resources", "namespace_of", "status"]
