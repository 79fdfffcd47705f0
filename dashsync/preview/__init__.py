"""`dashsync preview`: compiled dashboards drawn with real Prometheus data as offline HTML pages (docs/preview.md)."""
