"""The scheduler jobs on APScheduler 3's ``AsyncIOScheduler`` (see DESIGN.md).

- ingest: every ``[ingest] interval_minutes``; runs never overlap (``max_instances=1``), missed
  runs collapse into one (``coalesce``), and the first run starts at once.
- digest: at second 0 of every minute (and once at start-up) the digest sender claims what is
  due from the database and queues it: the database is the schedule, not one job per reader.

Jobs log their report and never raise: a failing pass is logged and the next one runs on time.
``SchedulerService`` is the scheduler as a service of ``bantin run``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bantin.config import Config
from bantin.pipeline import Pipeline, Report
from bot.core import BotCore
from bot.digest import DigestSender, DigestSettings
from store import Store

log = logging.getLogger(__name__)


class _NotAnErrorAtShutdown(logging.Filter):
    """``shutdown()`` cancels the jobs still running; APScheduler logs that as a job error.

    It is not one: what was due stays due (the database is the schedule) and a cut-short ingest
    pass runs again next time. Such records are logged at INFO without the traceback instead.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], asyncio.CancelledError):
            log.info("a scheduled job was stopped by shutdown: %s", record.getMessage())
            return False
        return True


logging.getLogger("apscheduler.executors.default").addFilter(_NotAnErrorAtShutdown())

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


def add_ingest_job(scheduler: AsyncIOScheduler, pipeline: Pipeline, interval_minutes: float,
                   *, start_now: bool = True) -> None:
    """Add the ingest job to ``scheduler`` (which ``bantin run`` shares with the digests)."""
    when = {"next_run_time": datetime.now(UTC)} if start_now else {}  # None would pause the job
    scheduler.add_job(
        ingest_tick, "interval", args=[pipeline], minutes=interval_minutes, id=INGEST_JOB_ID,
        name="ingest all sources", max_instances=1, coalesce=True, replace_existing=True,
        misfire_grace_time=max(60, int(interval_minutes * 60 / 2)),
        **when,
    )


def build_scheduler(pipeline: Pipeline) -> AsyncIOScheduler:
    """A scheduler with the ingest job; start it inside the running event loop."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    add_ingest_job(scheduler, pipeline, pipeline.config.ingest.interval_minutes)
    return scheduler


async def digest_tick(sender: DigestSender) -> Counter[str] | None:
    """Claim and queue the digests due now; the sender's workers deliver them."""
    try:
        return await sender.tick()
    except Exception:  # the next minute must still tick; the traceback is logged
        log.exception("digest tick failed")
        return None


SENT_MESSAGES_KEPT = timedelta(days=30)


async def prune_tick(store: Store) -> int:
    """Forget which bot message showed which articles after 30 days (the table only grows
    otherwise); a reply to an older message is still stored, as feedback without an article."""
    cutoff = datetime.now(UTC) - SENT_MESSAGES_KEPT
    removed = await asyncio.to_thread(store.sent_messages.prune, cutoff)
    log.info("pruned %d sent-message records older than %s", removed, cutoff.date())
    return removed


def add_digest_job(scheduler: AsyncIOScheduler, sender: DigestSender, *,
                   start_now: bool = True) -> None:
    """One job for every reader: at second 0 of each minute, and at once on start-up."""
    when = {"next_run_time": datetime.now(UTC)} if start_now else {}
    scheduler.add_job(
        digest_tick, "cron", second=0, args=[sender], id=DIGEST_JOB_ID,
        name="send due digests", max_instances=1, coalesce=True, replace_existing=True,
        misfire_grace_time=60, **when,
    )


def digest_settings(config: Config) -> DigestSettings:
    digest = config.digest
    return DigestSettings(timezone=digest.timezone, max_articles=digest.max_articles,
                          catch_up_hours=digest.catch_up_hours,
                          send_when_empty=digest.send_when_empty,
                          rate_per_second=config.telegram.rate_limit_per_second)


class SchedulerService:
    """The scheduler inside ``bantin run``: the digest sender and tick, and the ingest job when
    sources are configured. Started after the transports, stopped before them."""

    def __init__(self, config: Config, store: Store, core: BotCore) -> None:
        self.config = config
        self.store = store
        self.sender = DigestSender(core, digest_settings(config))
        self.scheduler: AsyncIOScheduler | None = None
        self.pipeline: Pipeline | None = None

    async def start(self) -> None:
        await self.sender.start()
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        add_digest_job(self.scheduler, self.sender)
        self.scheduler.add_job(prune_tick, "cron", hour=3, minute=17, args=[self.store],
                               id="prune", name="prune sent-message records",
                               max_instances=1, coalesce=True, replace_existing=True)
        if self.config.sources:
            self.pipeline = Pipeline(self.store, self.config)
            add_ingest_job(self.scheduler, self.pipeline, self.config.ingest.interval_minutes)
        self.scheduler.start()

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        await self.sender.stop()
        if self.pipeline is not None:
            self.pipeline.close()
            self.pipeline = None
