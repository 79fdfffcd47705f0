"""Alertmanager's routing table: who hears about which alert, as data.

- Critical alerts page the team's PagerDuty service (devops or security), post to the critical Slack channel
  and mail the team; every alert, whatever its severity, also reaches its team's Slack channel (default when
  the alert has no known team). Warnings never page.
- A critical alert inhibits the warning of the same name on the same target.
- Alertmanager does not expand environment variables in its configuration (maintainers' decision, see
  docs/alerting.md), so every secret is read from a file under `secrets_dir`; `SECRET_FILES` says which
  environment variable of `.env` each file is written from (`python -m alerting secrets`).
"""

from __future__ import annotations

from dataclasses import dataclass

from alerting.model import TEAMS

DEFAULT_SECRETS_DIR = "/etc/alertmanager/secrets"
SMTP_SMARTHOST = "smtp.anonymeme.io:587"
SMTP_FROM = "alertmanager@anonymeme.io"
PAGED_TEAMS = ("devops", "security")  # teams with an on-call rotation: PagerDuty and email on critical


@dataclass(frozen=True)
class SecretFile:
    file: str  # name under the secrets directory
    env: str  # the .env variable it is written from


def slack_channel(team: str) -> str:
    return f"#alerts-{team}"


SLACK_SECRETS: dict[str, SecretFile] = {
    "default": SecretFile("slack_webhook_default", "SLACK_WEBHOOK_URL"),
    **{t: SecretFile(f"slack_webhook_{t}", f"SLACK_WEBHOOK_URL_{t.upper()}") for t in TEAMS},
    "critical": SecretFile("slack_webhook_critical", "SLACK_WEBHOOK_URL_CRITICAL"),
}
PAGERDUTY_SECRETS: dict[str, SecretFile] = {
    t: SecretFile(f"pagerduty_{t}_routing_key", f"PAGERDUTY_{t.upper()}_KEY") for t in PAGED_TEAMS
}
SMTP_SECRET = SecretFile("smtp_password", "SMTP_PASSWORD")
SECRET_FILES: tuple[SecretFile, ...] = (*SLACK_SECRETS.values(), *PAGERDUTY_SECRETS.values(), SMTP_SECRET)

_SLACK_TITLE = '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' \
               "{{ .CommonLabels.alertname }}"
_SLACK_TEXT = (
    "{{ range .Alerts }}*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}\n"
    "{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n{{ end }}"
)


def _slack(name: str, channel: str, secret: SecretFile, secrets_dir: str) -> dict:
    return {
        "name": name,
        "slack_configs": [{
            "api_url_file": f"{secrets_dir}/{secret.file}",
            "channel": channel,
            "send_resolved": True,
            "title": _SLACK_TITLE,
            "text": _SLACK_TEXT,
        }],
    }


def receivers(secrets_dir: str = DEFAULT_SECRETS_DIR) -> list[dict]:
    out = [_slack(f"slack-{key}", slack_channel(key), secret, secrets_dir)
           for key, secret in SLACK_SECRETS.items()]
    for team in PAGED_TEAMS:
        out.append({
            "name": f"pagerduty-{team}",
            "pagerduty_configs": [{
                "routing_key_file": f"{secrets_dir}/{PAGERDUTY_SECRETS[team].file}",
                "severity": "critical",
                "description": "{{ .CommonAnnotations.summary }}",
                "send_resolved": True,
            }],
        })
    for team in PAGED_TEAMS:
        out.append({
            "name": f"email-{team}",
            "email_configs": [{"to": f"{team}@anonymeme.io", "send_resolved": True}],
        })
    return out


def routes() -> list[dict]:
    """Critical fan-out first (each with `continue`), then exactly one team channel per alert."""
    critical = 'severity="critical"'
    fan_out = [
        *({"receiver": f"pagerduty-{t}", "matchers": [critical, f'team="{t}"'], "continue": True,
           "repeat_interval": "1h"} for t in PAGED_TEAMS),
        {"receiver": "slack-critical", "matchers": [critical], "continue": True, "repeat_interval": "1h"},
        *({"receiver": f"email-{t}", "matchers": [critical, f'team="{t}"'], "continue": True}
          for t in PAGED_TEAMS),
    ]
    teams = [{"receiver": f"slack-{t}", "matchers": [f'team="{t}"']} for t in TEAMS]
    # Explicit, because a critical alert already matched by the fan-out never falls back to the root receiver.
    unknown = [{"receiver": "slack-default", "matchers": [f'team!~"{"|".join(TEAMS)}"']}]
    return fan_out + teams + unknown


def inhibit_rules() -> list[dict]:
    """A firing critical silences the warning of the same alert on the same target (missing labels match)."""
    return [{
        "source_matchers": ['severity="critical"'],
        "target_matchers": ['severity="warning"'],
        "equal": ["alertname", "job", "instance", "mountpoint", "detector", "handler"],
    }]


def render(secrets_dir: str = DEFAULT_SECRETS_DIR, smtp_smarthost: str = SMTP_SMARTHOST) -> dict:
    """alertmanager.yml as a dict. Tests pass a temporary `secrets_dir` holding dummy secret files."""
    return {
        "global": {
            "resolve_timeout": "5m",
            "smtp_smarthost": smtp_smarthost,
            "smtp_from": SMTP_FROM,
            "smtp_auth_username": SMTP_FROM,
            "smtp_auth_password_file": f"{secrets_dir}/{SMTP_SECRET.file}",
            "smtp_require_tls": True,
        },
        "route": {
            "receiver": "slack-default",
            "group_by": ["alertname", "job", "severity"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
            "routes": routes(),
        },
        "inhibit_rules": inhibit_rules(),
        "receivers": receivers(secrets_dir),
    }
