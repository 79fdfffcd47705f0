"""Alertmanager's routing table: who hears about which alert, and when, as data.

- The Watchdog goes only to the dead-man's switch (a heartbeat every minute, in a group of its own); the
  external monitor pages when it stops.
- Critical alerts post to the critical Slack channel and mail the team and the executives. The paged teams
  (devops, security) get PagerDuty after hours (`time_intervals`: business hours and their complement, from
  `BUSINESS_HOURS`); during business hours a critical pages only when it escalates: `CriticalAlertUnresolved`
  (alerting.rules) fires when it is still firing after `signals.slo.ESCALATE_AFTER`. PagerDuty's escalation
  policy takes it on from there (primary, secondary, engineering manager). Every alert also reaches its team's
  Slack channel (default when the alert has no known team). Warnings never page.
- The PagerDuty payload is per alert: each summary in the title, each description, runbook, dashboard and label
  set in the details, and the runbook and dashboard as links (a group may mix summaries, so
  `.CommonAnnotations.summary` would be empty).
- A critical alert inhibits the warning of the same name on the same target; the cause of an outage inhibits
  its symptoms (`inhibit_rules`).
- Alertmanager does not expand environment variables in its configuration (maintainers' decision, see
  docs/alerting.md), so every secret is read from a file under `secrets_dir`; `SECRET_FILES` says which
  environment variable of `.env` each file is written from (`python -m alerting secrets`).
"""

from __future__ import annotations

from dataclasses import dataclass

from alerting.model import TEAMS
from alerting.rules import ESCALATION, PAGED_TEAMS, WATCHDOG
from signals import jobs

DEFAULT_SECRETS_DIR = "/etc/alertmanager/secrets"
SMTP_SMARTHOST = "smtp.anonymeme.io:587"
SMTP_FROM = "alertmanager@anonymeme.io"
EXECUTIVES_EMAIL = "executives@anonymeme.io"  # every critical, grouped by alert name, at most twice a day
# The dead-man's switch: an Opsgenie heartbeat, pinged with the API key in the Authorization header (Alertmanager
# 0.25's webhook has no url_file; this way the URL holds no secret). Opsgenie alerts when pings stop.
DEADMANS_SWITCH_URL = "https://api.opsgenie.com/v2/heartbeats/anonymeme-alertmanager/ping"
WATCHDOG_REPEAT = "1m"  # the heartbeat period; the heartbeat's own interval in Opsgenie is set to 5m


@dataclass(frozen=True)
class BusinessHours:
    """When people are at their desks: critical alerts go to Slack and email then, PagerDuty outside."""

    weekdays: str = "monday:friday"
    start: str = "09:00"
    end: str = "18:00"
    location: str = "UTC"  # a tz database name; Alertmanager evaluates the times in it

    def intervals(self) -> list[dict]:
        """`business-hours` and `after-hours`, its exact complement (Alertmanager has no negation)."""
        weekend = {"weekdays": ["saturday", "sunday"], "location": self.location}
        return [
            {
                "name": "business-hours",
                "time_intervals": [
                    {
                        "weekdays": [self.weekdays],
                        "times": [{"start_time": self.start, "end_time": self.end}],
                        "location": self.location,
                    }
                ],
            },
            {
                "name": "after-hours",
                "time_intervals": [
                    {
                        "weekdays": [self.weekdays],
                        "location": self.location,
                        "times": [
                            {"start_time": "00:00", "end_time": self.start},
                            {"start_time": self.end, "end_time": "24:00"},
                        ],
                    },
                    weekend,
                ],
            },
        ]


BUSINESS_HOURS = BusinessHours()


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
DEADMANS_SWITCH_SECRET = SecretFile("deadmans_switch_api_key", "DEADMANS_SWITCH_API_KEY")
SECRET_FILES: tuple[SecretFile, ...] = (
    *SLACK_SECRETS.values(),
    *PAGERDUTY_SECRETS.values(),
    SMTP_SECRET,
    DEADMANS_SWITCH_SECRET,
)

_SLACK_TITLE = (
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] '
    "{{ .CommonLabels.alertname }}"
)
_SLACK_TEXT = (
    "{{ range .Alerts }}*{{ .Labels.severity | toUpper }}* {{ .Annotations.summary }}\n"
    "{{ .Annotations.description }}\nRunbook: {{ .Annotations.runbook_url }}\n"
    "Dashboard: {{ .Annotations.dashboard_url }}\n{{ end }}"
)


def _slack(name: str, channel: str, secret: SecretFile, secrets_dir: str) -> dict:
    return {
        "name": name,
        "slack_configs": [
            {
                "api_url_file": f"{secrets_dir}/{secret.file}",
                "channel": channel,
                "send_resolved": True,
                "title": _SLACK_TITLE,
                "text": _SLACK_TEXT,
            }
        ],
    }


# PagerDuty, per alert. A group is one alertname (route group_by), so its runbook and dashboard are the first
# alert's; every summary is listed because the alerts of a group may differ (two mountpoints, two instances).
PAGERDUTY_DESCRIPTION = (
    "{{ if gt (len .Alerts) 1 }}{{ len .Alerts }} alerts: {{ end }}"
    "{{ range $i, $a := .Alerts }}{{ if $i }}; {{ end }}{{ $a.Annotations.summary }}{{ end }}"
)
_PAGERDUTY_ALERTS = (
    "{{ range .Alerts }}[{{ .Status }}] {{ .Annotations.summary }}\n{{ .Annotations.description }}\n"
    "Runbook: {{ .Annotations.runbook_url }}\nDashboard: {{ .Annotations.dashboard_url }}\n"
    "Labels:{{ range .Labels.SortedPairs }} {{ .Name }}={{ .Value }}{{ end }}\n\n{{ end }}"
)
PAGERDUTY_DETAILS = {
    "alerts": _PAGERDUTY_ALERTS,
    "firing": "{{ .Alerts.Firing | len }}",
    "resolved": "{{ .Alerts.Resolved | len }}",
    "alertname": "{{ .CommonLabels.alertname }}",
    "team": "{{ .CommonLabels.team }}",
}
PAGERDUTY_LINKS = [
    {"href": "{{ (index .Alerts 0).Annotations.runbook_url }}", "text": "Runbook"},
    {"href": "{{ (index .Alerts 0).Annotations.dashboard_url }}", "text": "Dashboard"},
]


def _email(name: str, to: str) -> dict:
    return {"name": name, "email_configs": [{"to": to, "send_resolved": True}]}


def receivers(secrets_dir: str = DEFAULT_SECRETS_DIR) -> list[dict]:
    out = [_slack(f"slack-{key}", slack_channel(key), secret, secrets_dir) for key, secret in SLACK_SECRETS.items()]
    for team in PAGED_TEAMS:
        out.append(
            {
                "name": f"pagerduty-{team}",
                "pagerduty_configs": [
                    {
                        "routing_key_file": f"{secrets_dir}/{PAGERDUTY_SECRETS[team].file}",
                        "severity": "critical",
                        "description": PAGERDUTY_DESCRIPTION,
                        "details": PAGERDUTY_DETAILS,
                        "links": PAGERDUTY_LINKS,
                        "send_resolved": True,
                    }
                ],
            }
        )
    out += [_email(f"email-{team}", f"{team}@anonymeme.io") for team in TEAMS]
    out.append(_email("email-executives", EXECUTIVES_EMAIL))
    out.append(
        {
            "name": "deadmans-switch",
            "webhook_configs": [
                {
                    "url": DEADMANS_SWITCH_URL,
                    "send_resolved": False,
                    "http_config": {
                        "authorization": {
                            "type": "GenieKey",
                            "credentials_file": f"{secrets_dir}/{DEADMANS_SWITCH_SECRET.file}",
                        }
                    },
                }
            ],
        }
    )
    return out


def routes() -> list[dict]:
    """The Watchdog alone first; then the critical fan-out (each with `continue`); then exactly one team
    channel per alert."""
    critical, not_escalation = 'severity="critical"', f'alertname!="{ESCALATION}"'
    watchdog = {
        "receiver": "deadmans-switch",
        "matchers": [f'alertname="{WATCHDOG}"'],
        "group_by": ["alertname"],
        "group_wait": "0s",
        "group_interval": WATCHDOG_REPEAT,
        "repeat_interval": WATCHDOG_REPEAT,
    }
    fan_out = [
        *(
            {
                "receiver": f"pagerduty-{t}",
                "matchers": [critical, f'team="{t}"', not_escalation],
                "active_time_intervals": ["after-hours"],
                "continue": True,
                "repeat_interval": "1h",
            }
            for t in PAGED_TEAMS
        ),
        *(
            {
                "receiver": f"pagerduty-{t}",
                "matchers": [f'alertname="{ESCALATION}"', f'team="{t}"'],
                "active_time_intervals": ["business-hours"],
                "continue": True,
                "repeat_interval": "1h",
            }
            for t in PAGED_TEAMS
        ),
        {"receiver": "slack-critical", "matchers": [critical], "continue": True, "repeat_interval": "1h"},
        *({"receiver": f"email-{t}", "matchers": [critical, f'team="{t}"'], "continue": True} for t in TEAMS),
        {
            "receiver": "email-executives",
            "matchers": [critical, not_escalation],
            "group_by": ["alertname"],
            "continue": True,
            "repeat_interval": "12h",
        },
    ]
    teams = [{"receiver": f"slack-{t}", "matchers": [f'team="{t}"']} for t in TEAMS]
    # Explicit, because a critical alert already matched by the fan-out never falls back to the root receiver.
    unknown = [{"receiver": "slack-default", "matchers": [f'team!~"{"|".join(TEAMS)}"']}]
    return [watchdog, *fan_out, *teams, *unknown]


# The alerts a blackbox probe raises, and the Solana alerts that follow from the RPC node being unreachable.
PROBE_ALERTS = "EndpointProbeFailed|EndpointHttpStatusError|EndpointProbeSlow"
SOLANA_SYMPTOMS = "SolanaNodeBehind|SolanaSlotNotAdvancing|SolanaRpcErrorRatioHigh|SolanaExporterPollErrors"


def inhibit_rules() -> list[dict]:
    """One outage, one page: the cause silences its symptoms (missing labels count as equal in `equal`).

    - a firing critical silences the warning of the same alert on the same target;
    - a job wholly down silences its missing key series and its probe alerts (`signals.jobs.PROBED_JOBS`);
    - the Solana RPC down silences the node being behind or stuck, the failing RPC requests and the transaction
      ratio that follows from it.
    """
    out = [
        {
            "source_matchers": ['severity="critical"'],
            "target_matchers": ['severity="warning"'],
            "equal": ["alertname", "job", "instance", "mountpoint", "detector", "handler"],
        },
        {
            "source_matchers": ['alertname="ServiceDown"'],
            "target_matchers": ['alertname=~"KeySeriesAbsent|BusinessCollectorQueryFailing|SolanaExporterPollErrors"'],
            "equal": ["job"],
        },
    ]
    out += [
        {
            "source_matchers": ['alertname="ServiceDown"', f'job="{job.name}"'],
            "target_matchers": [f'alertname=~"{PROBE_ALERTS}"', f'instance="{target}"'],
            "equal": [],
        }
        for target, job in jobs.PROBED_JOBS.items()
    ]
    out += [
        {
            "source_matchers": ['alertname="SolanaRpcUnhealthy"'],
            "target_matchers": [f'alertname=~"{SOLANA_SYMPTOMS}"'],
            "equal": ["job", "instance"],
        },
        {
            "source_matchers": ['alertname="SolanaRpcUnhealthy"'],
            "target_matchers": ['alertname="TransactionSuccessRatioLow"'],
            "equal": [],
        },
    ]
    return out


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
        "time_intervals": BUSINESS_HOURS.intervals(),
        "receivers": receivers(secrets_dir),
    }
