"""docs/architecture.md's folder table is the import rule: every import of a project folder from another must be
one the table allows, every project folder has a row, and no module imports a private name of another module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE_ROW = re.compile(r"^\| `([a-z_]+)/` \| .+ \| (.+) \|$", re.M)
ANYTHING = "(anything"
NOTHING = "(nothing of ours)"


def allowed_imports() -> dict[str, set[str] | None]:
    """folder -> the folders it may import (None: anything), as the table in docs/architecture.md says."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table: dict[str, set[str] | None] = {}
    for folder, cell in TABLE_ROW.findall(text):
        if cell.startswith(ANYTHING):
            table[folder] = None
        elif cell == NOTHING:
            table[folder] = set()
        else:
            table[folder] = set(re.findall(r"`([a-z_]+)`", cell))
    return table


def project_folders() -> set[str]:
    """Top-level folders holding Python packages of the product (tests are not the product)."""
    return {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(absolute module name, line) of every import in the file, relative imports left out (they stay inside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def product_modules() -> list[Path]:
    folders = project_folders()
    return sorted(p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] in folders)


def test_every_project_folder_has_a_row_in_the_architecture_table():
    assert project_folders() - set(allowed_imports()) == set()


def test_imports_run_only_where_the_architecture_table_allows():
    table, folders = allowed_imports(), project_folders()
    wrong = []
    for path in product_modules():
        rel = path.relative_to(ROOT)
        owner, allowed = rel.parts[0], table[rel.parts[0]]
        if allowed is None or path.name == "__main__.py":  # an entry point: nothing imports it
            continue
        for name, line in imports_of(path):
            target = name.split(".")[0]
            if target in folders and target != owner and target not in allowed:
                wrong.append(f"{rel}:{line}: {owner}/ imports {name}")
    assert wrong == []


def is_module(dotted: str) -> bool:
    base = ROOT.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def private_uses(path: Path, folders: set[str]) -> list[str]:
    """`from x import _y` (absolute or relative), and `m._y` where `m` names one of our modules imported here."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules: dict[str, str] = {}  # local name -> dotted module of ours
    found: list[str] = []
    package = path.relative_to(ROOT).parent.parts
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])  # relative imports too
            if not module or module.split(".")[0] not in folders:
                continue
            for alias in node.names:
                dotted = f"{module}.{alias.name}"
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{node.lineno}: from {module} import {alias.name}")
                elif is_module(dotted):
                    modules[alias.asname or alias.name] = dotted
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in folders and alias.asname:
                    modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{node.lineno}: {modules[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_a_private_name_of_another_module():
    """A leading underscore means "mine": another module needing it is a missing public function."""
    folders = project_folders() | {"tests"}
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in folders:
            wrong += [f"{rel}:{use}" for use in private_uses(path, folders)]
    assert wrong == []
