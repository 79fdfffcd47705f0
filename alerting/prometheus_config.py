"""prometheus.yml as data, with every address and path a parameter.

The defaults are the compose stack: targets are `service:port` from `signals.jobs`, secrets live under
`/etc/prometheus/secrets/`, and the rule files sit next to prometheus.yml. Another setup passes its own
values; the native local stack, for example, runs the Debian Prometheus on loopback:

    render(
        targets={"api": ["127.0.0.1:40001"], "node": ["127.0.0.1:40002"]},   # jobs left out are not scraped
        alertmanagers=["127.0.0.1:40003"],
        blackbox_address="127.0.0.1:40004",
        probe_targets=["http://127.0.0.1:40001/health"],
        rule_files=["/tmp/stack/alerts/critical.yml", ...],
        self_password_file=None,          # no web config there: scrape Prometheus without basic auth
    )

The production profile serves Prometheus over TLS, so its own scrape must too: `self_scheme="https"` with
`self_ca_file` (the CA that signed prometheus.crt) renders `scheme: https` and `tls_config.ca_file` on the
self-scrape job only; every other job keeps plain HTTP on the internal network.

Remote-write is off unless asked for: `remote_write=signals.remote_write.VICTORIA_METRICS` renders a
`remote_write` block to that store (the compose `scale-out` profile's `prometheus-scale-out.yml`;
`remote_write_address` points it elsewhere, e.g. a loopback port). When the store records the recording rules
itself (`rules_at_store`), the recorded series of `signals.recording` and the alert-state series are dropped from
the write, so each of them has one writer in the store.

Jobs of an optional compose profile (`signals.jobs.Job.profile`: Jaeger, the Elasticsearch and Logstash
exporters) are not static targets in the compose stack: each is a `dns_sd_configs` entry, `type: A` with the
job's port, naming the compose service (Prometheus docs, configuration.md `<dns_sd_config>`: "The port number
used if the query type is not SRV"). When the profile is off, or the container stopped (Docker drops a
container's name on stop, moby/moby#24800), the name gets NXDOMAIN, and Prometheus turns an all-NXDOMAIN answer
into an empty target group (discovery/dns/dns.go, `lookupWithSearchPath`: "everyone says NXDOMAIN, that's good
enough for me"), so the job has no target and no `up` series: nothing pages for a service nobody asked to run.
A caller that passes `targets` scrapes only those, statically (the native local stack), unless it passes
`discovered` too.

Retention is not part of this file: it is a command-line flag (see docs/alerting.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from signals import jobs
from signals.catalogue import FORBIDDEN_LABELS
from signals.recording import recorded_names
from signals.remote_write import ALERT_STATE_SERIES, RemoteWrite

RULE_FILES: tuple[str, ...] = ("alerts/critical.yml", "alerts/warning.yml", "rules/application.yml")
DEFAULT_SECRETS_DIR = "/etc/prometheus/secrets"
SELF_USERNAME = "admin"
SELF_PASSWORD_FILE = f"{DEFAULT_SECRETS_DIR}/prometheus_password"
EXTERNAL_LABELS = {"monitor": "anonymeme"}
SELF_SCHEMES = ("http", "https")
PRODUCTION_CA_FILE = "/etc/prometheus/tls/ca.crt"  # the prod override mounts $TLS_CERT_DIR at /etc/prometheus/tls


def _drop_forbidden_labels() -> list[dict]:
    """Labels that identify people, carry secrets or grow without bound never reach the TSDB."""
    return [{"action": "labeldrop", "regex": "|".join(sorted(FORBIDDEN_LABELS))}]


def remote_write_config(store: RemoteWrite, address: str | None = None) -> dict:
    """One `remote_write` entry: the store's write URL (at `address` if given), without the series of rule
    results when the store's own evaluator writes them (`rules_at_store`)."""
    entry: dict = {"name": store.name, "url": f"http://{address or store.target}{store.write_path}"}
    if store.rules_at_store:
        names = sorted(recorded_names()) + list(ALERT_STATE_SERIES)
        entry["write_relabel_configs"] = [{"source_labels": ["__name__"], "regex": "|".join(names), "action": "drop"}]
    return entry


def default_targets() -> dict[str, list[str]]:
    """The compose stack's static targets: every job whose service always runs with its profile."""
    return {j.name: [j.target] for j in jobs.SCRAPE_JOBS if j.profile is None}


def default_discovered() -> dict[str, list[str]]:
    """The compose stack's DNS-discovered jobs: those of an optional profile, by compose service name."""
    return {j.name: [j.service] for j in jobs.SCRAPE_JOBS if j.profile is not None}


def render(
    *,
    targets: Mapping[str, Sequence[str]] | None = None,
    discovered: Mapping[str, Sequence[str]] | None = None,
    alertmanagers: Sequence[str] = (jobs.ALERTMANAGER.target,),
    blackbox_address: str | None = jobs.BLACKBOX_EXPORTER.target,
    probe_targets: Sequence[str] = jobs.PROBE_TARGETS,
    rule_files: Sequence[str] = RULE_FILES,
    self_username: str = SELF_USERNAME,
    self_password_file: str | None = SELF_PASSWORD_FILE,
    self_scheme: str = "http",
    self_ca_file: str | None = None,
    scrape_interval: str = "15s",
    evaluation_interval: str = "15s",
    remote_write: RemoteWrite | None = None,
    remote_write_address: str | None = None,
) -> dict:
    """The prometheus.yml structure.

    targets: job name -> `host:port` list; defaults to every job of `signals.jobs` at its compose address.
        Only the jobs named are rendered, in the order of `signals.jobs.SCRAPE_JOBS`; each keeps its interval
        (5s for the trading metrics of the business job). Teams are labels of the alerts, not of the series.
    discovered: job name -> DNS names looked up (type A) at the job's port. None: the compose defaults (the
        optional-profile jobs) when `targets` is None too, none otherwise. A job may not be in both.
    blackbox_address: the blackbox exporter's `host:port`; None renders no probe job.
    self_password_file: password file for scraping Prometheus itself behind its basic-auth web config;
        None scrapes it without credentials.
    self_scheme: "https" when Prometheus serves its web config's TLS (production profile); "http" otherwise.
    self_ca_file: with https, the CA file that verifies Prometheus's own certificate; None trusts the system
        store. Refused with http, where it would be silently ignored.
    remote_write: the store to remote-write to (None: no remote-write, the default); remote_write_address its
        `host:port` when not the store's compose address. An address without a store is refused.
    """
    if self_scheme not in SELF_SCHEMES:
        raise ValueError(f"self_scheme must be one of {SELF_SCHEMES}, not {self_scheme!r}")
    if self_ca_file is not None and self_scheme != "https":
        raise ValueError("self_ca_file needs self_scheme='https'")
    if remote_write_address is not None and remote_write is None:
        raise ValueError("remote_write_address needs remote_write")
    if discovered is None:
        discovered = default_discovered() if targets is None else {}
    targets = default_targets() if targets is None else dict(targets)
    unknown = (set(targets) | set(discovered)) - {j.name for j in jobs.SCRAPE_JOBS}
    if unknown:
        raise ValueError(f"no scrape job named {sorted(unknown)} in signals/jobs.py")
    both = set(targets) & set(discovered)
    if both:
        raise ValueError(f"jobs {sorted(both)} are both static and discovered")
    scrape_configs: list[dict] = []
    for job in jobs.SCRAPE_JOBS:
        if job.name not in targets and job.name not in discovered:
            continue
        config: dict = {"job_name": job.name}
        if job.scrape_interval != scrape_interval:
            config["scrape_interval"] = job.scrape_interval
        if job.metrics_path != "/metrics":
            config["metrics_path"] = job.metrics_path
        if job is jobs.PROMETHEUS and self_scheme != "http":
            config["scheme"] = self_scheme
            if self_ca_file is not None:
                config["tls_config"] = {"ca_file": self_ca_file}
        if job is jobs.PROMETHEUS and self_password_file is not None:
            config["basic_auth"] = {"username": self_username, "password_file": self_password_file}
        if job.name in discovered:
            config["dns_sd_configs"] = [{"names": list(discovered[job.name]), "type": "A", "port": job.port}]
        else:
            config["static_configs"] = [{"targets": list(targets[job.name])}]
        config["metric_relabel_configs"] = _drop_forbidden_labels()
        scrape_configs.append(config)
    if blackbox_address is not None and probe_targets:
        scrape_configs.append(
            {
                "job_name": jobs.BLACKBOX_JOB,
                "metrics_path": "/probe",
                "params": {"module": [jobs.BLACKBOX_MODULE]},
                "static_configs": [{"targets": list(probe_targets)}],
                "relabel_configs": [
                    {"source_labels": ["__address__"], "target_label": "__param_target"},
                    {"source_labels": ["__param_target"], "target_label": "instance"},
                    {"target_label": "__address__", "replacement": blackbox_address},
                ],
                "metric_relabel_configs": _drop_forbidden_labels(),
            }
        )
    config = {
        "global": {
            "scrape_interval": scrape_interval,
            "evaluation_interval": evaluation_interval,
            "external_labels": dict(EXTERNAL_LABELS),
        },
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": list(alertmanagers)}]}]},
        "rule_files": list(rule_files),
        "scrape_configs": scrape_configs,
    }
    if remote_write is not None:
        config["remote_write"] = [remote_write_config(remote_write, remote_write_address)]
    return config
