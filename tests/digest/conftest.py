"""Digests against the fake Bot API server, with a clock the test moves (no sleeping)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.features.digests.sender import DigestSender, DigestSettings
from bot.engine.messages import Incoming
from bot.transports.telegram import TelegramTransport
from store import Store
from tests.helpers.articles import make_article
from tests.helpers.clock import Clock
from tests.helpers.telegram_bot import fast_settings
from tests.fakes.telegram_server import FakeTelegramServer, SentMessage

# Thursday 28 November 2024, 05:00 in Hà Nội (UTC+7).
START = datetime(2024, 11, 27, 22, 0, tzinfo=UTC)


@dataclass
class Digests:
    server: FakeTelegramServer
    store: Store
    core: BotCore
    sender: DigestSender
    clock: Clock

    def subscribe(self, chat_id: int, args: str) -> str:
        """A reader types ``/subscribe args``; return the bot's answer as plain text."""
        replies = self.core.respond(Incoming("telegram", str(chat_id), str(chat_id),
                                             text=f"/subscribe {args}"))
        return "\n".join(r.text.plain_text() for r in replies if getattr(r, "text", None))

    async def run(self, at: datetime | None = None):
        """Move the clock, run one tick, wait for the fan-out; return the tick's counts."""
        if at is not None:
            self.clock.set(at)
        counts = await self.sender.tick()
        await self.sender.drain()
        return counts

    def to(self, chat_id: int) -> list[SentMessage]:
        return self.server.messages_to(chat_id)

    def deliveries(self, chat_id: int):
        subscription = self.store.subscriptions.get("telegram", str(chat_id))
        return self.store.deliveries.for_subscription(subscription.id)

    def add(self, n: int, *, hours_ago: float = 1, **overrides) -> int:
        """An article published ``hours_ago`` and fetched just now."""
        now = self.clock()
        values = dict(published_at=now - timedelta(hours=hours_ago),
                      fetched_at=now - timedelta(minutes=1), summary=f"Tóm tắt tin số {n}.")
        values.update(overrides)
        return self.store.articles.save(make_article(n, **values))[1]


def make_sender(core: BotCore, clock: Clock, **settings) -> DigestSender:
    return DigestSender(core, DigestSettings(**settings), clock=clock)


@pytest.fixture
def digest_settings() -> dict:
    return {}


@pytest.fixture
def transport_settings() -> dict:
    """Overrides of the Telegram transport's settings (a test redefines this fixture)."""
    return {}


@pytest.fixture
async def digests(fresh_store: Store, digest_settings: dict,
                  transport_settings: dict) -> AsyncIterator[Digests]:
    clock = Clock(START)
    async with FakeTelegramServer() as server:
        core = BotCore(fresh_store, BotSettings(), router=build_router(), clock=clock)
        transport = TelegramTransport(core, fast_settings(server, **transport_settings))
        await transport.start()
        sender = make_sender(core, clock, **digest_settings)
        await sender.start()
        try:
            yield Digests(server, fresh_store, core, sender, clock)
        finally:
            await sender.stop()
            await transport.stop()
            core.close()
