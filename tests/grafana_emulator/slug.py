"""Grafana's slug algorithm (contract §11.3), needed for dashboard and folder URLs.

The emulator reproduces it so that `url` and `meta.slug` look like a real Grafana's; dashsync never relies on
slugs, but a fidelity check against a real server compares them.
"""

from __future__ import annotations

import uuid

_REPLACEMENTS = {
    " ": "-",
    "&": "and",
    "@": "at",
    "ä": "a",
    "à": "a",
    "á": "a",
    "â": "a",
    "ã": "a",
    "å": "a",
    "æ": "ae",
    "ç": "c",
    "è": "e",
    "é": "e",
    "ê": "e",
    "ë": "e",
    "ì": "i",
    "í": "i",
    "î": "i",
    "ï": "i",
    "ñ": "n",
    "ò": "o",
    "ó": "o",
    "ô": "o",
    "õ": "o",
    "ö": "o",
    "ø": "o",
    "ù": "u",
    "ú": "u",
    "û": "u",
    "ü": "ue",
    "ý": "y",
    "ÿ": "y",
    "ß": "ss",
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "ch",
    "ш": "sh",
    "ы": "y",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_DROPPED = set(",\"'\n\r\0?.()")
_KEPT = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


def slugify(title: str) -> str:
    out: list[str] = []
    for char in title.strip().lower():
        if char in _KEPT:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        elif char in _DROPPED:
            continue
        else:
            out.append(char.encode("utf-8").hex())
    slug = "".join(out)
    if not slug or len(slug.encode()) > 50:
        return str(uuid.uuid5(uuid.NAMESPACE_OID, title))
    return slug
