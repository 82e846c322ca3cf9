"""The daily digest sender: claims what is due from the database, then fans out to readers.

The database is the schedule (DESIGN.md). Each minute ``tick`` reads the subscriptions whose
``next_due_at`` has passed and, in one transaction per batch, writes a delivery row for each
(unique per subscription and local date) and moves ``next_due_at`` to the next occurrence. Only
then is anything sent. Pending rows go to a queue served by ``concurrency`` workers; the global
rate is the transport's (python-telegram-bot's ``AIORateLimiter``), so the workers only bound
how many requests are in flight — and so how many could be of unknown fate after a crash.

Exactly once, the rule (``store.deliveries``): a row is ``pending`` until the moment before its
first request leaves, when it becomes ``sending`` (committed). After a restart, ``pending`` rows
are sent (nothing went out), ``sending`` rows are recorded failed and NOT resent: a reader may
lose that day's digest — at most ``concurrency`` readers per crash — but never gets it twice.
The same rule holds while running: digests are sent ``at_most_once``, so a request that may have
arrived (read timeout, connection lost after sending) is not retried but recorded failed,
"unknown fate"; only errors that prove nothing arrived are retried (``bot.telegram_transport``).

CPU per message is what bounds a big fan-out's cost, so a send costs one thread-pool hop and one
commit: ``sent`` outcomes (and the sent-messages records) wait in memory and are written in the
transaction that marks the next digest ``sending`` (or after ``FLUSH_DELAY`` when none follows).
A crash in that gap leaves the row ``sending``, so it is recorded failed after the restart like
any request in flight: never a duplicate; at most the last few sent digests recorded failed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import zoneinfo
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import BotCore
from bot.digest_render import compose, empty, pick
from bot.errors import BotError, ChatUnreachable
from bot.messages import Address, Reply, Rich
from bot.schedule import local_date, next_occurrence
from bot.timefmt import zone
from store.deliveries import (
    BLOCKED,
    FAILED,
    MISSED,
    PENDING,
    SENT,
    SKIPPED,
    Claim,
    Due,
    Job,
    Record,
)

log = logging.getLogger(__name__)

HISTORY_LIMIT = timedelta(days=31)  # missed days further back than this are not recorded
CACHE_SIZE = 256
FLUSH_DELAY = 0.2  # seconds a sent outcome may wait for the next digest's commit


@dataclass(frozen=True)
class DigestSettings:
    """The ``[digest]`` part of the config, and the fan-out's own knobs."""

    timezone: str = "Asia/Ho_Chi_Minh"
    max_articles: int = 8
    catch_up_hours: float = 3
    send_when_empty: bool = False
    concurrency: int = 16
    first_window_hours: float = 24
    max_age_hours: float = 48
    claim_batch: int = 1000
    rate_per_second: float | None = None  # pace digests at the transport's rate (see _Pacer)


class _Pacer:
    """Spaces digest sends at ``rate`` per second, before they are marked ``sending``.

    The transport's rate limiter would hold them anyway; pacing here first keeps requests
    that are merely queued in the limiter out of the ``sending`` state, so a crash leaves only
    the few requests really on the wire of unknown fate (those are the readers who lose that
    day's digest), not every worker's.
    """

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self.next_at = 0.0

    async def wait(self) -> None:
        if not self.interval:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self.next_at)
        self.next_at = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)


@dataclass
class _Content:
    rich: Rich | None
    article_ids: tuple[int, ...]


@dataclass(frozen=True)
class _Sent:
    """A digest that went out and whose ``sent`` row is not written yet."""

    delivery_id: int
    at: datetime
    address: Address
    message_ids: tuple[str, ...]
    article_ids: tuple[int, ...]


class DigestSender:
    """``start`` / ``stop`` make it a service of ``bantin run``; ``tick`` is the minute job."""

    def __init__(self, core: BotCore, settings: DigestSettings | None = None, *,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.core = core
        self.store = core.store
        self.settings = settings or DigestSettings()
        self.clock = clock or core.clock
        self.counts: Counter[str] = Counter()
        self._queue: asyncio.Queue[Job] = asyncio.Queue()
        self._workers: list[asyncio.Task] = []
        self._idle: set[asyncio.Task] = set()
        self._closing = False
        self._cache: OrderedDict[tuple, _Content] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._tick_lock = asyncio.Lock()
        self._pacer = _Pacer(self.settings.rate_per_second)
        self._unwritten: list[_Sent] = []
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task] = set()

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Settle what a previous run left, then start the workers."""
        self._closing = False
        await self.recover()
        self._workers = [asyncio.create_task(self._work(), name=f"digest-{n}")
                         for n in range(self.settings.concurrency)]

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking jobs, let in-flight sends finish (up to ``timeout``); queued jobs stay
        ``pending`` in the database and are sent after the next start."""
        self._closing = True
        for task in list(self._idle):
            task.cancel()
        if self._workers:
            done, busy = await asyncio.wait(self._workers, timeout=timeout)
            for task in busy:
                task.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []
        await self.flush()

    async def drain(self) -> None:
        """Wait until every queued job is settled and written (tests and benchmarks)."""
        await self._queue.join()
        await self.flush()

    # --- claiming -----------------------------------------------------------------------------

    async def recover(self) -> Counter[str]:
        """After a restart: ``sending`` rows → failed (fate unknown); ``pending`` rows → queue,
        or missed when they are now older than the catch-up window."""
        now = self.clock()
        interrupted, jobs = await self.core.run_sync(self.store.deliveries.recover, now)
        outcome: Counter[str] = Counter()
        if interrupted:
            log.warning("digest: %d deliveries were being sent when bantin stopped; their fate "
                        "is unknown, so they are recorded failed and not resent", interrupted)
            outcome["interrupted"] = interrupted
        for job in jobs:
            late = now - job.due_at
            if late > self._catch_up:
                await self._finish(job, MISSED, f"pending {_hours(late)} after it fell due")
                outcome[MISSED] += 1
            else:
                self._queue.put_nowait(job)
                outcome["resumed"] += 1
        if jobs:
            log.info("digest: %d pending deliveries from the previous run resumed, %d missed",
                     outcome["resumed"], outcome[MISSED])
        return outcome

    async def tick(self) -> Counter[str]:
        """Claim every due digest and queue the ones to send; return counts by status."""
        async with self._tick_lock:
            now = self.clock()
            jobs, outcome = await self.core.run_sync(self._claim, now)
        for job in jobs:
            self._queue.put_nowait(job)
        if jobs or outcome:
            log.info("digest tick: %s", ", ".join(f"{k} {v}" for k, v in sorted(outcome.items())))
        return outcome

    @property
    def _catch_up(self) -> timedelta:
        return timedelta(hours=self.settings.catch_up_hours)

    def _zone(self, name: str | None) -> zoneinfo.ZoneInfo:
        return zone(name, self.settings.timezone)

    def _claim(self, now: datetime) -> tuple[list[Job], Counter[str]]:
        """Runs in a worker thread: schedule new subscriptions, claim the due ones."""
        deliveries = self.store.deliveries
        outcome: Counter[str] = Counter()
        for subscription in deliveries.unscheduled():
            first = next_occurrence(subscription.time, subscription.days,
                                    self._zone(subscription.timezone), now)
            deliveries.schedule(subscription.id, first)
            outcome["scheduled"] += 1
        jobs: list[Job] = []
        for _ in range(10_000):  # a bound, not a limit anyone meets: 10k batches of 1k
            due = deliveries.due(now, self.settings.claim_batch)
            if not due:
                break
            plans = [self._plan(item, now) for item in due]
            written = deliveries.claim([claim for claim, _ in plans], now)
            for item, (claim, last) in zip(due, plans, strict=True):
                for record in claim.records:
                    if (claim.subscription_id, record.local_date) not in written:
                        continue
                    outcome[record.status] += 1
                    if record.status == PENDING and record is last:
                        jobs.append(Job(
                            delivery_id=written[(claim.subscription_id, record.local_date)],
                            local_date=record.local_date, due_at=record.due_at, claimed_at=now,
                            subscription=item.subscription, chat_active=item.chat_active,
                            chat_reason=item.chat_reason, previous_at=item.previous_at,
                        ))
            if len(due) < self.settings.claim_batch:
                break
        return jobs, outcome

    def _plan(self, item: Due, now: datetime) -> tuple[Claim, Record | None]:
        """The rows to write for a due subscription, and its next due time.

        Every occurrence between ``next_due_at`` and now gets a row: the last one is sent if it
        is within the catch-up window (else missed), earlier ones were missed while bantin was
        down. A chat that blocked the bot gets ``blocked`` and keeps its subscription.
        """
        sub = item.subscription
        tz = self._zone(sub.timezone)
        occurrence = sub.next_due_at
        assert occurrence is not None
        if occurrence < now - HISTORY_LIMIT:
            occurrence = next_occurrence(sub.time, sub.days, tz, now - HISTORY_LIMIT)
        past: list[datetime] = []
        while occurrence <= now:
            past.append(occurrence)
            occurrence = next_occurrence(sub.time, sub.days, tz, occurrence)
        records = [Record(local_date(at, tz).isoformat(), at, MISSED,
                          "bantin was not running when it fell due") for at in past[:-1]]
        last: Record | None = None
        if past:
            at = past[-1]
            late = now - at
            if late > self._catch_up:
                last = Record(local_date(at, tz).isoformat(), at, MISSED,
                              f"fell due {_hours(late)} ago, beyond [digest] catch_up_hours")
            elif not item.chat_active:
                last = Record(local_date(at, tz).isoformat(), at, BLOCKED,
                              item.chat_reason or "chat inactive")
            else:
                last = Record(local_date(at, tz).isoformat(), at, PENDING)
            records.append(last)
        return Claim(sub.id, sub.next_due_at, occurrence, records), last

    # --- sending ------------------------------------------------------------------------------

    async def _work(self) -> None:
        me = asyncio.current_task()
        assert me is not None
        while not self._closing:
            self._idle.add(me)
            try:
                job = await self._queue.get()
            finally:
                self._idle.discard(me)
            try:
                if self._closing:
                    return  # left pending in the database: sent after the next start
                await self.deliver(job)
            finally:
                self._queue.task_done()

    async def deliver(self, job: Job) -> str:
        """Build and send one digest; record the outcome. Never raises for one reader's
        trouble: the others must not notice."""
        try:
            return await self._deliver(job)
        except Exception as error:  # a bug or a store failure costs this reader, not the rest
            log.exception("digest for %s %s failed", job.subscription.platform,
                          job.subscription.chat_id)
            try:
                await self._finish(job, FAILED, f"error: {error!r}"[:500])
            except Exception:
                log.exception("digest: could not record the failure of delivery %d",
                              job.delivery_id)
            return FAILED

    async def _deliver(self, job: Job) -> str:
        sub = job.subscription
        content = self._cached(job)
        if content is None:
            content = await self.core.run_sync(self._build, job)
        if content.rich is None:
            await self._finish(job, SKIPPED, "nothing new")
            return SKIPPED
        await self._pacer.wait()
        unwritten = self._take_unwritten()
        try:
            started = await self.core.run_sync(self._start_sending, job.delivery_id,
                                               content.article_ids, self.clock(), unwritten)
        except BaseException:
            self._unwritten[:0] = unwritten  # not written: the next commit or flush retries
            self._schedule_flush()
            raise
        if not started:
            log.warning("digest: delivery %d is no longer pending; not sent", job.delivery_id)
            return "gone"
        address = Address(sub.platform, sub.chat_id)
        try:
            ids = await self.core.send(address, Reply(content.rich, at_most_once=True))
        except ChatUnreachable as error:
            await self._finish(job, BLOCKED, str(error)[:500])
            return BLOCKED
        except BotError as error:
            await self._finish(job, FAILED, str(error)[:500])
            return FAILED
        self.counts[SENT] += 1
        self._unwritten.append(_Sent(job.delivery_id, self.clock(), address, tuple(ids),
                                     content.article_ids))
        self._schedule_flush()
        return SENT

    def _start_sending(self, delivery_id: int, article_ids: tuple[int, ...], now: datetime,
                       unwritten: list[_Sent]) -> bool:
        """Worker thread, one transaction: write the digests sent meanwhile, then mark this one
        ``sending`` (committed before its request leaves)."""
        with self.store.database.transaction():
            self._write_sent(unwritten)
            return self.store.deliveries.start_sending(delivery_id, article_ids, now)

    def _write_sent(self, sent: list[_Sent]) -> None:
        """``sent`` rows, and which articles each message showed (so replies find them)."""
        with self.store.database.transaction():
            for item in sent:
                self.store.deliveries.finish(item.delivery_id, SENT, item.at)
                for message_id in item.message_ids:
                    self.store.sent_messages.record(item.address.platform, item.address.chat_id,
                                                    message_id, item.article_ids)

    def _take_unwritten(self) -> list[_Sent]:
        """Everything not yet written, for the caller's commit (no flush needed meanwhile:
        while digests flow, each send's commit carries the previous outcomes)."""
        if self._flush_timer is not None:
            self._flush_timer.cancel()
            self._flush_timer = None
        taken, self._unwritten = self._unwritten, []
        return taken

    def _schedule_flush(self) -> None:
        if self._flush_timer is None and self._unwritten:
            self._flush_timer = asyncio.get_running_loop().call_later(
                FLUSH_DELAY, self._flush_later)

    def _flush_later(self) -> None:
        task = asyncio.ensure_future(self.flush())
        self._flushing.add(task)
        task.add_done_callback(self._flushing.discard)

    async def flush(self) -> None:
        """Write the ``sent`` outcomes still in memory (when no next digest commits them).

        A store failure keeps them in memory for the next attempt (logged); the rows stay
        ``sending`` meanwhile, which after a crash means failed, never resent.
        """
        unwritten = self._take_unwritten()
        if not unwritten:
            return
        try:
            await self.core.run_sync(self._write_sent, unwritten)
        except Exception:
            self._unwritten[:0] = unwritten
            log.exception("digest: could not record %d sent digests; will retry", len(unwritten))
            self._schedule_flush()
        except BaseException:  # cancelled: keep them for the caller's next flush
            self._unwritten[:0] = unwritten
            raise

    async def _finish(self, job: Job, status: str, reason: str | None = None) -> None:
        self.counts[status] += 1
        await self.core.run_sync(self.store.deliveries.finish, job.delivery_id, status,
                                 self.clock(), reason)

    # --- content ------------------------------------------------------------------------------

    def _window(self, job: Job) -> tuple[datetime, datetime]:
        first = job.claimed_at - timedelta(hours=self.settings.first_window_hours)
        return job.previous_at or first, job.claimed_at

    def _key(self, job: Job) -> tuple:
        sub = job.subscription
        tz = self._zone(sub.timezone)
        due_local = job.due_at.astimezone(tz)
        return (sub.platform, tuple(sub.topics), *self._window(job), str(tz),
                due_local.date(), due_local.hour)

    def _cached(self, job: Job) -> _Content | None:
        """Readers due together mostly get the same digest: build it once."""
        key = self._key(job)
        with self._cache_lock:
            content = self._cache.get(key)
            if content is not None:
                self._cache.move_to_end(key)
            return content

    def _build(self, job: Job) -> _Content:
        """Runs in a worker thread: select, rank, compose; cached for the readers that follow."""
        sub = job.subscription
        tz = self._zone(sub.timezone)
        since, until = self._window(job)
        articles = self.store.articles.for_digest(
            since, until, job.claimed_at - timedelta(hours=self.settings.max_age_hours),
            topics=sub.topics,
        )
        stories = pick(articles, self.settings.max_articles)
        due_local = job.due_at.astimezone(tz)
        if stories:
            rich, kept = compose(stories, due_local, tz, sub.platform)
            content = _Content(rich, tuple(i for story in kept for i in story.article_ids))
        elif self.settings.send_when_empty:
            content = _Content(empty(due_local), ())
        else:
            content = _Content(None, ())
        with self._cache_lock:
            self._cache[self._key(job)] = content
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return content


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f} h"


__all__ = ["DigestSender", "DigestSettings"]
