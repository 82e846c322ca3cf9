"""Opening databases: migrations, newer schemas, files that are not SQLite."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from store import SCHEMA_VERSION, Article, Store, StoreError
from store.db import connect
from store.migrations import MIGRATIONS, migrate


def test_new_database_is_at_the_latest_version(store_path: Path) -> None:
    Store(store_path).close()
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rerunning_migrations_is_a_no_op(store_path: Path) -> None:
    Store(store_path).close()
    conn = connect(store_path)
    assert migrate(conn) == 0


def test_data_survives_reopening(store_path: Path) -> None:
    from tests.helpers.articles import make_article

    store = Store(store_path)
    store.articles.save(make_article(1))
    store.close()
    reopened = Store(store_path)
    assert reopened.articles.count() == 1
    reopened.close()


def test_newer_database_is_refused(store_path: Path) -> None:
    Store(store_path).close()
    conn = sqlite3.connect(store_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this bantin supports"):
        Store(store_path)


def test_file_that_is_not_sqlite_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("mua rau, mua cá\n", encoding="utf-8")
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store(path)
    assert path.read_text(encoding="utf-8") == "mua rau, mua cá\n"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nope" / "bantin.db")


def test_backup_is_a_consistent_copy(fresh_store: Store, tmp_path: Path) -> None:
    from tests.helpers.articles import make_article

    fresh_store.articles.save(make_article(1))
    target = tmp_path / "copy.db"
    fresh_store.backup(target)
    copy = Store(target)
    assert copy.articles.count() == 1
    assert copy.search.search("giao thong")
    copy.close()
    with pytest.raises(StoreError, match="already exists"):
        fresh_store.backup(target)


def test_upgrade_fills_the_titles_index_from_existing_articles(store_path: Path) -> None:
    """A schema-2 database (no titles index) finds its articles by title once upgraded."""
    conn = _database_made_by_migrations(store_path, 2)
    _insert_schema_6_article(conn, 7, "Huế mùa lễ hội", "Du khách đông.",
                             "2024-06-05T08:00:00+00:00")
    conn.close()
    upgraded = Store(store_path)
    assert [a.id for a in upgraded.search.search("hue")] == [7]
    upgraded.close()


def _database_made_by_migrations(path: Path, last: int) -> sqlite3.Connection:
    """A database as bantin left it at schema ``last``: those migrations exactly."""
    conn = sqlite3.connect(path, isolation_level=None)
    for number, migration in enumerate(MIGRATIONS[:last], start=1):
        conn.execute("BEGIN")
        migration(conn)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    return conn


def _insert_schema_6_article(conn: sqlite3.Connection, n: int, title: str, text: str,
                             when: str, key: int | None = None) -> int:
    """An article saved as bantin did up to schema 6: the row, its folded copy in
    ``articles_fts`` (``article_id`` beside it) and, from schema 3, in ``titles_fts``."""
    from bantin.text import fold
    from store.articles import content_hash, search_key

    key = search_key(datetime.fromisoformat(when), n) if key is None else key
    conn.execute(
        "INSERT INTO articles (id, url, title, text, fetched_at, updated_at, sort_at, "
        "published_at, content_hash, search_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (n, f"https://example.vn/{n}", title, text, when, when, when, when,
         content_hash(title, "", text), key),
    )
    conn.execute("INSERT INTO articles_fts (rowid, title, body, article_id) "
                 "VALUES (?, ?, ?, ?)", (key, fold(title), fold("\n" + text), n))
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'titles_fts'").fetchone():
        conn.execute("INSERT INTO titles_fts (rowid, title, article_id) VALUES (?, ?, ?)",
                     (key, fold(title), n))
    return key


def _database_made_by_migration_5(path: Path) -> sqlite3.Connection:
    """A database as bantin left it before links: migrations 1-5 exactly, nothing newer."""
    return _database_made_by_migrations(path, 5)


def test_migration_6_keeps_every_article_and_fills_its_link(store_path: Path) -> None:
    from store.articles import content_hash

    conn = _database_made_by_migration_5(store_path)
    # Keys as the old canonical_url wrote them: https, except local and IP hosts kept http.
    keys = ["https://baohatinh.vn/tin/1.htm", "http://127.0.0.1:8080/tin/2.htm",
            "urn:bantin:0123456789abcdef0123",
            "http://127.0.0.1:8080/tin/3.htm", "https://127.0.0.1:8080/tin/3.htm"]
    for n, key in enumerate(keys, start=1):
        conn.execute(
            "INSERT INTO articles (url, title, lead, text, fetched_at, updated_at, sort_at, "
            "content_hash) VALUES (?, ?, '', ?, ?, ?, ?, ?)",
            (key, f"Tin {n}", f"Nội dung {n}.", "2024-05-01T08:00:00+00:00",
             "2024-05-01T08:00:00+00:00", "2024-05-01T08:00:00+00:00",
             content_hash(f"Tin {n}", "", f"Nội dung {n}.")),
        )
    conn.close()

    store = Store(store_path)
    try:
        assert store.articles.count() == len(keys)
        first, local, scrape, *_ = (store.articles.get(n) for n in range(1, 6))
        assert (first.url, first.link) == (keys[0], keys[0])
        # The local row gets the https key of today's canonical_url and keeps its http link.
        assert (local.url, local.reader_url) == ("https://127.0.0.1:8080/tin/2.htm", keys[1])
        assert scrape.url == keys[2] and scrape.link is None and not scrape.has_link
        # Two keys that would collide stay two rows, each with its own link.
        assert [(a.url, a.link) for a in (store.articles.get(4), store.articles.get(5))] == [
            (keys[3], keys[3]), (keys[4], keys[4])]
        # The upgraded key still dedups: the same article ingested again is the same row.
        outcome, article_id = store.articles.save(Article(
            url="https://127.0.0.1:8080/tin/2.htm", link="http://127.0.0.1:8080/tin/2.htm",
            title="Tin 2", text="Nội dung 2."))
        assert (outcome, article_id) == ("unchanged", 2) and store.articles.count() == len(keys)
    finally:
        store.close()
    assert sqlite3.connect(store_path).execute("PRAGMA user_version").fetchone()[0] == (
        SCHEMA_VERSION)


def test_migration_7_indexes_existing_articles_with_their_diacritics(store_path: Path) -> None:
    """A schema-6 database (articles and folded indexes with their own copy of the text) gains
    the exact indexes in place, and its folded indexes become contentless: nothing is lost."""
    conn = _database_made_by_migrations(store_path, 6)
    rows = [("Đồng bào vùng cao đón Tết", "Bà con phấn khởi.", "2024-06-05T08:00:00+00:00"),
            ("Bão số 3 đổ bộ Đà Nẵng", "Gió giật cấp 12.", "2024-06-01T08:00:00+00:00")]
    keys = [_insert_schema_6_article(conn, n, title, text, when)
            for n, (title, text, when) in enumerate(rows, start=1)]
    # A key repeated by hand (never written by bantin): the row must still be found afterwards.
    conn.execute(
        "INSERT INTO articles (id, url, title, text, fetched_at, updated_at, sort_at, "
        "content_hash, search_key) VALUES (3, 'https://example.vn/3', 'Hội An đón khách', "
        "'Phố cổ.', ?, ?, ?, 'h3', ?)", (rows[1][2], rows[1][2], rows[1][2], keys[1]))
    conn.close()

    store = Store(store_path)
    try:
        assert store.articles.count() == 3
        assert [a.id for a in store.search.search("bão")] == [2, 1]  # the storm before the newer "bào"
        assert [a.id for a in store.search.search("bao")] == [1, 2]
        assert [a.id for a in store.search.search("da nang")] == [2]
        assert [a.id for a in store.search.search("hoi an")] == [3]
        # The folded indexes keep no text of their own any more, only keys.
        assert store.database.execute("SELECT title FROM articles_fts").fetchall() == [
            (None,)] * 3
        # An upgraded row can be changed: its old entries are removed, the new ones found.
        outcome, _ = store.articles.save(Article(url="https://example.vn/2",
                                                 title="Bão số 4 suy yếu", text="Mưa nhỏ."))
        assert outcome == "updated"
        assert [a.id for a in store.search.search("bão số 4")] == [2]
        assert store.search.search("bão số 3") == []
        assert store.search.search("bao so 3") == []
        assert store.search.search("da nang") == []
        assert [a.id for a in store.search.search("bao so 4")] == [2]
        for table in ("articles_fts", "titles_fts", "exact_fts", "exact_titles_fts"):
            store.database.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    finally:
        store.close()
    version = sqlite3.connect(store_path).execute("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION
