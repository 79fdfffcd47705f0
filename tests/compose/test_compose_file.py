"""compose/docker-compose.yml checked without Docker: schema, mounts, ports, targets, images, credentials, profiles."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from signals import jobs
from signals.remote_write import VICTORIA_METRICS
from tests.compose import compose_file as cf

BASIC_STACK = ("prometheus", "grafana", "alertmanager")
# Profiles `docker compose up -d` leaves off with .env.example, each with the setting that goes with it.
OPT_IN_PROFILES = {"scale-out": ("PROMETHEUS_CONFIG", "prometheus-scale-out.yml")}
ONE_SHOT = {"secrets-init", "elastic-setup"}  # init containers: they exit, so they have no health check
# Images built FROM scratch (no shell, no wget): Docker cannot run a check inside them, so theirs is disabled
# explicitly and Prometheus's ExporterDown watches them (kuskoman/logstash-exporter v1.9.1 Dockerfile).
NO_SHELL = {"logstash-exporter"}
# Scrape and probe targets that this stack deliberately does not run: the platform's own services join the
# `anonymeme-monitoring` network from the platform's compose project (docs/docker-quickstart.md), and the public
# site is probed over the internet.
EXTERNAL_TARGETS = {
    "backend": "the platform API (platform compose project)",
    "frontend": "the platform web app (platform compose project)",
    "security-monitor": "the platform's security monitor (platform compose project)",
    "anonymeme.io": "the public site, probed over the internet",
}
FIVE_DASHBOARDS = {
    "anonymeme-system-overview",
    "anonymeme-api",
    "anonymeme-infrastructure",
    "anonymeme-business",
    "anonymeme-security",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return cf.load()


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    return cf.env_example()


def test_compose_file_matches_the_compose_specification() -> None:
    tool = Path(sys.executable).with_name("check-jsonschema")
    if not tool.exists():
        tool = shutil.which("check-jsonschema")
        assert tool, "check-jsonschema not found: run `make venv` (it is a test dependency)"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.compose-spec", str(cf.COMPOSE_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_bind_mounted_file_exists_in_the_repository(compose: dict) -> None:
    host_paths = {"/proc", "/sys", "/", "/var/run", "/var/lib/docker/", "/dev/disk/"}  # node-exporter, cAdvisor
    missing = []
    for name, service in compose["services"].items():
        for source, target in cf.bind_mounts(service):
            if source in host_paths:
                continue
            if not (cf.COMPOSE_DIR / source).exists():
                missing.append(f"{name}: {source} -> {target}")
    assert not missing, f"mounted paths missing from the repository: {missing}"


def test_grafana_mounts_the_provisioning_where_grafana_reads_it(compose: dict) -> None:
    mounts = {target: source for source, target in cf.bind_mounts(compose["services"]["grafana"])}
    assert mounts["/etc/grafana/provisioning/dashboards/anonymeme.yml"] == "../provisioning/dashboards.yml"
    assert mounts["/etc/grafana/provisioning/datasources"] == "../provisioning/datasources"
    dashboards_dir = cf.COMPOSE_DIR / mounts["/var/lib/grafana/dashboards"]
    provider = yaml.safe_load((cf.COMPOSE_DIR / "../provisioning/dashboards.yml").read_text())
    for entry in provider["providers"]:  # one provider per folder, each reading one mounted directory
        path = entry["options"]["path"]
        assert path.startswith("/var/lib/grafana/dashboards/"), path
        assert (dashboards_dir / path.removeprefix("/var/lib/grafana/dashboards/")).is_dir(), path
    assert all(str(v).endswith(":ro") for v in compose["services"]["grafana"]["volumes"] if str(v).startswith("."))
    found = {}
    for path in dashboards_dir.glob("*/*.json"):
        found[json.loads(path.read_text())["uid"]] = path.parent.name
    assert FIVE_DASHBOARDS <= set(found), f"dashboards under {dashboards_dir}: {found}"


def test_no_two_services_publish_the_same_port(compose: dict, env: dict[str, str]) -> None:
    owners: dict[int, list[str]] = {}
    for name, service in compose["services"].items():
        for _, host, _ in cf.published_ports(service, env):
            owners.setdefault(host, []).append(name)
    clashes = {port: names for port, names in owners.items() if len(names) > 1}
    assert not clashes, f"ports published twice: {clashes}"


def test_the_readme_ports_are_published(compose: dict, env: dict[str, str]) -> None:
    expected = {
        "grafana": (3030, 3000),
        "prometheus": (9090, 9090),
        "alertmanager": (9093, 9093),
        "node-exporter": (9100, 9100),
        "postgres-exporter": (9187, 9187),
        "jaeger": (16686, 16686),
        "kibana": (5601, 5601),
    }
    for name, (host, container) in expected.items():
        ports = [(h, c) for _, h, c in cf.published_ports(compose["services"][name], env)]
        assert (host, container) in ports, f"{name} publishes {ports}"


def test_ports_bind_to_loopback_unless_the_operator_chooses(compose: dict, env: dict[str, str]) -> None:
    assert env["BIND_ADDRESS"] == "127.0.0.1"
    for name, service in compose["services"].items():
        for address, host, _ in cf.published_ports(service, env):
            assert address == "127.0.0.1", f"{name} publishes {host} on {address}"
        for entry in service.get("ports", []):
            assert str(entry).startswith("${BIND_ADDRESS:-127.0.0.1}:"), f"{name}: {entry}"


def _targets(prometheus_yml: dict) -> list[tuple[str, str]]:
    """(job, host) of every scrape target; a probe job's URLs count as targets too (they are fetched), and so
    do the names a DNS-discovered job looks up."""
    out = []
    for scrape in prometheus_yml["scrape_configs"]:
        for dns in scrape.get("dns_sd_configs", []):
            out += [(scrape["job_name"], name) for name in dns["names"]]
        for static in scrape.get("static_configs", []):
            for target in static["targets"]:
                host = urlsplit(target).hostname if "://" in target else target.rsplit(":", 1)[0]
                out.append((scrape["job_name"], host))
        for relabel in scrape.get("relabel_configs", []):
            if relabel.get("target_label") == "__address__" and "replacement" in relabel:
                out.append((scrape["job_name"], relabel["replacement"].rsplit(":", 1)[0]))
    return out


def test_every_prometheus_scrape_target_is_a_compose_service_or_listed_external(compose: dict) -> None:
    prometheus_yml = yaml.safe_load((cf.COMPOSE_DIR / "prometheus/prometheus.yml").read_text())
    services = compose["services"]
    unknown = [
        (job, host) for job, host in _targets(prometheus_yml) if host not in services and host not in EXTERNAL_TARGETS
    ]
    assert not unknown, f"targets that are neither compose services nor listed external: {unknown}"
    for job, host in _targets(prometheus_yml):
        if host in services:
            assert "monitoring" in services[host].get("networks", []), f"{host} ({job}) is not on the network"
    for host in ("alertmanager",):
        assert host in services
    # Each service listens where signals/jobs.py says (the container side of its published port).
    for j in jobs.SCRAPE_JOBS:
        if j.service in services:
            containers = [c for _, _, c in cf.published_ports(services[j.service], cf.env_example())]
            assert j.port in containers, f"{j.service} should listen on {j.port}, publishes {containers}"


def test_every_image_is_pinned(compose: dict, env: dict[str, str]) -> None:
    for name, service in compose["services"].items():
        image = cf.interpolate(service["image"], env)
        repository, _, tag = image.rpartition(":")
        assert repository and "/" not in tag, f"{name}: {image} has no tag"
        assert tag not in {"latest", "stable", "main", "master", "nightly"}, f"{name}: {image} floats"
        assert re.search(r"\d+\.\d+", tag), f"{name}: {image} is not a version"
    for dockerfile in ("exporters/solana/Dockerfile", "exporters/business/Dockerfile"):
        for line in (cf.ROOT / dockerfile).read_text().splitlines():
            if line.startswith("FROM "):
                assert re.search(r":\d+\.\d+\.\d+", line), f"{dockerfile}: {line}"


def test_optional_profile_jobs_name_a_service_of_that_profile_and_grafana_is_always_on(compose: dict) -> None:
    """A job discovered by DNS (signals.jobs.Job.profile) must name a service that runs only in that profile,
    or an absent always-on service would go silent instead of paging; Grafana, scraped statically, has none."""
    services = compose["services"]
    for j in jobs.SCRAPE_JOBS:
        if j.profile is not None:
            assert services[j.service].get("profiles") == [j.profile], f"{j.name}: {j.service} is not in {j.profile}"
    assert "profiles" not in services[jobs.GRAFANA.service] and jobs.GRAFANA.profile is None


def test_elasticsearch_exporter_takes_credentials_from_the_environment_only(compose: dict) -> None:
    """elasticsearch_exporter reads ES_USERNAME/ES_PASSWORD (main.go, v1.11.0): the URI carries no user info,
    and the password is the ELASTIC_PASSWORD of compose/.env, as for Elasticsearch, Logstash and Grafana."""
    exporter = compose["services"]["elasticsearch-exporter"]
    uris = [arg.split("=", 1)[1] for arg in exporter["command"] if arg.startswith("--es.uri=")]
    assert uris == ["http://elasticsearch:9200"]
    assert all(urlsplit(uri).username is None and urlsplit(uri).password is None for uri in uris)
    assert cf.variables(exporter["environment"]["ES_PASSWORD"]) == [("ELASTIC_PASSWORD", ":-")]
    assert cf.variables(exporter["environment"]["ES_USERNAME"]) == [("ELASTIC_USER", ":-")]
    assert (
        exporter["environment"]["ES_PASSWORD"]
        == compose["services"]["elasticsearch"]["environment"]["ELASTIC_PASSWORD"]
    )
    logstash_exporter = compose["services"]["logstash-exporter"]
    assert logstash_exporter["environment"]["LOGSTASH_URL"] == "http://logstash:9600"
    assert 9600 in [c for _, _, c in cf.published_ports(compose["services"]["logstash"], cf.env_example())]


def test_grafana_has_no_default_password(compose: dict, env: dict[str, str]) -> None:
    grafana_env = compose["services"]["grafana"]["environment"]
    value = grafana_env["GF_SECURITY_ADMIN_PASSWORD"]
    assert cf.variables(value) == [("GRAFANA_ADMIN_PASSWORD", ":?")], value
    without = {k: v for k, v in env.items() if k != "GRAFANA_ADMIN_PASSWORD"}
    with pytest.raises(ValueError, match="GRAFANA_ADMIN_PASSWORD"):
        cf.interpolate(value, without)
    with pytest.raises(ValueError):
        cf.interpolate(value, {**without, "GRAFANA_ADMIN_PASSWORD": ""})
    assert not any(k.startswith("GF_SECURITY_ADMIN_PASSWORD__") for k in grafana_env)
    assert "admin" not in cf.COMPOSE_FILE.read_text().split("GF_SECURITY_ADMIN_PASSWORD")[1].split("\n")[0]


def test_every_variable_is_in_env_example(compose: dict, env: dict[str, str]) -> None:
    used = {name for name, _ in cf.variables(cf.COMPOSE_FILE.read_text())}
    assert used - set(env) == set(), f"variables missing from compose/.env.example: {sorted(used - set(env))}"
    required = {name for name, op in cf.variables(cf.COMPOSE_FILE.read_text()) if op and "?" in op}
    assert {"GRAFANA_ADMIN_PASSWORD", "PROMETHEUS_PASSWORD"} <= required


def test_datasource_variables_reach_grafana(compose: dict) -> None:
    text = (cf.ROOT / "provisioning/datasources/datasources.yml").read_text()
    wanted = set(re.findall(r"\$\{?([A-Z_]+)\}?", text))
    assert wanted <= set(compose["services"]["grafana"]["environment"]), wanted


def test_every_long_running_service_has_a_health_check(compose: dict) -> None:
    for name, service in compose["services"].items():
        if name in ONE_SHOT:
            assert service.get("restart") == "no", name
            continue
        if name in NO_SHELL:
            assert service.get("healthcheck") == {"disable": True}, f"{name}: say so explicitly"
            assert any(j.service == name and j.exporter for j in jobs.SCRAPE_JOBS), f"{name}: nothing watches it"
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no health check"


def test_prometheus_health_check_sends_credentials_and_flags_match_the_issue(compose: dict) -> None:
    prometheus = compose["services"]["prometheus"]
    assert "Authorization: Basic" in prometheus["healthcheck"]["test"][1]
    assert "/etc/prometheus/secrets/prometheus_password" in prometheus["healthcheck"]["test"][1]
    flags = set(prometheus["command"])
    assert {
        "--storage.tsdb.retention.time=30d",
        "--storage.tsdb.retention.size=50GB",
        "--web.config.file=/etc/prometheus/secrets/web.yml",
        "--web.enable-admin-api",
    } <= flags


def _needs(compose: dict, name: str) -> set[str]:
    out = set()
    for dep in compose["services"][name].get("depends_on", {}):
        out |= {dep} | _needs(compose, dep)
    return out


def test_profiles_basic_stack_alone_and_full_stack_by_default(compose: dict, env: dict[str, str]) -> None:
    services = compose["services"]
    basic = set(BASIC_STACK).union(*(_needs(compose, s) for s in BASIC_STACK))
    for name in basic:
        assert "profiles" not in services[name], f"{name} is needed by the basic stack but sits in a profile"
    enabled = set(env["COMPOSE_PROFILES"].split(","))
    assert not enabled & set(OPT_IN_PROFILES), "an opt-in profile is on by default"
    for name, service in services.items():
        if name not in basic:
            assert service.get("profiles"), f"{name} would start with the basic stack"
            if set(service["profiles"]) & set(OPT_IN_PROFILES):
                continue
            assert set(service["profiles"]) <= enabled, f"{name} is not started by `docker compose up -d`"
    assert basic == {"prometheus", "grafana", "alertmanager", "secrets-init"}


def test_one_dedicated_network_and_named_volumes(compose: dict) -> None:
    assert compose["networks"]["monitoring"]["name"] == "anonymeme-monitoring"
    declared = set(compose["volumes"])
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = str(volume).split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses undeclared volume {source}"
        if name != "secrets-init":
            assert service.get("networks") == ["monitoring"], name
    for data in ("prometheus-data", "grafana-data", "alertmanager-data", "elasticsearch-data"):
        assert data in declared


def test_scale_out_profile_is_the_store_and_its_evaluator_fed_by_the_generated_config(
    compose: dict, env: dict[str, str]
) -> None:
    """The profile's services, and the prometheus.yml that feeds them: remote-write to the compose service
    signals/remote_write.py names, on the port it listens on; vmalert reads and writes that store, notifies
    Alertmanager and mounts the rule files Prometheus evaluates."""
    services = compose["services"]
    in_profile = {name for name, s in services.items() if "scale-out" in s.get("profiles", [])}
    assert in_profile == {VICTORIA_METRICS.service, "vmalert"}
    setting, value = OPT_IN_PROFILES["scale-out"]
    assert env[setting] == "prometheus.yml"
    mounted = {t: s for s, t in cf.bind_mounts(services["prometheus"], {**env, setting: value})}
    assert mounted["/etc/prometheus/prometheus.yml"] == f"./prometheus/{value}"
    default = {t: s for s, t in cf.bind_mounts(services["prometheus"], env)}
    assert default["/etc/prometheus/prometheus.yml"] == "./prometheus/prometheus.yml"

    config = yaml.safe_load((cf.COMPOSE_DIR / "prometheus" / value).read_text())
    [remote] = config["remote_write"]
    url = urlsplit(remote["url"])
    assert (url.hostname, url.port, url.path) == (
        VICTORIA_METRICS.service,
        VICTORIA_METRICS.port,
        VICTORIA_METRICS.write_path,
    )
    store = services[VICTORIA_METRICS.service]
    assert VICTORIA_METRICS.port in [c for _, _, c in cf.published_ports(store, env)]
    assert f"-httpListenAddr=:{VICTORIA_METRICS.port}" in store["command"]
    plain = yaml.safe_load((cf.COMPOSE_DIR / "prometheus/prometheus.yml").read_text())
    assert "remote_write" not in plain
    assert {k: v for k, v in config.items() if k != "remote_write"} == plain

    vmalert = services["vmalert"]
    flags = dict(f.lstrip("-").split("=", 1) for f in vmalert["command"] if "=" in f)
    store_url = f"http://{VICTORIA_METRICS.target}"
    assert flags["datasource.url"] == flags["remoteWrite.url"] == flags["remoteRead.url"] == store_url
    assert flags["notifier.url"] == f"http://{jobs.ALERTMANAGER.target}"
    assert "-disableAlertgroupLabel" in vmalert["command"]
    assert flags["external.label"] == ",".join(f"{k}={v}" for k, v in config["global"]["external_labels"].items())
    rule_mounts = {s.removeprefix("./prometheus/") for s, _ in cf.bind_mounts(vmalert, env)}
    assert {rel.split("/")[0] for rel in config["rule_files"]} == rule_mounts
    assert set(vmalert["depends_on"]) == {VICTORIA_METRICS.service, "alertmanager"}
