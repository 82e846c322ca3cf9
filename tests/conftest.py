"""Shared fixtures: a fresh SQLite file per test, like sqlite-utils' ``fresh_db``."""

from __future__ import annotations

import random
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


_POOL = ("cầu đường sông núi chợ phố làng trường xe tàu điện nước lúa cá rừng biển mưa nắng gió "
         "đèn nhà máy kho cảng sân ga hầm đê đồi suối ruộng vườn hồ đảo bến thuyền bàn ghế sách "
         "vở bút mực giấy áo quần mũ giày dép bánh kẹo trà cà phê sữa gạo muối đường tiêu ớt tỏi "
         "hành gừng nghệ chanh cam bưởi xoài dừa chuối mít ổi na vải nhãn").split()


def _words(seed: int, count: int) -> str:
    """Words of their own for each article, so unrelated test articles never read as one story."""
    return " ".join(random.Random(seed).choices(_POOL, k=count))


def make_article(n: int = 1, **overrides) -> Article:
    """A small Vietnamese article, distinct for each ``n``."""
    base = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    values = dict(
        url=f"https://example.vn/tin/{n}.html",
        source="Báo Mẫu",
        title=f"Tin thứ {n} về giao thông",
        lead=f"{_words(n, 14).capitalize()}.",
        text=f"{_words(-n, 16).capitalize()}. {_words(100 + n, 9).capitalize()}.",
        published_at=base + timedelta(hours=n),
        fetched_at=base + timedelta(hours=n, minutes=5),
    )
    values.update(overrides)
    return Article(**values)


@pytest.fixture
def article_factory():
    return make_article
