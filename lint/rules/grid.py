"""Reading a panel's grid position leniently: numbers or nothing, never an exception."""

from __future__ import annotations

import math
from typing import Any

GRID_KEYS = ("x", "y", "w", "h")


def number_problems(grid: Any) -> list[str]:
    """Why `grid` is not a usable gridPos (empty when it is)."""
    if not isinstance(grid, dict):
        return [f"gridPos is {type(grid).__name__ if grid is not None else 'missing'}, not an object"]
    problems = []
    for key in GRID_KEYS:
        v = grid.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float):
            problems.append(f"gridPos.{key} is {v!r}, not a number")
        elif not math.isfinite(v):  # Python's JSON parser accepts NaN and Infinity
            problems.append(f"gridPos.{key} is {v!r}, not a finite number")
    return problems


def rectangle(grid: Any) -> tuple[int, int, int, int] | None:
    if number_problems(grid):
        return None
    return tuple(int(grid[k]) for k in GRID_KEYS)  # type: ignore[return-value]
