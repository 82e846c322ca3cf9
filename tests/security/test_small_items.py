"""Invisible controls in titles, authors and sources; private database and backup files."""

from __future__ import annotations

import os
import stat

from bantin.pipeline import to_article
from ingest.feeds import parse_feed
from ingest.model import ExtractedArticle
from store import Store

CONTROLS = "\u200b\u200d\ufeff\u202e\u2066\u200f"


def test_titles_authors_and_sources_lose_invisible_controls():
    feed = parse_feed(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo</title>'
        f"<item><title>Hà\u202eTĩnh{CONTROLS} mở đường</title><link>https://bao.vn/1.htm</link>"
        f"<author>Thu\u200dHà</author></item></channel></rss>", "https://bao.vn/rss")
    [item] = feed.items
    assert item.title == "HàTĩnh mở đường" and item.author == "ThuHà"
    article = to_article(ExtractedArticle(
        title=f"Tin\u202e{CONTROLS} mới", url="https://bao.vn/2.htm", source=f"Báo\u200b{CONTROLS}",
        author=f"An\ufeff{CONTROLS}", lead="Lời dẫn.", paragraphs=["Nội dung."]))
    assert (article.title, article.source, article.author) == ("Tin mới", "Báo", "An")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_and_backup_files_are_private(tmp_path):
    old = os.umask(0o022)  # the common default, which would make them world-readable
    try:
        store = Store(tmp_path / "bantin.db")
        store.backup(tmp_path / "copy.db")
        # While open, the write-ahead log and shared-memory files exist: private too.
        assert _mode(tmp_path / "bantin.db-wal") == 0o600
        assert _mode(tmp_path / "bantin.db-shm") == 0o600
        store.close()
    finally:
        os.umask(old)
    assert _mode(tmp_path / "bantin.db") == 0o600
    assert _mode(tmp_path / "copy.db") == 0o600
