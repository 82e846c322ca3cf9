"""``Store``: one object that opens the database and hands out the repositories."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from store.articles import Articles
from store.chats import Chats
from store.db import Database, create_private
from store.deliveries import Deliveries
from store.digest_stories import DigestStories
from store.errors import StoreError
from store.feedback import FeedbackRepository
from store.moderation import ModerationRepository
from store.outbox import ModeratorsOutbox
from store.search import Search
from store.sent_messages import SentMessages
from store.sources import Failures, Sources
from store.stories import Stories
from store.subscriptions import Subscriptions


class Store:
    """The bantin database. Open it once per process; it is safe to use from several threads."""

    def __init__(self, path: str | Path) -> None:
        self.database = Database(path)
        self.path = self.database.path
        self.articles = Articles(self.database)
        self.search = Search(self.database)
        self.stories = Stories(self.database)
        self.sources = Sources(self.database)
        self.failures = Failures(self.database)
        self.chats = Chats(self.database)
        self.subscriptions = Subscriptions(self.database)
        self.deliveries = Deliveries(self.database)
        self.digest_stories = DigestStories(self.database)
        self.feedback = FeedbackRepository(self.database)
        self.moderation = ModerationRepository(self.database)
        self.outbox = ModeratorsOutbox(self.database)
        self.sent_messages = SentMessages(self.database)

    def stats(self) -> dict[str, int]:
        """Row counts a maintainer wants at a glance, and the file size in bytes."""
        db = self.database.db
        figures = {name: db[name].count
                   for name in ("articles", "stories", "sources", "ingest_failures", "chats", "deliveries")}
        figures["active_subscriptions"] = db["subscriptions"].count_where("active = 1")
        figures["pending_feedback"] = db["feedback"].count_where("status = 'pending'")
        figures["size_bytes"] = sum(
            p.stat().st_size
            for p in (self.path, Path(f"{self.path}-wal"))
            if p.exists()
        )
        return figures

    def backup(self, target: str | Path) -> None:
        """Copy the database with SQLite's online backup: consistent while the bot writes."""
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target}: already exists; choose a new file name")
        if not target.parent.exists():
            raise StoreError(f"{target}: folder {target.parent} does not exist")
        create_private(target)
        destination = sqlite3.connect(str(target))
        try:
            self.database.conn.backup(destination)
        finally:
            destination.close()

    def close(self) -> None:
        self.database.close()
