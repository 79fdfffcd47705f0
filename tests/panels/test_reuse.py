"""A builder used in two dashboards leaks no layout, ids or state from one into the other."""

from __future__ import annotations

import json

from compiler.compile import compile_dashboard
from dashboards.common import dashboard
from panels import prom, row, stat, timeseries
from panels.groups import red


def _shared():
    return stat("Shared", prom("up"), unit="short", description="reused everywhere")


def _compile(uid: str, panels: list) -> dict:
    d = dashboard(uid=uid, title=uid, description=uid, panels=panels)
    return json.loads(compile_dashboard(d, name=uid, folder="Test").text)


def test_same_panel_object_in_two_dashboards_gets_independent_layout_and_ids():
    shared = _shared()
    first = _compile("one", [timeseries("a", prom("up"), unit="short", description="a"), shared])
    second = _compile("two", [shared])
    panel_in_first = first["panels"][1]
    panel_in_second = second["panels"][0]
    assert panel_in_first["gridPos"] == {"h": 4, "w": 6, "x": 12, "y": 0}
    assert panel_in_second["gridPos"] == {"h": 4, "w": 6, "x": 0, "y": 0}
    assert (panel_in_first["id"], panel_in_second["id"]) == (2, 1)
    assert shared.gridPos.x is None and shared.id is None, "compiling must not write into the builder's object"


def test_compiling_in_any_order_gives_the_same_output():
    build_a = lambda: _compile("a", [row("RED", red('job="api"')), _shared()])  # noqa: E731
    build_b = lambda: _compile("b", [_shared(), row("RED", red('job="x"'), collapsed=True)])  # noqa: E731
    a1, b1 = build_a(), build_b()
    b2, a2 = build_b(), build_a()
    assert (a1, b1) == (a2, b2)


def test_builders_return_fresh_objects():
    one, two = red('job="api"'), red('job="api"')
    assert all(p is not q for p, q in zip(one, two, strict=True))
    assert all(p.targets[0] is not q.targets[0] for p, q in zip(one, two, strict=True))
    one[0].targets[0].datasource["uid"] = "mutated"
    assert red('job="api"')[0].targets[0].datasource["uid"] == "${datasource}"
