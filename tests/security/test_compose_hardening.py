"""The compose stack's security settings, checked without Docker: Grafana hardened, TLS in the production
override, exporters unpublished in production, every image pinned, and the override valid against the
compose specification (check-jsonschema's vendored schema).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import bcrypt
import pytest
import yaml

from .certs import write_ca_and_server_cert
from .compose_prod import BASE, COMPOSE_DIR, EXPORTERS, PROD, load, merged, plain
from .conftest import binary

REQUIRED_VARIABLE = re.compile(r"^\$\{[A-Z_]+:\?[^}]+\}$")
PINNED_IMAGE = re.compile(r"^[\w./-]+:(v?\d+(\.\d+)+[\w.-]*|\$\{[A-Z_]+:-v?\d+(\.\d+)+\})$")


@pytest.fixture(scope="module")
def prod() -> dict:
    assert BASE.is_file(), f"{BASE} is missing"
    return merged()


def test_base_grafana_has_no_anonymous_access_no_sign_up_and_a_required_admin_password() -> None:
    env = load(BASE)["services"]["grafana"]["environment"]
    assert env["GF_AUTH_ANONYMOUS_ENABLED"] == "false"
    assert env["GF_USERS_ALLOW_SIGN_UP"] == "false"
    assert REQUIRED_VARIABLE.match(env["GF_SECURITY_ADMIN_PASSWORD"]), env["GF_SECURITY_ADMIN_PASSWORD"]


def test_production_grafana_is_hardened_and_logs_every_request(prod: dict) -> None:
    grafana = prod["services"]["grafana"]
    env = grafana["environment"]
    expected = {
        "GF_AUTH_ANONYMOUS_ENABLED": "false",
        "GF_USERS_ALLOW_SIGN_UP": "false",
        "GF_SECURITY_COOKIE_SECURE": "true",
        "GF_SERVER_ROUTER_LOGGING": "true",
        "GF_SERVER_PROTOCOL": "https",
        "GF_SNAPSHOTS_EXTERNAL_ENABLED": "false",
    }
    assert {k: env.get(k) for k in expected} == expected
    assert REQUIRED_VARIABLE.match(env["GF_SECURITY_ADMIN_PASSWORD"])
    assert any(
        v.endswith(":/etc/grafana/tls:ro") and REQUIRED_VARIABLE.match(v.split(":/etc")[0]) for v in grafana["volumes"]
    )
    assert "https://localhost:3000/" in " ".join(grafana["healthcheck"]["test"])


def test_production_prometheus_serves_tls_from_the_joined_web_config(prod: dict) -> None:
    prometheus = prod["services"]["prometheus"]
    assert "--web.config.file=/etc/prometheus/secrets/web-tls.yml" in prometheus["command"]
    assert prometheus["depends_on"]["prometheus-web-tls"]["condition"] == "service_completed_successfully"
    assert "https://localhost:9090/" in prometheus["healthcheck"]["test"][1]
    template = yaml.safe_load((COMPOSE_DIR / "prometheus-tls" / "web-tls.yml").read_text())
    tls = template["tls_server_config"]
    mounted = [v for v in prometheus["volumes"] if v.endswith(":/etc/prometheus/tls:ro")]
    assert (
        mounted
        and tls["cert_file"].startswith("/etc/prometheus/tls/")
        and tls["key_file"].startswith("/etc/prometheus/tls/")
    )


def test_production_publishes_only_grafana_and_prometheus(prod: dict) -> None:
    published = sorted(name for name, service in prod["services"].items() if service.get("ports"))
    assert published == ["grafana", "prometheus"]


def test_production_publishes_no_exporter_port(prod: dict) -> None:
    services = prod["services"]
    published = {name: services[name].get("ports") for name in (*EXPORTERS, "alertmanager") if name in services}
    assert set(published) == {*EXPORTERS, "alertmanager"}
    assert all(not ports for ports in published.values()), published
    assert all(services[name].get("expose") for name in EXPORTERS)
    assert all(services[name]["networks"] == ["monitoring"] for name in EXPORTERS)


def test_every_image_is_pinned_to_an_exact_version() -> None:
    for path in (BASE, PROD):
        for name, service in load(path)["services"].items():
            image = service.get("image")
            if image is not None:
                assert PINNED_IMAGE.match(image) and "latest" not in image, f"{path.name}: {name}: {image}"


def test_the_override_is_valid_compose(tmp_path: Path) -> None:
    as_json = tmp_path / "docker-compose.prod.json"
    as_json.write_text(json.dumps(plain(load(PROD))))
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(as_json)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_write_web_tls_joins_template_and_hash_into_a_config_promtool_accepts(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    hashed = bcrypt.hashpw(b"join-Secret-1a2b", bcrypt.gensalt(rounds=10)).decode()
    (secrets / "web.yml").write_text(f"basic_auth_users:\n  admin: '{hashed}'\n")
    tls = write_ca_and_server_cert(tmp_path / "tls")
    template = tmp_path / "web-tls.yml"
    template.write_text(
        (COMPOSE_DIR / "prometheus-tls" / "web-tls.yml")
        .read_text()
        .replace("/etc/prometheus/tls/prometheus.crt", str(tls.server_cert))
        .replace("/etc/prometheus/tls/prometheus.key", str(tls.server_key))
    )
    script = COMPOSE_DIR / "prometheus-tls" / "write-web-tls.sh"
    env = {
        "PATH": "/usr/bin:/bin",
        "PROM_SECRETS_DIR": str(secrets),
        "WEB_TLS_TEMPLATE": str(template),
        "SECRETS_OWNER": "0:0",
    }
    result = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "join-Secret-1a2b" not in result.stdout + result.stderr and hashed not in result.stdout + result.stderr
    joined = secrets / "web-tls.yml"
    assert oct(joined.stat().st_mode & 0o777) == "0o600"
    config = yaml.safe_load(joined.read_text())
    assert config["basic_auth_users"] == {"admin": hashed} and config["tls_server_config"]["min_version"] == "TLS12"
    checked = subprocess.run(
        [binary("promtool"), "check", "web-config", str(joined)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Without secrets-init's web.yml it refuses, in one line, and writes nothing.
    (secrets / "web.yml").unlink()
    joined.unlink()
    missing = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, timeout=30)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and not joined.exists()


def test_shell_scripts_pass_shellcheck() -> None:
    scripts = [
        COMPOSE_DIR / "prometheus-tls" / "write-web-tls.sh",
        Path(__file__).resolve().parents[2] / "scripts" / "lock-requirements.sh",
    ]
    result = subprocess.run([binary("shellcheck"), *map(str, scripts)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout


def test_grafana_reaches_prometheus_with_basic_auth_from_variables_only() -> None:
    """Grafana's datasources hold credentials only as `$VARIABLE` references in secureJsonData, which Grafana
    expands from its environment, and the compose file feeds those from required .env variables."""
    root = COMPOSE_DIR.parent
    datasources = yaml.safe_load((root / "provisioning" / "datasources" / "datasources.yml").read_text())
    by_name = {d["name"]: d for d in datasources["datasources"]}
    prometheus = by_name["Prometheus"]
    assert prometheus["basicAuth"] is True and prometheus["basicAuthUser"] == "$PROMETHEUS_USER"
    assert prometheus["secureJsonData"] == {"basicAuthPassword": "$PROMETHEUS_PASSWORD"}
    for ds in datasources["datasources"]:
        for value in (ds.get("secureJsonData") or {}).values():
            assert re.fullmatch(r"\$[A-Z_]+", value), f"{ds['name']}: a literal secret in provisioning"
        assert not {k for k in ds.get("jsonData", {}) if "password" in k.lower() or "secret" in k.lower()}
    env = load(BASE)["services"]["grafana"]["environment"]
    assert REQUIRED_VARIABLE.match(env["PROMETHEUS_USER"]) and REQUIRED_VARIABLE.match(env["PROMETHEUS_PASSWORD"])


def test_prometheus_scrapes_itself_with_a_password_file() -> None:
    from alerting import prometheus_config

    jobs = {s["job_name"]: s for s in prometheus_config.render()["scrape_configs"]}
    auth = jobs["prometheus"]["basic_auth"]
    assert set(auth) == {"username", "password_file"} and auth["password_file"].startswith("/etc/prometheus/secrets/")


URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"']+", re.IGNORECASE)
VARIABLE = re.compile(r"\$\{([A-Z_]+)[^}]*\}")


def _password_in_url(text: str) -> bool:
    """Whether a URL in `text` has a password part once each `${VAR...}` stands for its name (a user name
    alone, as the business collector's DSN has, is not a secret)."""
    return any(urlsplit(url).password is not None for url in URL.findall(VARIABLE.sub(r"\1", text)))


def test_no_service_carries_credentials_in_a_url_or_a_literal_password() -> None:
    """Credentials reach services through `${VARIABLE}` from compose/.env (or a secrets file), never as
    `scheme://user:password@host` in a command or variable: argv is world-readable in /proc, and the base and
    production files are committed. The Elasticsearch exporter, for one, reads ES_USERNAME/ES_PASSWORD."""
    for path in (BASE, PROD):
        for name, service in load(path)["services"].items():
            texts = [str(v) for v in (service.get("command") or [])] if isinstance(service.get("command"), list) else []
            if isinstance(service.get("command"), str):
                texts.append(service["command"])
            environment = service.get("environment") or {}
            texts += [str(v) for v in environment.values()]
            for text in texts:
                assert not _password_in_url(text), f"{path.name}: {name}: credentials in a URL: {text}"
            for key, value in environment.items():
                if "PASSWORD" in key or "SECRET" in key or key.endswith("API_KEY"):
                    assert re.fullmatch(r"\$\{[A-Z_]+(:?[-?][^}]*)?\}", str(value)), f"{path.name}: {name}: {key}"
    exporter = load(BASE)["services"]["elasticsearch-exporter"]["environment"]
    assert exporter["ES_PASSWORD"] == "${ELASTIC_PASSWORD:-}"
