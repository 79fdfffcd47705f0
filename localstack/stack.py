"""The native local stack: the real Debian Prometheus, Alertmanager and exporters, PostgreSQL, Redis and the
load generator, all on 127.0.0.1 and free ports, configured from the project's own files.

With `scale_out`, the scale-out path of docs/scaling.md runs too: the Debian VictoriaMetrics single node takes
Prometheus's remote-write (the `scale-out` profile's prometheus.yml, from signals/remote_write.py), and vmalert
evaluates the project's rule files against it, writes the recording rules' results back into it and sends its
alerts to the stack's Alertmanager.

`start()` returns a running `Stack` (the test fixture keeps it and calls `stop()`); the CLI's `up` writes
`state.json` in the state directory (pids, ports, paths) so that `down`, from another process, stops exactly the
process groups it started and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from alerting import prometheus_config
from atomicfile import write_text
from localstack import config, solana_rpc
from localstack.business_load import DATABASE, create_database
from localstack.postgres import PostgresCluster, start_postgres
from localstack.process import LOOPBACK, ManagedProcess, ServiceError, free_port, require_binary
from localstack.tls import write_self_signed

STATE_FILE = "state.json"
ROOT = Path(__file__).resolve().parents[1]
BINARIES = (
    "prometheus",
    "prometheus-alertmanager",
    "prometheus-node-exporter",
    "prometheus-blackbox-exporter",
    "prometheus-postgres-exporter",
    "prometheus-redis-exporter",
    "redis-server",
)
SCALE_OUT_BINARIES = ("victoria-metrics", "vmalert")
# What Prometheus adds to every series it remote-writes (and to its alerts): vmalert adds the same to what it
# records and fires, so the store's series and Alertmanager's alerts carry one label set whoever produced them.
EXTERNAL_LABELS = prometheus_config.EXTERNAL_LABELS


@dataclass
class Stack:
    state_dir: Path
    ports: config.Ports
    interval: str
    processes: list[ManagedProcess] = field(default_factory=list)
    postgres: PostgresCluster | None = None
    scale_out: bool = False
    ready_at: float | None = None  # epoch seconds when `wait_until_ready` returned: every series exists by then

    @property
    def prometheus_url(self) -> str:
        return f"http://{LOOPBACK}:{self.ports.prometheus}"

    @property
    def victoriametrics_url(self) -> str:
        """VictoriaMetrics' Prometheus query API (single node: at the root of its port)."""
        return f"http://{LOOPBACK}:{self.ports.victoriametrics}"

    @property
    def vmalert_url(self) -> str:
        return f"http://{LOOPBACK}:{self.ports.vmalert}"

    def state(self) -> dict:
        pids: dict[str, int] = {}
        if self.postgres and self.postgres.process.pid:
            pids["postgres"] = self.postgres.process.pid  # first: `down` stops in reverse, PostgreSQL last
        pids.update({p.name: p.pid for p in self.processes if p.pid})
        return {
            "pids": pids,
            "ports": asdict(self.ports),
            "interval": self.interval,
            "prometheus_url": self.prometheus_url,
            "victoriametrics_url": self.victoriametrics_url if self.scale_out else None,
            "postgres_root": str(self.postgres.root) if self.postgres else None,
        }

    def stop(self) -> None:
        """Stop every process group, the newest first, then PostgreSQL (and its temporary cluster)."""
        for p in reversed(self.processes):
            p.stop()
        self.processes.clear()
        if self.postgres:
            self.postgres.stop()
            self.postgres = None


def _free_ports() -> config.Ports:
    names = [f for f in config.Ports.__dataclass_fields__]
    chosen: set[int] = set()
    values = {}
    for name in names:
        port = free_port()
        while port in chosen:
            port = free_port()
        chosen.add(port)
        values[name] = port
    return config.Ports(**values)


def check_binaries(scale_out: bool = False) -> None:
    """Fail before starting anything when a Debian binary is missing (naming it and `make system-deps`)."""
    for name in BINARIES + (SCALE_OUT_BINARIES if scale_out else ()):
        require_binary(name)


def vmalert_argv(ports: config.Ports, rule_files: list[Path], interval: str) -> list[str]:
    """vmalert 1.79.5 (`vmalert -help`) on the stack's rule files: reads VictoriaMetrics, writes recording
    results (and alert state) back into it, notifies the stack's Alertmanager.

    -disableAlertgroupLabel: without it vmalert adds `alertgroup` to every recorded series and alert, which
    Prometheus does not, so the same rule would give different label sets from the two evaluators.
    -external.label: the labels Prometheus's remote-write and alerts carry (prometheus.yml external_labels).
    """
    vm = f"http://{LOOPBACK}:{ports.victoriametrics}"
    argv = ["vmalert", *(f"-rule={path}" for path in rule_files)]
    argv += [
        f"-datasource.url={vm}",
        f"-remoteWrite.url={vm}",
        f"-remoteRead.url={vm}",
        f"-notifier.url=http://{LOOPBACK}:{ports.alertmanager}",
        f"-httpListenAddr={LOOPBACK}:{ports.vmalert}",
        f"-evaluationInterval={interval}",
        "-remoteWrite.flushInterval=1s",
        "-disableAlertgroupLabel",
    ]
    argv += [f"-external.label={name}={value}" for name, value in EXTERNAL_LABELS.items()]
    return argv


def victoriametrics_argv(ports: config.Ports, data_dir: Path) -> list[str]:
    """The Debian victoria-metrics single node on loopback, data in the state directory.

    -search.latencyOffset=1s: by default (30s) the newest 30 s are hidden from queries, which on a stack a
    minute old is half its data; Prometheus's remote-write sends every second here (batch_send_deadline 5s at
    most), so 1 s is what the stack needs. -search.disableCache: the range-query cache holds results of data
    still arriving; the comparison with Prometheus must read the samples themselves.
    """
    return [
        "victoria-metrics",
        f"-httpListenAddr={LOOPBACK}:{ports.victoriametrics}",
        f"-storageDataPath={data_dir}",
        "-retentionPeriod=1d",
        "-search.latencyOffset=1s",
        "-search.disableCache",
    ]


@dataclass(frozen=True)
class Service:
    """One process of the stack: how to start it and when it counts as up (an HTTP URL, or a TCP port)."""

    name: str
    argv: tuple[str, ...]
    ready: str | int
    env: dict[str, str] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Database:
    """What the services that read PostgreSQL need of the throwaway cluster."""

    dsn: str  # the superuser, password included (the exporter's DATA_SOURCE_NAME)
    port: int
    platform_dsn: str  # the platform database the load generator writes
    password_file: Path  # the business collector reads its password from a file, as in compose


def write_config(state_dir: Path, conf: Path, ports: config.Ports, interval: str, scale_out: bool) -> None:
    """Every configuration file, before any process exists: a rendering error stops the start here."""
    secrets = conf / "alertmanager-secrets"
    for name, content in config.secret_files(ports).items():
        write_text(secrets / name, content, mode=0o600)
    write_text(conf / "prometheus.yml", config.prometheus_yml(ports, str(conf), interval, scale_out))
    for rel, content in config.rule_files(interval).items():
        write_text(conf / rel, content)
    if scale_out:
        for rel, content in config.vmalert_rule_files(interval).items():
            write_text(conf / "vmalert" / rel, content)
    write_text(conf / "alertmanager.yml", config.alertmanager_yml(ports, str(secrets)))
    write_text(conf / "blackbox.yml", config.blackbox_yml())
    for d in ("prometheus-data", "alertmanager-data", "redis-data", "victoriametrics-data"):
        shutil.rmtree(state_dir / d, ignore_errors=True)
        (state_dir / d).mkdir()


def services(
    state_dir: Path, ports: config.Ports, interval: str, scale_out: bool, db: Database, cert: Path, key: Path
) -> tuple[Service, ...]:
    """Pure: every process after PostgreSQL, in start order (what a service reads starts before it; the store
    before Prometheus, so its first remote-write finds it)."""
    conf, url = state_dir / "config", f"http://{LOOPBACK}"
    python_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    loadgen = [sys.executable, "-m", "localstack.loadgen", "--tls-port", str(ports.tls), "--cert", str(cert)]
    loadgen += ["--key", str(key), "--database-url-env", "LOADGEN_DATABASE_URL"]
    loadgen += ["--solana-rpc-port", str(ports.solana_rpc)]
    for job, port in ports.loadgen().items():
        loadgen += ["--port", f"{job}={port}"]
    solana_env = {
        "SOLANA_RPC_URL": f"{url}:{ports.solana_rpc}",
        "CONTRACT_ADDRESS": solana_rpc.PROGRAM_ADDRESS,
        "POLL_INTERVAL_SECONDS": "1",
        "SOLANA_ACCOUNTS": ",".join(f"{n}={a}" for n, a in solana_rpc.ACCOUNTS.items()),
        "RPC_MAX_RPS": "100",
        "LISTEN_ADDRESS": LOOPBACK,
        "LISTEN_PORT": str(ports.solana),
    }
    business_env = {
        "DATABASE_URL": f"postgresql://postgres@{LOOPBACK}:{db.port}/{DATABASE}",
        "DATABASE_PASSWORD_FILE": str(db.password_file),
        "REFRESH_INTERVAL_SECONDS": "1",
        "LISTEN_ADDRESS": LOOPBACK,
        "LISTEN_PORT": str(ports.business),
    }
    redis = ["redis-server", "--bind", LOOPBACK, "--port", str(ports.redis), "--save", "", "--appendonly", "no"]
    redis += ["--protected-mode", "yes", "--dir", str(state_dir / "redis-data")]
    out = [
        Service("redis", tuple(redis), ports.redis),
        Service(
            "loadgen",
            tuple(loadgen),
            f"{url}:{ports.api}/health",
            {**python_env, "LOADGEN_DATABASE_URL": db.platform_dsn},
        ),
        Service(
            "solana-exporter",
            (sys.executable, "-m", "exporters.solana"),
            f"{url}:{ports.solana}/metrics",
            {**python_env, **solana_env},
        ),
        Service(
            "business-collector",
            (sys.executable, "-m", "exporters.business"),
            f"{url}:{ports.business}/health",
            {**python_env, **business_env},
        ),
        Service(
            "node-exporter",
            ("prometheus-node-exporter", f"--web.listen-address={LOOPBACK}:{ports.node}"),
            f"{url}:{ports.node}/metrics",
        ),
        Service(
            "postgres-exporter",
            ("prometheus-postgres-exporter", f"--web.listen-address={LOOPBACK}:{ports.postgres_exporter}"),
            f"{url}:{ports.postgres_exporter}/",
            {"DATA_SOURCE_NAME": db.dsn + "?sslmode=disable", "PATH": os.environ["PATH"]},
        ),
        Service(
            "redis-exporter",
            (
                "prometheus-redis-exporter",
                f"--redis.addr=redis://{LOOPBACK}:{ports.redis}",
                f"--web.listen-address={LOOPBACK}:{ports.redis_exporter}",
            ),
            f"{url}:{ports.redis_exporter}/health",
        ),
        Service(
            "blackbox-exporter",
            (
                "prometheus-blackbox-exporter",
                f"--config.file={conf / 'blackbox.yml'}",
                f"--web.listen-address={LOOPBACK}:{ports.blackbox}",
            ),
            f"{url}:{ports.blackbox}/-/healthy",
        ),
        Service(
            "alertmanager",
            (
                "prometheus-alertmanager",
                f"--config.file={conf / 'alertmanager.yml'}",
                f"--storage.path={state_dir / 'alertmanager-data'}",
                f"--web.listen-address={LOOPBACK}:{ports.alertmanager}",
                f"--cluster.listen-address={LOOPBACK}:{ports.alertmanager_cluster}",
            ),
            f"{url}:{ports.alertmanager}/-/ready",
        ),
    ]
    if scale_out:
        data = state_dir / "victoriametrics-data"
        out.append(
            Service(
                "victoriametrics", tuple(victoriametrics_argv(ports, data)), f"{url}:{ports.victoriametrics}/health"
            )
        )
    prometheus = (
        "prometheus",
        f"--config.file={conf / 'prometheus.yml'}",
        f"--storage.tsdb.path={state_dir / 'prometheus-data'}",
        f"--web.listen-address={LOOPBACK}:{ports.prometheus}",
    )
    out.append(Service("prometheus", prometheus, f"{url}:{ports.prometheus}/-/ready"))
    if scale_out:
        rules = [conf / "vmalert" / path for path in config.RULE_FILES.values()]
        out.append(Service("vmalert", tuple(vmalert_argv(ports, rules, interval)), f"{url}:{ports.vmalert}/health"))
    return tuple(out)


def start(state_dir: Path, interval: str = "1s", timeout: float = 60.0, scale_out: bool = False) -> Stack:
    """Start everything and wait until each service answers; on any failure stop what was started.

    Configuration first, then PostgreSQL (the services' credentials come from it), then `services()` in order."""
    check_binaries(scale_out)
    state_dir.mkdir(parents=True, exist_ok=True)
    logs, conf = state_dir / "logs", state_dir / "config"
    ports = _free_ports()
    stack = Stack(state_dir, ports, interval, scale_out=scale_out)
    write_config(state_dir, conf, ports, interval, scale_out)
    try:
        stack.postgres = start_postgres(timeout=timeout)
        create_database(stack.postgres.dsn)
        cert, key = conf / "tls" / "cert.pem", conf / "tls" / "key.pem"
        write_self_signed(cert, key)
        password_file = conf / "business-db-password"
        write_text(password_file, stack.postgres.password + "\n", mode=0o600)
        db = Database(
            stack.postgres.dsn,
            stack.postgres.port,
            stack.postgres.dsn_for(DATABASE) + "?sslmode=disable",
            password_file,
        )
        for service in services(state_dir, ports, interval, scale_out, db, cert, key):
            process = ManagedProcess(service.name, list(service.argv), logs / f"{service.name}.log", env=service.env)
            stack.processes.append(process.start())
            if isinstance(service.ready, int):
                process.wait_for_port(service.ready, timeout)
            else:
                process.wait_for_http(service.ready, timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def api(prometheus_url: str, path: str, **params: str) -> dict:
    """GET a Prometheus HTTP API endpoint; the `data` of a successful answer."""
    query = urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(f"{prometheus_url}{path}?{query}", timeout=10) as r:  # noqa: S310 (loopback)
            body = json.load(r)
    except urllib.error.HTTPError as e:  # Prometheus explains a 400/422 in the JSON body
        try:
            body = json.load(e)
        except ValueError:
            raise ServiceError(f"{path}: HTTP {e.code}") from None
    if body.get("status") != "success":
        raise ServiceError(f"{path}: {body.get('errorType')}: {body.get('error')}")
    return body["data"]


def wait_until_ready(stack: Stack, scrapes: int = 3, timeout: float = 60.0) -> None:
    """Wait until every target is up with `scrapes` samples (so rate() has points), then until every rule
    group has been evaluated once more after that (so recording rules see those samples)."""
    deadline = time.monotonic() + timeout
    problems = ["nothing checked yet"]
    scraped_at: float | None = None
    while time.monotonic() < deadline:
        problems = []
        targets = api(stack.prometheus_url, "/api/v1/targets", state="active")["activeTargets"]
        problems += [
            f"target {t['labels'].get('job')} {t['health']}: {t.get('lastError')}"
            for t in targets
            if t["health"] != "up"
        ]
        if not targets:
            problems.append("no targets yet")
        if scraped_at is None and not problems:
            result = api(stack.prometheus_url, "/api/v1/query", query="min(count_over_time(up[10m]))")["result"]
            if result and float(result[0]["value"][1]) >= scrapes:
                scraped_at = time.time()
            else:
                problems.append(f"targets scraped fewer than {scrapes} times")
        if scraped_at is not None and not problems:
            groups = api(stack.prometheus_url, "/api/v1/rules")["groups"]
            stale = [g["name"] for g in groups if _timestamp(g.get("lastEvaluation", "")) <= scraped_at]
            if not stale:
                stack.ready_at = time.time()
                return
            problems.append(f"rule groups not evaluated since the targets were ready: {stale}")
        time.sleep(0.2)
    raise ServiceError(f"stack not ready within {timeout:g}s: " + "; ".join(problems))


def _timestamp(rfc3339: str) -> float:
    """Seconds since the epoch of Prometheus's RFC 3339 timestamps (nanosecond fractions, 'Z'); 0 if none."""
    text = re.sub(r"\.(\d{6})\d*", r".\1", rfc3339).replace("Z", "+00:00")
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return 0.0


# --- the CLI's edge: state on disk, so `down` works from another process --------------------------------------


def save_state(stack: Stack) -> None:
    write_text(stack.state_dir / STATE_FILE, json.dumps(stack.state(), indent=2) + "\n")


def load_state(state_dir: Path) -> dict | None:
    try:
        return json.loads((state_dir / STATE_FILE).read_text())
    except FileNotFoundError:
        return None
    except (OSError, json.JSONDecodeError) as e:
        raise ServiceError(f"{state_dir / STATE_FILE}: unreadable state ({e})") from None


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def group_alive(pgid: int) -> bool:
    """True while any process of the group exists (not counting zombies)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (FileNotFoundError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[2]) == pgid:
                return True
    return False


def stop_recorded(state_dir: Path, timeout: float = 15.0) -> list[str]:
    """Stop the process groups recorded by `up` (each is its own group); returns the names stopped."""
    state = load_state(state_dir)
    if state is None:
        return []
    stopped = []
    for name, pid in reversed(list(state["pids"].items())):
        if not group_alive(pid):
            continue
        sig = signal.SIGINT if name == "postgres" else signal.SIGTERM
        deadline = time.monotonic() + timeout
        for s in (sig, signal.SIGKILL):
            try:
                os.killpg(pid, s)
            except ProcessLookupError:
                break
            while time.monotonic() < deadline and group_alive(pid):
                time.sleep(0.05)
            if not group_alive(pid):
                break
            deadline = time.monotonic() + timeout
        stopped.append(name)
    if state.get("postgres_root"):
        shutil.rmtree(state["postgres_root"], ignore_errors=True)
    (state_dir / STATE_FILE).unlink(missing_ok=True)
    return stopped


def running(state_dir: Path) -> dict[str, bool]:
    state = load_state(state_dir) or {"pids": {}}
    return {name: group_alive(pid) for name, pid in state["pids"].items()}
