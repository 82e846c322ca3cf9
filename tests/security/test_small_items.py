"""Invisible controls in titles, authors and sources; private database and backup files."""

from __future__ import annotations

import os
import stat

from bantin.pipeline import to_article
from ingest.articles import finish
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
    article = to_article(finish(ExtractedArticle(
        title=f"Tin\u202e{CONTROLS} mới", url="https://bao.vn/2.htm", source=f"Báo\u200b{CONTROLS}",
        author=f"An\ufeff{CONTROLS}", lead="Lời dẫn.", paragraphs=["Nội dung."])))
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


def test_external_entities_and_entity_bombs_in_feeds_are_not_expanded():
    xxe = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<rss version="2.0"><channel><title>T</title><item><title>a &x; b</title>'
           "<link>https://bao.vn/1</link><description>&x;</description></item></channel></rss>")
    [item] = parse_feed(xxe, "https://bao.vn/rss").items
    assert "root:" not in item.title and "root:" not in (item.description or "")
    entities = "".join(
        f'<!ENTITY lol{i} "' + f"&lol{'' if i == 1 else i - 1};" * 10 + '">' for i in range(1, 10))
    bomb = (f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">{entities}]>'
            '<rss version="2.0"><channel><title>T</title><item><title>&lol9;</title>'
            "<link>https://bao.vn/2</link></item></channel></rss>")
    feed = parse_feed(bomb, "https://bao.vn/rss")
    assert all(len(item.title) < 100 for item in feed.items)  # 10⁹ "lol"s never built
    assert feed.problem  # the parser stopped and said why
