"""dashsync: move Grafana dashboards between this repository and a live Grafana, safely.

Modules, in the order data flows through them:
    local.py       the compiled JSON in provisioning/dashboards/ (folders from directory names)
    connection.py  the only module that talks HTTP (grafana-client, retries, error translation)
    normalise.py   what "the same dashboard" means: volatile fields dropped, canonical form, content hash
    plan.py        pure: local + live -> what push would do
    diff.py        pure: the one comparison of two dashboards (diff, review and plan all ask it); renderers
    push.py, backup.py, restore.py, health.py: the commands' cores
    cli.py         click options -> core calls -> exit codes
"""
