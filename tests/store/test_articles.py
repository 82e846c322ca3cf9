"""Saving articles: one row per article, updates in place, NFC everywhere."""

from __future__ import annotations

import unicodedata

import pytest

from store import NotFound, Store
from tests.conftest import make_article


def test_same_url_twice_keeps_one_row(fresh_store: Store) -> None:
    assert fresh_store.articles.save(make_article(1))[0] == "new"
    assert fresh_store.articles.save(make_article(1))[0] == "unchanged"
    assert fresh_store.articles.count() == 1


def test_same_content_under_another_url_is_one_row(fresh_store: Store) -> None:
    _, first = fresh_store.articles.save(make_article(1))
    outcome, second = fresh_store.articles.save(make_article(1, url="urn:bantin:abc"))
    assert (outcome, second) == ("unchanged", first)
    assert fresh_store.articles.count() == 1


def test_changed_content_updates_the_row(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(make_article(1))
    outcome, same_id = fresh_store.articles.save(make_article(1, text="Bản cập nhật."))
    assert (outcome, same_id) == ("updated", article_id)
    assert fresh_store.articles.get(article_id).text == "Bản cập nhật."


def test_text_is_stored_in_nfc(fresh_store: Store) -> None:
    nfd = unicodedata.normalize("NFD", "Tiếng Việt có dấu")
    _, article_id = fresh_store.articles.save(make_article(1, title=nfd))
    assert fresh_store.articles.get(article_id).title == "Tiếng Việt có dấu"


def test_latest_is_newest_first(fresh_store: Store) -> None:
    for n in (2, 5, 1, 4, 3):
        fresh_store.articles.save(make_article(n))
    assert [a.title for a in fresh_store.articles.latest(3)] == [
        "Tin thứ 5 về giao thông", "Tin thứ 4 về giao thông", "Tin thứ 3 về giao thông",
    ]


def test_missing_article_raises_not_found(fresh_store: Store) -> None:
    with pytest.raises(NotFound):
        fresh_store.articles.get(42)


def test_naive_datetime_is_refused(fresh_store: Store) -> None:
    from datetime import datetime

    with pytest.raises(ValueError):
        fresh_store.articles.save(make_article(1, published_at=datetime(2024, 1, 1)))


def test_summary_is_kept_when_an_update_brings_none(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(make_article(1, summary="Tóm tắt."))
    fresh_store.articles.save(make_article(1, text="Sửa lỗi chính tả.", summary=""))
    assert fresh_store.articles.get(article_id).summary == "Tóm tắt."
