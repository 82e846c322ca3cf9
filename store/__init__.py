"""The only place with SQL: schema, migrations and repositories (see docs/architecture.md)."""

from store.articles import Article, SaveOutcome, content_hash
from store.chats import Chat
from store.db import to_iso, utcnow
from store.errors import NotFound, StoreError
from store.feedback import Feedback
from store.migrations import LATEST as SCHEMA_VERSION
from store.sources import Failure, SourceState
from store.stories import Story
from store.store import Store
from store.subscriptions import Subscription

__all__ = [
    "Article", "Chat", "Failure", "Feedback", "NotFound", "SCHEMA_VERSION", "SaveOutcome", "SourceState", "Store", "Story",
    "StoreError", "Subscription", "content_hash", "to_iso", "utcnow",
]
