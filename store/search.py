"""Vietnamese full-text search over articles (SQLite FTS5 on folded text).

A reader's query is never given to ``MATCH`` as typed: it is folded, cut into word tokens and
each token is quoted, so ``"``, ``*``, ``AND``, ``NEAR(`` and friends are plain words.

Ranking is for news readers: articles with every query word in the title come first, then
articles with the words anywhere; within each group the newer article comes first. Both groups
are read in the index's own rowid order (see ``articles.search_key``), so a search for a word
found in half of 100,000 articles stops after the page it needs instead of scoring them all.
"""

from __future__ import annotations

import re

from store.articles import ARTICLE_COLUMNS, Article, row_to_article
from store.db import Database
from store.folding import fold, nfc

MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160

_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """The folded word tokens of a reader's query, at most ``MAX_QUERY_TERMS`` of them."""
    return _WORD.findall(fold(query))[:MAX_QUERY_TERMS]


def match_expression(terms: list[str]) -> str:
    """An FTS5 expression that is an AND of quoted terms: safe for any input."""
    return " ".join(f'"{term}"' for term in terms)


def make_snippet(article: Article, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """A short piece of the original text around the first matched term.

    Folding keeps positions, so a match found in the folded text is cut from the original,
    with its diacritics.
    """
    for text in (article.lead, article.text):
        folded = fold(text)
        for term in terms:
            match = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded)
            if match:
                return _window(text, match.start(), width)
    return _window(article.lead or article.text, 0, width)


def _window(text: str, position: int, width: int) -> str:
    text = nfc(text)
    start = max(0, position - width // 3)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < position else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > position else end
    piece = " ".join(text[start:end].split())
    return ("…" if start > 0 else "") + piece + ("…" if end < len(text) else "")


class Search:
    def __init__(self, database: Database) -> None:
        self.database = database

    def _ids(self, expression: str, limit: int, offset: int) -> list[int]:
        if limit <= 0:
            return []
        rows = self.database.execute(
            "SELECT article_id FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (expression, limit, offset),
        ).fetchall()
        return [row[0] for row in rows]

    def search(self, query: str, limit: int = 5, offset: int = 0) -> list[Article]:
        """Articles matching every word of ``query``: title matches first, newer first."""
        terms = query_terms(query)
        if not terms:
            return []
        anywhere = match_expression(terms)
        in_title = f"{{title}} : ({anywhere})"
        wanted = offset + limit
        ids = self._ids(in_title, wanted, 0)
        title_count = len(ids)
        ids = ids[offset:]
        if title_count < wanted:
            ids += self._ids(
                f"{anywhere} NOT {in_title}",
                wanted - max(offset, title_count),
                max(0, offset - title_count),
            )
        articles = self._load(ids)
        for article in articles:
            article.snippet = make_snippet(article, terms)
        return articles

    def _load(self, ids: list[int]) -> list[Article]:
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", ids
        ).fetchall()
        by_id = {row[0]: row_to_article(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def count(self, query: str) -> int:
        """How many articles match every word of ``query``."""
        terms = query_terms(query)
        if not terms:
            return 0
        return int(
            self.database.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                (match_expression(terms),),
            ).fetchone()[0]
        )
