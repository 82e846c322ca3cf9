"""The ingest job on APScheduler's AsyncIOScheduler."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bantin.config import Config, SourceConfig
from bantin.pipeline import Pipeline
from bantin.scheduler import INGEST_JOB_ID, build_scheduler, ingest_tick
from ingest.fetch import FetchPolicy
from tests.httpfixture import Route, server  # noqa: F401  (fixture)

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
FAST = FetchPolicy(timeout=2.0, retries=0, backoff=0.01)


def feed(server) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item>'
            "<title>Nông dân Hà Tĩnh ra quân sản xuất vụ xuân</title><link>/bai.htm</link></item>"
            "</channel></rss>")


async def test_the_scheduled_job_ingests_and_never_overlaps(fresh_store, server):
    server.routes["/bai.htm"] = Route((FIXTURES / "baohatinh_article.html").read_bytes())
    server.routes["/rss.xml"] = Route(feed(server), "application/rss+xml")
    config = Config(sources=[SourceConfig(name="Báo Hà Tĩnh", feed=server.url("/rss.xml"))])
    async with Pipeline(fresh_store, config, policy=FAST) as pipeline:
        scheduler = build_scheduler(pipeline)
        job = scheduler.get_job(INGEST_JOB_ID)
        assert job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval.total_seconds() == 15 * 60
        scheduler.start()
        try:
            for _ in range(200):  # the first run starts at once
                if fresh_store.sources.get("Báo Hà Tĩnh").last_success_at:
                    break
                await asyncio.sleep(0.02)
        finally:
            scheduler.shutdown(wait=False)
    assert fresh_store.articles.count() == 1


class ExplodingPipeline:
    async def run_sources(self):
        raise RuntimeError("boom")


async def test_a_failing_pass_is_logged_not_raised(caplog):
    assert await ingest_tick(ExplodingPipeline()) is None  # type: ignore[arg-type]
    assert "ingest pass failed" in caplog.text


@pytest.mark.parametrize("running_for", [0.0, 0.05])
async def test_a_job_cut_short_by_shutdown_is_not_logged_as_an_error(caplog, running_for):
    """``bantin run`` stopping mid-tick (or just before one starts) prints no traceback."""
    import bantin.scheduler  # noqa: F401  (installs the log filter)
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    async def slow_job():
        await asyncio.sleep(3600)

    scheduler = AsyncIOScheduler()
    scheduler.add_job(slow_job, "interval", minutes=1, next_run_time=datetime.now(UTC))
    scheduler.start()
    await asyncio.sleep(running_for)
    scheduler.shutdown(wait=False)
    await asyncio.sleep(0.05)
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    assert not [r for r in caplog.records if r.exc_info]


async def test_old_sent_message_records_are_pruned(fresh_store):
    from datetime import timedelta

    from bantin.scheduler import prune_tick

    now = datetime.now(UTC)
    fresh_store.database.execute(
        "INSERT INTO sent_messages (platform, chat_id, message_id, position, article_id, "
        "created_at) VALUES ('telegram', '1', '10', 0, 1, ?), ('telegram', '1', '11', 0, 1, ?)",
        ((now - timedelta(days=40)).isoformat(), now.isoformat()),
    )
    assert await prune_tick(fresh_store) == 1
    remaining = fresh_store.database.execute("SELECT message_id FROM sent_messages").fetchall()
    assert remaining == [("11",)]
