"""Readers' chats on every platform: who they are, their time zone, whether they still listen.

A chat is never deleted: a reader who blocked the bot is marked inactive (with the reason) and
becomes active again the moment they write.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bantin.text import nfc
from store.db import Database, stored_time, to_iso, utcnow


@dataclass
class Chat:
    platform: str
    chat_id: str
    user_id: str | None
    display_name: str | None
    chat_type: str
    timezone: str | None
    active: bool
    inactive_reason: str | None
    created_at: datetime
    updated_at: datetime


_COLUMNS = (
    "platform, chat_id, user_id, display_name, chat_type, timezone, active, inactive_reason, "
    "created_at, updated_at"
)


def _row_to_chat(row: sqlite3.Row) -> Chat:
    return Chat(
        platform=row["platform"], chat_id=row["chat_id"], user_id=row["user_id"],
        display_name=row["display_name"], chat_type=row["chat_type"], timezone=row["timezone"],
        active=bool(row["active"]), inactive_reason=row["inactive_reason"],
        created_at=stored_time(row["created_at"]), updated_at=stored_time(row["updated_at"]),
    )


class Chats:
    def __init__(self, database: Database) -> None:
        self.database = database

    def seen(
        self,
        platform: str,
        chat_id: str,
        *,
        user_id: str | None = None,
        display_name: str | None = None,
        chat_type: str = "private",
    ) -> Chat:
        """Record that a reader wrote in this chat: create it, refresh it, make it active."""
        now = to_iso(utcnow())
        self.database.execute(
            "INSERT INTO chats (platform, chat_id, user_id, display_name, chat_type, active, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET "
            "user_id = COALESCE(excluded.user_id, user_id), "
            "display_name = COALESCE(excluded.display_name, display_name), "
            "chat_type = excluded.chat_type, active = 1, inactive_reason = NULL, "
            "updated_at = excluded.updated_at",
            (platform, str(chat_id), user_id, nfc(display_name) if display_name else None,
             chat_type, now, now),
        )
        chat = self.get(platform, chat_id)
        assert chat is not None
        return chat

    def get(self, platform: str, chat_id: str) -> Chat | None:
        row = self.database.query(
            f"SELECT {_COLUMNS} FROM chats WHERE platform = ? AND chat_id = ?",
            (platform, str(chat_id)),
        ).fetchone()
        return _row_to_chat(row) if row else None

    def mark_inactive(self, platform: str, chat_id: str, reason: str) -> None:
        """The reader cannot be reached (blocked the bot, left the group): stop sending."""
        now = to_iso(utcnow())
        self.database.execute(
            "INSERT INTO chats (platform, chat_id, active, inactive_reason, created_at, "
            "updated_at) VALUES (?, ?, 0, ?, ?, ?) "
            "ON CONFLICT (platform, chat_id) DO UPDATE SET active = 0, "
            "inactive_reason = excluded.inactive_reason, updated_at = excluded.updated_at",
            (platform, str(chat_id), reason, now, now),
        )

    def set_timezone(self, platform: str, chat_id: str, timezone: str) -> None:
        self.database.execute(
            "UPDATE chats SET timezone = ?, updated_at = ? WHERE platform = ? AND chat_id = ?",
            (timezone, to_iso(utcnow()), platform, str(chat_id)),
        )
