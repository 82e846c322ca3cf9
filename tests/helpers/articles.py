"""Small Vietnamese articles made for the tests (no dataset), and stores filled with them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from store import Article, Store

NOW = datetime(2024, 11, 28, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội: the bots' clock in tests

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


def add_articles(store: Store, count: int, **overrides) -> list[int]:
    """``count`` articles published 1, 2, … hours before ``NOW``, each with a summary."""
    ids = []
    for n in range(1, count + 1):
        article = make_article(n, published_at=NOW - timedelta(hours=n), fetched_at=NOW,
                               summary=f"Tóm tắt tin số {n}.", **overrides)
        ids.append(store.articles.save(article)[1])
    return ids


STORM_TITLES = ("Bão số 3 đổ bộ Quảng Ninh", "Sáng nay bão suy yếu thành áp thấp",
                "Đồng bào vùng cao đón Tết", "Không khí lạnh bao trùm miền Bắc",
                "Vợ chồng Bảo Thanh về quê", "Nấm bào ngư vào mùa", "Báo chí cách mạng")


def add_storm_articles(store: Store) -> None:
    """Two storms ("bão"), older than five articles whose words fold to the same "bao"."""
    for n, title in enumerate(STORM_TITLES, start=1):
        hours = 100 + n if n <= 2 else n  # the storms are the oldest
        store.articles.save(make_article(
            60 + n, title=title, lead="", text=f"{title}.", summary=f"Tóm tắt: {title}.",
            published_at=NOW - timedelta(hours=hours), fetched_at=NOW))
