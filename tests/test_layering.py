"""The import rules of DESIGN.md, checked by walking every import in the packages.

Imports run one way: bantin → bot → store, bantin → ingest, bantin → summarizer.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"bantin", "bot", "store", "ingest", "summarizer"}
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
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def package_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(PROJECT))
def test_package_imports_follow_design(package: str) -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    problems = []
    for path in package_files(package):
        for name in imported_modules(path):
            if name in stdlib:
                continue
            if name in PROJECT:
                allowed = name in PROJECT_ALLOWED[package]
            else:
                allowed = THIRD_PARTY[package] is None or name in THIRD_PARTY[package]
            if not allowed:
                problems.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not problems, "layering of DESIGN.md broken:\n" + "\n".join(problems)


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import store\nfrom summarizer.x import y\n")
    assert imported_modules(bad) == {"store", "summarizer"}
