"""Pull-request review of generated monitoring files: what a change does to dashboards and rules, in words and pictures.

Depends only on compiled JSON (provisioning/dashboards/) and generated rule files (compose/prometheus/), never on
the Python definitions, so it can compare any two revisions, including ones whose Python no longer imports.
"""
