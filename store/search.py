"""Vietnamese full-text search over articles (SQLite FTS5 on folded text).

A reader's query is never given to ``MATCH`` as typed: it is folded, cut into word tokens and
each token is quoted, so ``"``, ``*``, ``AND``, ``NEAR(`` and friends are plain words.

Ranking is for news readers: the query as a phrase in the title first, then every word in the
title, then every word anywhere; within each group the newer article comes first. Titles have
an index of their own (``titles_fts``), so the title groups never read body positions. Every
group is read in the index's own rowid order (see ``articles.search_key``), so a search for a
word found in half of 100,000 articles stops after the page it needs instead of scoring them
all.
"""

from __future__ import annotations

import re

from bantin.text import fold, nfc
from store.articles import ARTICLE_COLUMNS, Article, row_to_article
from store.db import Database

MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160

_WORD = re.compile(r"\w+", re.UNICODE)


def query_terms(query: str) -> list[str]:
    """The folded word tokens of a reader's query, at most ``MAX_QUERY_TERMS`` of them."""
    return _WORD.findall(fold(query))[:MAX_QUERY_TERMS]


def match_expression(terms: list[str]) -> str:
    """An FTS5 expression that is an AND of quoted terms: safe for any input."""
    return " ".join(f'"{term}"' for term in terms)


def title_expressions(terms: list[str]) -> list[str]:
    """The title groups, best first: the words as a phrase, then all of them anywhere in it.

    Typed without diacritics, "da nang" also matches "bóng đá … nâng"; the phrase group puts
    "Đà Nẵng" first.
    """
    every = match_expression(terms)
    return ['"' + " ".join(terms) + '"', every] if len(terms) > 1 else [every]


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

    def _ids(self, table: str, expression: str, limit: int) -> list[int]:
        rows = self.database.execute(
            f"SELECT article_id FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
            (expression, limit),
        ).fetchall()
        return [row[0] for row in rows]

    def search(self, query: str, limit: int = 5, offset: int = 0) -> list[Article]:
        """Articles matching every word of ``query``, best group first, newer first within."""
        terms = query_terms(query)
        if not terms:
            return []
        wanted = offset + limit
        ids: list[int] = []
        groups = [("titles_fts", e) for e in title_expressions(terms)]
        groups.append(("articles_fts", match_expression(terms)))
        for table, expression in groups:
            if len(ids) >= wanted:
                break
            # Ask for as many more as are already taken: earlier groups' rows may come again.
            for article_id in self._ids(table, expression, wanted + len(ids)):
                if article_id not in ids:
                    ids.append(article_id)
        articles = self._load(ids[offset:wanted])
        for article in articles:
            article.snippet = make_snippet(article, terms)
        return articles

    def _load(self, ids: list[int]) -> list[Article]:
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        rows = self.database.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", tuple(ids)
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
