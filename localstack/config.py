"""The native stack's configuration files, rendered from the project's own for 127.0.0.1 and free ports.

Pure functions: given the ports (and a secrets directory) they return file contents. Prometheus's config and
rule files come from `alerting` (the same code that writes compose/prometheus/), with only the addresses, the
scrape and evaluation intervals and nothing else changed; Alertmanager's routing is the project's, with every
notification endpoint moved to a loopback sink so nothing ever leaves the machine.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import yaml

from alerting import prometheus_config, render, routing
from localstack.process import LOOPBACK
from signals import jobs
from signals.remote_write import VICTORIA_METRICS

# Jobs the load generator plays (the platform services and the cAdvisor imitation).
LOADGEN_JOBS: tuple[str, ...] = ("api", "security", "cadvisor")
# Jobs served by a real Debian binary, by the name of the job in signals/jobs.py.
REAL_JOBS: tuple[str, ...] = (
    "prometheus",
    "alertmanager",
    "node",
    "postgres",
    "redis",
    "blackbox-exporter",
    "business",
    "solana",
)
RULE_FILES = {
    "critical": "alerts/critical.yml",
    "warning": "alerts/warning.yml",
    "recording": "rules/application.yml",
}


@dataclass(frozen=True)
class Ports:
    """Every port the stack listens on (all on 127.0.0.1)."""

    prometheus: int
    alertmanager: int
    alertmanager_cluster: int  # its gossip port: a one-member cluster, as compose runs it (cluster metrics exist)
    node: int
    postgres_exporter: int
    redis_exporter: int
    blackbox: int
    redis: int
    api: int
    business: int
    solana: int
    security: int
    cadvisor: int
    tls: int  # the load generator's HTTPS /health, probed for certificate expiry
    solana_rpc: int  # the local Solana JSON-RPC the real Solana exporter polls
    victoriametrics: int  # the scale-out store (started only with scale_out)
    vmalert: int  # its rule evaluator (likewise)

    def targets(self) -> dict[str, list[str]]:
        """Scrape job -> loopback target, for every job of signals.jobs."""
        by_job = {
            jobs.PROMETHEUS.name: self.prometheus,
            jobs.ALERTMANAGER.name: self.alertmanager,
            jobs.NODE.name: self.node,
            jobs.POSTGRES.name: self.postgres_exporter,
            jobs.REDIS.name: self.redis_exporter,
            jobs.BLACKBOX_EXPORTER.name: self.blackbox,
            jobs.API.name: self.api,
            jobs.BUSINESS.name: self.business,
            jobs.SOLANA.name: self.solana,
            jobs.SECURITY.name: self.security,
            jobs.CADVISOR.name: self.cadvisor,
        }
        return {job: [f"{LOOPBACK}:{port}"] for job, port in by_job.items()}

    def loadgen(self) -> dict[str, int]:
        """Jobs the load generator plays; business and solana are the REAL exporters (local PostgreSQL and a
        local JSON-RPC)."""
        return {"api": self.api, "security": self.security, "cadvisor": self.cadvisor}

    def probe_targets(self) -> list[str]:
        """The probed URLs: the API's health over HTTP, and an HTTPS endpoint with a real certificate."""
        return [f"http://{LOOPBACK}:{self.api}/health", f"https://{LOOPBACK}:{self.tls}/health"]

    def sink(self) -> str:
        """Where notifications go: the load generator's API port, which refuses them (nothing leaves)."""
        return f"http://{LOOPBACK}:{self.api}/alert-sink"


def _dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False, width=1000, allow_unicode=True)


def prometheus_yml(ports: Ports, rule_dir: str, interval: str, scale_out: bool = False) -> str:
    """prometheus.yml for loopback: every job at its local port, every job and group at `interval`; with
    `scale_out`, remote-write to the local VictoriaMetrics (the compose `scale-out` profile's setting)."""
    config = prometheus_config.render(
        targets=ports.targets(),
        alertmanagers=[f"{LOOPBACK}:{ports.alertmanager}"],
        blackbox_address=f"{LOOPBACK}:{ports.blackbox}",
        probe_targets=ports.probe_targets(),
        rule_files=[f"{rule_dir}/{path}" for path in RULE_FILES.values()],
        self_password_file=None,
        scrape_interval=interval,
        evaluation_interval=interval,
        remote_write=VICTORIA_METRICS if scale_out else None,
        remote_write_address=f"{LOOPBACK}:{ports.victoriametrics}" if scale_out else None,
    )
    for scrape in config["scrape_configs"]:
        scrape.pop("scrape_interval", None)  # the business job's 5s: the stack scrapes everything at `interval`
    return _dump(config)


def rule_files(interval: str) -> dict[str, str]:
    """Relative path -> content of the project's alert and recording rules, evaluated every `interval`."""
    contents = {
        RULE_FILES["critical"]: render.alert_rules("critical"),
        RULE_FILES["warning"]: render.alert_rules("warning"),
        RULE_FILES["recording"]: render.recording_rules(),
    }
    out = {}
    for path, data in contents.items():
        data = copy.deepcopy(data)
        for group in data["groups"]:
            group["interval"] = interval
        out[path] = _dump(data)
    return out


# Rule fields vmalert 1.79.5 (the Debian package) refuses ("unknown fields in rule"), each with the release that
# reads it: `keep_firing_for` from v1.92.0 (VictoriaMetrics/VictoriaMetrics issue #4529, closed by the maintainer
# with that version). vmalert's copies of the rule files leave them out; the rules that had one are named by
# `vmalert_dropped_fields`, so a difference they cause is explained, not hidden.
VMALERT_UNSUPPORTED_FIELDS: tuple[str, ...] = ("keep_firing_for",)


def vmalert_rule_files(interval: str) -> dict[str, str]:
    """`rule_files(interval)` as vmalert 1.79.5 reads them: the same groups and rules, without the fields it
    refuses."""
    out = {}
    for path, text in rule_files(interval).items():
        data = yaml.safe_load(text)
        for group in data["groups"]:
            for rule in group["rules"]:
                for key in VMALERT_UNSUPPORTED_FIELDS:
                    rule.pop(key, None)
        out[path] = _dump(data)
    return out


def vmalert_dropped_fields(interval: str) -> dict[str, tuple[str, ...]]:
    """Alert name -> the fields its vmalert copy lacks (only alerts that lost one)."""
    out: dict[str, tuple[str, ...]] = {}
    for text in rule_files(interval).values():
        for group in yaml.safe_load(text)["groups"]:
            for rule in group["rules"]:
                dropped = tuple(key for key in VMALERT_UNSUPPORTED_FIELDS if key in rule)
                if dropped and "alert" in rule:
                    out[rule["alert"]] = out.get(rule["alert"], ()) + dropped
    return out


def alertmanager_yml(ports: Ports, secrets_dir: str) -> str:
    """The project's routing with every receiver pointed at the loopback sink."""
    config = routing.render(secrets_dir=secrets_dir, smtp_smarthost=f"{LOOPBACK}:{ports.api}")
    config["global"]["smtp_require_tls"] = False
    for receiver in config["receivers"]:
        for kind, items in receiver.items():
            if kind == "name":
                continue
            if kind not in {"slack_configs", "pagerduty_configs", "email_configs", "webhook_configs"}:
                raise ValueError(f"receiver kind {kind} has no loopback sink in localstack/config.py")
            for item in items:
                if kind in ("pagerduty_configs", "webhook_configs"):  # webhook: the dead man's switch heartbeat
                    item["url"] = ports.sink()
    return _dump(config)


def secret_files(ports: Ports) -> dict[str, str]:
    """Dummy secrets Alertmanager reads: webhook URLs at the loopback sink, made-up keys and password."""
    out = {}
    for secret in routing.SECRET_FILES:
        out[secret.file] = ports.sink() + "\n" if secret.file.startswith("slack_") else "local-stack-dummy\n"
    return out


def blackbox_yml() -> str:
    """The probe module the project's probe job names, over plain HTTP on loopback."""
    return _dump(
        {
            "modules": {
                jobs.BLACKBOX_MODULE: {
                    "prober": "http",
                    "timeout": "5s",
                    "http": {
                        "preferred_ip_protocol": "ip4",
                        "valid_status_codes": [],
                        # the local certificate is self-signed; expiry is still read and exported
                        "tls_config": {"insecure_skip_verify": True},
                    },
                }
            }
        }
    )
