"""Zalo and Telegram receiving by webhook on one real aiohttp server, each with its fake API,
and how a platform delivers to it (an HTTP POST on 127.0.0.1)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.transports.telegram import TelegramTransport
from bot.transports.webhook import WebhookServer, WebhookSettings
from bot.transports.zalo import ZaloTransport
from store import Store
from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer
from tests.helpers import telegram_bot, zalo_bot
from tests.helpers.articles import NOW

ZALO_SECRET = "zalo-secret-0123456789"
TELEGRAM_SECRET = "telegram_secret-42"

Running = tuple[WebhookServer, FakeZaloServer, FakeTelegramServer, Store]


@asynccontextmanager
async def webhook_bots(store: Store) -> AsyncIterator[Running]:
    """Zalo and Telegram in webhook mode on one webhook server, each with its fake API."""
    async with FakeZaloServer() as zalo_api, FakeTelegramServer() as telegram_api:
        core = BotCore(store, BotSettings(), router=build_router(), clock=lambda: NOW)
        server = WebhookServer(WebhookSettings(listen="127.0.0.1", port=0, max_body_bytes=4096))
        zalo = ZaloTransport(core, zalo_bot.fast_settings(
            zalo_api, webhook_url="https://bantin.example.vn/hook/zalo",
            webhook_secret=ZALO_SECRET), server)
        telegram = TelegramTransport(core, telegram_bot.fast_settings(
            telegram_api, retry_delays=(0.05, 0.1),
            webhook_url="https://bantin.example.vn/hook/telegram",
            webhook_secret=TELEGRAM_SECRET), server)
        await server.start()
        await zalo.start()
        await telegram.start()
        try:
            yield server, zalo_api, telegram_api, store
        finally:
            await telegram.stop()
            await zalo.stop()
            await server.stop()
            core.close()


async def post(url: str, body: bytes | dict, headers: dict | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with httpx.AsyncClient() as client:
        return await client.post(url, content=content, headers=headers or {})


def telegram_update(telegram_api: FakeTelegramServer, chat_id: int, text: str) -> dict:
    message = telegram_api.user_sends(chat_id, text)  # shaped like Telegram's, never polled
    return {"update_id": 10_000 + message["message_id"], "message": message}
