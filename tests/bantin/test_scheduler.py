"""The ingest job on APScheduler's AsyncIOScheduler."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bantin.config import Config, SourceConfig
from bantin.pipeline import Pipeline
from bantin.scheduler import (
    INGEST_JOB_ID, Scheduler, build_scheduler, ingest_tick, tick_when_connected,
)
from bot.engine.stopping import Stopping
from ingest.fetch import FetchPolicy
from tests.fakes.http_server import Route

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
            await scheduler.stop()
    assert fresh_store.articles.count() == 1


class ExplodingPipeline:
    async def run_sources(self):
        raise RuntimeError("boom")


async def test_a_failing_pass_is_logged_not_raised(caplog):
    assert await ingest_tick(ExplodingPipeline()) is None  # type: ignore[arg-type]
    assert "ingest pass failed" in caplog.text


def _no_errors(caplog) -> bool:
    return not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]


async def test_stop_lets_a_running_job_finish_and_starts_no_new_one(caplog):
    """``bantin run`` stopping in the middle of an ingest pass lets the pass end."""
    runs: list[str] = []

    async def pass_in_progress():
        runs.append("started")
        await asyncio.sleep(0.3)
        runs.append("finished")

    scheduler = Scheduler()
    scheduler.add_job(pass_in_progress, "interval", seconds=0.1, next_run_time=datetime.now(UTC))
    scheduler.start()
    while not runs:
        await asyncio.sleep(0.01)
    await scheduler.stop(grace=30)
    assert runs == ["started", "finished"]
    assert not scheduler.running and _no_errors(caplog)


@pytest.mark.parametrize("running_for", [0.0, 0.05])
async def test_a_job_still_running_after_the_grace_is_stopped_without_an_error(caplog,
                                                                               running_for):
    """Stopping mid-job (or just as one starts) ends it quietly: no traceback, an INFO line."""
    caplog.set_level(logging.INFO, logger="bantin.scheduler")

    async def endless():
        await asyncio.sleep(3600)

    scheduler = Scheduler()
    scheduler.add_job(endless, "interval", minutes=1, next_run_time=datetime.now(UTC))
    scheduler.start()
    await asyncio.sleep(running_for)
    await scheduler.stop(grace=0.05)
    await asyncio.sleep(0.05)
    assert _no_errors(caplog)
    if running_for:
        assert "scheduled job endless stopped by shutdown" in caplog.text


async def test_old_sent_message_records_are_pruned(fresh_store):
    from datetime import timedelta

    from bantin.scheduler import prune_tick

    now = datetime.now(UTC)
    fresh_store.database.execute(
        "INSERT INTO sent_messages (platform, chat_id, message_id, position, article_id, "
        "created_at) VALUES ('telegram', '1', '10', 0, 1, ?), ('telegram', '1', '11', 0, 1, ?)",
        ((now - timedelta(days=40)).isoformat(), now.isoformat()),
    )
    fresh_store.digest_stories.record("telegram", "1", [(7, 2)], now - timedelta(days=40))
    fresh_store.digest_stories.record("telegram", "1", [(8, 3)], now)
    assert await prune_tick(fresh_store) == 1
    remaining = fresh_store.database.execute("SELECT message_id FROM sent_messages").fetchall()
    assert remaining == [("11",)]
    assert fresh_store.digest_stories.seen([("telegram", "1")], [7, 8]) == {
        ("telegram", "1"): {8: 3}}


@pytest.mark.parametrize(("telegram", "zalo", "rate"), [
    ("t", "", 25), ("", "z", 20), ("t", "z", 20), ("", "", 25),
])
def test_digests_are_paced_at_the_slowest_configured_platform(telegram, zalo, rate):
    """A Zalo digest marked ``sending`` must not wait in Zalo's own slower limiter."""
    from bantin.scheduler import digest_settings
    from bot.transports.telegram import TelegramSettings
    from bot.transports.zalo import ZaloSettings

    config = Config(telegram=TelegramSettings(token=telegram), zalo=ZaloSettings(token=zalo))
    assert digest_settings(config).rate_per_second == rate


class _Connecting:
    """A core whose platforms connect one after another, one per look."""

    def __init__(self, platforms: list[str]) -> None:
        self.waiting = list(platforms)
        self.looks = 0

    def disconnected(self) -> list[str]:
        self.looks += 1
        if self.looks > 1 and self.waiting:
            self.waiting.pop(0)
        return list(self.waiting)


class _CountingSender:
    def __init__(self) -> None:
        self.ticks = 0

    async def tick(self):
        self.ticks += 1
        return None


async def test_digests_held_at_start_up_go_out_when_each_platform_connects() -> None:
    """Restarted during a fan-out, the bot sends the digests held for Telegram as soon as
    Telegram connects, not at the next minute's tick: one tick per platform that connects."""
    sender, core = _CountingSender(), _Connecting(["telegram", "zalo"])
    assert await tick_when_connected(sender, core, Stopping(), poll=0) == 2
    assert sender.ticks == 2
    # Every platform already connected: nothing to wait for, no extra tick.
    sender = _CountingSender()
    assert await tick_when_connected(sender, _Connecting([]), Stopping(), poll=0) == 0
    # A stop ends the wait for a platform that never connects.
    stopping = Stopping()
    stopping.set()
    assert await tick_when_connected(sender, _Never(), stopping, poll=0) == 0


class _Never:
    def disconnected(self) -> list[str]:
        return ["telegram"]
