"""Run compose/entrypoints/write-secrets.sh here, as the `secrets-init` service runs it in Docker.

The container image (httpd:alpine) provides `htpasswd`; this machine may not, so `htpasswd_dir()` puts an
`htpasswd` on PATH that does the same bcrypt hashing with the `bcrypt` library (`-inBC cost user`: password on
stdin, `user:hash` on stdout). Its hashes are then judged by the real Prometheus and promtool.
"""

from __future__ import annotations

import os
import subprocess
import sys
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
}

_HTPASSWD = """#!{python}
import sys, bcrypt
args = sys.argv[1:]
flags, user = args[0], args[-1]
assert flags.startswith("-") and set(flags[1:]) <= set("inBC"), flags
cost = int(args[1]) if "C" in flags else 5
password = sys.stdin.readline().rstrip("\\n").encode()
hashed = bcrypt.hashpw(password, bcrypt.gensalt(cost)).decode().replace("$2b$", "$2y$", 1)  # htpasswd's prefix
print(f"{{user}}:{{hashed}}")
"""


def htpasswd_dir(root: Path) -> Path:
    bin_dir = root / "bin"
    bin_dir.mkdir(exist_ok=True)
    tool = bin_dir / "htpasswd"
    tool.write_text(_HTPASSWD.format(python=sys.executable))
    tool.chmod(0o755)
    return bin_dir


def run(root: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    """Run the entrypoint writing under `root`; returns (result, prometheus dir, alertmanager dir)."""
    prom, am = root / "prometheus-secrets", root / "alertmanager-secrets"
    full_env = {
        "PATH": f"{htpasswd_dir(root)}:{os.environ['PATH']}",
        "PROM_SECRETS_DIR": str(prom),
        "AM_SECRETS_DIR": str(am),
        "SECRETS_OWNER": f"{os.getuid()}:{os.getgid()}",
        **env,
    }
    result = subprocess.run(["sh", str(SCRIPT)], env=full_env, capture_output=True, text=True, timeout=60)
    return result, prom, am
