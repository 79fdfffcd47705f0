# shellcheck shell=bash
# Sourced by the backup scripts: one definition of how many backups are kept and which go.

# require_keep NAME VALUE: exit 2 unless VALUE is a positive integer.
require_keep() {
    [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "error: $1 must be a positive integer" >&2; exit 2; }
}

# keep_newest KEEP DIR TYPE GLOB: delete all but the newest KEEP entries of DIR (find -type TYPE, -name GLOB).
# Names carry a UTC timestamp, so sorting them sorts by time.
keep_newest() {
    local keep=$1 dir=$2 type=$3 glob=$4 entries excess i
    mapfile -t entries < <(find "$dir" -mindepth 1 -maxdepth 1 -type "$type" -name "$glob" | sort)
    excess=$(( ${#entries[@]} - keep ))
    for ((i = 0; i < excess; i++)); do
        rm -rf -- "${entries[$i]}"
        echo "retention: removed ${entries[$i]}"
    done
}
