"""Exactly once across a crash: ``bantin run`` killed with SIGKILL in the middle of a fan-out.

The real process, the real python-telegram-bot transport and the fake Bot API server, which
counts the messages each chat received. After the restart no reader has two digests; readers
whose digest was in flight when the process died (``sending``) are recorded failed, not resent.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store import Store
from store.deliveries import FINAL, INTERRUPTED
from tests.helpers.articles import make_article
from tests.fakes.telegram_server import FakeTelegramServer

READERS = 150
FIRST_CHAT = 10_000
CONCURRENCY = 16  # DigestSettings' default: the most that can be in flight at a kill


def _environment(token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANTIN_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    env["BANTIN_TELEGRAM_TOKEN"] = token
    return env


def _seed(store: Store, now: datetime) -> None:
    for n in range(1, 4):
        store.articles.save(make_article(n, published_at=now - timedelta(hours=n),
                                         fetched_at=now - timedelta(minutes=5)))
    for chat in range(FIRST_CHAT, FIRST_CHAT + READERS):
        store.chats.seen("telegram", str(chat))
        store.subscriptions.subscribe("telegram", str(chat), "07:00", "Asia/Ho_Chi_Minh",
                                      next_due_at=now - timedelta(seconds=30))


async def _start(config: Path, token: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bantin", "--config", str(config), "run",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        env=_environment(token))


async def test_sigkill_in_the_middle_of_a_fan_out_never_sends_a_digest_twice(tmp_path: Path):
    store = Store(tmp_path / "news.db")
    _seed(store, datetime.now(UTC))
    async with FakeTelegramServer() as server:
        config = tmp_path / "bantin.toml"
        config.write_text(
            f'[store]\npath = "news.db"\n[telegram]\nbase_url = "{server.base_url}"\n'
            "rate_limit_per_second = 40\n", encoding="utf-8")
        process = await _start(config, server.token)
        try:
            await server.wait_for(lambda: len(server.sent) >= READERS // 2, timeout=60)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            at_kill = len(server.sent)
            assert at_kill < READERS, "the fan-out finished before the kill; nothing was tested"
            restarted = await _start(config, server.token)
            try:
                def settled():
                    counts = store.deliveries.counts()
                    return sum(counts.get(s, 0) for s in FINAL) == READERS and counts
                counts = await server.wait_for(settled, timeout=90)
            finally:
                restarted.send_signal(signal.SIGTERM)
                _, err = await asyncio.wait_for(restarted.communicate(), 30)
            assert restarted.returncode == 0, err.decode()[-2000:]
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        per_chat: dict[int, int] = {}
        for message in server.sent:
            per_chat[message.chat_id] = per_chat.get(message.chat_id, 0) + 1
    duplicates = {chat: n for chat, n in per_chat.items() if n > 1}
    assert duplicates == {}
    lost = READERS - len(per_chat)
    assert counts.get("failed", 0) <= CONCURRENCY
    assert lost <= counts.get("failed", 0)  # every reader without a digest is accounted for
    assert counts.get("sent", 0) + counts.get("failed", 0) == READERS
    rows = store.database.execute(
        "SELECT DISTINCT reason FROM deliveries WHERE status = 'failed'").fetchall()
    assert {reason for (reason,) in rows} <= {INTERRUPTED}
    store.close()
