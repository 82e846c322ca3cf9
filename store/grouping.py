"""Grouping articles into stories as they are saved: incremental and deterministic.

A new article is compared only with articles of the few days around its time that share an
index key with it (title word pairs, names, numbers, SimHash bands: ``story_window`` keeps them
in memory), so the cost of one save does not grow with the store; the decision is
``story_match.score``. Ties go to the older story, so the same articles in the same order
always give the same stories (``group_all``, used by the migration and ``bantin regroup``,
relies on it).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from store import story_window
from store.db import stored_time, to_iso
from store.rows import inserted_id
from store.story_match import (
    LEAD_CHARS, NEAR_DUPLICATE_SCORE, SAME_EVENT, Signature, bridgeable, near_duplicate_hashes,
    needs_outlet_check, score, signature,
)
from store.story_window import Member, Window

WINDOW = timedelta(days=3)  # how far apart in time two articles of one story may be
MAX_CANDIDATES = 12  # member articles scored per save, those sharing the most keys
MIN_SHARED_KEYS = 2  # a candidate shares at least this many keys
COMMON_KEY = 15  # a key found in more recent articles than this is ignored
# A new article matching members of several stories joins the best; the others are merged into
# it when their match scores at least BRIDGE (above SAME_EVENT: bridging costs more if wrong).
# Chosen on the tuning part of ViMs only (bench/stories.py).
BRIDGE = 0.36
HEADLINE_REVIEW_LIMIT = 30  # beyond this size a story keeps the headline it has


class Fields(Protocol):
    """What grouping reads of an article (an ``Article``, or a row read back)."""

    title: str
    lead: str
    text: str
    simhash: int | None
    source: str


class _Fields:
    """The fields ``assign`` reads, for a row read back from the table."""

    def __init__(self, title: str, lead: str, text: str, simhash: int | None,
                 source: str) -> None:
        self.title, self.lead, self.text, self.simhash = title, lead, text, simhash
        self.source = source


def key_time(moment: datetime) -> int:
    """An article's time as grouping compares it: whole seconds since 1970 (UTC), cut as
    ``to_iso`` cuts."""
    return int(moment.replace(microsecond=0).timestamp())


@dataclass
class Placement:
    """Where a new article goes, decided before its row is written (so the row is written once)."""

    story_id: int
    signature: Signature
    window: Window  # the connection's window, read once per save
    new: bool = False  # a story made for this article alone: its row is already complete


def place(conn: sqlite3.Connection, article: Fields, at: datetime,
          article_id: int | None = None) -> Placement:
    """Choose the story of an article about to be inserted: the best match, or a new story."""
    sig = signature(article.title, article.lead, article.text, article.simhash)
    window = story_window.window_for(conn)
    matched = _matching_stories(window, conn, article_id, sig, at, article.source)
    if not matched:
        cursor = conn.execute(
            "INSERT INTO stories (title, first_seen, last_updated, article_count) "
            "VALUES (?, ?, ?, 1)", (article.title, to_iso(at), to_iso(at)))
        return Placement(inserted_id(cursor), sig, window, new=True)
    story_id, *bridged = matched
    if bridged:
        _merge(conn, window, story_id, bridged)
    return Placement(story_id, sig, window)


def _merge(conn: sqlite3.Connection, window: Window, story_id: int, others: list[int]) -> None:
    """Fold ``others`` into ``story_id`` (the oldest): the new article matches them all, so
    they are one event that earlier articles told in words too different to join."""
    marks = ", ".join("?" * len(others))
    conn.execute(f"UPDATE articles SET story_id = ? WHERE story_id IN ({marks})",
                 (story_id, *others))
    conn.execute(f"DELETE FROM stories WHERE id IN ({marks})", others)
    window.merge(story_id, others)  # counted as written by ``record``, in the same transaction


def record(conn: sqlite3.Connection, article_id: int, placement: Placement, at: datetime,
           source: str) -> None:
    """Write an inserted article's signature (and keep it in the window); bring its story's
    figures up to date."""
    text = placement.signature.serialise()
    conn.execute("INSERT OR REPLACE INTO story_signatures (article_id, signature) VALUES (?, ?)",
                 (article_id, text))
    member = Member(article_id, key_time(at), source, placement.story_id,
                    placement.signature.simhash, text, tuple(placement.signature.keys()))
    placement.window.add(member, placement.signature)
    story_window.wrote(conn, placement.window)
    if not placement.new:
        _refresh(conn, placement.story_id)


def assign(conn: sqlite3.Connection, article_id: int, article: Fields, at: datetime) -> int:
    """Put a stored article into a story (its own, an existing one or a new one); return its id.

    An article already in a story stays there (a correction is still the same story); its
    signature and keys are refreshed. Runs inside the caller's transaction.
    """
    current = conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    window = story_window.window_for(conn)
    window.remove(article_id)
    if current and current[0] is not None:
        placement = Placement(
            current[0], signature(article.title, article.lead, article.text, article.simhash),
            window)
    else:
        placement = place(conn, article, at, article_id)
        conn.execute("UPDATE articles SET story_id = ? WHERE id = ?",
                     (placement.story_id, article_id))
    record(conn, article_id, placement, at, article.source)
    return placement.story_id


def _matching_stories(window: Window, conn: sqlite3.Connection, article_id: int | None,
                      sig: Signature, at: datetime, source: str) -> list[int]:
    """The stories the article belongs to, oldest first; empty when none matches.

    That is the story of the best-matching recent article, and any other story one of whose
    members matches at least ``BRIDGE`` (the article bridges them: one event, told earlier in
    words too different to join). Ties go to the older story.

    An outlet does not report one event twice in other words: an article of the same outlet
    counts only as a near-duplicate (a republished or re-addressed copy)."""
    keys = sig.keys()
    if not keys:
        return []
    seconds = key_time(at)
    votes: dict[int, float] = {}  # story -> its best-matching member's score
    for other in candidates(window, conn, keys, seconds, article_id):
        days = abs(seconds - other.at) / 86400
        if source and other.source == source:
            value = (NEAR_DUPLICATE_SCORE if near_duplicate_hashes(sig.simhash, other.simhash)
                     else 0.0)
        else:
            value = score(sig, window.signature(other), days)
        if value >= SAME_EVENT:
            votes[other.story_id] = max(votes.get(other.story_id, 0.0), value)
    if not votes:
        return []
    return _by_outlet_rules(conn, votes, source)


def _by_outlet_rules(conn: sqlite3.Connection, votes: dict[int, float], source: str) -> list[int]:
    """The best story and those it bridges, after the outlet rules of ``story_match``: a weak
    match to a story already carrying this outlet does not count, and a story sharing an outlet
    with the best one (or one bridged before it) is not merged into it. Reads the outlets of
    the stories concerned only when a rule could apply (a weak match, a bridge)."""
    weak = [story for story, value in votes.items() if needs_outlet_check(value)]
    if source and weak:
        carrying = _stories_with_outlet(conn, weak, source)
        votes = {story: value for story, value in votes.items() if story not in carrying}
        if not votes:
            return []
    best = min(votes, key=lambda story: (-votes[story], story))
    bridged = sorted(story for story, top in votes.items() if top >= BRIDGE and story != best)
    if not bridged:
        return [best]
    outlets = _outlets(conn, [best, *bridged])
    kept, seen = [], set(outlets.get(best, ()))
    for story in bridged:
        if bridgeable(seen, outlets.get(story, set())):
            kept.append(story)
            seen |= outlets.get(story, set())
    return sorted([best, *kept])


def _stories_with_outlet(conn: sqlite3.Connection, stories: list[int], source: str) -> set[int]:
    marks = ", ".join("?" * len(stories))
    return {row[0] for row in conn.execute(
        f"SELECT DISTINCT story_id FROM articles WHERE story_id IN ({marks}) AND source = ?",
        (*stories, source))}


def _outlets(conn: sqlite3.Connection, stories: list[int]) -> dict[int, set[str]]:
    """Each story's outlets (articles without an outlet name none)."""
    marks = ", ".join("?" * len(stories))
    found: dict[int, set[str]] = {}
    for story, source in conn.execute(
            f"SELECT DISTINCT story_id, source FROM articles WHERE story_id IN ({marks}) "
            "AND source != ''", stories):
        found.setdefault(story, set()).add(source)
    return found


def candidates(window: Window, conn: sqlite3.Connection, keys: list[str], at: int,
               article_id: int | None) -> list[Member]:
    """The recent articles a new one is compared with: those within ``WINDOW`` of it sharing
    the most key weight with it (at least ``MIN_SHARED_KEYS``; ties to the older), at most
    ``MAX_CANDIDATES``.

    A key that more recent articles hold than ``COMMON_KEY`` ("viet_nam", "2016") tells
    nothing, and is not counted. A SimHash band weighs ``MIN_SHARED_KEYS`` (it suffices
    alone), any other key 1."""
    low, high = at - int(WINDOW.total_seconds()), at + int(WINDOW.total_seconds())
    window.cover(conn, low, high)
    shared: defaultdict[int, int] = defaultdict(int)
    for key in keys:
        holders = window.holders(key, low, high, COMMON_KEY)
        weight = MIN_SHARED_KEYS if key.startswith("h") else 1
        for holder in holders:
            if holder != article_id:
                shared[holder] += weight
    chosen = sorted((holder for holder, total in shared.items() if total >= MIN_SHARED_KEYS),
                    key=lambda holder: (-shared[holder], holder))[:MAX_CANDIDATES]
    return [window.members[holder] for holder in chosen]


def _refresh(conn: sqlite3.Connection, story_id: int) -> None:
    """Recompute a story's times, size and headline from its articles."""
    first, last, count = conn.execute(
        "SELECT min(sort_at), max(sort_at), count(*) FROM articles WHERE story_id = ?",
        (story_id,)).fetchone()
    if not count:
        conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        return
    conn.execute("UPDATE stories SET first_seen = ?, last_updated = ?, article_count = ? "
                 "WHERE id = ?", (first, last, count, story_id))
    if count == 1:
        conn.execute("UPDATE stories SET title = (SELECT title FROM articles WHERE story_id = ?) "
                     "WHERE id = ?", (story_id, story_id))
    elif count <= HEADLINE_REVIEW_LIMIT:
        rows = conn.execute(
            "SELECT a.title, a.sort_at, s.signature FROM articles a "
            "LEFT JOIN story_signatures s ON s.article_id = a.id "
            "WHERE a.story_id = ? ORDER BY a.sort_at, a.id", (story_id,)).fetchall()
        conn.execute("UPDATE stories SET title = ? WHERE id = ?", (_headline(rows), story_id))


def _headline(rows: list[tuple]) -> str:
    """The title sharing the most word pairs with the other articles: the most typical wording
    (ties to the earliest). A title that is empty never wins over one that is not."""
    sigs = [Signature.parse(text or "") for _, _, text in rows]
    best_title, best_value = rows[0][0], -1.0
    for index, (title, _, _) in enumerate(rows):
        if not title:
            continue
        value = sum(len(sigs[index].words & other.words)
                    for j, other in enumerate(sigs) if j != index)
        if value > best_value:
            best_title, best_value = title, value
    return best_title


def group_all(conn: sqlite3.Connection) -> None:
    """Forget every story and group all articles again in time order (migration, regroup)."""
    conn.execute("UPDATE articles SET story_id = NULL")
    conn.execute("DELETE FROM story_signatures")
    story_window.forget(conn)
    story_window.wrote(conn, story_window.window_for(conn))  # other connections: out of date
    conn.execute("DELETE FROM stories")
    ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY sort_at, id")]
    for article_id in ids:  # one row at a time: a large store's texts never sit in memory
        title, lead, text, simhash, source, sort_at = conn.execute(
            "SELECT title, lead, substr(text, 1, ?), simhash, source, sort_at FROM articles "
            "WHERE id = ?", (LEAD_CHARS, article_id)).fetchone()
        assign(conn, article_id, _Fields(title, lead, text, simhash, source), stored_time(sort_at))
