#!/usr/bin/env bash
# Restore what backup_dashboards.sh and backup_metrics.sh wrote.
#   dashboards BACKUP_DIR [--dry-run]   through `dashsync restore`, which validates the whole backup (manifest,
#                                       sha256, JSON) before the first write; identical objects are skipped
#   metrics ARCHIVE TARGET_DIR          unpacks a metrics-*.tar.gz into TARGET_DIR, a new TSDB directory to start
#                                       a Prometheus on (--storage.tsdb.path=TARGET_DIR); TARGET_DIR must not exist
# Why metrics go to a new directory: overwriting a running Prometheus's blocks corrupts it; the operator swaps
# directories (or volumes) while Prometheus is stopped, as docs/docker-quickstart.md shows.
#
# Environment (dashboards): GRAFANA_URL (default http://localhost:3030), GRAFANA_TOKEN or GRAFANA_USER and
# GRAFANA_PASSWORD, DASHSYNC (default: dashsync on PATH, else .venv/bin/dashsync).
set -euo pipefail

usage() { echo "usage: $(basename "$0") dashboards BACKUP_DIR [--dry-run] | metrics ARCHIVE TARGET_DIR"; }
die() { echo "error: $*" >&2; exit 2; }

restore_dashboards() {
    local backup=$1 dry_run=${2:-}
    [ -e "$backup" ] || die "no backup at $backup"
    [ -z "$dry_run" ] || [ "$dry_run" = "--dry-run" ] || die "unexpected argument '$dry_run'"
    local repo_root
    repo_root=$(cd "$(dirname "$0")/../.." && pwd)
    local dashsync=${DASHSYNC:-$(command -v dashsync || echo "$repo_root/.venv/bin/dashsync")}
    [ -x "$dashsync" ] || die "dashsync not found (set DASHSYNC or run make venv)"
    export GRAFANA_URL=${GRAFANA_URL:-http://localhost:3030}
    # shellcheck disable=SC2086  # $dry_run is empty or one word
    "$dashsync" restore $dry_run "$backup"
}

restore_metrics() {
    local archive=$1 target=$2
    [ -f "$archive" ] || die "no archive at $archive"
    [ ! -e "$target" ] || die "$target already exists; choose a new directory (never a running Prometheus's)"
    # Validate before writing anything: a readable gzip tar with exactly one top-level snapshot directory.
    local listing top
    listing=$(tar -tzf "$archive") || die "$archive is not a readable .tar.gz"
    top=$(printf '%s\n' "$listing" | cut -d/ -f1 | sort -u)
    if [ "$(printf '%s\n' "$top" | wc -l)" -ne 1 ] || ! [[ "$top" =~ ^[A-Za-z0-9-]+$ ]]; then
        die "$archive does not hold one snapshot directory"
    fi
    local parent
    parent=$(dirname "$target")
    mkdir -p "$parent"
    # Global, not local: the EXIT trap runs after this function has returned.
    RESTORE_WORK=$(mktemp -d "$parent/.restore-XXXXXX")
    trap 'rm -rf -- "${RESTORE_WORK:-}"' EXIT
    local work=$RESTORE_WORK
    tar -xzf "$archive" -C "$work"
    mv -- "$work/$top" "$target"  # appears whole or not at all
    echo "restored: $target (start Prometheus with --storage.tsdb.path=$target)"
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    dashboards)
        if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage >&2; exit 2; fi
        restore_dashboards "$2" "${3:-}" ;;
    metrics) [ $# -eq 3 ] || { usage >&2; exit 2; }; restore_metrics "$2" "$3" ;;
    *) usage >&2; exit 2 ;;
esac
