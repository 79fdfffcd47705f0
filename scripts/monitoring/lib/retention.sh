# shellcheck shell=bash
# Sourced by the backup scripts: one definition of how many backups are kept, which go, and what a run that
# was killed left half-written.

# require_keep NAME VALUE: exit 2 unless VALUE is a positive integer.
require_keep() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "error: $1 must be a positive integer" >&2; exit 2; }
}

# hold_backup_dir DIR: create DIR and hold a lock on it until the script exits, or exit 1 when another backup
# holds it. Why: one writer per directory makes remove_unfinished safe (nothing it removes can be a live run's
# staging) and keeps a manual run from rotating under the timer's. The lock is on the directory itself, so no
# lock file sits among the backups.
hold_backup_dir() {
    local lock_fd
    mkdir -p "$1"
    exec {lock_fd}<"$1"
    flock -n "$lock_fd" || { echo "error: another backup is writing to $1; try again when it has finished" >&2; exit 1; }
}

# remove_unfinished DIR GLOB: delete the hidden staging entries (-name GLOB) a killed earlier run left in DIR.
# A run that fails or is interrupted removes its own; only SIGKILL or a power cut leaves one, and it is never a
# backup: backups appear by rename when complete. Call it holding DIR's lock.
remove_unfinished() {
    local dir=$1 glob=$2 entry
    while IFS= read -r -d '' entry; do
        rm -rf -- "$entry"
        echo "cleanup: removed $entry, left unfinished by an earlier run"
    done < <(find "$dir" -mindepth 1 -maxdepth 1 -name "$glob" -print0)
}

# keep_newest KEEP DIR TYPE GLOB: delete all but the newest KEEP entries of DIR (find -type TYPE, -name GLOB).
# Names carry a UTC timestamp, so sorting them sorts by time. Call it only after a backup succeeded, so a failed
# run never removes one.
keep_newest() {
    local keep=$1 dir=$2 type=$3 glob=$4 entries excess i
    mapfile -t entries < <(find "$dir" -mindepth 1 -maxdepth 1 -type "$type" -name "$glob" | sort)
    excess=$(( ${#entries[@]} - keep ))
    for ((i = 0; i < excess; i++)); do
        rm -rf -- "${entries[$i]}"
        echo "retention: removed ${entries[$i]}"
    done
}
