"""Panel links: from a panel an alert watches to the runbook that alert links, so the page, the panel and the
runbook send the on-call engineer to the same place."""

from __future__ import annotations

from signals.runbooks import runbook_url


def runbook_links(family: str | None) -> list[dict]:
    """The panel's `links`: one to `runbooks/<family>.md` (opened in a new tab, the dashboard stays), or none.

    "Panel links are accessible by clicking the icon next to the panel title" (Grafana docs, Dashboards > Manage
    dashboard links, v13.0). A panel link is the schema's `DashboardLink` of type `link`, with every field the
    carried schema requires (grafana_json/schema/grafana/dashboard.json, `Panel.links`).
    """
    if family is None:
        return []
    return [
        {
            "asDropdown": False,
            "icon": "doc",
            "includeVars": False,
            "keepTime": False,
            "tags": [],
            "targetBlank": True,
            "title": f"Runbook: {family}",
            "tooltip": f"runbooks/{family}.md: what to check and do when this panel's alert fires",
            "type": "link",
            "url": runbook_url(family),
        }
    ]


def runbook_family(links: list[dict]) -> str | None:
    """The family `runbook_links` made these links for, or None when they are anything else (the importer's
    reverse of `runbook_links`)."""
    if len(links) != 1:
        return None
    url = str(links[0].get("url", ""))
    family = url.rsplit("/", 1)[-1].removesuffix(".md")
    return family if family and runbook_links(family) == links else None
