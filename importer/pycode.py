"""Python source for values and builder calls, built and rendered from the same object.

A `Call` both *runs* (to verify what it produces) and *renders* (the code written into the module), so the code
the importer writes is exactly the code it checked. Long strings are split into implicit concatenations so the
module stays within the project's line length once `ruff format` has laid it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

STRING_CHUNK = 50


@dataclass(frozen=True)
class Name:
    """A module-level name (a threshold from `signals.slo`) imported from `module`."""

    name: str
    module: str
    value: Any


@dataclass(frozen=True)
class Call:
    """`func(*args, **kwargs)` where `func` is importable as `module.name`."""

    func: Callable[..., Any]
    module: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    comment: str = ""  # written on the line before the call (why it is not a plain builder call)

    @property
    def name(self) -> str:
        return self.func.__name__

    def build(self) -> Any:
        return self.func(*(value(a) for a in self.args), **{k: value(v) for k, v in self.kwargs.items()})


@dataclass(frozen=True)
class Star:
    """`*call` inside a list: a call returning several panels (a RED or USE group)."""

    call: Call


def value(node: Any) -> Any:
    """The Python value a node stands for."""
    if isinstance(node, Call):
        return node.build()
    if isinstance(node, Name):
        return node.value
    if isinstance(node, dict):
        return {k: value(v) for k, v in node.items()}
    if isinstance(node, list):
        out: list[Any] = []
        for v in node:
            if isinstance(v, Star):
                out.extend(value(v.call))
            else:
                out.append(value(v))
        return out
    if isinstance(node, tuple):
        return tuple(value(v) for v in node)
    return node


def imports(node: Any, found: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """module -> names that the rendered `node` needs."""
    found = {} if found is None else found
    if isinstance(node, Call):
        found.setdefault(node.module, set()).add(node.name)
        for child in (*node.args, *node.kwargs.values()):
            imports(child, found)
    elif isinstance(node, Name):
        found.setdefault(node.module, set()).add(node.name)
    elif isinstance(node, Star):
        imports(node.call, found)
    elif isinstance(node, dict):
        for child in node.values():
            imports(child, found)
    elif isinstance(node, list | tuple):
        for child in node:
            imports(child, found)
    return found


def _string(text: str) -> str:
    if len(text) <= STRING_CHUNK:
        return repr(text)
    parts: list[str] = []
    rest = text
    while len(rest) > STRING_CHUNK:
        cut = rest.rfind(" ", STRING_CHUNK // 2, STRING_CHUNK) + 1 or STRING_CHUNK  # after a space when one is near
        parts.append(rest[:cut])
        rest = rest[cut:]
    parts.append(rest)
    return "(" + " ".join(repr(p) for p in parts) + ")"


def render(node: Any) -> str:
    """Python source for `node` (one line; `ruff format` lays it out)."""
    if isinstance(node, Call):
        parts = [render(a) for a in node.args] + [f"{k}={render(v)}" for k, v in node.kwargs.items()]
        call = f"{node.name}({', '.join(parts)})"
        return f"\n# {node.comment}\n{call}" if node.comment else call
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Star):
        return "*" + render(node.call)
    if isinstance(node, str):
        return _string(node)
    if isinstance(node, bool) or node is None or isinstance(node, int | float):
        return repr(node)
    if isinstance(node, dict):
        return "{" + ", ".join(f"{render(k)}: {render(v)}" for k, v in node.items()) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(render(v) for v in node) + "]"
    if isinstance(node, tuple):
        return "(" + ", ".join(render(v) for v in node) + ("," if len(node) == 1 else "") + ")"
    raise TypeError(f"cannot render {type(node).__name__}")
