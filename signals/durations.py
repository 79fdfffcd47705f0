"""Prometheus durations (`30s`, `5m`, `1h30m`, `0`): the one parser every duration in this project goes through.

Alert `for`, rule group `interval`, burn-rate windows and threshold hold times are all Prometheus durations.
promtool would reject a bad one, but only after the build has written it; so each value object checks its
durations when it is created, with this parser, and the build names the field instead of promtool naming a file.
The grammar is Prometheus's own (model.ParseDuration): units from largest to smallest, each at most once.
"""

from __future__ import annotations

import re

_UNITS: tuple[tuple[str, float], ...] = (
    ("y", 31536000),
    ("w", 604800),
    ("d", 86400),
    ("h", 3600),
    ("m", 60),
    ("s", 1),
    ("ms", 0.001),
)
_PATTERN = re.compile("".join(rf"(?:(\d+){unit})?" for unit, _ in _UNITS))
EXAMPLES = "such as 30s, 5m or 1h30m"


def seconds(text: object) -> float:
    """Seconds in a Prometheus duration; ValueError, naming the value, for anything promtool would reject."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} ({type(text).__name__}) is not a Prometheus duration ({EXAMPLES})")
    if text == "0":
        return 0
    match = _PATTERN.fullmatch(text)
    if not text or match is None:
        raise ValueError(f"{text!r} is not a Prometheus duration ({EXAMPLES})")
    return sum(int(n) * factor for n, (_, factor) in zip(match.groups(), _UNITS, strict=True) if n)


def duration(text: str) -> str:
    """`text`, once it is known to be a Prometheus duration: for durations written as plain constants."""
    seconds(text)
    return text


def check(owner: str, **fields: object) -> None:
    """Raise ValueError naming `owner.field` for the first field that is not a Prometheus duration."""
    for name, value in fields.items():
        try:
            seconds(value)
        except ValueError as e:
            raise ValueError(f"{owner}.{name}: {e}") from None
