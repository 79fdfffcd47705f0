"""Solana JSON-RPC exporter: node health and chain progress, platform account balances, program transactions.

Run with `python -m exporters.solana` (configuration from environment variables, see `--help`).
"""
