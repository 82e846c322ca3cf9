"""Readers' feedback: stored as pending, published only after a moderator approves it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from store.db import Database, from_iso, to_iso, utcnow
from store.errors import NotFound
from store.folding import nfc


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


_COLUMNS = "id, platform, chat_id, user_id, display_name, article_id, text, status, created_at"


def _row_to_feedback(row: tuple) -> Feedback:
    return Feedback(*row[:8], created_at=from_iso(row[8]))  # type: ignore[arg-type]


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
    ) -> Feedback:
        """Store one piece of feedback exactly as the reader wrote it (NFC)."""
        cursor = self.database.execute(
            "INSERT INTO feedback (platform, chat_id, user_id, display_name, article_id, text, "
            "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (platform, str(chat_id), user_id, nfc(display_name) if display_name else None,
             article_id, nfc(text), status, to_iso(utcnow())),
        )
        return self.get(int(cursor.lastrowid))

    def get(self, feedback_id: int) -> Feedback:
        row = self.database.execute(
            f"SELECT {_COLUMNS} FROM feedback WHERE id = ?", (feedback_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no feedback with id {feedback_id}")
        return _row_to_feedback(row)

    def for_chat(self, platform: str, chat_id: str, limit: int = 50) -> list[Feedback]:
        rows = self.database.execute(
            f"SELECT {_COLUMNS} FROM feedback WHERE platform = ? AND chat_id = ? "
            "ORDER BY id DESC LIMIT ?",
            (platform, str(chat_id), limit),
        ).fetchall()
        return [_row_to_feedback(row) for row in rows]
