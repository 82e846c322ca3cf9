"""Feed sources' fetch state and the log of ingest failures.

A failure is stored with its reason so that nothing is dropped silently: a broken feed, a page
that is not an article, a response over the size cap.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bantin.text import nfc
from store.db import Database, from_iso, stored_time, to_iso, utcnow
from store.rows import inserted_id


@dataclass
class SourceState:
    name: str
    feed: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error_count: int = 0
    last_error: str | None = None
    last_attempt_at: datetime | None = None
    last_success_at: datetime | None = None
    next_attempt_at: datetime | None = None


@dataclass
class Failure:
    id: int
    source: str | None
    url: str | None
    reason: str
    detail: str | None
    created_at: datetime


def _row_to_state(row: sqlite3.Row) -> SourceState:
    return SourceState(
        name=row["name"], feed=row["feed"], etag=row["etag"], last_modified=row["last_modified"],
        error_count=row["error_count"], last_error=row["last_error"],
        last_attempt_at=from_iso(row["last_attempt_at"]),
        last_success_at=from_iso(row["last_success_at"]),
        next_attempt_at=from_iso(row["next_attempt_at"]),
    )


def _row_to_failure(row: sqlite3.Row) -> Failure:
    return Failure(
        id=row["id"], source=row["source"], url=row["url"], reason=row["reason"],
        detail=row["detail"], created_at=stored_time(row["created_at"]),
    )


class Sources:
    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, name: str, feed: str | None = None) -> SourceState:
        """The stored state of a source, created empty on first use."""
        name = nfc(name)
        self.database.execute(
            "INSERT INTO sources (name, feed) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET feed = COALESCE(excluded.feed, feed)",
            (name, feed),
        )
        row = self.database.query(
            "SELECT name, feed, etag, last_modified, error_count, last_error, last_attempt_at, "
            "last_success_at, next_attempt_at FROM sources WHERE name = ?",
            (name,),
        ).fetchone()
        return _row_to_state(row)

    def save(self, state: SourceState) -> None:
        self.database.execute(
            "UPDATE sources SET feed = ?, etag = ?, last_modified = ?, error_count = ?, "
            "last_error = ?, last_attempt_at = ?, last_success_at = ?, next_attempt_at = ? "
            "WHERE name = ?",
            (
                state.feed, state.etag, state.last_modified, state.error_count, state.last_error,
                to_iso(state.last_attempt_at), to_iso(state.last_success_at),
                to_iso(state.next_attempt_at), state.name,
            ),
        )

    def all(self) -> list[SourceState]:
        rows = self.database.query("SELECT name FROM sources ORDER BY name")
        names = [row["name"] for row in rows]
        return [self.get(name) for name in names]


class Failures:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(
        self, reason: str, *, source: str | None = None, url: str | None = None,
        detail: str | None = None,
    ) -> int:
        cursor = self.database.execute(
            "INSERT INTO ingest_failures (source, url, reason, detail, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (source, url, reason, detail, to_iso(utcnow())),
        )
        return inserted_id(cursor)

    def recent(self, limit: int = 20) -> list[Failure]:
        rows = self.database.query(
            "SELECT id, source, url, reason, detail, created_at FROM ingest_failures "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_row_to_failure(row) for row in rows]

    def count(self) -> int:
        row = self.database.query("SELECT count(*) AS n FROM ingest_failures").fetchone()
        return int(row["n"])
