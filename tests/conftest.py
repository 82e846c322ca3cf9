"""Shared fixtures: a fresh SQLite file per test, like sqlite-utils' ``fresh_db``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from store import Article, Store


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "bantin.db"


@pytest.fixture
def fresh_store(store_path: Path) -> Iterator[Store]:
    store = Store(store_path)
    yield store
    store.close()


def make_article(n: int = 1, **overrides) -> Article:
    """A small Vietnamese article, distinct for each ``n``."""
    base = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    values = dict(
        url=f"https://example.vn/tin/{n}.html",
        source="Báo Mẫu",
        title=f"Tin thứ {n} về giao thông",
        lead=f"Đây là phần mở đầu của tin số {n}.",
        text=f"Nội dung chính của tin số {n}. Người dân phấn khởi.",
        published_at=base + timedelta(hours=n),
        fetched_at=base + timedelta(hours=n, minutes=5),
    )
    values.update(overrides)
    return Article(**values)


@pytest.fixture
def article_factory():
    return make_article
