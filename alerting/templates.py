"""The subset of Prometheus' Go templates the annotations use, rendered in Python for the promtool cases.

promtool compares annotations exactly, so each generated test case needs the text Prometheus will produce. The
annotations are written in real Go template syntax; this module renders the few forms they use and refuses any
other, so an annotation that the tests cannot predict fails at generation time instead of slipping through.
Formatting follows Prometheus' `template.go`: `humanize` and `humanizePercentage` use Go's `%.4g`. `urlquery` is
Go text/template's builtin (`url.QueryEscape`: letters, digits and `-_.~` kept, a space as `+`, every other byte
as `%XX`), which Python's `quote_plus` with nothing marked safe reproduces.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

_ACTION = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_LABEL = re.compile(r"\$labels\.([A-Za-z_][A-Za-z0-9_]*)")
_LABEL_URLQUERY = re.compile(r"\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\|\s*urlquery")
_PRINTF = re.compile(r'printf\s+"(%\.\d+f)"\s+\$value')
_SI_UP = ("k", "M", "G", "T", "P", "E", "Z", "Y")
_SI_DOWN = ("m", "u", "n", "p", "f", "a", "z", "y")


def humanize(value: float) -> str:
    """Prometheus `humanize`: SI prefixes and four significant digits."""
    if value == 0 or value != value or value in (float("inf"), float("-inf")):
        return f"{value:.4g}"
    prefix = ""
    if abs(value) >= 1:
        for p in _SI_UP:
            if abs(value) < 1000:
                break
            prefix, value = p, value / 1000
    else:
        for p in _SI_DOWN:
            if abs(value) >= 1:
                break
            prefix, value = p, value * 1000
    return f"{value:.4g}{prefix}"


def humanize_percentage(value: float) -> str:
    return f"{value * 100:.4g}%"


def _action(body: str, labels: dict[str, str], value: float) -> str:
    if m := _LABEL.fullmatch(body):
        return labels.get(m.group(1), "")
    if m := _LABEL_URLQUERY.fullmatch(body):
        return quote_plus(labels.get(m.group(1), ""), safe="")
    if body == "$value | humanize":
        return humanize(value)
    if body == "$value | humanizePercentage":
        return humanize_percentage(value)
    if m := _PRINTF.fullmatch(body):
        return m.group(1) % value
    raise ValueError(f"template action {{{{ {body} }}}} is outside the subset alerting/templates.py renders")


def render(template: str, labels: dict[str, str], value: float) -> str:
    """What Prometheus renders for `template` given an alert's labels and value."""
    return _ACTION.sub(lambda m: _action(m.group(1), labels, value), template)


def check(template: str) -> None:
    """Raise when `template` uses a form `render` cannot predict."""
    render(template, {}, 1.0)
