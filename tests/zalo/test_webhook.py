"""Webhook mode for Zalo and Telegram: the secret is checked, the body limited, updates served."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.engine.errors import BotError
from bot.transports.webhook import WebhookServer, WebhookSettings
from bot.transports.zalo import ZaloTransport
from tests.helpers.articles import NOW, add_articles
from tests.fakes.zalo_server import FakeZaloServer
from tests.helpers.webhooks import TELEGRAM_SECRET, ZALO_SECRET, post, telegram_update
from tests.helpers.zalo_bot import fast_settings

READER = "e4ea2cd5189df1c3a88c"


async def test_start_registers_both_webhooks_with_their_secrets(both):
    server, zalo_api, telegram_api, _ = both
    [zalo_call] = zalo_api.calls_to("setWebhook")
    assert zalo_call.params == {"url": "https://bantin.example.vn/hook/zalo",
                                "secret_token": ZALO_SECRET}
    [telegram_call] = telegram_api.calls_to("setWebhook")
    assert telegram_call.params["url"] == "https://bantin.example.vn/hook/telegram"
    assert telegram_call.params["secret_token"] == TELEGRAM_SECRET
    await asyncio.sleep(0.3)
    assert not zalo_api.calls_to("getUpdates") and not telegram_api.calls_to("getUpdates")


async def test_zalo_delivery_with_the_right_secret_is_answered(both):
    server, zalo_api, _, store = both
    add_articles(store, 2)
    local = f"{server.base_url}/hook/zalo"
    response = await zalo_api.deliver_webhook(zalo_api.update(READER, "/latest"), to=local)
    assert response.status_code == 200
    [reply] = await zalo_api.wait_messages(READER)
    assert "Tin thứ 1 về giao thông" in reply.text
    # The bare update (not wrapped in {"ok", "result"}) is accepted too.
    response = await zalo_api.deliver_webhook(zalo_api.update(READER, "/help"), to=local,
                                              wrapped=False)
    assert response.status_code == 200
    [help_] = await zalo_api.wait_messages(READER, after=1)
    assert "Các lệnh" in help_.text


async def test_zalo_delivery_with_a_wrong_or_missing_secret_is_refused(both):
    server, zalo_api, _, store = both
    local = f"{server.base_url}/hook/zalo"
    wrong = await zalo_api.deliver_webhook(zalo_api.update(READER, "/help"), to=local,
                                           secret="zalo-secret-0123456788")
    assert wrong.status_code == 403
    missing = await post(local, {"ok": True, "result": zalo_api.update(READER, "/help")})
    assert missing.status_code == 401
    telegram_secret = await zalo_api.deliver_webhook(zalo_api.update(READER, "/help"), to=local,
                                                     secret=TELEGRAM_SECRET)
    assert telegram_secret.status_code == 403
    await asyncio.sleep(0.3)
    assert zalo_api.messages_to(READER) == []
    assert store.chats.get("zalo", READER) is None


async def test_same_zalo_message_delivered_twice_is_answered_once(both):
    server, zalo_api, _, _ = both
    update = zalo_api.update(READER, "/help")
    local = f"{server.base_url}/hook/zalo"
    for _ in range(2):
        assert (await zalo_api.deliver_webhook(update, to=local)).status_code == 200
    await zalo_api.wait_messages(READER)
    await asyncio.sleep(0.3)
    assert len(zalo_api.messages_to(READER)) == 1


async def test_bodies_too_large_or_not_json_are_refused(both):
    server, zalo_api, _, _ = both
    local = f"{server.base_url}/hook/zalo"
    headers = {"X-Bot-Api-Secret-Token": ZALO_SECRET}
    huge = zalo_api.update(READER, "a" * 5000)
    assert (await post(local, huge, headers)).status_code == 413
    assert (await post(local, b"{not json", headers)).status_code == 400
    assert (await post(local, b"[1, 2]", headers)).status_code == 400
    async with httpx.AsyncClient() as client:
        assert (await client.get(local, headers=headers)).status_code == 405
        assert (await client.post(f"{server.base_url}/other", headers=headers)).status_code == 404
    # The server is still serving after all that.
    assert (await zalo_api.deliver_webhook(zalo_api.update(READER, "/help"), to=local)
            ).status_code == 200
    await zalo_api.wait_messages(READER)


async def test_telegram_delivery_with_the_right_secret_is_answered(both):
    server, _, telegram_api, store = both
    add_articles(store, 1)
    local = f"{server.base_url}/hook/telegram"
    response = await post(local, telegram_update(telegram_api, 77, "/latest"),
                          {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})
    assert response.status_code == 200
    [reply] = await telegram_api.wait_messages(77)
    assert "Tin thứ 1 về giao thông" in reply.visible and reply.parse_mode == "HTML"
    assert store.chats.get("telegram", "77").active


async def test_telegram_delivery_with_a_wrong_or_missing_secret_is_refused(both):
    server, _, telegram_api, store = both
    local = f"{server.base_url}/hook/telegram"
    update = telegram_update(telegram_api, 78, "/help")
    assert (await post(local, update, {"X-Telegram-Bot-Api-Secret-Token": "nope"})
            ).status_code == 403
    assert (await post(local, update, {"X-Bot-Api-Secret-Token": TELEGRAM_SECRET})
            ).status_code == 401
    assert (await post(local, update)).status_code == 401
    await asyncio.sleep(0.3)
    assert telegram_api.messages_to(78) == [] and store.chats.get("telegram", "78") is None


async def test_endpoint_answers_503_until_its_transport_runs(fresh_store):
    async with FakeZaloServer() as zalo_api:
        core = BotCore(fresh_store, BotSettings(), router=build_router(), clock=lambda: NOW)
        server = WebhookServer(WebhookSettings(port=0))
        zalo = ZaloTransport(core, fast_settings(
            zalo_api, webhook_url="https://bantin.example.vn/zalo", webhook_secret=ZALO_SECRET),
            server)
        await server.start()
        try:
            early = await post(f"{server.base_url}/zalo", zalo_api.update(READER, "/help"),
                               {"X-Bot-Api-Secret-Token": ZALO_SECRET})
            assert early.status_code == 503  # Zalo will deliver it again later
            await zalo.start()
            await zalo.stop()
            late = await post(f"{server.base_url}/zalo", zalo_api.update(READER, "/help"),
                              {"X-Bot-Api-Secret-Token": ZALO_SECRET})
            assert late.status_code == 503
        finally:
            await server.stop()
            core.close()


async def test_zalo_refusing_the_webhook_stops_start_up_with_the_reason(fresh_store):
    async with FakeZaloServer() as zalo_api:
        core = BotCore(fresh_store, BotSettings(), router=build_router())
        server = WebhookServer(WebhookSettings(port=0))
        zalo = ZaloTransport(core, fast_settings(
            zalo_api, webhook_url="https://bantin.example.vn/zalo", webhook_secret="short"),
            server)
        with pytest.raises(BotError, match="secret_token must be 8-256"):
            await zalo.start()
        core.close()


async def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = WebhookServer(WebhookSettings(port=port))
        with pytest.raises(BotError, match=f"cannot listen on 127.0.0.1:{port}"):
            await server.start()
