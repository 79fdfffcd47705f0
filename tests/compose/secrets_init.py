"""Run compose/entrypoints/write-secrets.sh here, as the `secrets-init` service runs it in Docker.

The container image (httpd:alpine) provides `htpasswd`; here the same tool comes from Debian's apache2-utils.
Its bcrypt hashes are then judged by the real Prometheus and promtool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.compose.compose_file import COMPOSE_DIR

SCRIPT = COMPOSE_DIR / "entrypoints" / "write-secrets.sh"
SECRET_ENV = {
    "PROMETHEUS_USER": "admin",
    "PROMETHEUS_PASSWORD": 'prom-Pw"9\\x$y',
    "SMTP_PASSWORD": "smtp-Pw-71c",
    "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0/B0/default-secret",
    "SLACK_WEBHOOK_URL_DEVOPS": "https://hooks.slack.com/services/T0/B0/devops-secret",
    "SLACK_WEBHOOK_URL_SECURITY": "https://hooks.slack.com/services/T0/B0/security-secret",
    "SLACK_WEBHOOK_URL_BUSINESS": "https://hooks.slack.com/services/T0/B0/business-secret",
    "SLACK_WEBHOOK_URL_CRITICAL": "https://hooks.slack.com/services/T0/B0/critical-secret",
    "PAGERDUTY_DEVOPS_KEY": "pd-devops-key-0123456789abcdef",
    "PAGERDUTY_SECURITY_KEY": "pd-security-key-0123456789abcdef",
    "DEADMANS_SWITCH_API_KEY": "dms-key-0123456789abcdef",
}


def htpasswd_dir() -> Path:
    """Where the real `htpasswd` (Debian's apache2-utils, installed by `make system-deps`) lives."""
    tool = shutil.which("htpasswd")
    if tool is None:
        raise AssertionError("htpasswd is missing: install apache2-utils (make system-deps)")
    return Path(tool).parent


def run(root: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """Run the entrypoint writing under `root`; returns (result, prometheus dir, alertmanager dir)."""
    prom, am = root / "prometheus-secrets", root / "alertmanager-secrets"
    full_env = {
        "PATH": f"{htpasswd_dir()}:{os.environ['PATH']}",
        "PROM_SECRETS_DIR": str(prom),
        "AM_SECRETS_DIR": str(am),
        "SECRETS_OWNER": f"{os.getuid()}:{os.getgid()}",
        **env,
    }
    result = subprocess.run(["sh", str(SCRIPT)], env=full_env, capture_output=True, text=True, timeout=60)
    return result, prom, am
