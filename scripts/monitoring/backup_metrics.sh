#!/usr/bin/env bash
# Back up Prometheus's TSDB: take a snapshot through the admin API (POST /api/v1/admin/tsdb/snapshot, needs
# --web.enable-admin-api, which compose/docker-compose.yml sets), copy it out of the data directory into a
# timestamped .tar.gz, remove the snapshot from Prometheus's disk (also when a step fails), and keep only the
# newest BACKUP_KEEP archives.
# Why a snapshot: it is a consistent, hard-linked copy of every block taken while Prometheus keeps running.
#
# Environment:
#   PROMETHEUS_URL        default http://localhost:9090
#   PROMETHEUS_USER, PROMETHEUS_PASSWORD   basic auth (never printed, never on a command line)
#   PROMETHEUS_DATA_DIR   Prometheus's --storage.tsdb.path on this machine (a native Prometheus); when unset,
#                         the snapshot is copied out of the compose service with `docker compose cp`
#   COMPOSE_FILE          compose file for that case (default: compose/docker-compose.yml of this repository)
#   BACKUP_DIR            where archives go (default ./backups/metrics)
#   BACKUP_KEEP           how many archives to keep (default 7)
set -euo pipefail

usage() { echo "usage: $(basename "$0") [-h]   (configure with PROMETHEUS_URL, PROMETHEUS_USER/PASSWORD, PROMETHEUS_DATA_DIR, BACKUP_DIR, BACKUP_KEEP)"; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/monitoring/lib/retention.sh
source "$repo_root/scripts/monitoring/lib/retention.sh"
PROMETHEUS_URL=${PROMETHEUS_URL:-http://localhost:9090}
BACKUP_DIR=${BACKUP_DIR:-./backups/metrics}
BACKUP_KEEP=${BACKUP_KEEP:-7}
COMPOSE_FILE=${COMPOSE_FILE:-$repo_root/compose/docker-compose.yml}
require_keep BACKUP_KEEP "$BACKUP_KEEP"
if [ -n "${PROMETHEUS_DATA_DIR:-}" ] && [ ! -d "$PROMETHEUS_DATA_DIR" ]; then
    echo "error: PROMETHEUS_DATA_DIR $PROMETHEUS_DATA_DIR is not a directory" >&2
    exit 2
fi

curl_quote() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
credentials() {
    if [ -n "${PROMETHEUS_PASSWORD:-}" ]; then
        printf 'user = "%s:%s"\n' "$(curl_quote "${PROMETHEUS_USER:-admin}")" "$(curl_quote "$PROMETHEUS_PASSWORD")"
    fi
}

# drop_snapshot: remove the snapshot from Prometheus's disk, on failure too. Why: it hard-links every block, so
# left behind it keeps blocks Prometheus has since compacted or expired on disk for good.
drop_snapshot() {
    if [ -n "${PROMETHEUS_DATA_DIR:-}" ]; then
        rm -rf -- "${PROMETHEUS_DATA_DIR:?}/snapshots/$name"
    else
        docker compose -f "$COMPOSE_FILE" exec -T prometheus rm -rf "/prometheus/snapshots/$name"
    fi
}
cleanup() {
    rm -rf -- "$work"
    if [ -n "$name" ]; then
        drop_snapshot || echo "warning: could not remove snapshot $name from Prometheus's disk" >&2
    fi
}

hold_backup_dir "$BACKUP_DIR"
remove_unfinished "$BACKUP_DIR" '.metrics-*'
work=$(mktemp -d "$BACKUP_DIR/.metrics-XXXXXX")
name=""  # set once the snapshot exists and its name is checked: cleanup then removes it
trap cleanup EXIT

answer=$(curl -sS --fail-with-body --max-time 120 -K <(credentials) -X POST \
    "${PROMETHEUS_URL%/}/api/v1/admin/tsdb/snapshot") || {
    echo "error: snapshot request to ${PROMETHEUS_URL%/} failed (is --web.enable-admin-api set, are the credentials right?): ${answer:-no answer}" >&2
    exit 1
}
snapshot=$(printf '%s' "$answer" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
[[ "$snapshot" =~ ^[A-Za-z0-9-]+$ ]] || { echo "error: unexpected snapshot answer: $answer" >&2; exit 1; }
name=$snapshot
echo "snapshot: $name"

if [ -n "${PROMETHEUS_DATA_DIR:-}" ]; then
    cp -a -- "$PROMETHEUS_DATA_DIR/snapshots/$name" "$work/$name"
else
    docker compose -f "$COMPOSE_FILE" cp "prometheus:/prometheus/snapshots/$name" "$work/$name"
fi

archive="$BACKUP_DIR/metrics-$name.tar.gz"
tar -czf "$work/archive.tar.gz" -C "$work" "$name"
mv -f -- "$work/archive.tar.gz" "$archive"  # same filesystem: the archive appears whole or not at all
echo "backup: $archive"

keep_newest "$BACKUP_KEEP" "$BACKUP_DIR" f 'metrics-*.tar.gz'
