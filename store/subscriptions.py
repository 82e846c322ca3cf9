"""Daily digest subscriptions: one per chat, at a local time of day, in a time zone.

Unsubscribing keeps the row (inactive) so a returning reader's choices are not lost.
"""

from __future__ import annotations

import json
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


_COLUMNS = (
    "id, platform, chat_id, time, timezone, days, topics, active, starts_on, created_at, "
    "updated_at"
)


def _row_to_subscription(row: tuple) -> Subscription:
    return Subscription(
        id=row[0], platform=row[1], chat_id=row[2], time=row[3], timezone=row[4], days=row[5],
        topics=json.loads(row[6] or "[]"), active=bool(row[7]), starts_on=row[8],
        created_at=from_iso(row[9]), updated_at=from_iso(row[10]),
    )


class Subscriptions:
    def __init__(self, database: Database) -> None:
        self.database = database

    def subscribe(self, platform: str, chat_id: str, time: str, timezone: str) -> Subscription:
        """Create or change the chat's subscription to ``time`` (HH:MM) and make it active."""
        now = to_iso(utcnow())
        self.database.execute(
            "INSERT INTO subscriptions (platform, chat_id, time, timezone, active, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET time = excluded.time, "
            "timezone = excluded.timezone, active = 1, updated_at = excluded.updated_at",
            (platform, str(chat_id), time, timezone, now, now),
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
        row = self.database.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE platform = ? AND chat_id = ?",
            (platform, str(chat_id)),
        ).fetchone()
        return _row_to_subscription(row) if row else None
