"""Colours as Grafana's dark theme resolves them: named colours ("green", "dark-orange"), the classic palette
series are coloured from in order, and the threshold step a value falls in.

From packages/grafana-data/src/themes/createVisualizationColors.ts (getDarkHues, getClassicPalette,
getColorByName: a name, else "#..." or "rgb..." as written) and the thresholds rule of
packages/grafana-data/src/field/thresholds.ts (the last step whose value is <= the value; the first step, value
null, is the base; "percentage" mode measures the value against min..max).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

_HUES = {
    "red": ("#FFA6B0", "#FF7383", "#F2495C", "#E02F44", "#C4162A"),
    "orange": ("#FFCB7D", "#FFB357", "#FF9830", "#FF780A", "#FA6400"),
    "yellow": ("#FFF899", "#FFEE52", "#FADE2A", "#F2CC0C", "#E0B400"),
    "green": ("#C8F2C2", "#96D98D", "#73BF69", "#56A64B", "#37872D"),
    "blue": ("#C0D8FF", "#8AB8FF", "#5794F2", "#3274D9", "#1F60C4"),
    "purple": ("#DEB6F2", "#CA95E5", "#B877D9", "#A352CC", "#8F3BB8"),
}
_SHADES = ("super-light-{}", "light-{}", "{}", "semi-dark-{}", "dark-{}")
NAMED = {
    shade.format(hue): colour for hue, colours in _HUES.items() for shade, colour in zip(_SHADES, colours, strict=True)
}
NAMED.update({"transparent": "rgba(0,0,0,0)", "text": "#ccccdc", "panel-bg": "#181b1f"})
CLASSIC = [
    "green",
    "yellow",
    "blue",
    "orange",
    "red",
    "purple",
    "dark-green",
    "dark-yellow",
    "dark-blue",
    "dark-orange",
    "dark-red",
    "dark-purple",
    "super-light-green",
    "super-light-yellow",
    "super-light-blue",
    "super-light-orange",
    "super-light-red",
    "super-light-purple",
    "#447EBC",
    "#C15C17",
    "#890F02",
    "#0A437C",
    "#6D1F62",
    "#584477",
]
FALLBACK = "#808080"  # types/fieldColor.ts FALLBACK_COLOR


def by_name(name: str | None) -> str:
    if not name:
        return FALLBACK
    return NAMED.get(name, name)


def palette(index: int) -> str:
    return by_name(CLASSIC[index % len(CLASSIC)])


def steps(field: dict[str, Any]) -> list[tuple[float | None, str]]:
    raw = ((field.get("thresholds") or {}).get("steps")) or [{"value": None, "color": "green"}]
    return [(s.get("value"), by_name(s.get("color"))) for s in raw if isinstance(s, dict)]


def threshold_colour(value: float | None, field: dict[str, Any], low: float = 0.0, high: float = 100.0) -> str:
    """The colour of the step `value` falls in (the base colour for no value)."""
    found = steps(field)
    colour = found[0][1] if found else FALLBACK
    if value is None:
        return colour
    percentage = ((field.get("thresholds") or {}).get("mode")) == "percentage"
    measured = (value - low) / (high - low) * 100 if percentage and high != low else value
    for limit, c in found:
        if limit is None or measured >= float(limit):
            colour = c
    return colour


def series_colour(field: dict[str, Any], index: int, value: float | None = None) -> str:
    """fieldConfig.defaults.color: fixed, thresholds (by `value`), or the classic palette by series index."""
    mode = ((field.get("color") or {}).get("mode")) or "palette-classic"
    if mode == "fixed":
        return by_name((field.get("color") or {}).get("fixedColor"))
    if mode == "thresholds":
        return threshold_colour(value, field)
    return palette(index)


def with_alpha(colour: str, alpha: float) -> str:
    """A #RRGGBB colour with opacity, for fills."""
    if colour.startswith("#") and len(colour) == 7:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgba({r},{g},{b},{alpha:g})"
    return colour


def scheme(name: str, t: float) -> str:
    """A heatmap colour scheme at t in 0..1 (d3's "Oranges" and friends, as two-point ramps)."""
    ramps: dict[str, Sequence[tuple[int, int, int]]] = {
        "Oranges": ((254, 230, 206), (166, 54, 3)),
        "Reds": ((254, 224, 210), (165, 15, 21)),
        "Greens": ((229, 245, 224), (0, 109, 44)),
        "Blues": ((222, 235, 247), (8, 81, 156)),
        "Purples": ((239, 237, 245), (84, 39, 143)),
    }
    lo, hi = ramps.get(name, ramps["Oranges"])
    t = min(max(t, 0.0), 1.0)
    r, g, b = (round(a + (b - a) * t) for a, b in zip(lo, hi, strict=True))
    return f"rgb({r},{g},{b})"
