"""Readers' feedback: stored as pending, published only after a moderator approves it.

Statuses: ``pending`` (waiting for a moderator), ``approved`` (a public comment), ``rejected``,
``blocked`` (its sender is blocked: never forwarded, never shown), ``limited`` (sent past the
hourly limit: kept, never forwarded, never shown) and ``removed`` (approved, then taken down by a
moderator: no longer shown). Only ``approved`` feedback is ever shown to readers. Decisions are
made in ``store.moderation``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bantin.text import nfc
from store.db import Database, from_iso, stored_time, to_iso, utcnow
from store.errors import NotFound
from store.rows import inserted_id

STATUSES = ("pending", "approved", "rejected", "blocked", "limited", "removed")


@dataclass
class Feedback:
    id: int
    platform: str
    chat_id: str
    user_id: str | None
    display_name: str | None
    article_id: int | None
    text: str
    status: str
    created_at: datetime
    decided_at: datetime | None = None
    moderator_id: str | None = None
    moderator_name: str | None = None
    queue_message_id: str | None = None
    reply_text: str | None = None
    replied_at: datetime | None = None
    replied_by: str | None = None
    replied_by_name: str | None = None

    @property
    def reader_id(self) -> str:
        """Who sent it: the user (in a group, the person rather than the group), else the chat."""
        return self.user_id or self.chat_id


COLUMNS = (
    "id, platform, chat_id, user_id, display_name, article_id, text, status, created_at, "
    "decided_at, moderator_id, moderator_name, queue_message_id, reply_text, replied_at, "
    "replied_by, replied_by_name"
)


def row_to_feedback(row: sqlite3.Row) -> Feedback:
    """Feedback from a row holding ``COLUMNS`` by those names."""
    return Feedback(
        id=row["id"], platform=row["platform"], chat_id=row["chat_id"], user_id=row["user_id"],
        display_name=row["display_name"], article_id=row["article_id"], text=row["text"],
        status=row["status"], created_at=stored_time(row["created_at"]),
        decided_at=from_iso(row["decided_at"]), moderator_id=row["moderator_id"],
        moderator_name=row["moderator_name"], queue_message_id=row["queue_message_id"],
        reply_text=row["reply_text"], replied_at=from_iso(row["replied_at"]),
        replied_by=row["replied_by"], replied_by_name=row["replied_by_name"],
    )


class FeedbackRepository:
    def __init__(self, database: Database) -> None:
        self.database = database

    def add(
        self,
        platform: str,
        chat_id: str,
        text: str,
        *,
        user_id: str | None = None,
        display_name: str | None = None,
        article_id: int | None = None,
        status: str = "pending",
        created_at: datetime | None = None,
    ) -> Feedback:
        """Store one piece of feedback exactly as the reader wrote it (NFC)."""
        if status not in STATUSES:
            raise ValueError(f"unknown feedback status {status!r}")
        cursor = self.database.execute(
            "INSERT INTO feedback (platform, chat_id, user_id, display_name, article_id, text, "
            "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (platform, str(chat_id), user_id, nfc(display_name) if display_name else None,
             article_id, nfc(text), status, to_iso(created_at or utcnow())),
        )
        return self.get(inserted_id(cursor))

    def get(self, feedback_id: int) -> Feedback:
        row = self.database.query(
            f"SELECT {COLUMNS} FROM feedback WHERE id = ?", (feedback_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no feedback with id {feedback_id}")
        return row_to_feedback(row)

    def for_chat(self, platform: str, chat_id: str, limit: int = 50) -> list[Feedback]:
        rows = self.database.query(
            f"SELECT {COLUMNS} FROM feedback WHERE platform = ? AND chat_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (platform, str(chat_id), limit),
        ).fetchall()
        return [row_to_feedback(row) for row in rows]

    # --- abuse limits -------------------------------------------------------------------------

    def recent_from_reader(
        self, platform: str, chat_id: str, user_id: str | None, since: datetime
    ) -> list[datetime]:
        """When this reader's counted feedback since ``since`` was sent, oldest first.

        Feedback refused for the hourly limit (``limited``) does not count, so a reader who
        keeps writing is let in again as soon as the hour has passed.
        """
        if user_id:
            where, params = "platform = ? AND user_id = ?", (platform, user_id)
        else:
            where, params = "platform = ? AND chat_id = ? AND user_id IS NULL", (platform, chat_id)
        rows = self.database.query(
            f"SELECT created_at FROM feedback WHERE {where} AND created_at >= ? "
            "AND status != 'limited' ORDER BY created_at",
            (*params, to_iso(since)),
        ).fetchall()
        return [stored_time(row["created_at"]) for row in rows]

    # --- the moderators' queue ----------------------------------------------------------------

    def pending(self, limit: int = 10) -> list[Feedback]:
        """Feedback waiting for a moderator, oldest first."""
        rows = self.database.query(
            f"SELECT {COLUMNS} FROM feedback WHERE status = 'pending' "
            "ORDER BY created_at, id LIMIT ?",
            (limit,),
        ).fetchall()
        return [row_to_feedback(row) for row in rows]

    def pending_count(self) -> int:
        row = self.database.query(
            "SELECT count(*) AS n FROM feedback WHERE status = 'pending'"
        ).fetchone()
        return int(row["n"])

    def unforwarded(self, created_before: datetime, limit: int = 20) -> list[Feedback]:
        """Pending feedback never posted to the moderators' chat (its send failed), oldest first."""
        rows = self.database.query(
            f"SELECT {COLUMNS} FROM feedback WHERE status = 'pending' "
            "AND queue_message_id IS NULL AND created_at < ? ORDER BY created_at, id LIMIT ?",
            (to_iso(created_before), limit),
        ).fetchall()
        return [row_to_feedback(row) for row in rows]

    # --- public comments ----------------------------------------------------------------------

    def comments(self, article_id: int, limit: int = 10, offset: int = 0) -> list[Feedback]:
        """Approved feedback on an article, in the order it was written."""
        rows = self.database.query(
            f"SELECT {COLUMNS} FROM feedback WHERE article_id = ? AND status = 'approved' "
            "ORDER BY created_at, id LIMIT ? OFFSET ?",
            (article_id, limit, offset),
        ).fetchall()
        return [row_to_feedback(row) for row in rows]

    def comment_counts(self, article_ids: Iterable[int]) -> dict[int, int]:
        """Approved comments per article, for the articles that have any."""
        ids = sorted({int(i) for i in article_ids})
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self.database.query(
            f"SELECT article_id, count(*) AS n FROM feedback WHERE status = 'approved' "
            f"AND article_id IN ({marks}) GROUP BY article_id",
            tuple(ids),
        ).fetchall()
        return {int(row["article_id"]): int(row["n"]) for row in rows}
