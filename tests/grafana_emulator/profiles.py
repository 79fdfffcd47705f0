"""What differs between the Grafana versions the emulator reproduces: 11, 12 and 13.

Each field is one behaviour, named after what a client sees, with the Grafana source it was read from in
PROFILES.md beside this file (file and function). state.py and resources.py ask the profile instead of
checking a version number, so every version difference sits in this one table.
"""

from __future__ import annotations

from dataclasses import dataclass

DASHBOARD_GROUP = "dashboard.grafana.app"
FOLDER_GROUP = "folder.grafana.app"


@dataclass(frozen=True)
class Profile:
    """One Grafana version's behaviour, as far as a dashboards client can tell."""

    major: int
    version: str  # what /api/health reports
    # legacy POST /api/dashboards/db on a stale or missing version without overwrite
    conflict_status: int
    conflict_body: dict[str, str]
    # 13 checks "provisioned" before the version; 11 and 12 the other way round
    provisioned_before_version: bool
    # 12+: the spec goes through map[string]interface{}: every number is a float64 (5.0 comes back as 5)
    reencodes_numbers: bool
    # 13 (unified storage): version is metadata.generation, which moves only when the content or folder changes;
    # 11 and 12 (the legacy SQL store behind both APIs by default) count every save
    version_is_generation: bool
    # 13 stores the title as sent (no trim) and names an empty one differently
    trims_title: bool
    empty_title_message: str
    # GET /api/dashboards/uid/:uid of a dashboard stored as v2: "none" (11 has no v2), "406", "downconvert"
    v2_on_legacy_get: str
    # a v2-stored dashboard read through v1beta1: "failed" (status.conversion.failed, empty spec) or "downconvert"
    v2_as_v1: str
    # the /apis groups and versions served, preferred first; empty: no resource API for dashboards and folders
    dashboard_versions: tuple[str, ...]
    folder_versions: tuple[str, ...]
    # a list request without `limit`
    list_default_limit: int
    # PUT through /apis of a file-provisioned dashboard (12: allowed by apistore/managed.go; 13: unconfirmed,
    # refused here so that the emulator is never more forgiving than Grafana)
    resources_refuse_provisioned_update: bool
    # /api/search reflects a write at once (11's SQL search) or eventually (12+'s unified search index)
    search_after_write: bool
    # generated uids: 11 "letter + 24 hex + letter"; 12+ uuid.NewString() (may start with a digit)
    uuid_uids: bool

    @property
    def serves_resources(self) -> bool:
        return "v1beta1" in self.dashboard_versions and "v1beta1" in self.folder_versions


VERSION_MISMATCH = {"message": "The dashboard has been changed by someone else", "status": "version-mismatch"}
ALREADY_EXISTS = {"message": "Dashboard already exists. Use overwrite flag to update."}

PROFILES: dict[int, Profile] = {
    11: Profile(
        major=11,
        version="11.6.3",
        conflict_status=412,
        conflict_body=VERSION_MISMATCH,
        provisioned_before_version=False,
        reencodes_numbers=False,
        version_is_generation=False,
        trims_title=True,
        empty_title_message="Dashboard title cannot be empty",
        v2_on_legacy_get="none",
        v2_as_v1="failed",
        dashboard_versions=(),
        folder_versions=(),
        list_default_limit=50,
        resources_refuse_provisioned_update=True,
        search_after_write=True,
        uuid_uids=False,
    ),
    12: Profile(
        major=12,
        version="12.4.2",
        conflict_status=412,
        conflict_body=VERSION_MISMATCH,
        provisioned_before_version=False,
        reencodes_numbers=True,
        version_is_generation=False,
        trims_title=True,
        empty_title_message="Dashboard title cannot be empty",
        v2_on_legacy_get="406",
        v2_as_v1="failed",
        dashboard_versions=("v1beta1", "v0alpha1", "v2beta1", "v2alpha1"),
        folder_versions=("v1beta1",),
        list_default_limit=50,
        resources_refuse_provisioned_update=False,
        search_after_write=False,
        uuid_uids=True,
    ),
    13: Profile(
        major=13,
        version="13.2.0",
        conflict_status=409,
        conflict_body=ALREADY_EXISTS,
        provisioned_before_version=True,
        reencodes_numbers=True,
        version_is_generation=True,
        trims_title=False,
        empty_title_message="Dashboard spec is missing required title property",
        v2_on_legacy_get="downconvert",
        v2_as_v1="downconvert",
        dashboard_versions=("v1", "v1beta1", "v0alpha1", "v2", "v2beta1", "v2alpha1"),
        folder_versions=("v1beta1", "v1"),
        list_default_limit=500,
        resources_refuse_provisioned_update=True,
        search_after_write=False,
        uuid_uids=True,
    ),
}
DEFAULT_PROFILE = 11


def profile(major: int | str) -> Profile:
    try:
        return PROFILES[int(major)]
    except (KeyError, ValueError):
        raise ValueError(f"no emulator profile for Grafana {major!r}; choose one of {sorted(PROFILES)}") from None


def go_numbers(value: object) -> object:
    """A JSON value as Grafana 12+ gives it back after decoding into interface{}: every number a float64.

    Go writes a whole float64 without a fraction (5.0 -> 5), and an integer beyond 2**53 loses precision.
    """
    if isinstance(value, dict):
        return {k: go_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [go_numbers(v) for v in value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    as_float = float(value)
    if as_float != as_float or as_float in (float("inf"), float("-inf")):
        return value
    return int(as_float) if as_float.is_integer() and abs(as_float) < 1e21 else as_float
