"""A classic dashboard as the `dashboard.grafana.app/v1beta1` resource Grafana 13's tooling reads (Git Sync, gcx).

The shape, read in Grafana's source:
- `apiVersion: dashboard.grafana.app/v1beta1`, `kind: Dashboard`: apps/dashboard/pkg/apis/dashboard/v1beta1/
  register.go (`GROUP`, `VERSION`, `APIVERSION`; the resource is `dashboards`, kind `Dashboard`, and v1beta1 is
  v1's schema under another version);
- `metadata.name` is the dashboard uid: what the classic-JSON fallback of Git Sync's file reader sets itself
  (pkg/registry/apis/provisioning/resources/fileformat.go `ReadClassicResource`: `"metadata": {"name":
  value["uid"]}`, `"spec": value`);
- `spec` is the classic dashboard JSON without `id`, `uid` and `version`: the uid is metadata.name, and Git
  Sync's parser removes the three from a Dashboard's spec anyway (pkg/registry/apis/provisioning/resources/
  parser.go `Parse`: `RemoveNestedField(..., "spec", "uid" / "version" / "id")`);
- the folder is the annotation `grafana.app/folder` holding the folder's uid (pkg/apimachinery/utils/meta.go
  `AnnoKeyFolder`, read and written by `GetFolder`/`SetFolder`); no annotation: the General level;
- no `namespace`, `resourceVersion`, `uid` or server annotations: each reader supplies its own (Git Sync sets
  its repository's namespace and clears uid and resourceVersion, parser.go `Parse`; gcx the namespace of its
  context). Git Sync also sets the folder from the file's directory (`ParseFolder(dirPath, ...)` in `Parse`),
  which is why the files are laid out as provisioning/dashboards is: `<Folder>/<Sub folder>/<uid>.json`.

Pure: no I/O; `generate` (`python -m dashboards build --format resource`) and `dashsync export` both call it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GROUP = "dashboard.grafana.app"
VERSION = "v1beta1"
API_VERSION = f"{GROUP}/{VERSION}"
KIND = "Dashboard"
ANNO_FOLDER = "grafana.app/folder"  # pkg/apimachinery/utils/meta.go AnnoKeyFolder
NOT_IN_SPEC = ("id", "uid", "version")  # metadata carries them (parser.go Parse removes them from spec)


def dashboard_resource(dashboard: Mapping[str, Any], folder_uid: str | None) -> dict[str, Any]:
    """One classic dashboard (with its `uid`) and its folder's uid (None or "": the General level) as a resource."""
    uid = dashboard.get("uid")
    if not isinstance(uid, str) or not uid:
        raise ValueError("a dashboard resource is named by the dashboard's uid: this dashboard has none")
    metadata: dict[str, Any] = {"name": uid}
    if folder_uid:
        metadata["annotations"] = {ANNO_FOLDER: folder_uid}
    spec = {key: value for key, value in dashboard.items() if key not in NOT_IN_SPEC}
    return {"apiVersion": API_VERSION, "kind": KIND, "metadata": metadata, "spec": spec}


__all__ = ["ANNO_FOLDER", "API_VERSION", "GROUP", "KIND", "VERSION", "dashboard_resource"]
