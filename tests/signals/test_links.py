"""signals.links: the one table of where each alert sends the on-call engineer."""

from __future__ import annotations

import pytest

from signals import links
from tests.grafana_emulator.slug import slugify


def test_the_slug_is_grafanas_for_every_dashboard_title():
    for board in links.DASHBOARDS:
        assert board.slug == slugify(board.title)


def test_a_title_outside_the_slug_subset_is_refused_where_it_is_written():
    with pytest.raises(ValueError, match="needs Grafana's full slug algorithm"):
        links.Dashboard("x", "Café & co")


def test_a_panel_link_is_the_panel_view_with_url_encoded_variables():
    ref = links.PanelRef(links.INFRASTRUCTURE, "Disk utilisation", (("job", "job"), ("instance", "instance")))
    assert ref.url(11) == (
        "https://grafana.anonymeme.io/d/anonymeme-infrastructure/infrastructure?viewPanel=11"
        "&var-job={{ $labels.job | urlquery }}&var-instance={{ $labels.instance | urlquery }}"
    )
    assert (
        links.PanelRef(links.BUSINESS, "Slot").url(None) == "https://grafana.anonymeme.io/d/anonymeme-business/business"
    )


def test_an_alert_without_a_panel_is_named():
    with pytest.raises(KeyError, match="alert Nope has no panel"):
        links.panel_for("Nope", {})
    with pytest.raises(KeyError, match="key series 'nope' has no panel"):
        links.panel_for("KeySeriesAbsent", {"metric": "nope"})
