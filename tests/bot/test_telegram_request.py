"""The aiohttp back-end of python-telegram-bot: failures sorted by whether the request arrived."""

from __future__ import annotations

import asyncio
import socket

import pytest
from telegram import Bot
from telegram.error import TimedOut

from bot.transports.telegram_request import (
    AiohttpRequest,
    ConnectFailed,
    ConnectTimedOut,
    FateUnknown,
    NotDelivered,
    ReadTimedOut,
    ServerError,
)
from tests.fakes.telegram_server import FakeTelegramServer


@pytest.fixture
async def server():
    async with FakeTelegramServer() as fake:
        yield fake


def make_bot(base_url: str, token: str) -> Bot:
    """A bare python-telegram-bot ``Bot`` on one pooled connection, short timeouts."""
    request = AiohttpRequest(read_timeout=0.6, connect_timeout=0.1, pool_timeout=0.05,
                             connection_pool_size=1)
    return Bot(token, base_url=base_url, request=request, get_updates_request=AiohttpRequest())


@pytest.fixture
async def bot(server):
    async with make_bot(server.base_url, server.token) as bot:
        yield bot
    await server.wait_for(lambda: not server.lags)


async def test_vietnamese_text_and_markup_arrive_intact_as_json(server, bot):
    sent = await bot.send_message(5, "<b>Đà Nẵng</b> mưa lớn", parse_mode="HTML",
                                  reply_markup={"inline_keyboard": [[{"text": "Xem thêm",
                                                                      "callback_data": "/more"}]]})
    assert sent.text == "Đà Nẵng mưa lớn"
    [message] = server.sent
    assert message.text == "<b>Đà Nẵng</b> mưa lớn" and message.parse_mode == "HTML"
    assert message.buttons() == [{"text": "Xem thêm", "callback_data": "/more"}]


async def test_a_closed_port_is_not_delivered():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = make_bot(f"http://127.0.0.1:{port}/bot", "1:x")
    with pytest.raises(ConnectFailed) as caught:
        await bot.initialize()
    assert isinstance(caught.value, NotDelivered)
    await bot.shutdown()


async def test_a_5xx_answer_is_not_delivered(server, bot):
    server.fail("sendMessage", 502, "Bad Gateway")
    with pytest.raises(ServerError, match="Bad Gateway"):
        await bot.send_message(5, "a")
    assert server.sent == []


async def test_a_late_answer_is_a_read_timeout_of_unknown_fate(server, bot):
    server.delay("sendMessage", 2.0)
    with pytest.raises(ReadTimedOut) as caught:
        await bot.send_message(5, "a")
    assert isinstance(caught.value, FateUnknown) and isinstance(caught.value, TimedOut)
    assert len(server.sent) == 1  # it did arrive


async def test_a_dropped_connection_after_sending_is_of_unknown_fate(server, bot):
    server.drop("sendMessage")
    with pytest.raises(FateUnknown):
        await bot.send_message(5, "a")
    assert len(server.sent) == 1


async def test_waiting_too_long_for_a_pooled_connection_is_not_delivered(server, bot):
    server.delay("sendMessage", 0.25)  # holds the only connection (answered in time)
    first = asyncio.ensure_future(bot.send_message(5, "a"))
    await server.wait_for(lambda: server.sent)
    with pytest.raises(ConnectTimedOut) as caught:
        await bot.send_message(6, "b")
    assert isinstance(caught.value, NotDelivered) and isinstance(caught.value, TimedOut)
    await first
    assert [m.chat_id for m in server.sent] == [5]
