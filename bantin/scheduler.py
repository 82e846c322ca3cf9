"""The scheduler jobs on APScheduler 3's ``AsyncIOScheduler`` (see docs/architecture.md).

- ingest: every ``[ingest] interval_minutes``; runs never overlap (``max_instances=1``), missed
  runs collapse into one (``coalesce``), and the first run starts at once.
- digest: at second 0 of every minute (and once at start-up) the digest sender claims what is
  due from the database and queues it: the database is the schedule, not one job per reader.

Jobs log their report and never raise: a failing pass is logged and the next one runs on time.
``Scheduler.stop`` lets a running job finish before shutting down (see the class).
``SchedulerService`` is the scheduler as a service of ``bantin run``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bantin.config import Config
from bantin.pipeline import Pipeline, Report, fetch_policy
from bot.engine.core import BotCore
from bot.engine.stopping import NEVER, Stopped, Stopping
from bot.features.digests.sender import DigestSender, DigestSettings
from store import Store

log = logging.getLogger(__name__)


STOP_GRACE_SECONDS = 5.0  # a stop must end the process within seconds (systemctl stop)


class Scheduler(AsyncIOScheduler):
    """APScheduler's ``AsyncIOScheduler`` with a ``stop`` that lets running jobs finish.

    APScheduler's own ``shutdown`` cancels running coroutine jobs at once and logs each as a job
    error, so a SIGTERM in the middle of an ingest pass threw away what it had fetched and
    printed a traceback. ``stop`` pauses the scheduler (no new runs), gives the running jobs
    ``grace`` seconds, then cancels the rest itself: that is logged at INFO, not as an error,
    because nothing is lost — what was due stays due (the database is the schedule) and a cut
    ingest pass runs again next time.
    """

    def __init__(self, **options: Any) -> None:
        self._running: set[asyncio.Task] = set()
        self._stopping = False
        super().__init__(timezone=UTC, **options)

    def add_job(  # noqa: D102  (APScheduler's signature; its Job is untyped)
        self, func: Callable[..., Awaitable[Any]], *args: Any, **kwargs: Any
    ) -> Any:
        return super().add_job(self._tracked(func), *args, **kwargs)

    def _tracked(self, job: Callable[..., Awaitable]) -> Callable[..., Awaitable]:
        @functools.wraps(job)
        async def run(*args: Any, **kwargs: Any) -> Any:
            task = asyncio.current_task()
            assert task is not None
            self._running.add(task)
            try:
                return await job(*args, **kwargs)
            except asyncio.CancelledError:
                if not self._stopping:
                    raise
                log.info("scheduled job %s stopped by shutdown; it runs again next start",
                         job.__name__)
                return None
            finally:
                self._running.discard(task)
        return run

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Pause, let running jobs finish for up to ``grace`` seconds, cancel the rest, shut
        down."""
        if not self.running:
            return
        self.pause()
        await asyncio.sleep(0)  # a run submitted just before the pause starts and is tracked
        self._stopping = True
        if self._running:
            running = set(self._running)
            log.info("waiting up to %.0f s for %d running scheduled jobs", grace, len(running))
            _, busy = await asyncio.wait(running, timeout=grace)
            for task in busy:
                task.cancel()
            await asyncio.gather(*busy, return_exceptions=True)
        self.shutdown(wait=False)
        await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn


INGEST_JOB_ID = "ingest"
DIGEST_JOB_ID = "digest"


async def ingest_tick(pipeline: Pipeline) -> Report | None:
    """One scheduled pass over every source; its report is logged."""
    try:
        report = await pipeline.run_sources()
    except Exception:  # the scheduler must keep running; the traceback is logged
        log.exception("ingest pass failed")
        return None
    log.info("ingest pass: %s", report.summary_line())
    for note in report.notes + report.skipped:
        log.info("ingest: %s", note)
    for outcome in report.problems():
        log.warning("ingest %s: %s %s: %s", outcome.kind, outcome.source, outcome.url,
                    outcome.reason)
    return report


def add_ingest_job(scheduler: Scheduler, pipeline: Pipeline, interval_minutes: float,
                   *, start_now: bool = True) -> None:
    """Add the ingest job to ``scheduler`` (which ``bantin run`` shares with the digests)."""
    when = {"next_run_time": datetime.now(UTC)} if start_now else {}  # None would pause the job
    scheduler.add_job(
        ingest_tick, "interval", args=[pipeline], minutes=interval_minutes, id=INGEST_JOB_ID,
        name="ingest all sources", max_instances=1, coalesce=True, replace_existing=True,
        misfire_grace_time=max(60, int(interval_minutes * 60 / 2)),
        **when,
    )


def build_scheduler(pipeline: Pipeline) -> Scheduler:
    """A scheduler with the ingest job; start it inside the running event loop."""
    scheduler = Scheduler()
    add_ingest_job(scheduler, pipeline, pipeline.config.ingest.interval_minutes)
    return scheduler


async def digest_tick(sender: DigestSender) -> Counter[str] | None:
    """Claim and queue the digests due now; the sender's workers deliver them."""
    try:
        return await sender.tick()
    except Exception:  # the next minute must still tick; the traceback is logged
        log.exception("digest tick failed")
        return None


CONNECT_POLL_SECONDS = 0.5  # how often start-up looks whether a platform has connected


async def tick_when_connected(sender: DigestSender, core: BotCore, stopping: Stopping,
                              poll: float = CONNECT_POLL_SECONDS) -> int:
    """Run a digest tick as soon as a platform still connecting at start-up connects; return
    how many ran. Ends once every platform is connected, or on stop.

    The tick at start-up holds back the digests of a platform not connected yet (they stay due),
    and the next tick is at second 0 of the next minute: without this, digests due during a
    restart would wait up to a minute after the bot is back."""
    waiting = set(core.disconnected())
    ticks = 0
    while waiting:
        try:
            await stopping.sleep(poll)
        except Stopped:
            break
        still = set(core.disconnected())
        if waiting - still:
            await digest_tick(sender)
            ticks += 1
        waiting &= still
    return ticks


SENT_MESSAGES_KEPT = timedelta(days=30)


async def prune_tick(store: Store) -> int:
    """Forget which bot message showed which articles after 30 days (the table only grows
    otherwise); a reply to an older message is still stored, as feedback without an article."""
    cutoff = datetime.now(UTC) - SENT_MESSAGES_KEPT
    removed = await asyncio.to_thread(store.sent_messages.prune, cutoff)
    stories = await asyncio.to_thread(store.digest_stories.prune, cutoff)
    log.info("pruned %d sent-message and %d digest-story records older than %s", removed,
             stories, cutoff.date())
    return removed


def add_digest_job(scheduler: Scheduler, sender: DigestSender, *,
                   start_now: bool = True) -> None:
    """One job for every reader: at second 0 of each minute, and at once on start-up."""
    when = {"next_run_time": datetime.now(UTC)} if start_now else {}
    scheduler.add_job(
        digest_tick, "cron", second=0, args=[sender], id=DIGEST_JOB_ID,
        name="send due digests", max_instances=1, coalesce=True, replace_existing=True,
        misfire_grace_time=60, **when,
    )


def digest_settings(config: Config) -> DigestSettings:
    """``[digest]`` as loaded, paced at ``digest_rate``."""
    return dataclasses.replace(config.digest, rate_per_second=digest_rate(config))


def digest_rate(config: Config) -> float:
    """The pace of the digest rounds: the slowest configured platform's rate limit, so that no
    digest marked ``sending`` waits in a transport's own limiter (where a crash would cost it)."""
    rates = [platform.rate_limit_per_second
             for platform in (config.telegram, config.zalo) if platform.token]
    return min(rates, default=config.telegram.rate_limit_per_second)


class SchedulerService:
    """The scheduler inside ``bantin run``: the digest sender and tick, and the ingest job when
    sources are configured. Started with the transports (not after them: a platform's outage
    must not hold back digests to the other or ingestion), stopped before them; the digests of a
    platform still connecting go out when it connects (``tick_when_connected``). A fetch retry
    waits through ``stopping``, so a stop ends an ingest pass's back-off at once."""

    def __init__(self, config: Config, store: Store, core: BotCore,
                 stopping: Stopping = NEVER) -> None:
        self.config = config
        self.store = store
        self.stopping = stopping
        self.sender = DigestSender(core, digest_settings(config))
        self.scheduler: Scheduler | None = None
        self.pipeline: Pipeline | None = None
        self._on_connect: asyncio.Task[int] | None = None

    async def start(self) -> None:
        await self.sender.start()
        self.scheduler = Scheduler()
        add_digest_job(self.scheduler, self.sender)
        self.scheduler.add_job(prune_tick, "cron", hour=3, minute=17, args=[self.store],
                               id="prune", name="prune sent-message records",
                               max_instances=1, coalesce=True, replace_existing=True)
        if self.config.sources:
            policy = dataclasses.replace(fetch_policy(self.config), sleep=self.stopping.sleep)
            self.pipeline = Pipeline(self.store, self.config, policy=policy)
            add_ingest_job(self.scheduler, self.pipeline, self.config.ingest.interval_minutes)
        self.scheduler.start()
        self._on_connect = asyncio.create_task(
            tick_when_connected(self.sender, self.sender.core, self.stopping),
            name="digests on connect")

    async def stop(self) -> None:
        if self._on_connect is not None:
            self._on_connect.cancel()
            await asyncio.gather(self._on_connect, return_exceptions=True)
            self._on_connect = None
        if self.scheduler is not None:
            await self.scheduler.stop()
            self.scheduler = None
        await self.sender.stop(timeout=STOP_GRACE_SECONDS)
        if self.pipeline is not None:
            self.pipeline.close()
            self.pipeline = None
