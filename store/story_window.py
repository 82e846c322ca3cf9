"""The recent articles grouping compares a new one with, kept in memory per connection.

Grouping compares a new article with the articles of the days around it that share an index
key with it (a title word pair, a name, a number, a SimHash band; ``Signature.keys``). Keeping
those keys in a table cost more than all the rest of a save (about twenty rows written per
article, a range read per key, a signature parsed per candidate), so they are kept here
instead: each day of articles is read once from ``story_signatures`` and kept by key.

The database stays the truth. The window is dropped, and read again when next needed, when
grouping has written through another connection (``grouping_version`` has moved), when a save on
this connection fails (its transaction is rolled back: ``forget``) and when stories are
regrouped. Within a transaction the window sees what the transaction wrote, as a query would; the choice
of candidates is the statement it replaces, rule for rule (``candidates``), so the same
articles in the same order give the same stories whether the window is warm or read anew.
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from datetime import UTC, datetime
from typing import NamedTuple

from store.story_match import Signature

DAY = 86_400  # seconds
MAX_DAYS = 16  # days of articles kept; past this, the days farthest from the one needed go
MAX_PARSED = 1024  # signatures kept parsed (the candidates of the last few saves)
MAX_CONNECTIONS = 8  # windows kept, one per connection (a store has one per thread)


class Member(NamedTuple):
    """A grouped article as grouping compares it.

    Plain values only, and arrays below: a window holds tens of thousands of articles, and
    objects that hold other objects would all be walked by every run of Python's garbage
    collector (which cost more than the window saved, measured)."""

    article_id: int
    at: int  # seconds since 1970 (UTC), as ``grouping.key_time`` cuts them
    source: str
    story_id: int
    simhash: int | None
    text: str  # the serialised signature (``Signature.serialise``)
    keys: tuple[str, ...]  # its index keys (``Signature.keys``)


class Window:
    """Grouped articles of some whole days (UTC), findable by their index keys."""

    def __init__(self, version: int) -> None:
        self.version = version
        self.days: set[int] = set()
        self.members: dict[int, Member] = {}
        # key -> (times, article ids): the holders of the key in time order (times apart, so
        # that finding a time range compares integers, not pairs)
        self._by_key: dict[str, tuple[array[int], array[int]]] = {}
        self._parsed: OrderedDict[int, Signature] = OrderedDict()

    def cover(self, conn: sqlite3.Connection, low: int, high: int) -> None:
        """Read the days between ``low`` and ``high`` (seconds) not read yet."""
        wanted = range(low // DAY, high // DAY + 1)
        missing = [day for day in wanted if day not in self.days]
        excess = len(self.days) + len(missing) - MAX_DAYS
        if excess > 0:  # an article far from the others (an old page): drop the farthest days
            centre = (low + high) // 2 // DAY
            spare = sorted((day for day in self.days if day not in wanted),
                           key=lambda day: (-abs(day - centre), day))
            for day in spare[:excess]:
                self._drop_day(day)
        for day in missing:
            self._read_day(conn, day)

    def _drop_day(self, day: int) -> None:
        self.days.discard(day)
        for article_id in [m.article_id for m in self.members.values() if m.at // DAY == day]:
            self.remove(article_id)

    def _read_day(self, conn: sqlite3.Connection, day: int) -> None:
        start, end = (datetime.fromtimestamp(d * DAY, UTC).isoformat() for d in (day, day + 1))
        self.days.add(day)
        for article_id, sort_at, source, simhash, story_id, text in conn.execute(
            "SELECT a.id, a.sort_at, a.source, a.simhash, a.story_id, s.signature "
            "FROM articles AS a JOIN story_signatures AS s ON s.article_id = a.id "
            "WHERE a.sort_at >= ? AND a.sort_at < ? AND a.story_id IS NOT NULL", (start, end),
        ):
            if article_id not in self.members:
                at = int(datetime.fromisoformat(sort_at).timestamp())
                keys = tuple(Signature.parse(text, simhash).keys())
                self.add(Member(article_id, at, source, story_id, simhash, text, keys))

    def add(self, member: Member, signature: Signature | None = None) -> None:
        """Keep a grouped article, if its day is kept (else it is read with its day); with its
        ``signature``, kept parsed too (a new article: the next ones compare with it)."""
        if member.at // DAY not in self.days:
            return
        self.members[member.article_id] = member
        if signature is not None:
            self._remember(member.article_id, signature)
        for key in member.keys:
            found = self._by_key.get(key)
            if found is None:
                self._by_key[key] = (array("q", (member.at,)), array("q", (member.article_id,)))
                continue
            times, ids = found
            place = bisect_right(times, member.at)
            times.insert(place, member.at)
            ids.insert(place, member.article_id)

    def remove(self, article_id: int) -> None:
        """Forget an article about to be grouped again (its text changed)."""
        member = self.members.pop(article_id, None)
        if member is None:
            return
        for key in member.keys:
            times, ids = self._by_key[key]
            place = ids.index(article_id, bisect_left(times, member.at))
            del times[place], ids[place]
        self._parsed.pop(article_id, None)

    def merge(self, story_id: int, others: list[int]) -> None:
        """Members of the ``others`` stories now belong to ``story_id``."""
        merged = set(others)
        for article_id, member in self.members.items():
            if member.story_id in merged:
                self.members[article_id] = member._replace(story_id=story_id)

    def holders(self, key: str, low: int, high: int, most: int) -> list[int]:
        """The articles holding ``key`` between ``low`` and ``high`` (seconds); none when
        there are more than ``most`` (a key that common tells nothing)."""
        found = self._by_key.get(key)
        if not found:
            return []
        times, ids = found
        first = bisect_left(times, low)
        last = bisect_right(times, high, first)
        return ids[first:last].tolist() if last - first <= most else []

    def signature(self, member: Member) -> Signature:
        """A member's signature, parsed (kept for the next saves, which compare mostly the
        same recent articles)."""
        parsed = self._parsed.get(member.article_id)
        if parsed is None:
            parsed = Signature.parse(member.text, member.simhash)
            self._remember(member.article_id, parsed)
        else:
            self._parsed.move_to_end(member.article_id)
        return parsed

    def _remember(self, article_id: int, signature: Signature) -> None:
        self._parsed[article_id] = signature
        if len(self._parsed) > MAX_PARSED:
            self._parsed.popitem(last=False)


_windows: OrderedDict[int, tuple[sqlite3.Connection, Window]] = OrderedDict()
_lock = threading.Lock()  # connections live in several threads; the registry is shared


def window_for(conn: sqlite3.Connection) -> Window:
    """This connection's window: the one kept, unless grouping has written through another
    connection since (then an empty one, read again as needed).

    ``grouping_version`` counts grouping's writes; the bot's own writes (chats, deliveries,
    sent messages) leave it alone, so they do not cost the next save a fresh read."""
    version = conn.execute("SELECT version FROM grouping_version WHERE id = 1").fetchone()[0]
    with _lock:
        kept = _windows.get(id(conn))
        if kept is not None and kept[0] is conn and kept[1].version == version:
            _windows.move_to_end(id(conn))
            return kept[1]
        window = Window(version)
        _windows[id(conn)] = (conn, window)  # holding the connection keeps its id unused
        _windows.move_to_end(id(conn))
        while len(_windows) > MAX_CONNECTIONS:
            _windows.popitem(last=False)
        return window


def wrote(conn: sqlite3.Connection, window: Window) -> None:
    """Count a grouping write (inside its transaction), so other connections' windows know
    they are out of date; this one's stays current."""
    # By its key: an UPDATE that might touch several rows opens a statement savepoint, and at
    # every savepoint FTS5 writes out the search entries it was gathering for the commit
    # (measured: three times the cost of the rest of the save).
    conn.execute("UPDATE grouping_version SET version = version + 1 WHERE id = 1")
    window.version += 1


def forget(conn: sqlite3.Connection) -> None:
    """Drop this connection's window: its transaction was rolled back, or stories regrouped."""
    with _lock:
        _windows.pop(id(conn), None)
