"""The real Zalo transport on a ``BotCore``, against the fake Zalo Bot API, and a ``Harness``
that plays the readers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.transports.zalo import ZaloSettings, ZaloTransport
from store import Store
from tests.fakes.zalo_server import FakeZaloServer, SentMessage
from tests.helpers.articles import NOW


def fast_settings(server: FakeZaloServer, **overrides) -> ZaloSettings:
    """Settings for ``server`` with short polls, timeouts and retries."""
    values = dict(token=server.token, base_url=server.base_url, poll_timeout=1,
                  request_timeout=2, retry_delays=(0.05, 0.1), poll_backoff=(0.05, 0.1),
                  rate_limit_per_second=1000)
    values.update(overrides)
    return ZaloSettings(**values)


@dataclass
class Harness:
    server: FakeZaloServer
    store: Store
    core: BotCore
    transport: ZaloTransport

    async def say(self, chat_id: str, text: str | None, count: int = 1, **kwargs
                  ) -> list[SentMessage]:
        """A reader writes; return the next ``count`` messages the bot sends them."""
        before = len(self.server.messages_to(chat_id))
        self.server.user_sends(chat_id, text, **kwargs)
        return await self.server.wait_messages(chat_id, count, after=before)


@asynccontextmanager
async def zalo_bot(store: Store) -> AsyncIterator[Harness]:
    """A running bot with the app's router on a fresh fake Zalo Bot API server."""
    async with FakeZaloServer() as server:
        core = BotCore(store, BotSettings(), router=build_router(), clock=lambda: NOW)
        transport = ZaloTransport(core, fast_settings(server))
        await transport.start()
        try:
            yield Harness(server, store, core, transport)
        finally:
            await transport.stop()
            core.close()
