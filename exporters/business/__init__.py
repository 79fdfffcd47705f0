"""Application (business) metrics collector: SQL over the platform's PostgreSQL -> anonymeme_* metrics.

The queries live in `queries.yml` so the team can change them without touching code. Run with
`python -m exporters.business` (configuration from environment variables, see `--help`).
"""
