#!/bin/sh
# Runs once in the `secrets-init` service (httpd:alpine, for htpasswd) before Prometheus and Alertmanager start.
# Why: Alertmanager never expands environment variables in its config and Prometheus reads its web password from
# a bcrypt hash, so the .env values are written here into files on two named volumes that those services mount
# read-only. Values are never printed; files are written to a temp name then renamed, mode 0600, owned by the
# images' `nobody` user (65534).
set -eu

PROM_DIR=${PROM_SECRETS_DIR:-/secrets/prometheus}
AM_DIR=${AM_SECRETS_DIR:-/secrets/alertmanager}
OWNER=${SECRETS_OWNER:-65534:65534}

fail() { echo "secrets-init: $*" >&2; exit 1; }

# write_file DIR NAME VALUE: atomic, 0600, never echoed.
write_file() {
    umask 077
    tmp="$1/.$2.tmp"
    printf '%s' "$3" > "$tmp"
    chown "$OWNER" "$tmp" 2>/dev/null || true
    chmod 0600 "$tmp"
    mv -f "$tmp" "$1/$2"
}

# require VAR: fail with its name (never its value) when unset or empty.
require() {
    eval "value=\${$1:-}"
    [ -n "$value" ] || fail "variable $1 is missing or empty in compose/.env"
}

for var in PROMETHEUS_USER PROMETHEUS_PASSWORD SMTP_PASSWORD SLACK_WEBHOOK_URL SLACK_WEBHOOK_URL_DEVOPS \
    SLACK_WEBHOOK_URL_SECURITY SLACK_WEBHOOK_URL_BUSINESS SLACK_WEBHOOK_URL_CRITICAL PAGERDUTY_DEVOPS_KEY \
    PAGERDUTY_SECURITY_KEY DEADMANS_SWITCH_API_KEY; do
    require "$var"
done
# Prometheus scrapes itself as `admin` (alerting/prometheus_config.py SELF_USERNAME); Grafana uses PROMETHEUS_USER.
[ "$PROMETHEUS_USER" = "admin" ] || fail "PROMETHEUS_USER must be admin (the self-scrape user in prometheus.yml)"

mkdir -p "$PROM_DIR" "$AM_DIR"
chown "$OWNER" "$PROM_DIR" "$AM_DIR" 2>/dev/null || true
chmod 0700 "$PROM_DIR" "$AM_DIR"

# Prometheus: the self-scrape password file and web.yml with a bcrypt hash (cost 10).
write_file "$PROM_DIR" prometheus_password "$PROMETHEUS_PASSWORD"
hash=$(htpasswd -inBC 10 "$PROMETHEUS_USER" <<EOPW | cut -d: -f2-
$PROMETHEUS_PASSWORD
EOPW
)
[ -n "$hash" ] || fail "htpasswd produced no hash"
write_file "$PROM_DIR" web.yml "basic_auth_users:
  $PROMETHEUS_USER: '$hash'
"

# Alertmanager: one file per *_file field of compose/alertmanager/alertmanager.yml (alerting/routing.py).
write_file "$AM_DIR" smtp_password "$SMTP_PASSWORD"
write_file "$AM_DIR" slack_webhook_default "$SLACK_WEBHOOK_URL"
write_file "$AM_DIR" slack_webhook_devops "$SLACK_WEBHOOK_URL_DEVOPS"
write_file "$AM_DIR" slack_webhook_security "$SLACK_WEBHOOK_URL_SECURITY"
write_file "$AM_DIR" slack_webhook_business "$SLACK_WEBHOOK_URL_BUSINESS"
write_file "$AM_DIR" slack_webhook_critical "$SLACK_WEBHOOK_URL_CRITICAL"
write_file "$AM_DIR" pagerduty_devops_routing_key "$PAGERDUTY_DEVOPS_KEY"
write_file "$AM_DIR" pagerduty_security_routing_key "$PAGERDUTY_SECURITY_KEY"
write_file "$AM_DIR" deadmans_switch_api_key "$DEADMANS_SWITCH_API_KEY"

echo "secrets-init: wrote the Prometheus web config and the Alertmanager secret files"
