"""Posting readers' feedback to the moderators' chat from the persisted outbox, at its pace.

``/feedback`` thanks the reader at once and only queues the post (``store.outbox``): the
moderators' group takes about 20 messages a minute, and a reader must never wait for that.
``OutboxSender`` (a service of ``bantin run``) drains the queue:

- one post every ``60 / per_minute`` seconds at most;
- a queue of ``batch_from`` or more at its turn becomes ONE message listing up to
  ``batch_size`` of them (decided through ``/pending``); fewer are posted one by one, each with
  its decision buttons;
- a post that fails (Telegram unreachable, not connected yet) goes back to the queue and is
  tried again after ``retry_seconds``; nothing is dropped;
- feedback decided before its turn (a moderator used ``/pending``) is skipped;
- the pace holds across a restart (the last post's time is in the store);
- ``stop`` lets the post in flight finish and be recorded, so a restart neither loses nor
  repeats one. A crash mid-post leaves it ``sending``; the next start posts it again (a rare
  duplicate in the moderators' chat rather than a lost item).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.features import moderation_views as views
from bot.engine.errors import BotError
from bot.engine.messages import Address, Reply
from bot.features.moderation import queue_reply
from bot.engine.timefmt import zone
from store import NotFound, utcnow

if TYPE_CHECKING:
    from bot.engine.core import BotCore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxSettings:
    per_minute: float = 20  # Telegram's limit for a bot in one group
    batch_from: int = 3  # this many waiting at a post's turn → one batch message
    batch_size: int = 10  # items in one batch message
    poll_seconds: float = 1.0  # how often the queue is looked at when idle
    retry_seconds: float = 15.0  # after a failed post
    stop_grace: float = 5.0  # how long ``stop`` lets a post in flight finish


class OutboxSender:
    """Drains ``store.outbox`` into the moderators' chat (see the module docstring)."""

    def __init__(self, core: BotCore, settings: OutboxSettings = OutboxSettings()) -> None:
        self.core = core
        self.settings = settings
        self._task: asyncio.Task | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        waiting = await self.core.run_sync(self.core.store.outbox.recover)
        if waiting:
            log.info("moderators' outbox: %d feedback waiting to be posted", waiting)
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name="moderators-outbox")

    async def stop(self) -> None:
        """Let the post in flight finish (up to ``stop_grace``), then end."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), self.settings.stop_grace)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _pause(self, seconds: float) -> None:
        """Wait ``seconds``, or less when stopping."""
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _run(self) -> None:
        interval = 60.0 / self.settings.per_minute if self.settings.per_minute > 0 else 0.0
        last = await self.core.run_sync(self.core.store.outbox.last_posted_at)
        if last is not None:  # just restarted: keep the pace of the previous run
            await self._pause(interval - (utcnow() - last).total_seconds())
        while not self._stopping.is_set():
            try:
                posted = await self.send_next()
            except Exception:  # a store failure: try again later, never end the loop
                log.exception("moderators' outbox: a turn failed")
                posted = None
            if posted is None:
                await self._pause(self.settings.retry_seconds)
            elif posted:
                await self._pause(interval)
            else:
                await self._pause(self.settings.poll_seconds)

    async def send_next(self) -> int | None:
        """Post the next message: the number of feedback it carried (0: queue empty), or
        ``None`` when the post failed and went back to the queue."""
        core, settings = self.core, self.settings
        waiting = await core.run_sync(core.store.outbox.waiting)
        limit = settings.batch_size if waiting >= settings.batch_from else 1
        ids = await core.run_sync(core.store.outbox.claim, limit)
        if not ids:
            return 0
        items = await core.run_sync(self._load, ids)
        live = [(feedback, article) for feedback, article in items if feedback.status == "pending"]
        skipped = [feedback.id for feedback, _ in items if feedback.status != "pending"]
        if skipped:
            await core.run_sync(core.store.outbox.finish, skipped, "skipped")
        if not live:
            return len(skipped)
        reply, state = await core.run_sync(self._reply, live, waiting - len(ids))
        live_ids = [feedback.id for feedback, _ in live]
        assert reply.to is not None  # _reply addresses the moderators' chat
        try:
            await core.send(reply.to, reply)
        except BotError as error:
            await core.run_sync(core.store.outbox.release, live_ids)
            log.warning("moderators' outbox: %d feedback not posted yet (%s); next try in %.0f s",
                        len(live_ids), error, settings.retry_seconds)
            return None
        await core.run_sync(core.store.outbox.finish, live_ids, state)
        return len(live_ids)

    def _load(self, ids: list[int]) -> list:
        """The feedback of ``ids`` (and its article), skipping ids that no longer exist."""
        store = self.core.store
        items = []
        for feedback_id in ids:
            try:
                feedback = store.feedback.get(feedback_id)
            except NotFound:
                store.outbox.finish([feedback_id], "skipped")
                continue
            article = None
            if feedback.article_id is not None:
                with contextlib.suppress(NotFound):
                    article = store.articles.get(feedback.article_id)
            items.append((feedback, article))
        return items

    def _reply(self, live: list, still_waiting: int) -> tuple[Reply, str]:
        """One item: its queue message with buttons; several: a batch message."""
        core = self.core
        moderation, timezone = core.settings.moderation, core.settings.timezone
        if len(live) == 1:
            return queue_reply(core.store, moderation, timezone, live[0][0]), "posted"
        tz = zone(timezone, timezone)
        rich = views.batch_message(live, tz, max(0, still_waiting))
        return Reply(rich, to=Address(moderation.platform, moderation.chat_id)), "batched"

