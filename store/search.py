"""Vietnamese full-text search over articles: what the reader typed, found as they meant it.

A reader's query is never given to ``MATCH`` as typed: it is cut into word tokens and each
token is quoted, so ``"``, ``*``, ``AND``, ``NEAR(`` and friends are plain words.

Two pairs of FTS5 indexes share one key (``articles.search_key``, which sorts like the article's
time): ``articles_fts``/``titles_fts`` index folded text (contentless: they return keys only), so
"da nang" finds "Đà Nẵng";
``exact_titles_fts`` keeps titles with their diacritics and ``exact_fts`` records which words
(with diacritics) each article holds, so "bão" can rank storms above "bao", "bảo" and "bào".
Ranking is a list of tiers (see ``tiers``), best first: the words with the reader's own
diacritics before folded matches (only when the reader typed any), the query as a phrase before
scattered words, a title before the text. Each tier is one ``MATCH`` read in the index's rowid
order (newest first) with a ``LIMIT``, and tiers are read in order only until the page is full,
so a word found in half of 100,000 articles never has all its matches scored.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from bantin.text import fold, nfc
from store.articles import ARTICLE_COLUMNS, Article, row_to_article
from store.db import Database

MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 160

# Letters and digits, as FTS5's unicode61 tokenizer cuts words: "_" separates ("bão_lũ" is two
# words), so a quoted word is always one token (a phrase fails on the ``detail = none`` index).
_WORD = re.compile(r"[^\W_]+")

# A code of a few letters and a number is written joined or apart ("MH370", "MH 370"; "RON 92",
# "RON92"; "U23", "U.23"): either form typed finds both. At most MAX_SPELLINGS per query.
_CODE = re.compile(r"([a-z]{1,3})(\d{1,4})")
_CODE_LETTERS, _CODE_NUMBER = re.compile(r"[a-z]{1,3}"), re.compile(r"\d{1,4}")
MAX_SPELLINGS = 4

# A phrase typed with diacritics is looked for among the newest this many folded matches of
# the phrase (then checked for the exact words); older ones rank with "all the words, exact".
PHRASE_CANDIDATES = 200


@dataclass(frozen=True)
class Query:
    """A reader's query as words: as typed (NFC, lower case) and folded, position by position."""

    words: tuple[str, ...]
    folded: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        words = tuple(_WORD.findall(nfc(text).lower())[:MAX_QUERY_TERMS])
        return cls(words, tuple(fold(word) for word in words))

    @property
    def has_marks(self) -> bool:
        """Whether the reader typed any diacritic (or đ): then the marks are part of the intent."""
        return self.words != self.folded

    @property
    def marked(self) -> tuple[str, ...]:
        """The words surely meant as typed: those typed with marks, and numbers (which take
        none); a bare word may be as meant or a mark left off (``_as_typed``)."""
        return tuple(w for w, f in zip(self.words, self.folded) if w != f or not w.isalpha())

    def __bool__(self) -> bool:
        return bool(self.words)


def query_terms(query: str) -> list[str]:
    """The folded word tokens of a reader's query, at most ``MAX_QUERY_TERMS`` of them."""
    return list(Query.parse(query).folded)


def match_expression(terms: list[str] | tuple[str, ...]) -> str:
    """An FTS5 expression that is an AND of quoted terms: safe for any input."""
    return " ".join(f'"{term}"' for term in terms)


def phrase_expression(terms: list[str] | tuple[str, ...]) -> str:
    """An FTS5 phrase: the terms adjacent and in order."""
    return '"' + " ".join(terms) + '"'


def spellings(folded: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The folded words as typed, then with codes written the other way ("mh370" as "mh 370",
    "ron 92" as "ron92"): at most ``MAX_SPELLINGS``, the typed one first."""
    options: list[list[tuple[str, ...]]] = []
    i = 0
    while i < len(folded):
        word, following = folded[i], folded[i + 1] if i + 1 < len(folded) else ""
        code = _CODE.fullmatch(word)
        if code:
            options.append([(word,), code.groups()])
        elif _CODE_LETTERS.fullmatch(word) and _CODE_NUMBER.fullmatch(following):
            options.append([(word, following), (word + following,)])
            i += 1
        else:
            options.append([(word,)])
        i += 1
    return [tuple(w for part in combination for w in part)
            for combination in itertools.islice(itertools.product(*options), MAX_SPELLINGS)]


def any_phrase(spelled: list[tuple[str, ...]]) -> str:
    """An FTS5 expression matching any of the spellings as a phrase."""
    return " OR ".join(phrase_expression(words) for words in spelled)


def all_words(spelled: list[tuple[str, ...]]) -> str:
    """An FTS5 expression matching every word of any of the spellings."""
    if len(spelled) == 1:
        return match_expression(spelled[0])
    return " OR ".join(f"({match_expression(words)})" for words in spelled)


@dataclass(frozen=True)
class Tier:
    """One ranking tier: ``expression`` matched in ``index``, newest first.

    With ``exact_words``, only the rows that also hold those words with their diacritics (in
    ``exact_fts``, or ``exact_titles_fts`` for ``in_title``) count, and with ``phrase`` only
    those that then show it as a phrase (``shows_phrase``, in the title for ``in_title``; with
    ``loose``, only its marked words as typed): that is how a phrase is found "as typed", since
    the exact text index records which words an article holds but not where.
    """

    index: str
    expression: str
    exact_words: str | None = None
    phrase: Query | None = None
    in_title: bool = False
    loose: bool = False


def tiers(query: Query) -> list[Tier]:
    """The ranking tiers, best first.

    With diacritics typed: the phrase in a title, the phrase anywhere, every word in a title,
    every word anywhere, each with the typed marks (``_as_typed``); then the same four on folded
    text. Without, only the folded four ("da nang" is folded matching by intent). A one-word
    query has no separate phrase tier.
    """
    result = _as_typed(query) if query.has_marks else []
    spelled = spellings(query.folded)
    phrase, every = any_phrase(spelled), all_words(spelled)
    result += [Tier("titles_fts", phrase), Tier("articles_fts", phrase)]
    if len(query.folded) > 1:
        result += [Tier("titles_fts", every), Tier("articles_fts", every)]
    return result


def _as_typed(query: Query) -> list[Tier]:
    """The tiers that honour the diacritics the reader typed.

    Every word as typed first, from the exact indexes. A word typed without marks that could
    carry them is either right as typed ("Long" in "Long Thành") or a mark left off ("Ha" in
    "Ha Tĩnh"), so each of those tiers has a twin with only the marked words as typed and the
    others folded (``Query.marked``). The phrase ranks above scattered words, as typed or not:
    the phrase as typed, then its twin, then the words as typed, then theirs.
    """
    words, folded_phrase = match_expression(query.words), phrase_expression(query.folded)
    exact = [Tier("exact_titles_fts", phrase_expression(query.words))]
    if len(query.words) > 1:
        exact += [Tier("articles_fts", folded_phrase, words, query),
                  Tier("exact_titles_fts", words)]
    exact.append(Tier("exact_fts", words))
    if len(query.marked) == len(query.words):
        return exact
    marked, folded_words = match_expression(query.marked), match_expression(query.folded)
    loose = [Tier("titles_fts", folded_phrase, marked, query, in_title=True, loose=True),
             Tier("articles_fts", folded_phrase, marked, query, loose=True),
             Tier("titles_fts", folded_words, marked, in_title=True),
             Tier("articles_fts", folded_words, marked)]
    return [exact[0], exact[1], loose[0], loose[1], exact[2], exact[3], loose[2], loose[3]]


def make_snippet(article: Article, query: Query, width: int = SNIPPET_CHARS) -> str:
    """A piece of the article's text centred on the best match, cut from the original.

    Best is the query as a phrase with the reader's diacritics, then as a folded phrase, then
    a single word (with diacritics, then folded). Folding keeps positions, so a match found in
    folded text is cut from the original: the snippet shows the words' real diacritics.
    """
    body = nfc(article.lead + "\n" + article.text) if article.lead else nfc(article.text)
    folded = ""
    for pattern, on_folded in snippet_patterns(query):
        if on_folded and not folded:
            folded = fold(body)  # only when needed: an exact match usually comes first
        match = pattern.search(folded if on_folded else body)
        if match:
            return _window(body, match.start(), match.end(), width)
    return _window(body, 0, 0, width)


@functools.lru_cache(maxsize=256)
def snippet_patterns(query: Query) -> tuple[tuple[re.Pattern, bool], ...]:
    """(pattern, searches folded text) pairs, best first, compiled once for a page's snippets."""
    def words(terms: tuple[str, ...], on_folded: bool) -> tuple[re.Pattern, bool]:
        joined = r"\W+".join(re.escape(term) for term in terms)
        flags = 0 if on_folded else re.IGNORECASE
        return re.compile(rf"(?<!\w){joined}(?!\w)", flags), on_folded

    patterns = [(_exact_phrase(query.words), False)] if query.has_marks else []
    patterns += [words(spelled, True) for spelled in spellings(query.folded)]
    if query.has_marks:
        patterns += [words((w,), False) for w, f in zip(query.words, query.folded) if w != f]
    patterns += [words((term,), True) for term in query.folded]
    return tuple(patterns)


def holds(text: str, query: Query) -> bool:
    """Whether ``text`` shows every word of ``query``, as words, with the reader's diacritics
    where typed (folded where not), or a code written the other way ("MH 370" for "MH370"): a
    result whose headline and summary already show them needs no snippet to say why it was
    found."""
    text = nfc(text)
    folded = fold(text)
    if all(_exact_phrase((word,)).search(text) if word != plain
           else _exact_phrase((plain,)).search(folded)
           for word, plain in zip(query.words, query.folded)):
        return True
    return any(all(_exact_phrase((word,)).search(folded) for word in spelled)
               for spelled in spellings(query.folded)[1:])


def shows_phrase(text: str, query: Query, loose: bool = False) -> bool:
    """Whether ``text`` holds the query's words as a phrase, each as typed; ``loose``: only the
    words of ``query.marked`` as typed, the others folded ("Ha Tĩnh" is then shown by "Hà Tĩnh",
    not by "Hà Tính")."""
    text, typed = nfc(text), query.marked if loose else query.words
    for match in _folded_phrase(query.folded).finditer(fold(text)):
        if all(text[match.start(n):match.end(n)].lower() == word
               for n, word in enumerate(query.words, start=1) if word in typed):
            return True
    return False


@functools.lru_cache(maxsize=256)
def _folded_phrase(folded: tuple[str, ...]) -> re.Pattern:
    """The folded words in order, each a group, as words (folded text has no capitals)."""
    joined = r"\W+".join(f"({re.escape(word)})" for word in folded)
    return re.compile(rf"(?<!\w){joined}(?!\w)")


@functools.lru_cache(maxsize=256)
def _exact_phrase(words: tuple[str, ...]) -> re.Pattern:
    joined = r"\W+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){joined}(?!\w)", re.IGNORECASE)


def _window(text: str, start: int, end: int, width: int) -> str:
    """About ``width`` characters of ``text`` around ``[start, end)``, cut at spaces."""
    left = max(0, min(start - (width - (end - start)) // 2, len(text) - width))
    if left > 0:
        space = text.find(" ", left)
        left = space + 1 if 0 <= space < start else left
    right = min(len(text), max(left + width, end))
    if right < len(text):
        space = text.rfind(" ", left, right)
        right = space if space >= end else right
    piece = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text) else "")


class Search:
    def __init__(self, database: Database) -> None:
        self.database = database

    def _ids(self, tier: Tier, limit: int) -> list[int]:
        """The tier's keys, newest first, at most ``limit``."""
        table = tier.index
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?"
        if tier.exact_words is None:
            return [row[0] for row in self.database.execute(sql, (tier.expression, limit))]
        # Check the newest candidates for the exact words, in one read of their key range; take
        # more candidates (up to PHRASE_CANDIDATES) only while too few of them pass.
        exact_index = "exact_titles_fts" if tier.in_title else "exact_fts"
        size = min(2 * limit, PHRASE_CANDIDATES)
        while True:
            candidates = [row[0] for row in self.database.execute(sql, (tier.expression, size))]
            if not candidates:
                return []
            exact = {row[0] for row in self.database.execute(
                f"SELECT rowid FROM {exact_index} WHERE {exact_index} MATCH ? "
                "AND rowid BETWEEN ? AND ?", (tier.exact_words, candidates[-1], candidates[0]),
            )}
            found = [key for key in candidates if key in exact]
            if tier.phrase is not None:
                found = self._verified(found, tier.phrase, tier)
            if len(found) >= limit or len(candidates) < size or size >= PHRASE_CANDIDATES:
                return found[:limit]
            size = min(4 * size, PHRASE_CANDIDATES)

    def _verified(self, keys: list[int], phrase: Query, tier: Tier) -> list[int]:
        """The keys whose article shows ``phrase`` as ``tier`` asks (``shows_phrase``; in its
        title only for a title tier).

        The word check above cannot see order: "Hà tính … Tĩnh lặng" has both words and the
        folded phrase. Reading the few rows of a page settles it.
        """
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        fields = "title" if tier.in_title else "title, lead, text"
        rows = self.database.execute(
            f"SELECT search_key, {fields} FROM articles WHERE search_key IN ({marks})", keys,
        ).fetchall()
        holding = {row[0] for row in rows
                   if any(shows_phrase(field, phrase, tier.loose) for field in row[1:])}
        return [key for key in keys if key in holding]

    def search(self, query: str, limit: int = 5, offset: int = 0) -> list[Article]:
        """Articles matching every word of ``query`` (folded), best tier first, newer within."""
        parsed = Query.parse(query)
        if not parsed:
            return []
        wanted = offset + limit
        keys: list[int] = []
        seen: set[int] = set()
        for tier in tiers(parsed):
            if len(keys) >= wanted:
                break
            # Ask for as many more as are already taken: earlier tiers' rows may come again.
            for key in self._ids(tier, wanted + len(keys)):
                if key not in seen:
                    seen.add(key)
                    keys.append(key)
        articles = self._load(keys[offset:wanted])
        for article in articles:
            article.snippet = make_snippet(article, parsed)
        return articles

    def _load(self, keys: list[int]) -> list[Article]:
        """The articles under these index keys, in the keys' order (``articles.search_key`` is
        the key every index uses, under a unique index)."""
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        rows = self.database.execute(
            f"SELECT search_key, {ARTICLE_COLUMNS} FROM articles WHERE search_key IN ({marks})",
            keys,
        ).fetchall()
        by_key = {row[0]: row_to_article(row[1:]) for row in rows}
        return [by_key[key] for key in keys if key in by_key]

    def count(self, query: str) -> int:
        """How many articles match every word of ``query`` (folded, as the last tier does)."""
        parsed = Query.parse(query)
        if not parsed:
            return 0
        return int(
            self.database.execute(
                "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                (all_words(spellings(parsed.folded)),),
            ).fetchone()[0]
        )
