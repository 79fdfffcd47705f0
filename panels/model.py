"""A grafanalib panel class for the modern field-config panels grafanalib 0.7 still writes in legacy form.

grafanalib's `GaugePanel`, `BarGauge` and `Heatmap` emit Grafana 6-era JSON (`fieldOptions`, `cards`, `yAxis`...).
`FieldPanel` mirrors what Grafana 11/12 saves for such panels: `options` and `fieldConfig.defaults` (with its
plugin-specific `custom` part), in grafanalib's own style (an attrs class with `to_json_data`).
"""

from __future__ import annotations

import attr
from attr.validators import instance_of
from grafanalib.core import GridPos, Panel


@attr.s
class FieldPanel(Panel):
    panelType: str = attr.ib(default="gauge", validator=instance_of(str))
    options: dict = attr.ib(factory=dict, validator=instance_of(dict))
    custom: dict = attr.ib(factory=dict, validator=instance_of(dict))
    unit: str = attr.ib(default="", validator=instance_of(str))
    valueMin: float | None = attr.ib(default=None)
    valueMax: float | None = attr.ib(default=None)
    decimals: int | None = attr.ib(default=None)
    colorMode: str = attr.ib(default="thresholds")
    mappings: list = attr.ib(factory=list)
    overrides: list = attr.ib(factory=list)

    def to_json_data(self) -> dict:
        return self.panel_json(
            {
                "fieldConfig": {
                    "defaults": {
                        "color": {"mode": self.colorMode},
                        "custom": self.custom,
                        "decimals": self.decimals,
                        "mappings": self.mappings,
                        "max": self.valueMax,
                        "min": self.valueMin,
                        "unit": self.unit,
                    },
                    "overrides": self.overrides,
                },
                "options": self.options,
                "type": self.panelType,
            }
        )


def grid(w: int, h: int, x: int | None = None, y: int | None = None) -> GridPos:
    """A size, and optionally a position; `None` coordinates are filled in by `panels.layout.arrange`."""
    return GridPos(h=h, w=w, x=x, y=y)


def field_extras(min_: float | None, max_: float | None, decimals: int | None) -> dict | None:
    """grafanalib's TimeSeries/Stat accept only int min/max; ratios need floats, so set them through extraJson."""
    defaults = {k: v for k, v in (("min", min_), ("max", max_), ("decimals", decimals)) if v is not None}
    return {"fieldConfig": {"defaults": defaults}} if defaults else None
