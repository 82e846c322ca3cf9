"""Opening databases: migrations, newer schemas, files that are not SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import SCHEMA_VERSION, Store, StoreError
from store.db import connect
from store.migrations import migrate


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
    from tests.conftest import make_article

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
    from tests.conftest import make_article

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
    from tests.conftest import make_article

    store = Store(store_path)
    _, article_id = store.articles.save(make_article(1, title="Huế mùa lễ hội"))
    store.close()
    conn = sqlite3.connect(store_path)
    conn.execute("DROP TABLE titles_fts")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    upgraded = Store(store_path)
    assert [a.id for a in upgraded.search.search("hue")] == [article_id]
    upgraded.close()
