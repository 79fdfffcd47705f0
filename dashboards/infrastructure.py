"""Infrastructure: hosts (node-exporter), containers (cAdvisor), PostgreSQL, Redis and external probes."""

from __future__ import annotations

from grafanalib.core import Dashboard

from dashboards.common import dashboard, instance_variable, job_variable
from panels import bargauge, prom, query_variable, row, stat, table, timeseries
from panels.groups import use
from signals.slo import CERT_EXPIRY_DAYS, POSTGRES_CONNECTIONS_USED, RESOURCE_UTILISATION

UID = "anonymeme-infrastructure"
HOST = 'job=~"$job", instance=~"$instance"'  # node-exporter targets: $instance is chained to $job
DB = 'datname=~"$datname"'
NIC = HOST + ', device!="lo"'
CONTAINER = 'name=~"$container"'
REDIS = 'instance=~"$redis"'


def _rate(metric: str, selector: str) -> str:
    return f"rate({metric}{{{selector}}}[$__rate_interval])"


def build() -> Dashboard:
    return dashboard(
        uid=UID,
        title="Infrastructure",
        tags=("infrastructure",),
        description="Hosts, containers, PostgreSQL, Redis and the external endpoints the platform depends on.",
        variables=[
            job_variable("node_uname_info"),
            instance_variable("node_uname_info", job=True),
            query_variable("container", "label_values(name:container_memory_working_set_bytes:sum, name)", "Container"),
            query_variable("redis", "label_values(redis_up, instance)", "Redis"),
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
                collapsed=True,
                panels=[
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
                        runbook="disk-space",
                        threshold=RESOURCE_UTILISATION,
                        max_=1,
                        description="Share of each filesystem in use; colours follow the disk alert thresholds.",
                    ),
                ],
            ),
            row(
                "Hosts: network",
                collapsed=True,
                panels=[
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
                collapsed=True,
                panels=[
                    timeseries(
                        "Container CPU",
                        prom(f"name:container_cpu_usage_seconds:rate5m{{{CONTAINER}}}", "{{name}}"),
                        unit="short",
                        description="CPU cores used by each container (cAdvisor).",
                    ),
                    timeseries(
                        "Container memory",
                        prom(f"name:container_memory_working_set_bytes:sum{{{CONTAINER}}}", "{{name}}"),
                        unit="bytes",
                        description="Working-set memory of each container (cAdvisor).",
                    ),
                    timeseries(
                        "Container CPU throttling",
                        prom(
                            f"sum by (name) ({_rate('container_cpu_cfs_throttled_periods_total', CONTAINER)}) / "
                            f"sum by (name) ({_rate('container_cpu_cfs_periods_total', CONTAINER)})",
                            "{{name}}",
                        ),
                        unit="percentunit",
                        runbook="high-cpu",
                        description="Share of CPU periods in which each container wanted more than its quota "
                        "(cAdvisor's CFS counters): the latency a CPU limit adds.",
                    ),
                ],
            ),
            row(
                "PostgreSQL",
                collapsed=True,
                panels=[
                    stat(
                        "Connections used",
                        prom(
                            "max(sum by (job, instance) (pg_stat_activity_count) / on (job, instance) "
                            "(max by (job, instance) (pg_settings_max_connections) "
                            "- max by (job, instance) (pg_settings_superuser_reserved_connections)))"
                        ),
                        unit="percentunit",
                        runbook="database-issues",
                        threshold=POSTGRES_CONNECTIONS_USED,
                        w=6,
                        h=8,
                        description="Client connections as a share of the connections clients may open "
                        "(max_connections minus superuser_reserved_connections), on the busiest server: the ratio "
                        "the connections alert watches on each server.",
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
                        w=8,
                        description="Share of block reads served from shared buffers (not coloured: no alert "
                        "watches it).",
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
                    timeseries(
                        "Longest transaction",
                        prom(
                            f'max by (datname) (pg_stat_activity_max_tx_duration{{{DB}, datname!~"template.*"}})',
                            "{{datname}}",
                        ),
                        unit="s",
                        runbook="database-issues",
                        w=12,
                        description="Age of the oldest open transaction per database: a long one holds locks "
                        "and keeps VACUUM from reclaiming rows.",
                    ),
                    timeseries(
                        "Locks",
                        prom(f"sum by (mode) (pg_locks_count{{{DB}}})", "{{mode}}"),
                        unit="short",
                        runbook="database-issues",
                        w=12,
                        description="Locks held, by mode; the lock table holds max_locks_per_transaction x "
                        "max_connections of them.",
                    ),
                ],
            ),
            row(
                "Redis",
                collapsed=True,
                panels=[
                    timeseries(
                        "Cache hit rate",
                        prom(
                            f"sum by (instance) ({_rate('redis_keyspace_hits_total', REDIS)}) / "
                            f"(sum by (instance) ({_rate('redis_keyspace_hits_total', REDIS)}) + "
                            f"sum by (instance) ({_rate('redis_keyspace_misses_total', REDIS)}))",
                            "{{instance}}",
                        ),
                        unit="percentunit",
                        w=6,
                        description="Share of key lookups that found the key, per Redis (not coloured: no alert "
                        "watches it).",
                    ),
                    timeseries(
                        "Memory",
                        [
                            prom(f"sum by (instance) (redis_memory_used_bytes{{{REDIS}}})", "used {{instance}}"),
                            prom(f"sum by (instance) (redis_memory_max_bytes{{{REDIS}}})", "max {{instance}}"),
                        ],
                        unit="bytes",
                        w=6,
                        description="Memory used, and maxmemory (0 means unlimited).",
                    ),
                    timeseries(
                        "Clients",
                        prom(f"sum by (instance) (redis_connected_clients{{{REDIS}}})", "{{instance}}"),
                        unit="short",
                        w=6,
                        description="Connected clients.",
                    ),
                    timeseries(
                        "Evictions",
                        prom(f"sum by (instance) ({_rate('redis_evicted_keys_total', REDIS)})", "{{instance}}"),
                        unit="ops",
                        w=6,
                        description="Keys evicted per second because of maxmemory.",
                    ),
                    timeseries(
                        "Rejected connections",
                        prom(f"sum by (instance) ({_rate('redis_rejected_connections_total', REDIS)})", "{{instance}}"),
                        unit="cps",
                        runbook="database-issues",
                        description="Connections Redis refused because maxclients was reached.",
                    ),
                ],
            ),
            row(
                "External probes",
                collapsed=True,
                panels=[
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
                        runbook="service-down",
                        w=8,
                        description="Time each blackbox probe took.",
                    ),
                    timeseries(
                        "Probe HTTP status",
                        prom('probe_http_status_code{instance=~"$probe"}', "{{instance}}"),
                        unit="none",
                        runbook="service-down",
                        w=8,
                        description="HTTP status each endpoint answered its last probe with (0: no answer).",
                    ),
                    bargauge(
                        "TLS certificate expiry",
                        prom('probe_ssl_earliest_cert_expiry{instance=~"$probe"} - time()', "{{instance}}"),
                        unit="dtdurations",
                        runbook="certificate-expiry",
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
