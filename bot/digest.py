"""The daily digest sender: claims what is due from the database, then fans out to readers.

The database is the schedule, so a restart loses nothing (docs/architecture.md). Each minute ``tick`` reads the subscriptions whose
``next_due_at`` has passed and, in one transaction per batch, writes a delivery row for each
(unique per subscription and local date) and moves ``next_due_at`` to the next occurrence. Only
then is anything sent. Pending rows go to a queue; one dispatcher sends them in rounds, paced
at ``rate_per_second`` (the slowest configured platform's limit), with at most ``concurrency``
digests in flight. The global rate is the transports' (python-telegram-bot's
``AIORateLimiter``, the Zalo pacer); the pacing here only keeps digests that would merely wait
in those limiters out of the ``sending`` state.

Exactly once, the rule (``store.deliveries``): a row is ``pending`` until the moment before its
first request leaves, when it becomes ``sending`` (committed). After a restart, ``pending`` rows
are sent (nothing went out), ``sending`` rows are recorded failed and NOT resent: a reader may
lose that day's digest — one round's readers per crash, never more than ``concurrency`` —
but never gets it twice.
The same rule holds while running: digests are sent ``at_most_once``, so a request that may have
arrived (read timeout, connection lost after sending) is not retried but recorded failed,
"unknown fate"; only errors that prove nothing arrived are retried (``bot.telegram_transport``).

CPU per message is what bounds a big fan-out's cost, and on a small VM every wake-up of the
loop or of a thread costs about as much as the Python work of a send. So digests go out in
rounds of ``rate_per_second × round_seconds`` (5 at the defaults): one timer, one thread-pool
hop and one commit mark the whole round ``sending`` (and record the round's empty digests
skipped), then its requests leave together. ``sent`` outcomes (and the sent-messages records)
wait in memory and are written by the next round's commit (or after ``FLUSH_DELAY`` when none
follows). A crash in that gap leaves the rows ``sending``, so they are recorded failed after
the restart like any request in flight: never a duplicate; at most the last round or two of
sent digests recorded failed. The round is also what a crash can cost: its readers' digests
are of unknown fate, so a shorter ``round_seconds`` risks fewer readers for more CPU.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import zoneinfo
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bantin.timezones import DEFAULT_TIMEZONE
from bot.core import BotCore
from bot.digest_render import Story, compose, empty, for_reader, pick
from bot.errors import BotError, ChatUnreachable
from bot.lru import LRU
from bot.messages import Address, Reply, Rich
from bot.pacing import Pacer
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
FLUSH_DELAY = 1.0  # seconds a sent outcome may wait for the next round's commit


@dataclass(frozen=True)
class DigestSettings:
    """The ``[digest]`` part of the config, and the fan-out's own knobs."""

    timezone: str = DEFAULT_TIMEZONE
    max_articles: int = 8
    catch_up_hours: float = 3
    send_when_empty: bool = False
    concurrency: int = 16  # digests in flight at most
    first_window_hours: float = 24
    max_age_hours: float = 48
    claim_batch: int = 1000
    rate_per_second: float | None = None  # pace digest rounds (see _next_round); None: no pacing
    round_seconds: float = 0.2  # a round holds rate × this many digests (see the docstring)


@dataclass
class _Content:
    rich: Rich | None
    article_ids: tuple[int, ...]
    stories: tuple[tuple[int, int], ...] = ()  # (story id, article count) for digest_stories


@dataclass(frozen=True)
class _Sent:
    """A digest that went out and whose ``sent`` row is not written yet."""

    delivery_id: int
    at: datetime
    address: Address
    message_ids: tuple[str, ...]
    article_ids: tuple[int, ...]
    stories: tuple[tuple[int, int], ...]


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
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        self._dispatcher: asyncio.Task | None = None
        self._waiting = False
        self._sending: set[asyncio.Task] = set()
        self._closing = False
        self._cache: LRU[tuple, _Content] = LRU(CACHE_SIZE)
        self._candidates: LRU[tuple, list[Story]] = LRU(CACHE_SIZE)
        self._cache_lock = threading.Lock()
        self._tick_lock = asyncio.Lock()
        self._held: list[Job] = []  # resumed after a restart, for a platform still connecting
        self._pacer = Pacer(self.settings.rate_per_second)
        self._unwritten: list[_Sent] = []
        self._flush_timer: asyncio.TimerHandle | None = None
        self._flushing: set[asyncio.Task] = set()

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Settle what a previous run left, then start sending."""
        self._closing = False
        await self.recover()
        self._dispatcher = asyncio.create_task(self._dispatch(), name="digest-sender")

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop taking jobs, let the digests in flight finish (up to ``timeout``); queued jobs
        stay ``pending`` in the database and are sent after the next start."""
        self._closing = True
        dispatcher, self._dispatcher = self._dispatcher, None
        if dispatcher is not None:
            if self._waiting:
                dispatcher.cancel()
            await asyncio.gather(dispatcher, return_exceptions=True)  # a round is never cut
        if self._sending:
            _, busy = await asyncio.wait(self._sending, timeout=timeout)
            for task in busy:
                task.cancel()
            await asyncio.gather(*busy, return_exceptions=True)
        await self.flush()

    @property
    def _round_size(self) -> int:
        rate = self.settings.rate_per_second
        if not rate:
            return self.settings.concurrency
        return max(1, round(rate * self.settings.round_seconds))

    async def drain(self) -> None:
        """Wait until every queued job is settled and written (tests and benchmarks)."""
        await self._queue.join()
        await self.flush()

    # --- claiming -----------------------------------------------------------------------------

    async def recover(self) -> Counter[str]:
        """After a restart: ``sending`` rows → failed (fate unknown); ``pending`` rows → queue
        (once their platform is connected: a tick re-checks), or missed when they are now older
        than the catch-up window."""
        now = self.clock()
        interrupted, jobs = await self.core.run_sync(self.store.deliveries.recover, now)
        outcome: Counter[str] = Counter()
        if interrupted:
            log.warning("digest: %d deliveries were being sent when bantin stopped; their fate "
                        "is unknown, so they are recorded failed and not resent", interrupted)
            outcome["interrupted"] = interrupted
        self._held.extend(jobs)
        outcome += await self._resume_held(now)
        if jobs:
            log.info("digest: %d pending deliveries from the previous run resumed, %d missed",
                     outcome["resumed"], outcome[MISSED])
        return outcome

    async def _resume_held(self, now: datetime) -> Counter[str]:
        """Queue the resumed jobs whose platform is connected (or record them missed when too
        late); the others wait for a later tick."""
        outcome: Counter[str] = Counter()
        waiting = set(self.core.disconnected())
        held, self._held = self._held, []
        for job in held:
            late = now - job.due_at
            if late > self._catch_up:
                await self._finish(job, MISSED, f"pending {_hours(late)} after it fell due")
                outcome[MISSED] += 1
            elif job.subscription.platform in waiting:
                self._held.append(job)
            else:
                self._queue.put_nowait(job)
                outcome["resumed"] += 1
        return outcome

    async def tick(self) -> Counter[str]:
        """Claim every due digest and queue the ones to send; return counts by status."""
        async with self._tick_lock:
            now = self.clock()
            resumed = await self._resume_held(now) if self._held else Counter()
            jobs, outcome = await self.core.run_sync(self._claim, now)
            outcome += resumed
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
        waiting = self.core.disconnected()  # their digests stay due until the platform connects
        for _ in range(10_000):  # a bound, not a limit anyone meets: 10k batches of 1k
            due = deliveries.due(now, self.settings.claim_batch, skip_platforms=waiting)
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

    async def _dispatch(self) -> None:
        """The one loop that sends: a round of digests at a time (see the module docstring)."""
        while not self._closing:
            self._waiting = True
            try:
                jobs = await self._next_round()
            finally:
                self._waiting = False
            try:
                await self._send_round(jobs)
            except Exception:  # a bug must not stop every later digest: log it and go on
                log.exception("digest: a round of %d digests failed", len(jobs))

    async def _next_round(self) -> list[Job]:
        """Wait for a due digest and for the round's turn; take what the round may hold."""
        jobs: list[Job] = []
        slots = 0
        try:
            jobs.append(await self._queue.get())
            await self._slots.acquire()
            slots += 1
            # Paced before the rows are marked sending: a crash leaves only the round on the wire
            # of unknown fate, not every digest merely queued in the transport's rate limiter.
            await self._pacer.wait()
            while (len(jobs) < self._round_size and not self._queue.empty()
                   and not self._slots.locked()):
                await self._slots.acquire()  # a free slot: this does not wait
                slots += 1
                jobs.append(self._queue.get_nowait())
        except asyncio.CancelledError:  # stopping: the rows stay pending for the next start
            for _ in jobs:
                self._queue.task_done()
            for _ in range(slots):
                self._slots.release()
            raise
        self._pacer.spend(len(jobs))
        return jobs

    async def _send_round(self, jobs: list[Job]) -> None:
        """One commit marks the round ``sending`` (with the previous rounds' outcomes and this
        round's skips), then every digest of the round goes out at once."""
        unwritten: list[_Sent] = []
        try:
            unwritten = self._take_unwritten()
            contents, started = await self.core.run_sync(self._open_round, jobs, self.clock(),
                                                         unwritten)
        except Exception as error:  # a store failure costs this round, not the sender
            self._unwritten[:0] = unwritten  # not written: the next commit or flush retries
            self._schedule_flush()
            log.exception("digest: could not start a round of %d digests", len(jobs))
            contents = [error] * len(jobs)
            started = [False] * len(jobs)
        for job, content, start in zip(jobs, contents, started, strict=True):
            task = asyncio.create_task(self._deliver(job, content, start))
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    def _contents(self, jobs: list[Job]) -> list[_Content | Exception]:
        """Worker thread: each job's digest, from what the chat already received (one lookup
        per chat of the round) and the cached candidates. A bug building one reader's digest
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
        built: list[_Content | Exception] = []
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

    async def _deliver(self, job: Job, content: _Content | Exception, started: bool) -> str:
        """Send one digest of a round and record the outcome. Never raises for one reader's
        trouble: the others must not notice."""
        try:
            if isinstance(content, Exception):
                raise content
            if content.rich is None:
                self.counts[SKIPPED] += 1  # written by the round's commit
                return SKIPPED
            if not started:
                log.warning("digest: delivery %d is no longer pending; not sent", job.delivery_id)
                return "gone"
            return await self._send(job, content)
        except Exception as error:  # a bug or a store failure costs this reader, not the rest
            log.error("digest for %s %s failed: %r", job.subscription.platform,
                      job.subscription.chat_id, error)
            try:
                await self._finish(job, FAILED, f"error: {error!r}"[:500])
            except Exception:
                log.exception("digest: could not record the failure of delivery %d",
                              job.delivery_id)
            return FAILED
        finally:
            self._release()

    async def _send(self, job: Job, content: _Content) -> str:
        sub = job.subscription
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
                                     content.article_ids, content.stories))
        self._schedule_flush()
        return SENT

    def _release(self) -> None:
        """A job of a round is settled: its slot is free, and ``drain`` may count it done."""
        self._slots.release()
        self._queue.task_done()

    def _open_round(self, jobs: list[Job], now: datetime, unwritten: list[_Sent],
                    ) -> tuple[list[_Content | Exception], list[bool]]:
        """Worker thread: build the round's digests, then in one transaction write the digests
        sent meanwhile, record this round's empty digests skipped, and mark the rest
        ``sending`` (committed before any request leaves). Returns the digests and, for each
        job, whether it may be sent: a delivery queued twice is marked once, so it is sent
        once."""
        contents = self._contents(jobs)
        started: list[bool] = []
        deliveries = self.store.deliveries
        with self.store.database.transaction():
            self._write_sent(unwritten)
            for job, content in zip(jobs, contents, strict=True):
                if isinstance(content, Exception):
                    started.append(False)  # recorded failed by ``_deliver``
                elif content.rich is None:
                    deliveries.finish(job.delivery_id, SKIPPED, now, "nothing new")
                    started.append(False)
                else:
                    started.append(deliveries.start_sending(job.delivery_id,
                                                            content.article_ids, now))
        return contents, started

    def _write_sent(self, sent: list[_Sent]) -> None:
        """``sent`` rows, which articles each message showed (so replies find them) and which
        stories the chat has now received (so the next digests do not repeat them)."""
        with self.store.database.transaction():
            for item in sent:
                self.store.deliveries.finish(item.delivery_id, SENT, item.at)
                self.store.digest_stories.record(item.address.platform, item.address.chat_id,
                                                 item.stories, item.at)
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

    def _candidates_for(self, job: Job) -> list[Story]:
        """Every story of the job's window, newest first, before any reader's record: readers
        due together share them, so they are read from the store once (cached)."""
        key = self._key(job)
        with self._cache_lock:
            found = self._candidates.get(key)
        if found is not None:
            return found
        since, until = self._window(job)
        articles = self.store.articles.for_digest(
            since, until, job.claimed_at - timedelta(hours=self.settings.max_age_hours),
            topics=job.subscription.topics,
        )
        grouped = (Story.from_store(s) for s in self.store.stories.for_articles(articles))
        found = [s for s in grouped if s is not None]
        with self._cache_lock:
            self._candidates.put(key, found)
        return found

    def _compose(self, job: Job, stories: list[Story]) -> _Content:
        """Rank and compose one reader's digest; readers given the same stories (most of them:
        the same window, none of it received before) share the composed text (cached)."""
        key = (self._key(job), tuple((s.story_id, s.article.id, s.updated) for s in stories))
        with self._cache_lock:
            content = self._cache.get(key)
        if content is not None:
            return content
        sub = job.subscription
        tz = self._zone(sub.timezone)
        chosen = pick(stories, self.settings.max_articles)
        due_local = job.due_at.astimezone(tz)
        if chosen:
            rich, kept = compose(chosen, due_local, tz, sub.platform)
            content = _Content(rich, tuple(i for story in kept for i in story.article_ids),
                               tuple((story.story_id, story.article_count) for story in kept
                                     if story.story_id is not None))
        elif self.settings.send_when_empty:
            content = _Content(empty(due_local), ())
        else:
            content = _Content(None, ())
        with self._cache_lock:
            self._cache.put(key, content)
        return content


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f} h"


__all__ = ["DigestSender", "DigestSettings"]
