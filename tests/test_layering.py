"""The import rules of docs/architecture.md, checked by walking every import in the packages.

Imports run one way: bantin → bot → store, bantin → ingest, bantin → summarizer. Leaf modules
(``LEAVES``) import nothing of the project, so every package may import them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"bantin", "bot", "store", "ingest", "summarizer"}
LEAVES = {"bantin.text", "bantin.timezones"}
THIRD_PARTY = {
    "bantin": None,  # the composition root may import anything
    "bot": {"store", "telegram", "httpx", "aiohttp"},
    "store": {"sqlite_utils"},
    "ingest": {"feedparser", "httpx", "trafilatura", "lxml", "charset_normalizer"},
    "summarizer": {"sumy", "numpy"},
}
PROJECT_ALLOWED = {
    "bantin": PROJECT,
    "bot": {"bot", "store"},
    "store": {"store"},
    "ingest": {"ingest"},
    "summarizer": {"summarizer"},
}


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name imported by ``path``, dotted in full."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def is_leaf(name: str) -> bool:
    return name in LEAVES or any(name.startswith(leaf + ".") for leaf in LEAVES)


def import_problems(path: Path, package: str, leaf: bool = False) -> list[str]:
    """The imports of ``path`` (in ``package``, a leaf module if ``leaf``) the rules forbid."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    problems = []
    for name in sorted(imported_modules(path)):
        top = name.split(".")[0]
        if top in stdlib:
            continue
        if leaf:
            allowed = False  # a leaf imports the standard library only
        elif top in PROJECT:
            allowed = is_leaf(name) or top in PROJECT_ALLOWED[package]
        else:
            allowed = THIRD_PARTY[package] is None or top in THIRD_PARTY[package]
        if not allowed:
            problems.append(f"{path.name} imports {name}")
    return problems


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def package_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(PROJECT))
def test_package_imports_follow_design(package: str) -> None:
    problems = []
    for path in package_files(package):
        problems += import_problems(path, package, leaf=module_name(path) in LEAVES)
    assert not problems, "layering of docs/architecture.md broken:\n" + "\n".join(problems)


def test_every_leaf_exists() -> None:
    assert all((ROOT / (leaf.replace(".", "/") + ".py")).is_file() for leaf in LEAVES)


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import store\nfrom summarizer.x import y\nfrom bantin.text import fold\n")
    assert imported_modules(bad) == {"store", "summarizer.x", "bantin.text"}
    assert import_problems(bad, "ingest") == ["bad.py imports store", "bad.py imports summarizer.x"]
    assert import_problems(bad, "bot") == ["bad.py imports summarizer.x"]


def test_checker_catches_a_leaf_that_imports_the_project(tmp_path: Path) -> None:
    leaf = tmp_path / "leaf.py"
    leaf.write_text("import re\nfrom bantin.config import Config\nimport bantin.timezones\n")
    assert import_problems(leaf, "bantin", leaf=True) == [
        "leaf.py imports bantin.config", "leaf.py imports bantin.timezones",
    ]
    assert import_problems(leaf, "bantin") == []  # the same file is fine outside the leaves


def test_checker_rejects_a_package_importing_bantin_beyond_the_leaves(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from bantin.config import Config\nfrom bantin import text\n")
    assert import_problems(bad, "store") == ["bad.py imports bantin", "bad.py imports bantin.config"]
