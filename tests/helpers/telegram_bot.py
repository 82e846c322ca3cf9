"""The real Telegram transport on a ``BotCore``, against the fake Bot API server, and a
``Harness`` that plays the readers (writes messages, presses buttons, waits for answers)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.transports.telegram import TelegramSettings, TelegramTransport
from store import Store
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage
from tests.helpers.articles import NOW


def fast_settings(server: FakeTelegramServer, **overrides) -> TelegramSettings:
    """Settings for ``server`` with short polls and retries, and no rate limit to speak of."""
    values = dict(token=server.token, base_url=server.base_url, rate_limit_per_second=1000,
                  poll_timeout=0.5, retry_delays=(0.05, 0.1, 0.2))
    values.update(overrides)
    return TelegramSettings(**values)


@dataclass
class Harness:
    server: FakeTelegramServer
    store: Store
    core: BotCore
    transport: TelegramTransport

    async def say(self, chat_id: int, text: str | None, count: int = 1, **kwargs
                  ) -> list[SentMessage]:
        """A reader writes; return the next ``count`` messages the bot sends them."""
        before = len(self.server.messages_to(chat_id))
        self.server.user_sends(chat_id, text, **kwargs)
        return await self.server.wait_messages(chat_id, count, after=before)

    async def press(self, chat_id: int, message: SentMessage, text: str, count: int = 1
                    ) -> list[SentMessage]:
        """A reader presses the button labelled ``text`` on ``message``."""
        data = next(b["callback_data"] for b in message.buttons() if b["text"] == text)
        before = len(self.server.messages_to(chat_id))
        answered = len(self.server.calls_to("answerCallbackQuery"))
        self.server.user_presses(chat_id, message.message_id, data)
        await self.server.wait_for(
            lambda: len(self.server.calls_to("answerCallbackQuery")) > answered)
        if count == 0:
            await asyncio.sleep(0.1)
            return []
        return await self.server.wait_messages(chat_id, count, after=before)


@asynccontextmanager
async def telegram_bot(store: Store, settings: BotSettings | None = None,
                       clock: Callable[[], datetime] = lambda: NOW) -> AsyncIterator[Harness]:
    """A running bot with the app's router on a fresh fake Bot API server."""
    async with FakeTelegramServer() as server:
        core = BotCore(store, settings or BotSettings(), router=build_router(), clock=clock)
        transport = TelegramTransport(core, fast_settings(server))
        await transport.start()
        try:
            yield Harness(server, store, core, transport)
        finally:
            await transport.stop()
            core.close()
