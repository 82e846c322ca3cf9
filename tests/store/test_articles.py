"""Saving articles: one row per article, updates in place, NFC everywhere."""

from __future__ import annotations

import unicodedata

import pytest

from store import NotFound, Store
from tests.helpers.articles import make_article


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


def test_link_is_kept_apart_from_the_dedup_key(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(make_article(1, link="http://www.example.vn/tin/1.html"))
    article = fresh_store.articles.get(article_id)
    assert article.url == "https://example.vn/tin/1.html"
    assert article.reader_url == "http://www.example.vn/tin/1.html" and article.has_link
    [found] = fresh_store.search.search("tin thu 1")
    assert found.reader_url == "http://www.example.vn/tin/1.html"


def test_without_a_link_readers_get_the_url_and_a_scrape_gets_none(fresh_store: Store) -> None:
    _, web = fresh_store.articles.save(make_article(1))
    _, scrape = fresh_store.articles.save(make_article(2, url="urn:bantin:abc"))
    assert fresh_store.articles.get(web).reader_url == "https://example.vn/tin/1.html"
    assert fresh_store.articles.get(scrape).reader_url is None
    assert not fresh_store.articles.get(scrape).has_link


def test_an_update_in_place_takes_the_new_link(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(make_article(1, link="http://www.example.vn/tin/1.html"))
    outcome, same = fresh_store.articles.save(
        make_article(1, text="Bản cập nhật.", link="https://example.vn/tin/1.html"))
    assert (outcome, same) == ("updated", article_id)
    assert fresh_store.articles.get(article_id).link == "https://example.vn/tin/1.html"
    # The publisher moved the page and nothing else: the row still follows the new address.
    assert fresh_store.articles.save(
        make_article(1, text="Bản cập nhật.", link="https://www.example.vn/tin/1.html"))[0] == "updated"
    assert fresh_store.articles.get(article_id).link == "https://www.example.vn/tin/1.html"
    # Saved again without a link (or with the same one), it keeps the one it has.
    assert fresh_store.articles.save(make_article(1, text="Bản cập nhật."))[0] == "unchanged"
    assert fresh_store.articles.get(article_id).link == "https://www.example.vn/tin/1.html"
    assert fresh_store.articles.count() == 1


def test_same_content_under_another_url_keeps_the_rows_own_link(fresh_store: Store) -> None:
    _, article_id = fresh_store.articles.save(make_article(1, link="http://www.example.vn/tin/1.html"))
    outcome, same = fresh_store.articles.save(
        make_article(1, url="https://other.vn/copy", link="https://other.vn/copy"))
    assert (outcome, same) == ("unchanged", article_id)
    article = fresh_store.articles.get(article_id)
    assert (article.url, article.link) == ("https://example.vn/tin/1.html",
                                            "http://www.example.vn/tin/1.html")


def test_a_new_article_whose_search_key_is_taken_gets_the_next_free_one(
    fresh_store: Store,
) -> None:
    """A real collision: the second article is published in the same second as the first and
    its id is 2**24 more, so the key written with its row is taken; it takes the one below."""
    from store.articles import search_key

    _, storm = fresh_store.articles.save(make_article(1, title="Bão số 3 đổ bộ"))
    with fresh_store.database.transaction() as conn:  # ids jump: the next one is 2**24 + 1
        conn.execute("INSERT INTO articles (id, url, fetched_at, updated_at, sort_at, "
                     "content_hash) VALUES (?, 'urn:gap', '2024-01-01T00:00:00+00:00', "
                     "'2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00', 'gap')",
                     (1 << 24,))
    same_second = make_article(1).published_at
    _, fire = fresh_store.articles.save(
        make_article(2, title="Cháy chợ Đồng Xuân", published_at=same_second))
    assert fire == (1 << 24) + 1
    keys = dict(fresh_store.database.execute(
        "SELECT id, search_key FROM articles WHERE id IN (?, ?)", (storm, fire)).fetchall())
    assert keys[storm] == search_key(same_second, storm) == search_key(same_second, fire)
    assert keys[fire] == keys[storm] - 1
    assert [a.id for a in fresh_store.search.search("bao so 3")] == [storm]
    assert [a.id for a in fresh_store.search.search("cho dong xuan")] == [fire]
    fresh_store.articles.save(
        make_article(2, title="Cháy chợ Hôm", published_at=same_second))
    assert fresh_store.search.search("dong xuan") == []
    assert [a.id for a in fresh_store.search.search("cho hom")] == [fire]


def test_articles_whose_search_keys_collide_are_both_found(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys are time << 24 | id, so ids 2**24 apart in one second collide: the second article
    takes the next free key, and each stays found and changeable (the folded indexes keep no
    rowid check of their own, so the unique key in ``articles`` must catch it)."""
    import store.articles

    monkeypatch.setattr(store.articles, "search_key", lambda moment, article_id: 1 << 40)
    _, storm = fresh_store.articles.save(make_article(1, title="Bão số 3 đổ bộ"))
    _, fire = fresh_store.articles.save(make_article(2, title="Cháy chợ Đồng Xuân"))
    assert [a.id for a in fresh_store.search.search("bao so 3")] == [storm]
    assert [a.id for a in fresh_store.search.search("cho dong xuan")] == [fire]
    fresh_store.articles.save(make_article(2, title="Cháy chợ Hôm"))
    assert fresh_store.search.search("dong xuan") == []
    assert [a.id for a in fresh_store.search.search("bao so 3")] == [storm]
    assert [a.id for a in fresh_store.search.search("cho hom")] == [fire]
