"""What each reader's digest holds: stories of its window and topics it has not received yet,
composed for its platform.

Readers due together (same platform, topics, window, zone and hour) share their candidate
stories, read from the store once and cached. Each reader then gets the candidates it has not
received, or that grew since (``for_reader``, from one ``store.digest_stories`` lookup per
round), and readers given the same stories share the composed text (cached too); the shared
``Rich`` object also lets the Telegram transport render it once. All of it runs in a worker
thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.engine.lru import LRU
from bot.engine.messages import Rich
from bot.engine.timefmt import zone
from bot.features.digests.render import Story, compose, empty, for_reader, pick
from bot.features.digests.settings import DigestSettings
from store import Store
from store.deliveries import Job

log = logging.getLogger(__name__)

CACHE_SIZE = 256

MessageCount = Callable[[str, Rich], int]  # (platform, text) → messages it becomes there


@dataclass
class Content:
    """A digest to send (``rich`` None: nothing new, skip it), the articles it shows and the
    stories it gives the chat (story id, article count), recorded in ``digest_stories``."""

    rich: Rich | None
    article_ids: tuple[int, ...]
    stories: tuple[tuple[int, int], ...] = ()


class DigestContents:
    """Builds digests for jobs, sharing the work between readers due together."""

    def __init__(self, store: Store, settings: DigestSettings,
                 message_count: MessageCount) -> None:
        self.store = store
        self.settings = settings
        self.message_count = message_count
        self._cache: LRU[tuple, Content] = LRU(CACHE_SIZE)
        self._candidates: LRU[tuple, list[Story]] = LRU(CACHE_SIZE)
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

    def for_jobs(self, jobs: list[Job]) -> list[Content | Exception]:
        """Worker thread: each job's digest, from the cached candidates and what the chat
        already received (one lookup for the whole round). A bug building one reader's digest
        costs that reader only."""
        candidates: list[list[Story] | Exception] = []
        for job in jobs:
            try:
                candidates.append(self._candidates_for(job))
            except Exception as error:
                log.exception("digest for %s %s could not be built",
                              job.subscription.platform, job.subscription.chat_id)
                candidates.append(error)
        story_ids = {story.story_id for found in candidates if isinstance(found, list)
                     for story in found if story.story_id is not None}
        chats = [(job.subscription.platform, job.subscription.chat_id) for job in jobs]
        seen = self.store.digest_stories.seen(chats, story_ids)
        built: list[Content | Exception] = []
        for job, found in zip(jobs, candidates, strict=True):
            if isinstance(found, Exception):
                built.append(found)
                continue
            chat = (job.subscription.platform, str(job.subscription.chat_id))
            try:
                built.append(self._compose(job, for_reader(found, seen.get(chat, {}))))
            except Exception as error:
                log.exception("digest for %s %s could not be built", *chat)
                built.append(error)
        return built

    def _candidates_for(self, job: Job) -> list[Story]:
        """Every story of the job's window, newest first, before any reader's record: readers
        due together share them, so they are read from the store once (cached)."""
        key = self._key(job)
        with self._lock:
            found = self._candidates.get(key)
        if found is not None:
            return found
        since, until = self.window(job)
        articles = self.store.articles.for_digest(
            since, until, job.claimed_at - timedelta(hours=self.settings.max_age_hours),
            topics=job.subscription.topics,
        )
        grouped = (Story.from_store(s) for s in self.store.stories.for_articles(articles))
        found = [s for s in grouped if s is not None]
        with self._lock:
            self._candidates.put(key, found)
        return found

    def _compose(self, job: Job, stories: list[Story]) -> Content:
        """Rank and compose one reader's digest; readers given the same stories (most of them:
        the same window, none of it received before) share the composed text (cached)."""
        key = (self._key(job), tuple((s.story_id, s.article.id, s.updated) for s in stories))
        with self._lock:
            content = self._cache.get(key)
        if content is not None:
            return content
        sub = job.subscription
        tz = zone(sub.timezone, self.settings.timezone)
        chosen = pick(stories, self.settings.max_articles)
        due_local = job.due_at.astimezone(tz)
        if chosen:
            rich, kept = compose(chosen, due_local, tz,
                                 lambda text: self.message_count(sub.platform, text))
            content = Content(rich, tuple(i for story in kept for i in story.article_ids),
                              tuple((story.story_id, story.article_count) for story in kept
                                    if story.story_id is not None))
        elif self.settings.send_when_empty:
            content = Content(empty(due_local), ())
        else:
            content = Content(None, ())
        with self._lock:
            self._cache.put(key, content)
        return content
