#!/usr/bin/env bash
# One scheduled backup cycle: Grafana (backup_dashboards.sh, through dashsync) and Prometheus's TSDB
# (backup_metrics.sh), each into its own directory under BACKUP_ROOT with its own retention. Run by the systemd
# timer in scripts/monitoring/systemd/ (see docs/docker-quickstart.md, "Regular backups").
#
# Both halves always run: a Grafana that does not answer must not cost the metrics backup, nor the reverse.
# A half that fails exits before its rotation, so a failed run never deletes a backup, and leaves nothing
# partial (dashsync and backup_metrics.sh both write into a staging place, rename it when complete and remove it
# on failure or SIGINT; what a SIGKILL leaves, the next run removes). Rotation is keep_newest of
# lib/retention.sh. The cycle exits non-zero when either half failed, so the timer's unit shows as failed.
#
# Environment: BACKUP_ROOT (default ./backups), GRAFANA_BACKUP_KEEP (default 14), METRICS_BACKUP_KEEP
# (default 7), and what the two scripts read (GRAFANA_URL, GRAFANA_TOKEN or GRAFANA_USER/GRAFANA_PASSWORD,
# PROMETHEUS_URL, PROMETHEUS_USER/PROMETHEUS_PASSWORD, PROMETHEUS_DATA_DIR ...).
set -euo pipefail  # each half below is guarded by ||, so one failing does not stop the other

usage() { echo "usage: $(basename "$0") [-h]   (configure with BACKUP_ROOT, GRAFANA_BACKUP_KEEP, METRICS_BACKUP_KEEP and the backup scripts' variables)"; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

# A stop (systemctl stop, the unit's timeout: SIGINT to every process of the unit) ends the cycle once the half
# that is running has cleaned up after itself; the other half is not started.
trap 'echo "backup cycle: stopped; every earlier backup is kept" >&2; exit 130' INT TERM

here=$(cd "$(dirname "$0")" && pwd)
BACKUP_ROOT=${BACKUP_ROOT:-./backups}
failed=0
BACKUP_DIR="$BACKUP_ROOT/grafana" BACKUP_KEEP="${GRAFANA_BACKUP_KEEP:-14}" "$here/backup_dashboards.sh" \
    || { echo "backup cycle: the Grafana backup failed; every earlier backup is kept" >&2; failed=1; }
BACKUP_DIR="$BACKUP_ROOT/metrics" BACKUP_KEEP="${METRICS_BACKUP_KEEP:-7}" "$here/backup_metrics.sh" \
    || { echo "backup cycle: the Prometheus backup failed; every earlier backup is kept" >&2; failed=1; }
exit "$failed"
