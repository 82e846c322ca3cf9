"""The real Zalo transport against the fake Zalo Bot API: a harness that plays the readers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.transports.zalo import ZaloSettings, ZaloTransport
from store import Store
from tests.bot.conftest import NOW
from tests.fakes.zalo_server import FakeZaloServer, SentMessage


def fast_settings(server: FakeZaloServer, **overrides) -> ZaloSettings:
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


@pytest.fixture
async def zalo(fresh_store: Store) -> AsyncIterator[Harness]:
    async with FakeZaloServer() as server:
        core = BotCore(fresh_store, BotSettings(), router=build_router(), clock=lambda: NOW)
        transport = ZaloTransport(core, fast_settings(server))
        await transport.start()
        try:
            yield Harness(server, fresh_store, core, transport)
        finally:
            await transport.stop()
            core.close()
