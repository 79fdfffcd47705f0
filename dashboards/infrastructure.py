"""Infrastructure: hosts (node-exporter), containers (cAdvisor), PostgreSQL, Redis and external probes."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard, instance_variable
from panels import bargauge, prom, query_variable, row, stat, table, timeseries
from panels.groups import use
from signals.slo import CACHE_HIT_RATIO, CERT_EXPIRY_DAYS, POSTGRES_CONNECTIONS_USED, RESOURCE_UTILISATION

UID = "anonymeme-infrastructure"
HOST = 'instance=~"$instance"'
DB = 'datname=~"$datname"'
NIC = HOST + ', device!="lo"'


def _rate(metric: str, selector: str) -> str:
    return f"rate({metric}{{{selector}}}[$__rate_interval])"


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="Infrastructure",
        tags=("infrastructure",),
        description="Hosts, containers, PostgreSQL, Redis and the external endpoints the platform depends on.",
        variables=[
            instance_variable(),
            query_variable(
                "datname", 'label_values(pg_database_size_bytes{datname!~"template.*"}, datname)', "Database"
            ),
            query_variable("probe", "label_values(probe_success, instance)", "Endpoint"),
        ],
        panels=[
            row(
                "Hosts: CPU and memory",
                [
                    *use("cpu", HOST),
                    *use("memory", HOST),
                    timeseries(
                        "Swap used",
                        prom(
                            f"node_memory_SwapTotal_bytes{{{HOST}}} - node_memory_SwapFree_bytes{{{HOST}}}",
                            "{{instance}}",
                        ),
                        unit="bytes",
                        w=12,
                        description="Swap space in use per host.",
                    ),
                    timeseries(
                        "Swap activity",
                        [
                            prom(_rate("node_vmstat_pswpin", HOST), "in {{instance}}"),
                            prom(_rate("node_vmstat_pswpout", HOST), "out {{instance}}"),
                        ],
                        unit="ops",
                        w=12,
                        description="Pages swapped in and out per second.",
                    ),
                ],
            ),
            row(
                "Hosts: disks",
                [
                    *use("disk", HOST),
                    timeseries(
                        "Disk I/O",
                        [
                            prom(
                                f"sum by (instance, device) ({_rate('node_disk_read_bytes_total', HOST)})",
                                "read {{instance}} {{device}}",
                            ),
                            prom(
                                f"sum by (instance, device) ({_rate('node_disk_written_bytes_total', HOST)})",
                                "write {{instance}} {{device}}",
                            ),
                        ],
                        unit="Bps",
                        description="Bytes read and written per second per device.",
                    ),
                    bargauge(
                        "Filesystem usage",
                        prom(
                            f"instance_mountpoint:node_filesystem_utilisation:ratio{{{HOST}}}",
                            "{{instance}} {{mountpoint}}",
                        ),
                        unit="percentunit",
                        threshold=RESOURCE_UTILISATION,
                        max_=1,
                        description="Share of each filesystem in use; colours follow the disk alert thresholds.",
                    ),
                ],
            ),
            row(
                "Hosts: network",
                [
                    *use("network", HOST),
                    timeseries(
                        "Network traffic",
                        [
                            prom(
                                f"sum by (instance) ({_rate('node_network_receive_bytes_total', NIC)})",
                                "in {{instance}}",
                            ),
                            prom(
                                f"sum by (instance) ({_rate('node_network_transmit_bytes_total', NIC)})",
                                "out {{instance}}",
                            ),
                        ],
                        unit="Bps",
                        w=24,
                        description="Bytes received and sent per second, loopback excluded.",
                    ),
                ],
            ),
            row(
                "Containers",
                [
                    timeseries(
                        "Container CPU",
                        prom("name:container_cpu_usage_seconds:rate5m", "{{name}}"),
                        unit="short",
                        description="CPU cores used by each container (cAdvisor).",
                    ),
                    timeseries(
                        "Container memory",
                        prom("name:container_memory_working_set_bytes:sum", "{{name}}"),
                        unit="bytes",
                        description="Working-set memory of each container (cAdvisor).",
                    ),
                ],
            ),
            row(
                "PostgreSQL",
                [
                    stat(
                        "Connections used",
                        prom(
                            "max(sum by (instance) (pg_stat_activity_count) / max by (instance) "
                            "(pg_settings_max_connections))"
                        ),
                        unit="percentunit",
                        threshold=POSTGRES_CONNECTIONS_USED,
                        w=6,
                        h=8,
                        description="Client connections as a share of max_connections, on the busiest server "
                        "(the alert watches each server).",
                    ),
                    timeseries(
                        "Connections by state",
                        prom(f"sum by (state) (pg_stat_activity_count{{{DB}}})", "{{state}}"),
                        unit="short",
                        stack=True,
                        w=9,
                        description="Backends per connection state.",
                    ),
                    timeseries(
                        "Transactions",
                        prom(
                            f"sum by (datname) ({_rate('pg_stat_database_xact_commit', DB)}"
                            f" + {_rate('pg_stat_database_xact_rollback', DB)})",
                            "{{datname}}",
                        ),
                        unit="ops",
                        w=9,
                        description="Commits plus rollbacks per second per database.",
                    ),
                    timeseries(
                        "Cache hit ratio",
                        prom(
                            f"sum by (datname) ({_rate('pg_stat_database_blks_hit', DB)}) / (sum by (datname) "
                            f"({_rate('pg_stat_database_blks_hit', DB)}) + sum by (datname) "
                            f"({_rate('pg_stat_database_blks_read', DB)}))",
                            "{{datname}}",
                        ),
                        unit="percentunit",
                        threshold=CACHE_HIT_RATIO,
                        w=8,
                        description="Share of block reads served from shared buffers.",
                    ),
                    timeseries(
                        "Deadlocks",
                        prom(
                            f"sum by (datname) (increase(pg_stat_database_deadlocks{{{DB}}}[$__rate_interval]))",
                            "{{datname}}",
                        ),
                        unit="short",
                        w=8,
                        description="Deadlocks detected per interval.",
                    ),
                    timeseries(
                        "Database size",
                        prom(f"pg_database_size_bytes{{{DB}}}", "{{datname}}"),
                        unit="bytes",
                        w=8,
                        description="On-disk size of each database.",
                    ),
                ],
            ),
            row(
                "Redis",
                [
                    timeseries(
                        "Cache hit rate",
                        prom(
                            "sum(rate(redis_keyspace_hits_total[$__rate_interval])) / "
                            "(sum(rate(redis_keyspace_hits_total[$__rate_interval])) + "
                            "sum(rate(redis_keyspace_misses_total[$__rate_interval])))",
                            "hit rate",
                        ),
                        unit="percentunit",
                        threshold=CACHE_HIT_RATIO,
                        w=6,
                        description="Share of key lookups that found the key.",
                    ),
                    timeseries(
                        "Memory",
                        [
                            prom("sum by (instance) (redis_memory_used_bytes)", "used {{instance}}"),
                            prom("sum by (instance) (redis_memory_max_bytes)", "max {{instance}}"),
                        ],
                        unit="bytes",
                        w=6,
                        description="Memory used, and maxmemory (0 means unlimited).",
                    ),
                    timeseries(
                        "Clients",
                        prom("sum by (instance) (redis_connected_clients)", "{{instance}}"),
                        unit="short",
                        w=6,
                        description="Connected clients.",
                    ),
                    timeseries(
                        "Evictions",
                        prom("sum by (instance) (rate(redis_evicted_keys_total[$__rate_interval]))", "{{instance}}"),
                        unit="ops",
                        w=6,
                        description="Keys evicted per second because of maxmemory.",
                    ),
                ],
            ),
            row(
                "External probes",
                [
                    table(
                        "Probe status",
                        [
                            prom('probe_success{instance=~"$probe"}', instant=True, table=True),
                            prom('probe_duration_seconds{instance=~"$probe"}', instant=True, table=True),
                        ],
                        unit="short",
                        hide_columns=("Time", "__name__"),
                        rename={"Value #A": "up", "Value #B": "duration (s)"},
                        w=8,
                        description="Whether each external endpoint answered its last probe, and how fast.",
                    ),
                    timeseries(
                        "Probe duration",
                        prom('probe_duration_seconds{instance=~"$probe"}', "{{instance}}"),
                        unit="s",
                        w=8,
                        description="Time each blackbox probe took.",
                    ),
                    bargauge(
                        "TLS certificate expiry",
                        prom('probe_ssl_earliest_cert_expiry{instance=~"$probe"} - time()', "{{instance}}"),
                        unit="dtdurations",
                        threshold=CERT_EXPIRY_DAYS,
                        scale=86400,
                        w=8,
                        description="Time until the earliest certificate in each chain expires; colours follow "
                        "the certificate alerts (14 days warning, 3 days critical).",
                    ),
                ],
            ),
        ],
    )
