"""Vietnamese search: folding, ranking, snippets and hostile queries."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bantin.text import fold
from store import Store
from tests.conftest import make_article


@pytest.fixture
def danang(fresh_store: Store) -> int:
    fresh_store.articles.save(make_article(1))
    _, article_id = fresh_store.articles.save(
        make_article(
            2,
            title="Đà Nẵng khai mạc lễ hội pháo hoa quốc tế",
            lead="Tối 1/6, thành phố Đà Nẵng khai mạc lễ hội pháo hoa.",
            text="Hàng nghìn người dân đổ về bờ sông Hàn xem pháo hoa.",
        )
    )
    fresh_store.articles.save(make_article(3))
    return article_id


def test_fold_removes_every_mark_and_d_stroke() -> None:
    assert fold("ĐÀ NẴNG đường Nguyễn Huệ") == "da nang duong nguyen hue"


def test_fold_keeps_positions() -> None:
    text = "Thủ tướng Phạm Minh Chính thăm Đà Nẵng 🎆 và Huế."
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    "query",
    ["da nang", "Đà Nẵng", "ĐÀ NẴNG", "đà nẵng", unicodedata.normalize("NFD", "Đà Nẵng"), "DA NANG"],
)
def test_every_spelling_finds_the_same_article(fresh_store: Store, danang: int, query: str) -> None:
    results = fresh_store.search.search(query)
    assert [a.id for a in results] == [danang]


def test_snippet_is_cut_from_the_original_text(fresh_store: Store, danang: int) -> None:
    [hit] = fresh_store.search.search("song han")
    assert "sông Hàn" in hit.snippet


@pytest.mark.parametrize(
    "query",
    ['"', '"*', "*", "AND", "OR", "NOT", "NEAR(", "a NEAR(b", "-", "'", ":", "title:x", "(", ")",
     "^", "🎆🎆", "đà \"nẵng", "x" * 10_000, "đà " * 5_000, "", "   ", "\x00", "\\"],
)
def test_hostile_queries_never_raise(fresh_store: Store, danang: int, query: str) -> None:
    results = fresh_store.search.search(query)
    assert isinstance(results, list)


def test_operator_words_are_searched_as_text(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(
        make_article(9, title="Tranh luận OR và AND trong lập trình")
    )
    assert [a.id for a in fresh_store.search.search("AND OR")] == [article_id]


def test_title_match_ranks_above_body_match(fresh_store: Store) -> None:
    _, body_only = fresh_store.articles.save(
        make_article(
            1, title="Thời tiết hôm nay",
            text="Bão số 3 đổ bộ Quảng Ninh. Bão mạnh. Bão gây mưa lớn. Bão bão bão.",
            published_at=datetime(2024, 6, 2, tzinfo=UTC),
        )
    )
    _, in_title = fresh_store.articles.save(
        make_article(
            2, title="Bão số 3 đổ bộ Quảng Ninh", text="Chính quyền sơ tán người dân.",
            published_at=datetime(2024, 6, 1, tzinfo=UTC),
        )
    )
    assert [a.id for a in fresh_store.search.search("bao")] == [in_title, body_only]


def test_ties_go_to_the_newer_article(fresh_store: Store) -> None:
    ids = []
    for n, day in ((1, 1), (2, 3), (3, 2)):
        _, article_id = fresh_store.articles.save(
            make_article(
                n, title="Giá xăng giảm", lead="", text=f"Bản tin số {n}.",
                published_at=datetime(2024, 6, day, tzinfo=UTC),
            )
        )
        ids.append(article_id)
    assert [a.id for a in fresh_store.search.search("gia xang")] == [ids[1], ids[2], ids[0]]


def test_paging_with_offset(fresh_store: Store) -> None:
    for n in range(1, 8):
        fresh_store.articles.save(make_article(n))
    first = fresh_store.search.search("giao thong", limit=5)
    second = fresh_store.search.search("giao thong", limit=5, offset=5)
    assert len(first) == 5 and len(second) == 2
    assert not {a.id for a in first} & {a.id for a in second}
    assert fresh_store.search.count("giao thong") == 7


def test_updated_article_is_found_by_its_new_words(fresh_store: Store) -> None:
    fresh_store.articles.save(make_article(1, text="Nội dung cũ."))
    outcome, _ = fresh_store.articles.save(make_article(1, text="Nội dung mới về Hội An."))
    assert outcome == "updated"
    assert len(fresh_store.search.search("hoi an")) == 1
    assert fresh_store.search.search("noi dung cu") == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_safe_query(tmp_path_factory, query: str) -> None:
    store = Store(tmp_path_factory.mktemp("q") / "q.db")
    try:
        store.articles.save(make_article(1))
        assert isinstance(store.search.search(query), list)
    finally:
        store.close()


def test_title_phrase_ranks_above_scattered_title_words(fresh_store: Store) -> None:
    """Without diacritics "da nang" also matches "bóng đá … nâng"; "Đà Nẵng" must come first."""
    _, scattered = fresh_store.articles.save(make_article(
        1, title="Bóng đá nữ nâng tầm", text="Đội tuyển được nâng cấp sân tập.",
        published_at=datetime(2024, 6, 3, tzinfo=UTC),
    ))
    _, body_only = fresh_store.articles.save(make_article(
        2, title="Lễ hội mùa hè", text="Du khách đổ về Đà Nẵng dịp cuối tuần.",
        published_at=datetime(2024, 6, 2, tzinfo=UTC),
    ))
    _, title_phrase = fresh_store.articles.save(make_article(
        3, title="Đà Nẵng đón khách", text="Khách quốc tế tăng mạnh.",
        published_at=datetime(2024, 6, 1, tzinfo=UTC),
    ))
    assert [a.id for a in fresh_store.search.search("da nang")] == [
        title_phrase, scattered, body_only,
    ]
    assert [a.id for a in fresh_store.search.search("da nang", limit=1, offset=1)] == [scattered]
