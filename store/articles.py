"""Articles: saving with dedup, reading the newest, and counting."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

from bantin.text import fold, nfc
from store import grouping, story_window
from store.db import Database, from_iso, stored_time, to_iso, utcnow
from store.errors import NotFound

SaveOutcome = Literal["new", "updated", "unchanged"]


@dataclass
class Article:
    """An article as the store keeps it. ``id`` is ``None`` until saved.

    ``url`` is the dedup key (unique; normalised by ingest, or a ``urn:bantin:`` identifier);
    ``link`` is the publisher's own address, the one readers open (``reader_url``).
    """

    url: str
    title: str
    source: str = ""
    lead: str = ""
    text: str = ""
    author: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    category: str | None = None
    summary: str = ""
    simhash: int | None = None
    extraction_note: str | None = None
    content_hash: str = ""
    link: str | None = None
    id: int | None = None
    snippet: str | None = field(default=None, compare=False)

    @property
    def reader_url(self) -> str | None:
        """The address a reader clicks: ``link``, else ``url`` (rows saved without a link);
        ``None`` for a ``.txt`` scrape, which has an identifier and no web address."""
        address = self.link or self.url
        return address if address.startswith(("http://", "https://")) else None

    @property
    def has_link(self) -> bool:
        """Articles from a ``.txt`` scrape have an identifier, not a web address."""
        return self.reader_url is not None

    @property
    def sort_at(self) -> datetime:
        return self.published_at or self.fetched_at or utcnow()


@dataclass
class _Folded:
    """The folded forms of an article, computed once: for the index and for the hash."""

    title: str
    body: str

    @classmethod
    def of(cls, article: Article) -> _Folded:
        return cls(fold(article.title), fold(article.lead + "\n" + article.text))

    @property
    def digest(self) -> str:
        words = " ".join(self.title.split()) + "\n" + " ".join(self.body.split())
        return hashlib.sha256(words.encode("utf-8")).hexdigest()


def content_hash(title: str, lead: str, text: str) -> str:
    """A hash of the folded content, so the same article re-fetched matches itself."""
    return _Folded.of(Article(url="", title=title, lead=lead, text=text)).digest


def _addressless(link: str | None, url: str) -> bool:
    """A row with no web address at all: no link, and an identifier (``urn:``) for a key."""
    return not link and not url.startswith(("http://", "https://"))


def search_key(moment: datetime, article_id: int) -> int:
    """A rowid for the search index that sorts like the article's time (then its id)."""
    return (max(0, int(moment.timestamp())) << 24) | (article_id & 0xFFFFFF)


def _normalise(article: Article) -> _Folded:
    """NFC every text field in place; return the folded forms (and set the content hash)."""
    for name in ("url", "title", "source", "lead", "text", "summary"):
        setattr(article, name, nfc(getattr(article, name) or "").strip())
    article.link = nfc(article.link).strip() or None if article.link else None
    if article.author:
        article.author = nfc(article.author).strip()
    if article.category:
        article.category = nfc(article.category).strip()
    folded = _Folded.of(article)
    article.content_hash = folded.digest
    return folded


ARTICLE_COLUMNS = (
    "id, url, source, title, lead, text, author, published_at, fetched_at, category, "
    "summary, simhash, extraction_note, content_hash, link"
)


def row_to_article(row: tuple) -> Article:
    (id_, url, source, title, lead, text, author, published, fetched, category, summary,
     simhash, note, chash, link) = row[:15]
    return Article(
        id=id_, url=url, source=source, title=title, lead=lead, text=text, author=author,
        published_at=from_iso(published), fetched_at=from_iso(fetched), category=category,
        summary=summary, simhash=simhash, extraction_note=note, content_hash=chash, link=link,
    )


_COLUMNS_WRITTEN = (
    "url, source, title, lead, text, author, published_at, fetched_at, updated_at, sort_at, "
    "category, content_hash, simhash, summary, extraction_note, link, story_id"
)
# The row is written with the id SQLite would give it (one more than the largest) and the
# search key made from that id, rather than updated with its key after.
_INSERT_WITH_KEY = (
    f"INSERT INTO articles (id, {_COLUMNS_WRITTEN}, search_key) "
    f"VALUES ({', '.join('?' * (len(_COLUMNS_WRITTEN.split(',')) + 2))})"
)


class _Stored(NamedTuple):
    """What a save needs to know of a row already stored."""

    id: int
    content_hash: str
    summary: str
    link: str | None
    url: str


def _find(conn: sqlite3.Connection, article: Article) -> tuple[_Stored | None, _Stored | None]:
    """The stored row with the article's URL, and one with its content, read in one
    statement (``by_content`` tells the two apart)."""
    by_url = by_content = None
    for found_id, content_hash, summary, link, url, by_content_hash in conn.execute(
        "SELECT id, content_hash, summary, link, url, 0 FROM articles WHERE url = ? "
        "UNION ALL SELECT * FROM (SELECT id, content_hash, summary, link, url, 1 FROM articles "
        "WHERE content_hash = ? LIMIT 1)", (article.url, article.content_hash),
    ):
        stored = _Stored(found_id, content_hash, summary, link, url)
        if by_content_hash:
            by_content = stored
        else:
            by_url = stored
    return by_url, by_content


class Articles:
    """The articles table and its search index, kept in step in one transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, article: Article) -> tuple[SaveOutcome, int]:
        """Insert or update by canonical URL, else by content hash; return what happened.

        The same article seen twice (same URL, or same content under another URL) stays one row;
        changed content updates that row and its search entry. Found by its URL, the row also
        takes the new ``link`` (the publisher's current address); found by content under
        another URL, it keeps its own, which goes with its own URL, unless it had no web
        address at all: then it takes the new address (a later ``--url`` fills the link).
        """
        folded = _normalise(article)
        try:
            with self.database.transaction() as conn:
                return self._save(conn, article, folded)
        except BaseException:
            # The transaction is rolled back; what grouping's window learnt in it goes too.
            story_window.forget(self.database.conn)
            raise

    def _save(self, conn: sqlite3.Connection, article: Article,
              folded: _Folded) -> tuple[SaveOutcome, int]:
        """``save`` inside its transaction."""
        now = utcnow()
        fetched = article.fetched_at or now
        by_url, by_content = _find(conn, article)
        row = by_url
        new_link = article.link
        if row is None:
            new_link = None
            row = by_content
            if row is not None and _addressless(row.link, row.url) and article.link:
                # Stored without a web address (a saved page with no canonical link): the
                # address given now is its own, so the row takes it, key and link both.
                new_link = article.link
                conn.execute("UPDATE articles SET url = ? WHERE id = ?", (article.url, row.id))
        if row is not None:
            article_id = row.id
            if row.content_hash == article.content_hash and (
                not article.summary or article.summary == row.summary
            ) and new_link in (None, row.link):
                return "unchanged", article_id
            self._unindex(conn, article_id)
            self._update(conn, article_id, article, new_link, now)
            sort_at = conn.execute(
                "SELECT sort_at FROM articles WHERE id = ?", (article_id,)
            ).fetchone()[0]
            key = self._claim_key(conn, article_id, stored_time(sort_at))
            self._index(conn, key, article, folded)
            grouping.assign(conn, article_id, article, stored_time(sort_at))
            return "updated", article_id
        at = article.published_at or fetched
        placement = grouping.place(conn, article, at)
        article_id, key = self._insert(conn, article, fetched, now, placement.story_id)
        self._index(conn, key, article, folded)
        grouping.record(conn, article_id, placement, at, article.source)
        return "new", article_id

    def save_many(self, articles: list[Article]) -> list[tuple[SaveOutcome, int]]:
        """Save a batch in one transaction: the same rules as ``save``, far fewer fsyncs."""
        with self.database.transaction():
            return [self.save(article) for article in articles]

    @staticmethod
    def _update(conn: sqlite3.Connection, article_id: int, article: Article, link: str | None,
                now: datetime) -> None:
        conn.execute(
            "UPDATE articles SET source = ?, title = ?, lead = ?, text = ?, "
            "author = COALESCE(?, author), published_at = COALESCE(?, published_at), "
            "updated_at = ?, sort_at = COALESCE(?, sort_at), "
            "category = COALESCE(?, category), content_hash = ?, "
            "simhash = COALESCE(?, simhash), summary = CASE WHEN ? = '' THEN summary ELSE ? END, "
            "extraction_note = ?, link = COALESCE(?, link) WHERE id = ?",
            (
                article.source, article.title, article.lead, article.text, article.author,
                to_iso(article.published_at), to_iso(now), to_iso(article.published_at),
                article.category, article.content_hash, article.simhash, article.summary,
                article.summary, article.extraction_note, link, article_id,
            ),
        )

    @staticmethod
    def _unindex(conn: sqlite3.Connection, article_id: int) -> None:
        """Remove the article's search entries; call before its row changes.

        No index keeps its own copy of the text (the folded ones are contentless, the exact ones
        read ``articles``), so FTS5 must be told the exact values it indexed: the row as it
        still is, folded again for the folded indexes.
        """
        row = conn.execute(
            "SELECT search_key, title, lead, text FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None or row[0] is None:
            return
        key, title, lead, text = row
        old = _Folded.of(Article(url="", title=title, lead=lead, text=text))
        conn.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, body) "
            "VALUES ('delete', ?, ?, ?)", (key, old.title, old.body),
        )
        conn.execute(
            "INSERT INTO titles_fts (titles_fts, rowid, title) VALUES ('delete', ?, ?)",
            (key, old.title),
        )
        conn.execute(
            "INSERT INTO exact_fts (exact_fts, rowid, title, lead, text) "
            "VALUES ('delete', ?, ?, ?, ?)", (key, title, lead, text),
        )
        conn.execute(
            "INSERT INTO exact_titles_fts (exact_titles_fts, rowid, title) "
            "VALUES ('delete', ?, ?)", (key, title),
        )

    @staticmethod
    def _insert(conn: sqlite3.Connection, article: Article, fetched: datetime, now: datetime,
                story_id: int) -> tuple[int, int]:
        """Insert a new article's row with its search key; return its id and the key.

        The row takes the id SQLite would give it (one more than the largest), so its search
        key, which holds the id, is written with it rather than by rewriting the row after; when
        that key is taken (two articles in one second with ids 2^24 apart) the row is written
        without one and claims the next free key below."""
        published = to_iso(article.published_at)
        values = (
            article.url, article.source, article.title, article.lead, article.text,
            article.author, published, to_iso(fetched), to_iso(now), published or to_iso(fetched),
            article.category, article.content_hash, article.simhash, article.summary,
            article.extraction_note, article.link, story_id,
        )
        article_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0]
        key = search_key(article.published_at or fetched, article_id)
        try:
            conn.execute(_INSERT_WITH_KEY, (article_id, *values, key))
        except sqlite3.IntegrityError as error:
            if "search_key" not in str(error):
                raise
            conn.execute(_INSERT_WITH_KEY, (article_id, *values, None))
            key = Articles._claim_key(conn, article_id, article.published_at or fetched)
        return article_id, key

    @staticmethod
    def _claim_key(conn: sqlite3.Connection, article_id: int, sort_at: datetime) -> int:
        """Give the article its search key, ordered by its time; return it.

        The key is claimed first: the unique index on it is what finds a collision (two articles
        in one second with colliding ids), and the next free key below is taken then."""
        key = search_key(sort_at, article_id)
        while True:
            try:
                conn.execute("UPDATE articles SET search_key = ? WHERE id = ?", (key, article_id))
                return key
            except sqlite3.IntegrityError:
                key -= 1

    @staticmethod
    def _index(conn: sqlite3.Connection, key: int, article: Article, folded: _Folded) -> None:
        """Write the article's search entries under its search key.

        The folded indexes find "Đà Nẵng" from "da nang"; the exact ones (same key) rank
        matches with the reader's own diacritics first.
        """
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (key, folded.title, folded.body),
        )
        conn.execute("INSERT INTO titles_fts (rowid, title) VALUES (?, ?)", (key, folded.title))
        conn.execute(
            "INSERT INTO exact_fts (rowid, title, lead, text) VALUES (?, ?, ?, ?)",
            (key, article.title, article.lead, article.text),
        )
        conn.execute(
            "INSERT INTO exact_titles_fts (rowid, title) VALUES (?, ?)", (key, article.title)
        )

    def get(self, article_id: int) -> Article:
        row = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        return row_to_article(row)

    def get_by_url(self, url: str) -> Article:
        row = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no article at {url}")
        return row_to_article(row)

    def latest(self, limit: int = 5, offset: int = 0) -> list[Article]:
        """The newest articles by publication time (fetch time when a page gave none)."""
        rows = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY sort_at DESC, id DESC "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        return [row_to_article(row) for row in rows]

    def for_digest(
        self, since: datetime, until: datetime, published_after: datetime, *,
        topics: Sequence[str] = (), limit: int = 300,
    ) -> list[Article]:
        """Articles that reached the store in (``since``, ``until``] and were published after
        ``published_after``, newest first; with ``topics``, only those whose source or category
        is one of them (exact names, as ``topic_names`` lists them)."""
        where = "fetched_at > ? AND fetched_at <= ? AND sort_at >= ?"
        params: list = [to_iso(since), to_iso(until), to_iso(published_after)]
        if topics:
            marks = ", ".join("?" * len(topics))
            where += f" AND (source IN ({marks}) OR category IN ({marks}))"
            params += [*topics, *topics]
        rows = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {where} "
            "ORDER BY sort_at DESC, id DESC LIMIT ?", (*params, limit),
        ).fetchall()
        return [row_to_article(row) for row in rows]

    def topic_names(self, since: datetime) -> list[str]:
        """Source names and categories a reader may follow: those seen since ``since``."""
        rows = self.database.execute(
            "SELECT DISTINCT source FROM articles WHERE fetched_at > ? AND source != '' "
            "UNION SELECT DISTINCT category FROM articles WHERE fetched_at > ? "
            "AND category IS NOT NULL AND category != '' UNION SELECT name FROM sources",
            (to_iso(since), to_iso(since)),
        ).fetchall()
        return sorted(row[0] for row in rows)

    def count(self) -> int:
        return int(self.database.execute("SELECT count(*) FROM articles").fetchone()[0])
