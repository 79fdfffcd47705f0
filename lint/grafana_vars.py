"""Grafana's template variables inside query text, found and replaced with values that PromQL can parse.

Grafana interpolates `$var`, `${var}`, `${var:format}`, `${var.field}` and the deprecated `[[var]]` (the
pattern
below is Grafana's own `variableRegex`), plus the built-ins `$__rate_interval`, `$__interval`, `$__range`... A
query is only PromQL after that substitution, so the linter substitutes placeholders and the "every panel
shows
data" test substitutes real values, both through `substitute`, which tells the caller where each variable
sits:
inside a quoted string (a label value), inside `[...]` (a range or subquery duration) or bare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# public/app/features/variables/utils.ts: variableRegex
VARIABLE = re.compile(r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}")


@dataclass(frozen=True)
class VarUse:
    """One variable occurrence and where it sits in the query."""

    name: str
    format: str | None
    in_string: bool  # inside "..." or '...' or `...`: a label value or regex
    in_range: bool  # inside [...]: a range or subquery duration

    @property
    def builtin(self) -> bool:
        return self.name.startswith("__")


def substitute(expr: str, value: Callable[[VarUse], str]) -> str:
    """`expr` with every Grafana variable replaced by `value(use)`; text outside variables is kept
    verbatim."""
    out: list[str] = []
    quote: str | None = None
    depth = 0
    i = 0
    while i < len(expr):
        ch = expr[i]
        if ch in "$[":
            m = VARIABLE.match(expr, i)
            if m:
                name = m.group(1) or m.group(2) or m.group(4)
                fmt = m.group(3) or m.group(6)
                out.append(value(VarUse(name, fmt, quote is not None, quote is None and depth > 0)))
                i = m.end()
                continue
        if quote:
            if ch == "\\" and quote != "`":
                out.append(expr[i : i + 2])
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'`":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        out.append(ch)
        i += 1
    return "".join(out)


def names(expr: str) -> tuple[str, ...]:
    """The variable names `expr` uses, in order of first use."""
    seen: list[str] = []

    def record(use: VarUse) -> str:
        if use.name not in seen:
            seen.append(use.name)
        return ""

    substitute(expr, record)
    return tuple(seen)
