#!/usr/bin/env bash
# Back up Grafana (dashboards, folders, datasources without secrets, library panels) through `dashsync backup`,
# into a new timestamped directory, and keep only the newest BACKUP_KEEP backups. Why dashsync: its backups are
# written atomically with a sha256 manifest, and restore_backup.sh validates them before the first write.
#
# Environment:
#   GRAFANA_URL       Grafana base URL (default http://localhost:3030, the compose stack)
#   GRAFANA_TOKEN     service-account token, or GRAFANA_USER and GRAFANA_PASSWORD (read by dashsync itself)
#   BACKUP_DIR        where backups go (default ./backups/grafana)
#   BACKUP_KEEP       how many backups to keep (default 14)
#   DASHSYNC          the dashsync command (default: dashsync on PATH, else .venv/bin/dashsync)
set -euo pipefail

usage() { echo "usage: $(basename "$0") [-h]   (configure with GRAFANA_URL, GRAFANA_TOKEN or GRAFANA_USER/GRAFANA_PASSWORD, BACKUP_DIR, BACKUP_KEEP)"; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

repo_root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/monitoring/lib/retention.sh
source "$repo_root/scripts/monitoring/lib/retention.sh"
DASHSYNC=${DASHSYNC:-$(command -v dashsync || echo "$repo_root/.venv/bin/dashsync")}
[ -x "$DASHSYNC" ] || { echo "error: dashsync not found (set DASHSYNC or run make venv)" >&2; exit 2; }
export GRAFANA_URL=${GRAFANA_URL:-http://localhost:3030}
BACKUP_DIR=${BACKUP_DIR:-./backups/grafana}
BACKUP_KEEP=${BACKUP_KEEP:-14}
require_keep BACKUP_KEEP "$BACKUP_KEEP"

hold_backup_dir "$BACKUP_DIR"
remove_unfinished "$BACKUP_DIR" '.grafana-*.partial'  # dashsync's staging directory, named after --out
out="$BACKUP_DIR/grafana-$(date -u +%Y%m%dT%H%M%SZ)"
[ ! -e "$out" ] || { echo "error: $out already exists; try again in a second" >&2; exit 1; }

"$DASHSYNC" backup --out "$out"  # on failure or SIGINT dashsync removes its staging directory; set -e stops here
echo "backup: $out"

keep_newest "$BACKUP_KEEP" "$BACKUP_DIR" d 'grafana-*'
