"""The ingest job on APScheduler 3's ``AsyncIOScheduler`` (see DESIGN.md).

One job, every ``[ingest] interval_minutes``: runs never overlap (``max_instances=1``), missed
runs collapse into one (``coalesce``), and the first run starts at once. The job logs its report
and never raises: a failing pass is logged and the next one runs on time.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bantin.pipeline import Pipeline, Report

log = logging.getLogger(__name__)

INGEST_JOB_ID = "ingest"


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
