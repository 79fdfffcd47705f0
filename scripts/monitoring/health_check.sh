#!/usr/bin/env bash
# Check every monitoring service's health endpoint, print one line per service and a summary, and exit 1 when
# any is unhealthy (2 on bad usage). Why a script: on-call runs it first (docs/on-call.md), and cron or CI can
# act on its exit code. Endpoints and credentials come from the environment; no secret is ever printed or put
# on a command line (curl reads credentials from a file descriptor).
#
# Environment:
#   HEALTH_SERVICES   services to check, space separated (default: all of the bundled stack)
#   <SERVICE>_URL     base URL per service, e.g. PROMETHEUS_URL, NODE_EXPORTER_URL (defaults: localhost ports
#                     published by compose/docker-compose.yml)
#   PROMETHEUS_USER, PROMETHEUS_PASSWORD   basic auth for Prometheus (its health endpoint is behind it)
#   ELASTIC_USER, ELASTIC_PASSWORD         basic auth for Elasticsearch and Kibana
#   HEALTH_TIMEOUT    seconds per check (default 5)
set -euo pipefail

usage() {
    echo "usage: $(basename "$0") [-h]   (configure with HEALTH_SERVICES, <SERVICE>_URL, PROMETHEUS_USER/PASSWORD, ELASTIC_USER/PASSWORD)"
}

case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

command -v curl >/dev/null || { echo "error: curl is required" >&2; exit 2; }

# service|default base URL|health path|credentials (none, prometheus, elastic)
CATALOGUE="
grafana|http://localhost:3030|/api/health|none
prometheus|http://localhost:9090|/-/healthy|prometheus
alertmanager|http://localhost:9093|/-/healthy|none
node-exporter|http://localhost:9100|/metrics|none
cadvisor|http://localhost:8080|/healthz|none
postgres-exporter|http://localhost:9187|/|none
redis-exporter|http://localhost:9121|/health|none
blackbox-exporter|http://localhost:9115|/-/healthy|none
solana-exporter|http://localhost:9301|/health|none
business-collector|http://localhost:9300|/health|none
jaeger|http://localhost:16686|/|none
elasticsearch|http://localhost:9200|/_cluster/health|elastic
logstash|http://localhost:9600|/|none
kibana|http://localhost:5601|/api/status|elastic
"
ALL_SERVICES=$(printf '%s\n' "$CATALOGUE" | cut -d'|' -f1 | tr '\n' ' ')
SERVICES=${HEALTH_SERVICES:-$ALL_SERVICES}
TIMEOUT=${HEALTH_TIMEOUT:-5}

# Quote a value for curl's config syntax (backslash and double quote escaped).
curl_quote() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# credentials KIND: print a curl config line for KIND's credentials, or nothing.
credentials() {
    case "$1" in
        prometheus)
            [ -n "${PROMETHEUS_PASSWORD:-}" ] &&
                printf 'user = "%s:%s"\n' "$(curl_quote "${PROMETHEUS_USER:-admin}")" "$(curl_quote "$PROMETHEUS_PASSWORD")"
            ;;
        elastic)
            [ -n "${ELASTIC_PASSWORD:-}" ] &&
                printf 'user = "%s:%s"\n' "$(curl_quote "${ELASTIC_USER:-elastic}")" "$(curl_quote "$ELASTIC_PASSWORD")"
            ;;
    esac
    return 0
}

failed=()
checked=0
for service in $SERVICES; do
    entry=$(printf '%s\n' "$CATALOGUE" | grep -E "^${service}\|" || true)
    if [ -z "$entry" ]; then
        echo "error: unknown service '$service' in HEALTH_SERVICES (known: $ALL_SERVICES)" >&2
        exit 2
    fi
    IFS='|' read -r _ default_url path auth <<<"$entry"
    url_var="$(printf '%s' "$service" | tr 'a-z-' 'A-Z_')_URL"
    base=${!url_var:-$default_url}
    url="${base%/}${path}"
    checked=$((checked + 1))
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time "$TIMEOUT" -K <(credentials "$auth") "$url" 2>/dev/null) || code=000
    if [ "$code" -ge 200 ] && [ "$code" -lt 300 ]; then
        printf 'OK    %-20s %s (HTTP %s)\n' "$service" "$url" "$code"
    else
        if [ "$code" = 000 ]; then reason="unreachable"; else reason="HTTP $code"; fi
        printf 'FAIL  %-20s %s (%s)\n' "$service" "$url" "$reason"
        failed+=("$service")
    fi
done

if [ "${#failed[@]}" -eq 0 ]; then
    echo "summary: all $checked services healthy"
    exit 0
fi
echo "summary: $((checked - ${#failed[@]}))/$checked healthy; unhealthy: ${failed[*]}"
exit 1
