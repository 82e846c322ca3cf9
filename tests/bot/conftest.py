"""The real bot against the fake Bot API server: a harness that plays the readers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.context import BotSettings
from bot.core import BotCore
from bot.telegram_transport import TelegramSettings, TelegramTransport
from store import Store
from tests.conftest import make_article
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage

NOW = datetime(2024, 11, 28, 5, 0, tzinfo=UTC)  # 12:00 in Hà Nội


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


def add_articles(store: Store, count: int, **overrides) -> list[int]:
    ids = []
    for n in range(1, count + 1):
        article = make_article(n, published_at=NOW - timedelta(hours=n), fetched_at=NOW,
                               summary=f"Tóm tắt tin số {n}.", **overrides)
        ids.append(store.articles.save(article)[1])
    return ids


@pytest.fixture
async def harness(fresh_store: Store) -> AsyncIterator[Harness]:
    async with FakeTelegramServer() as server:
        core = BotCore(fresh_store, BotSettings(), clock=lambda: NOW)
        transport = TelegramTransport(core, TelegramSettings(
            token=server.token, base_url=server.base_url, rate_limit_per_second=1000,
            poll_timeout=0.5, retry_delays=(0.05, 0.1, 0.2),
        ))
        await transport.start()
        try:
            yield Harness(server, fresh_store, core, transport)
        finally:
            await transport.stop()
            core.close()


STORM_TITLES = ("Bão số 3 đổ bộ Quảng Ninh", "Sáng nay bão suy yếu thành áp thấp",
                "Đồng bào vùng cao đón Tết", "Không khí lạnh bao trùm miền Bắc",
                "Vợ chồng Bảo Thanh về quê", "Nấm bào ngư vào mùa", "Báo chí cách mạng")


def add_storm_articles(store: Store) -> None:
    """Two storms ("bão"), older than five articles whose words fold to the same "bao"."""
    for n, title in enumerate(STORM_TITLES, start=1):
        hours = 100 + n if n <= 2 else n  # the storms are the oldest
        store.articles.save(make_article(
            60 + n, title=title, lead="", text=f"{title}.", summary=f"Tóm tắt: {title}.",
            published_at=NOW - timedelta(hours=hours), fetched_at=NOW))
