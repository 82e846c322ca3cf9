"""Fixtures every test may use: a fresh SQLite file per test (like sqlite-utils' ``fresh_db``)
and a local HTTP server on 127.0.0.1. Builders and fakes live in ``tests.helpers`` and
``tests.fakes``; test modules import those, never a conftest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Store
from tests.fakes.http_server import LocalServer
from tests.helpers.articles import make_article


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "bantin.db"


@pytest.fixture
def fresh_store(store_path: Path) -> Iterator[Store]:
    store = Store(store_path)
    yield store
    store.close()


@pytest.fixture
def article_factory():
    return make_article


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 whose ``routes`` the test fills."""
    local = LocalServer()
    yield local
    local.close()
