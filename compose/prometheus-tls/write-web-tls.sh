#!/bin/sh
# Runs once in the `prometheus-web-tls` service of the production profile, after secrets-init.
# Why: Prometheus reads one web config file, and its basic-auth hash is generated at start from compose/.env,
# so the TLS block (web-tls.yml, in git) and the hash (web.yml, on the secrets volume) are joined here.
# Nothing secret is printed; the result is written to a temp name then renamed, mode 0600, owned by `nobody`.
set -eu

DIR=${PROM_SECRETS_DIR:-/secrets/prometheus}
TEMPLATE=${WEB_TLS_TEMPLATE:-/prometheus-tls/web-tls.yml}
OWNER=${SECRETS_OWNER:-65534:65534}

fail() { echo "prometheus-web-tls: $*" >&2; exit 1; }

[ -s "$DIR/web.yml" ] || fail "$DIR/web.yml is missing: secrets-init must run first"
[ -s "$TEMPLATE" ] || fail "$TEMPLATE is missing"
grep -q '^basic_auth_users:' "$DIR/web.yml" || fail "$DIR/web.yml has no basic_auth_users"

umask 077
tmp="$DIR/.web-tls.yml.tmp"
cat "$TEMPLATE" "$DIR/web.yml" > "$tmp"
chown "$OWNER" "$tmp" 2>/dev/null || true
chmod 0600 "$tmp"
mv -f "$tmp" "$DIR/web-tls.yml"
echo "prometheus-web-tls: wrote $DIR/web-tls.yml"
