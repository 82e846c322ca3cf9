"""Which stories each chat's digests carried, and how many articles each had then.

A digest leaves out a story the chat already received unless the story has grown since (new
articles from any outlet), and marks the grown ones updated. Rows are written with the digest's
``sent`` outcome: a digest that failed or whose fate is unknown carried nothing the reader saw,
so its stories may come again. One row per (chat, story), holding the largest count sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from store.db import Database, to_iso

# SQLite allows 999 bound parameters in old builds; stay well under it.
_CHUNK = 500


class DigestStories:
    """The per-chat record of stories sent in digests."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def record(self, platform: str, chat_id: str, stories: Iterable[tuple[int, int]],
               at: datetime) -> None:
        """Remember that (story id, article count) pairs reached the chat at ``at``."""
        rows = [(platform, str(chat_id), story_id, count, to_iso(at))
                for story_id, count in stories]
        if not rows:
            return
        self.database.conn.executemany(
            "INSERT INTO digest_stories (platform, chat_id, story_id, article_count, sent_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id, story_id) DO UPDATE SET "
            "article_count = max(article_count, excluded.article_count), "
            "sent_at = excluded.sent_at",
            rows,
        )

    def prune(self, older_than: datetime) -> int:
        """Forget stories sent before ``older_than``: a digest shows only recent articles, so a
        story that old cannot come back (the table only grows otherwise)."""
        return self.database.execute(
            "DELETE FROM digest_stories WHERE sent_at < ?", (to_iso(older_than),)).rowcount

    def seen(self, chats: Iterable[tuple[str, str]],
             story_ids: Iterable[int]) -> dict[tuple[str, str], dict[int, int]]:
        """For each chat, the article count each of ``story_ids`` had when last sent to it
        (stories never sent to a chat are absent)."""
        wanted = sorted(set(story_ids))
        found: dict[tuple[str, str], dict[int, int]] = {}
        chat_keys = sorted({(platform, str(chat_id)) for platform, chat_id in chats})
        if not wanted or not chat_keys:
            return found
        for platform, chat_id in chat_keys:
            for start in range(0, len(wanted), _CHUNK):
                part = wanted[start:start + _CHUNK]
                rows = self.database.execute(
                    "SELECT story_id, article_count FROM digest_stories "
                    "WHERE platform = ? AND chat_id = ? "
                    f"AND story_id IN ({', '.join('?' * len(part))})",
                    (platform, chat_id, *part),
                ).fetchall()
                if rows:
                    found.setdefault((platform, chat_id), {}).update(
                        {int(row[0]): int(row[1]) for row in rows})
        return found
