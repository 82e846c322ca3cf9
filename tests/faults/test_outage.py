"""One platform's outage stops nothing else: with Telegram unreachable from the start, Zalo
readers are answered and a due digest reaches them."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store import Store
from tests.helpers.articles import make_article
from tests.fakes.failing_servers import closed_port
from tests.helpers.processes import bantin_run, environment
from tests.fakes.zalo_server import FakeZaloServer

READER = "zl-outage-1"


def _store_with_a_due_digest(path: Path) -> None:
    now = datetime.now(UTC)
    store = Store(path)
    try:
        store.articles.save(make_article(1, title="Hà Nội thông xe cầu mới", published_at=now
                                         - timedelta(hours=1), fetched_at=now,
                                         summary="Cầu mới giúp giảm ùn tắc giờ cao điểm."))
        store.chats.seen("zalo", READER, user_id=READER, display_name="Lan", chat_type="private")
        store.subscriptions.subscribe("zalo", READER, "07:00", "Asia/Ho_Chi_Minh",
                                      next_due_at=now - timedelta(minutes=1))
    finally:
        store.close()


async def test_zalo_and_digests_carry_on_while_telegram_is_down(tmp_path: Path):
    _store_with_a_due_digest(tmp_path / "news.db")
    async with FakeZaloServer() as zalo:
        config = (f'[store]\npath = "news.db"\n'
                  f'[telegram]\nbase_url = "http://127.0.0.1:{closed_port()}/bot"\n'
                  f'[zalo]\nbase_url = "{zalo.base_url}"\n')
        env = environment(BANTIN_TELEGRAM_TOKEN="777001:AAOutageToken_abcdef",
                          BANTIN_ZALO_TOKEN=zalo.token)
        async with bantin_run(config, tmp_path, env) as run:
            await run.wait_for_line("telegram", "retrying")  # Telegram is down ...
            [digest] = await zalo.wait_messages(READER, 1, timeout=60)  # ... the digest is not
            assert "Hà Nội thông xe cầu mới" in digest.text
            zalo.user_sends(READER, "/help")
            [answer] = await zalo.wait_messages(READER, 1, after=1, timeout=30)
            assert "/latest" in answer.text
            assert await run.stop(signal.SIGTERM) == 0, run.err[-3000:]
        run.assert_clean_exit()
        assert "cannot reach" in run.err or "retrying" in run.err  # Telegram was down throughout


def test_digests_of_a_platform_still_connecting_stay_due(fresh_store):
    """Claimed only once their platform is connected: never failed for "not connected"."""
    now = datetime.now(UTC)
    for platform in ("telegram", "zalo"):
        fresh_store.subscriptions.subscribe(platform, "c1", "07:00", "Asia/Ho_Chi_Minh",
                                            next_due_at=now - timedelta(minutes=1))
    due = fresh_store.deliveries.due(now, skip_platforms=["telegram"])
    assert [item.subscription.platform for item in due] == ["zalo"]
    assert len(fresh_store.deliveries.due(now)) == 2
