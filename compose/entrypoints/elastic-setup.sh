#!/bin/sh
# Runs once in the `elastic-setup` service (curlimages/curl) after Elasticsearch is healthy.
# Why: Kibana must log in as the built-in kibana_system user, whose password Elasticsearch does not take from
# the environment; this sets it from KIBANA_SYSTEM_PASSWORD. Credentials go to curl through stdin (-K -), never
# argv, and are never printed.
set -eu

ES_URL=${ES_URL:-http://elasticsearch:9200}

[ -n "${ELASTIC_PASSWORD:-}" ] || { echo "elastic-setup: ELASTIC_PASSWORD is missing or empty in compose/.env" >&2; exit 1; }
[ -n "${KIBANA_SYSTEM_PASSWORD:-}" ] || { echo "elastic-setup: KIBANA_SYSTEM_PASSWORD is missing or empty in compose/.env" >&2; exit 1; }

# Escape backslashes and double quotes: both curl's config syntax and JSON need it.
quote() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }
escaped=$(quote "$KIBANA_SYSTEM_PASSWORD")

printf 'user = "elastic:%s"\n' "$(quote "$ELASTIC_PASSWORD")" | curl -fsS -o /dev/null -K - \
    -X POST "$ES_URL/_security/user/kibana_system/_password" \
    -H 'Content-Type: application/json' \
    --data-binary @/dev/fd/3 3<<EOJSON
{"password": "$escaped"}
EOJSON
echo "elastic-setup: kibana_system password set"
