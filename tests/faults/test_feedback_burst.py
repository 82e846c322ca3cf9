"""A burst of feedback from many readers: every reader is thanked at once, whatever the
moderators' group is doing; the group gets every item exactly once, at its pace, batched when
they pile up; and a restart in the middle loses none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.features.moderation import ACK_FEEDBACK
from bot.features.moderation_outbox import OutboxSender, OutboxSettings
from bot.transports.telegram import TelegramSettings, TelegramTransport
from store import Store
from tests.fakes.telegram_server import FakeTelegramServer
from tests.helpers.moderation import MODERATION, MOD_CHAT

READERS = range(7000, 7120)
PACE = OutboxSettings(per_minute=120, batch_from=3, batch_size=10, poll_seconds=0.05,
                      retry_seconds=0.3)


@asynccontextmanager
async def bantin(server: FakeTelegramServer, path: Path) -> AsyncIterator[Store]:
    """The bot as ``bantin run`` wires it: Telegram (its real rate limiter: ~20 messages a
    minute to a group), the core, the moderators' outbox; stopped the way a SIGTERM stops it."""
    store = Store(path)
    core = BotCore(store, BotSettings(moderation=MODERATION), router=build_router())
    transport = TelegramTransport(core, TelegramSettings(
        token=server.token, base_url=server.base_url, poll_timeout=0.5,
        retry_delays=(0.05, 0.1, 0.2)))
    outbox = OutboxSender(core, PACE)
    await transport.start()
    await outbox.start()
    try:
        yield store
    finally:
        await outbox.stop()
        await transport.stop()
        core.close()
        store.close()


def _posts(server: FakeTelegramServer) -> list:
    return [call for call in server.calls_to("sendMessage")
            if str(call.params.get("chat_id")) == str(MOD_CHAT) and call.status == 200]


async def test_burst_thanks_everyone_and_posts_each_item_once_across_a_restart(tmp_path: Path):
    path = tmp_path / "bantin.db"
    async with FakeTelegramServer() as server:
        async with bantin(server, path) as store:
            # The moderators' group is failing: readers must not notice.
            server.fail("sendMessage", 502, "Bad Gateway", chat_id=MOD_CHAT, times=10_000)
            for reader in READERS:
                server.user_sends(reader, f"/feedback Góp ý số {reader} về giao thông")
            for reader in READERS:
                [ack] = await server.wait_messages(reader, 1, timeout=60)
                assert ack.visible == ACK_FEEDBACK
            assert store.feedback.pending_count() == len(READERS)
            assert _posts(server) == []
            server.faults.clear()  # the group is back: posting starts ...
            await server.wait_for(lambda: len(_posts(server)) >= 2, timeout=60)
            assert store.outbox.waiting() > 0  # ... and bantin restarts in the middle
        async with bantin(server, path) as store:
            await server.wait_for(lambda: store.outbox.waiting() == 0, timeout=120)
            await asyncio.sleep(0.3)
    posts = _posts(server)
    shown = "\n".join(message.visible for message in server.messages_to(MOD_CHAT))
    for reader in READERS:
        assert shown.count(f"Góp ý số {reader} về") == 1, reader
    assert len(posts) < len(READERS) / 3  # batched: far fewer messages than items
    gaps = [later.at - earlier.at for earlier, later in zip(posts, posts[1:], strict=False)]
    assert min(gaps) >= 60 / PACE.per_minute - 0.05  # never faster than the set pace
    assert "/pending" in shown  # a batch says how to decide its items
