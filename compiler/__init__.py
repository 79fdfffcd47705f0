"""From builders to Grafana JSON: grafanalib's dict -> the JSON Grafana itself exports, validated, provisioned.

`canonical` turns a grafanalib `Dashboard` into Grafana's export form (defaults, ids, whole floats, sorted keys),
`compile` runs it for every registered dashboard, `validate` checks the result against Grafana's published schema
(carried in `grafana_json.schema`), `provisioning` writes the dashboards.yml / datasources YAML Grafana reads.
Imports signals/, panels/ and dashboards/ (to compile them) and grafana_json/; nothing imports it but `generate`.
"""
