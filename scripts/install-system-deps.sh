#!/usr/bin/env bash
# Installs, through apt, the Debian packages the test suite runs for real, and only those missing.
# Services are not started by the packages (policy-rc.d denies it): the tests start their own on 127.0.0.1.
set -euo pipefail

usage() { echo "usage: $0   (installs missing Debian test dependencies; needs root or sudo)"; }
[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }

packages=(
  prometheus prometheus-alertmanager prometheus-node-exporter prometheus-blackbox-exporter
  prometheus-postgres-exporter prometheus-redis-exporter postgresql redis-server shellcheck curl apache2-utils
  librsvg2-bin systemd  # systemd: systemd-analyze verifies the backup timer (tests/scripts/test_backup_cycle.py)
  chromium chromium-driver  # the preview is tested in a real browser (tests/dashsync/preview/)
  victoria-metrics  # the scale-out path: Prometheus remote-writes to it in the native stack (docs/scaling.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

echo "installing Debian packages: ${missing[*]}"
policy=/usr/sbin/policy-rc.d
created_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  created_policy=1
fi
trap '[[ $created_policy -eq 1 ]] && $sudo rm -f "$policy"' EXIT
# `env` carries DEBIAN_FRONTEND through sudo, which resets the environment: no debconf prompt can hang CI.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}"
