"""The import rules of docs/architecture.md, checked by walking every import in the packages.

Imports run one way: bantin → bot → store, bantin → ingest, bantin → summarizer. Leaf modules
(``LEAVES``) import nothing of the project, so every package may import them.

The tests have two rules of their own: no file under ``tests/`` imports a ``conftest`` module or
another test module (``test_*``), and what a test imports from ``tests`` comes from
``tests/helpers/`` (builders, drivers) or ``tests/fakes/`` (fake servers and transports) only.
Fixtures live in the nearest ``conftest.py``.

Inside ``bot/`` every module lives in a room (``ROOMS``): the engine imports no feature and no
transport; the features import the engine and the store; the transports import only the engine
(and the webhook server and request back-end beside them). Only the rooms' own third-party
libraries are allowed: python-telegram-bot, httpx and aiohttp belong to the transports.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.helpers.imports import ROOT, import_statements, imported_modules

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

ROOMS = {  # what each room of bot/ may import of the project, beside the leaves
    "bot.engine": {"bot.engine", "store"},
    "bot.features": {"bot.engine", "bot.features", "store"},
    "bot.transports": {"bot.engine", "bot.transports"},
}
ROOM_THIRD_PARTY = {
    "bot.engine": set(),
    "bot.features": set(),
    "bot.transports": {"telegram", "httpx", "aiohttp"},
}


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


def in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def room_problems(path: Path, room: str) -> list[str]:
    """The imports of ``path`` (a module of ``room``, e.g. ``bot.engine``) its room forbids."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    problems = []
    for name in sorted(imported_modules(path)):
        top = name.split(".")[0]
        if top in stdlib or is_leaf(name):
            continue
        if top in PROJECT:
            allowed = any(in_package(name, package) for package in ROOMS[room])
        else:
            allowed = top in ROOM_THIRD_PARTY[room]
        if not allowed:
            problems.append(f"{path.name} imports {name}")
    return problems


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_bot_rooms_import_by_the_rules(room: str) -> None:
    folder = ROOT / room.replace(".", "/")
    problems = []
    for path in sorted(folder.rglob("*.py")):
        problems += room_problems(path, room)
    assert not problems, f"{room} imports what its room may not:\n" + "\n".join(problems)


def test_every_bot_module_lives_in_a_room() -> None:
    """``bot/`` holds rooms only: a new module goes into the engine, a feature or a transport."""
    loose = [path.name for path in (ROOT / "bot").glob("*.py") if path.name != "__init__.py"]
    assert not loose, f"modules outside bot's rooms: {loose}"
    rooms = {module_name(path.parent) for path in (ROOT / "bot").glob("*/__init__.py")}
    assert rooms == set(ROOMS)


def test_checker_catches_a_room_breaking_the_rules(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.features.reading import register\nfrom bot.engine.core import BotCore\n"
                   "import telegram\nfrom store import Store\nfrom bantin.text import nfc\n")
    assert room_problems(bad, "bot.engine") == [
        "bad.py imports bot.features.reading", "bad.py imports telegram",
    ]
    assert room_problems(bad, "bot.transports") == [
        "bad.py imports bot.features.reading", "bad.py imports store",
    ]
    assert room_problems(bad, "bot.features") == ["bad.py imports telegram"]


def is_fixture_home(part: str) -> bool:
    """``conftest`` or a test module: where fixtures and tests live, not shared helpers."""
    return part == "conftest" or part.startswith("test_")


def where(path: Path, node: ast.stmt) -> str:
    """``path:line`` for a report, relative to the repository when the file is in it."""
    return f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name}:{node.lineno}"


def fixture_home_imports(path: Path) -> list[str]:
    """The imports of ``path`` that reach into a ``conftest`` or a test module, however they
    are spelled."""
    found = []
    for node in import_statements(path):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            base = "." * node.level + (node.module or "")
            modules = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        if any(is_fixture_home(part) for module in modules for part in module.split(".")):
            found.append(where(path, node))
    return found


def test_no_test_imports_a_conftest_or_another_test_module() -> None:
    """Shared helpers go to tests/helpers/ or tests/fakes/, not into a conftest or a test."""
    found = [hit for path in sorted((ROOT / "tests").rglob("*.py"))
             for hit in fixture_home_imports(path)]
    assert not found, ("conftest or test module imported (move the helper to tests/helpers or "
                       "tests/fakes, the fixture to the nearest conftest):\n" + "\n".join(found))


def test_checker_catches_every_spelling_of_such_an_import(tmp_path: Path) -> None:
    spellings = ["from tests.bot.conftest import NOW", "import tests.conftest",
                 "from tests.zalo import conftest", "from .conftest import fast_settings",
                 "from . import conftest", "def f():\n    from conftest import make_article",
                 "from tests.bantin.test_cli import run", "from tests.zalo import test_webhook"]
    for line in spellings:
        bad = tmp_path / "bad.py"
        bad.write_text(line + "\n")
        assert fixture_home_imports(bad), line
    fine = tmp_path / "fine.py"
    fine.write_text("from tests.helpers.articles import NOW\nimport conftest_like\n"
                    "from bot.engine import messages\n")
    assert fixture_home_imports(fine) == []


SHARED_HOMES = {"helpers", "fakes"}  # the folders of tests/ other folders may import from


def package_of(path: Path) -> str:
    """The dotted package of a file under ``tests/`` (``tests`` for a file outside the tree), to
    resolve its relative imports."""
    if path.is_relative_to(ROOT / "tests"):
        return ".".join(path.parent.relative_to(ROOT).parts)
    return "tests"


def absolute(node: ast.ImportFrom, package: str) -> str:
    """The module an ``import from`` names, relative dots resolved against ``package``."""
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = parts[:len(parts) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def stray_shared_imports(path: Path, package: str) -> list[str]:
    """The imports of ``path`` that take something of ``tests`` from outside ``SHARED_HOMES``
    (a builder kept beside one folder's tests and imported from another's)."""
    found = []
    for node in import_statements(path):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            base = absolute(node, package)
            modules = [f"{base}.{alias.name}" if base == "tests" else base
                       for alias in node.names]
        for module in modules:
            parts = module.split(".")
            if parts[0] == "tests" and (len(parts) < 2 or parts[1] not in SHARED_HOMES):
                found.append(f"{where(path, node)} imports {module}")
    return found


def test_tests_share_only_through_helpers_and_fakes() -> None:
    """A builder two folders use lives in tests/helpers/, a fake in tests/fakes/: so a newcomer
    finds every shared piece in two places, and deleting one folder's tests breaks no other."""
    found = [hit for path in sorted((ROOT / "tests").rglob("*.py"))
             for hit in stray_shared_imports(path, package_of(path))]
    assert not found, ("shared test code imported from outside tests/helpers and tests/fakes "
                       "(move it there):\n" + "\n".join(found))


def test_checker_catches_shared_code_taken_from_another_folder(tmp_path: Path) -> None:
    bad_lines = ["from tests.stories.fixtures import three_outlets",
                 "import tests.security.hostile", "from tests import stories",
                 "def f():\n    from tests.ingest.fixtures import PAGE"]
    for line in bad_lines:
        bad = tmp_path / "bad.py"
        bad.write_text(line + "\n")
        assert stray_shared_imports(bad, "tests.bot"), line
    relative = tmp_path / "rel.py"
    relative.write_text("from .fixtures import three_outlets\nfrom ..helpers import stories\n")
    assert stray_shared_imports(relative, "tests.stories") == [
        "rel.py:1 imports tests.stories.fixtures"]
    fine = tmp_path / "fine.py"
    fine.write_text("from tests.helpers.stories import save_all\nfrom tests import fakes\n"
                    "import tests.fakes.hostile\nfrom tests.fakes import telegram_server\n"
                    "from store import Article\n")
    assert stray_shared_imports(fine, "tests.bot") == []
