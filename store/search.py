"""Vietnamese full-text search over articles (SQLite FTS5 on folded text).

A reader's query is never given to ``MATCH`` as typed: it is folded, cut into word tokens and
each token is quoted, so ``"``, ``*``, ``AND``, ``NEAR(`` and friends are plain words.
"""

from __future__ import annotations

import re

from store.articles import ARTICLE_COLUMNS, Article, row_to_article
from store.db import Database
from store.folding import fold, nfc

MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160
# bm25 weights: a title match must outrank any body-only match; body relevance breaks ties.
TITLE_WEIGHT = 1000.0
BODY_WEIGHT = 1.0
RANK_MARGIN = 50

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

    def search(self, query: str, limit: int = 5, offset: int = 0) -> list[Article]:
        """Articles matching every word of ``query``: title matches first, then newer first."""
        terms = query_terms(query)
        if not terms:
            return []
        columns = ", ".join(f"a.{c.strip()}" for c in ARTICLE_COLUMNS.split(","))
        # Rank inside FTS5 first and join only the best rows: joining every match to the
        # articles table before sorting read whole articles for thousands of matches (2-3x
        # slower for common words). The margin keeps ties at the cut-off ordered by recency.
        rows = self.database.execute(
            f"SELECT {columns}, f.score FROM ("
            "SELECT rowid, bm25(articles_fts, ?, ?) AS score FROM articles_fts "
            "WHERE articles_fts MATCH ? ORDER BY score LIMIT ?"
            ") f JOIN articles a ON a.id = f.rowid "
            "ORDER BY f.score, a.sort_at DESC, a.id DESC LIMIT ? OFFSET ?",
            (TITLE_WEIGHT, BODY_WEIGHT, match_expression(terms), offset + limit + RANK_MARGIN,
             limit, offset),
        ).fetchall()
        articles = [row_to_article(row) for row in rows]
        for article in articles:
            article.snippet = make_snippet(article, terms)
        return articles

    def count(self, query: str) -> int:
        terms = query_terms(query)
        if not terms:
            return 0
        return int(
            self.database.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                (match_expression(terms),),
            ).fetchone()[0]
        )
