"""Which articles each bot message showed, so a reader's reply can be tied to its article.

Rows are small and only needed while readers may still reply; ``prune`` drops old ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from store.db import Database, to_iso, utcnow


class SentMessages:
    def __init__(self, database: Database) -> None:
        self.database = database

    def record(
        self, platform: str, chat_id: str, message_id: str, article_ids: Iterable[int]
    ) -> None:
        now = to_iso(utcnow())
        rows = [
            (platform, str(chat_id), str(message_id), position, article_id, now)
            for position, article_id in enumerate(article_ids)
        ]
        if rows:
            with self.database.transaction() as conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO sent_messages (platform, chat_id, message_id, "
                    "position, article_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )

    def articles(self, platform: str, chat_id: str, message_id: str) -> list[int]:
        """The articles a bot message showed, in the order shown (empty for other messages)."""
        rows = self.database.query(
            "SELECT article_id FROM sent_messages WHERE platform = ? AND chat_id = ? "
            "AND message_id = ? ORDER BY position",
            (platform, str(chat_id), str(message_id)),
        ).fetchall()
        return [row["article_id"] for row in rows]

    def prune(self, older_than: datetime) -> int:
        cursor = self.database.execute(
            "DELETE FROM sent_messages WHERE created_at < ?", (to_iso(older_than),)
        )
        return cursor.rowcount
