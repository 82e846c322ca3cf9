"""What each reader's digest holds: articles of its window and topics, composed for its platform.

Readers due together mostly get the same digest (same platform, topics, window, zone and hour),
so it is built once, in a worker thread, and kept in a small cache for the readers that follow;
the shared ``Rich`` object also lets the Telegram transport render it once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.engine.lru import LRU
from bot.engine.messages import Rich
from bot.engine.timefmt import zone
from bot.features.digests.render import Story, compose, empty, pick
from bot.features.digests.settings import DigestSettings
from store import Store
from store.deliveries import Job

CACHE_SIZE = 256

MessageCount = Callable[[str, Rich], int]  # (platform, text) → messages it becomes there


@dataclass
class Content:
    """A digest to send (``rich`` None: nothing new, skip it) and the articles it shows."""

    rich: Rich | None
    article_ids: tuple[int, ...]


class DigestContents:
    """Builds digests for jobs, one per group of readers due together."""

    def __init__(self, store: Store, settings: DigestSettings,
                 message_count: MessageCount) -> None:
        self.store = store
        self.settings = settings
        self.message_count = message_count
        self._cache: LRU[tuple, Content] = LRU(CACHE_SIZE)
        self._lock = threading.Lock()

    def window(self, job: Job) -> tuple[datetime, datetime]:
        """Articles since the reader's previous digest (or the first window), up to the claim."""
        first = job.claimed_at - timedelta(hours=self.settings.first_window_hours)
        return job.previous_at or first, job.claimed_at

    def _key(self, job: Job) -> tuple:
        sub = job.subscription
        tz = zone(sub.timezone, self.settings.timezone)
        due_local = job.due_at.astimezone(tz)
        return (sub.platform, tuple(sub.topics), *self.window(job), str(tz),
                due_local.date(), due_local.hour)

    def cached(self, job: Job) -> Content | None:
        """The digest already built for a reader due together with this one, if any."""
        key = self._key(job)
        with self._lock:
            return self._cache.get(key)

    def build(self, job: Job) -> Content:
        """Runs in a worker thread: select, rank, compose; cached for the readers that follow."""
        sub = job.subscription
        tz = zone(sub.timezone, self.settings.timezone)
        since, until = self.window(job)
        articles = self.store.articles.for_digest(
            since, until, job.claimed_at - timedelta(hours=self.settings.max_age_hours),
            topics=sub.topics,
        )
        grouped = (Story.from_store(s, since) for s in self.store.stories.for_articles(articles))
        stories = pick([s for s in grouped if s is not None], self.settings.max_articles)
        due_local = job.due_at.astimezone(tz)
        if stories:
            rich, kept = compose(stories, due_local, tz,
                                 lambda text: self.message_count(sub.platform, text))
            content = Content(rich, tuple(i for story in kept for i in story.article_ids))
        elif self.settings.send_when_empty:
            content = Content(empty(due_local), ())
        else:
            content = Content(None, ())
        with self._lock:
            self._cache.put(self._key(job), content)
        return content
