"""One escaper for text dashsync puts into GitHub markdown (diff comments and review tables).

Dashboard titles, queries and thresholds are free text: a `|` would split a table cell, a `<` could open an
HTML tag GitHub renders or swallows (`rate(x[5m]) < 0.5` would lose its tail), and a newline would end a
table row or list item. Both renderers go through this one function so they cannot drift apart.
"""

from __future__ import annotations


def escape(text: str) -> str:
    """`text` safe inside a markdown table cell, list item or heading: one line, no table split, no HTML."""
    return " ".join(text.splitlines()).replace("|", "\\|").replace("<", "&lt;")
