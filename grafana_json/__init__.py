"""Facts about Grafana's JSON that every stage of the data flow shares, below all of them (imports nothing of ours)."""
