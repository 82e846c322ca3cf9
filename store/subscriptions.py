"""Daily digest subscriptions: one per chat, at a local time of day, in a time zone.

Unsubscribing keeps the row (inactive) so a returning reader's choices are not lost.
``days`` holds the weekdays as digits (Monday = 0, as Python counts), ``topics`` the source
names and categories the reader follows (empty: everything), and ``next_due_at`` the next
instant the digest falls due: the digest tick reads it, so the database is the schedule.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from store.db import Database, from_iso, to_iso, utcnow


@dataclass
class Subscription:
    id: int
    platform: str
    chat_id: str
    time: str
    timezone: str
    days: str = "0123456"
    topics: list[str] = field(default_factory=list)
    active: bool = True
    starts_on: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    next_due_at: datetime | None = None


COLUMNS = (
    "id, platform, chat_id, time, timezone, days, topics, active, starts_on, created_at, "
    "updated_at, next_due_at"
)


def row_to_subscription(row: sqlite3.Row) -> Subscription:
    """A subscription from a row holding ``COLUMNS`` by those names (a join may add others)."""
    return Subscription(
        id=row["id"], platform=row["platform"], chat_id=row["chat_id"], time=row["time"],
        timezone=row["timezone"], days=row["days"], topics=json.loads(row["topics"] or "[]"),
        active=bool(row["active"]), starts_on=row["starts_on"],
        created_at=from_iso(row["created_at"]), updated_at=from_iso(row["updated_at"]),
        next_due_at=from_iso(row["next_due_at"]),
    )


class Subscriptions:
    def __init__(self, database: Database) -> None:
        self.database = database

    def subscribe(
        self, platform: str, chat_id: str, time: str, timezone: str, *,
        days: str = "0123456", topics: Sequence[str] = (), next_due_at: datetime | None = None,
        starts_on: str | None = None,
    ) -> Subscription:
        """Create or change the chat's subscription and make it active.

        ``next_due_at`` is the first occurrence (the bot computes it: the store knows no
        calendars); left ``None``, the digest tick fills it in with the next occurrence.
        """
        now = to_iso(utcnow())
        self.database.execute(
            "INSERT INTO subscriptions (platform, chat_id, time, timezone, days, topics, active, "
            "starts_on, next_due_at, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET time = excluded.time, "
            "timezone = excluded.timezone, days = excluded.days, topics = excluded.topics, "
            "starts_on = excluded.starts_on, next_due_at = excluded.next_due_at, active = 1, "
            "updated_at = excluded.updated_at",
            (platform, str(chat_id), time, timezone, days,
             json.dumps(list(topics), ensure_ascii=False), starts_on, to_iso(next_due_at),
             now, now),
        )
        subscription = self.get(platform, chat_id)
        assert subscription is not None
        return subscription

    def unsubscribe(self, platform: str, chat_id: str) -> bool:
        """Stop the digest; return False when there was no active subscription."""
        cursor = self.database.execute(
            "UPDATE subscriptions SET active = 0, updated_at = ? "
            "WHERE platform = ? AND chat_id = ? AND active = 1",
            (to_iso(utcnow()), platform, str(chat_id)),
        )
        return cursor.rowcount > 0

    def get(self, platform: str, chat_id: str) -> Subscription | None:
        """The chat's subscription, active or not; ``None`` when it never subscribed."""
        row = self.database.query(
            f"SELECT {COLUMNS} FROM subscriptions WHERE platform = ? AND chat_id = ?",
            (platform, str(chat_id)),
        ).fetchone()
        return row_to_subscription(row) if row else None
