"""Reading a module's imports without running it, for the tests of the import rules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository


def import_statements(path: Path) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of ``path``, at any depth (one inside a function too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name imported by ``path``, dotted in full."""
    names: set[str] = set()
    for node in import_statements(path):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names
