"""Metric names exported by the third-party exporters, as checked against the Debian versions we run.

node-exporter 1.5, postgres-exporter 0.11.1, redis-exporter 1.45, blackbox 0.23, Prometheus 2.42 and
Alertmanager 0.25 were run and read; cAdvisor names are from its documentation (it needs Docker). The linter
treats these as known metrics; the "every panel shows data" test proves the ones the dashboards use are real.
"""

from __future__ import annotations

NODE = frozenset({
    "node_cpu_seconds_total", "node_load1", "node_load5", "node_load15", "node_procs_running", "node_procs_blocked",
    "node_context_switches_total", "node_pressure_cpu_waiting_seconds_total",
    "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes", "node_memory_MemFree_bytes",
    "node_memory_Buffers_bytes", "node_memory_Cached_bytes", "node_memory_Active_bytes",
    "node_memory_Inactive_bytes", "node_vmstat_pgmajfault", "node_vmstat_oom_kill",
    "node_pressure_memory_waiting_seconds_total", "node_pressure_memory_stalled_seconds_total",
    "node_memory_SwapTotal_bytes", "node_memory_SwapFree_bytes", "node_vmstat_pswpin", "node_vmstat_pswpout",
    "node_filesystem_size_bytes", "node_filesystem_avail_bytes", "node_filesystem_free_bytes",
    "node_filesystem_files", "node_filesystem_files_free", "node_filesystem_readonly",
    "node_filesystem_device_error",
    "node_disk_read_bytes_total", "node_disk_written_bytes_total", "node_disk_reads_completed_total",
    "node_disk_writes_completed_total", "node_disk_read_time_seconds_total", "node_disk_write_time_seconds_total",
    "node_disk_io_time_seconds_total", "node_disk_io_time_weighted_seconds_total", "node_disk_io_now",
    "node_pressure_io_waiting_seconds_total", "node_pressure_io_stalled_seconds_total",
    "node_network_receive_bytes_total", "node_network_transmit_bytes_total",
    "node_network_receive_packets_total", "node_network_transmit_packets_total", "node_network_up",
    "node_network_speed_bytes", "node_network_mtu_bytes",
    "node_network_receive_errs_total", "node_network_transmit_errs_total",
    "node_network_receive_drop_total", "node_network_transmit_drop_total",
    "node_netstat_Tcp_RetransSegs", "node_netstat_Tcp_InErrs", "node_netstat_TcpExt_ListenDrops",
    "node_netstat_TcpExt_ListenOverflows", "node_sockstat_TCP_inuse", "node_sockstat_TCP_tw",
    "node_netstat_Tcp_CurrEstab", "node_boot_time_seconds", "node_time_seconds", "node_uname_info",
    "node_os_info", "node_exporter_build_info", "node_timex_offset_seconds", "node_timex_sync_status",
    "node_timex_maxerror_seconds", "node_scrape_collector_success", "node_scrape_collector_duration_seconds",
    "node_textfile_scrape_error",
})

CADVISOR = frozenset({
    "container_cpu_usage_seconds_total", "container_cpu_user_seconds_total", "container_cpu_system_seconds_total",
    "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total",
    "container_cpu_cfs_throttled_seconds_total", "container_cpu_load_average_10s", "container_spec_cpu_quota",
    "container_spec_cpu_period", "container_spec_cpu_shares", "container_memory_usage_bytes",
    "container_memory_working_set_bytes", "container_memory_rss", "container_memory_cache",
    "container_memory_swap", "container_memory_max_usage_bytes", "container_memory_failcnt",
    "container_memory_failures_total", "container_spec_memory_limit_bytes",
    "container_network_receive_bytes_total", "container_network_transmit_bytes_total",
    "container_network_receive_packets_total", "container_network_transmit_packets_total",
    "container_network_receive_packets_dropped_total", "container_network_transmit_packets_dropped_total",
    "container_network_receive_errors_total", "container_network_transmit_errors_total",
    "container_fs_usage_bytes", "container_fs_limit_bytes", "container_fs_inodes_free",
    "container_fs_inodes_total", "container_fs_reads_bytes_total", "container_fs_writes_bytes_total",
    "container_last_seen", "container_start_time_seconds", "container_tasks_state", "container_processes",
    "machine_cpu_cores", "machine_memory_bytes",
})

POSTGRES = frozenset({
    "pg_up", "pg_exporter_last_scrape_error", "pg_exporter_last_scrape_duration_seconds", "pg_exporter_scrapes_total",
    "pg_scrape_collector_success", "pg_static", "pg_stat_activity_count", "pg_stat_activity_max_tx_duration",
    "pg_stat_database_numbackends", "pg_settings_max_connections", "pg_settings_superuser_reserved_connections",
    "pg_stat_database_xact_commit", "pg_stat_database_xact_rollback", "pg_stat_database_tup_returned",
    "pg_stat_database_tup_fetched", "pg_stat_database_tup_inserted", "pg_stat_database_tup_updated",
    "pg_stat_database_tup_deleted", "pg_stat_database_blks_read", "pg_stat_database_blks_hit",
    "pg_stat_database_blk_read_time", "pg_stat_database_blk_write_time", "pg_stat_database_deadlocks",
    "pg_stat_database_conflicts", "pg_stat_database_temp_files", "pg_stat_database_temp_bytes",
    "pg_stat_database_session_time", "pg_stat_database_active_time",
    "pg_stat_database_idle_in_transaction_time", "pg_stat_database_sessions",
    "pg_stat_database_sessions_abandoned", "pg_stat_database_sessions_fatal", "pg_stat_database_sessions_killed",
    "pg_database_size_bytes", "pg_locks_count", "pg_stat_bgwriter_checkpoints_timed_total",
    "pg_stat_bgwriter_checkpoints_req_total", "pg_stat_bgwriter_buffers_alloc_total",
    "pg_stat_bgwriter_buffers_backend_total", "pg_stat_bgwriter_buffers_checkpoint_total",
    "pg_stat_bgwriter_buffers_clean_total", "pg_stat_bgwriter_checkpoint_write_time_total",
    "pg_stat_bgwriter_checkpoint_sync_time_total", "pg_stat_archiver_archived_count",
    "pg_stat_archiver_failed_count", "pg_stat_archiver_last_archive_age", "pg_settings_shared_buffers_bytes",
})

# Counters of postgres-exporter 0.11 that lack the `_total` suffix (the linter must still treat them as counters).
POSTGRES_COUNTERS_WITHOUT_TOTAL = frozenset({
    n for n in POSTGRES
    if n.startswith("pg_stat_database_") and n not in {"pg_stat_database_numbackends"}
} | {"pg_stat_archiver_archived_count", "pg_stat_archiver_failed_count"})

REDIS = frozenset({
    "redis_up", "redis_blocked_clients", "redis_commands_duration_seconds_total", "redis_commands_failed_calls_total",
    "redis_commands_processed_total", "redis_commands_rejected_calls_total", "redis_commands_total",
    "redis_config_maxclients", "redis_config_maxmemory", "redis_connected_clients", "redis_connected_slaves",
    "redis_connections_received_total", "redis_cpu_sys_seconds_total", "redis_cpu_user_seconds_total",
    "redis_db_avg_ttl_seconds", "redis_db_keys", "redis_db_keys_expiring", "redis_evicted_keys_total",
    "redis_expired_keys_total", "redis_exporter_build_info", "redis_exporter_last_scrape_duration_seconds",
    "redis_exporter_last_scrape_error", "redis_exporter_scrapes_total", "redis_instance_info",
    "redis_keyspace_hits_total", "redis_keyspace_misses_total", "redis_mem_fragmentation_ratio",
    "redis_memory_max_bytes", "redis_memory_used_bytes", "redis_memory_used_rss_bytes",
    "redis_memory_used_peak_bytes", "redis_net_input_bytes_total", "redis_net_output_bytes_total",
    "redis_rejected_connections_total", "redis_slowlog_length", "redis_uptime_in_seconds",
    "redis_rdb_last_save_timestamp_seconds", "redis_rdb_changes_since_last_save",
})

BLACKBOX = frozenset({
    "probe_success", "probe_duration_seconds", "probe_dns_lookup_time_seconds", "probe_http_status_code",
    "probe_http_duration_seconds", "probe_http_content_length", "probe_http_redirects", "probe_http_ssl",
    "probe_http_version", "probe_ip_protocol", "probe_ssl_earliest_cert_expiry",
    "probe_ssl_last_chain_expiry_timestamp_seconds", "probe_tls_version_info", "probe_failed_due_to_regex",
    "blackbox_exporter_config_last_reload_successful", "blackbox_exporter_build_info",
})

PROMETHEUS = frozenset({
    "up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", "ALERTS_FOR_STATE",
    "prometheus_tsdb_head_series", "prometheus_tsdb_head_chunks", "prometheus_tsdb_head_samples_appended_total",
    "prometheus_target_interval_length_seconds", "prometheus_http_request_duration_seconds_count",
    "prometheus_rule_evaluation_failures_total", "prometheus_rule_group_iterations_missed_total",
    "prometheus_config_last_reload_successful", "prometheus_notifications_dropped_total",
    "alertmanager_notifications_failed_total", "alertmanager_notifications_total",
    "alertmanager_config_last_reload_successful", "alertmanager_alerts", "alertmanager_cluster_members",
    "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
    "process_start_time_seconds",
})

ALL: frozenset[str] = NODE | CADVISOR | POSTGRES | REDIS | BLACKBOX | PROMETHEUS
