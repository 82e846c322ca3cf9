"""Webhook bodies that pass the secret but are not updates, half-open connections, and
re-deliveries, against the real aiohttp server and the real transports with fake platforms."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.transports.webhook import Endpoint, WebhookServer, WebhookSettings, nesting_depth
from tests.helpers.webhooks import TELEGRAM_SECRET, ZALO_SECRET, post, telegram_update

TELEGRAM = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
ZALO = {"X-Bot-Api-Secret-Token": ZALO_SECRET}


@pytest.mark.parametrize("body", [
    {"message": "x"},
    {"update_id": 5, "message": "x"},
    {"update_id": "5"},
    {"update_id": True},
    {},
    {"update_id": 6, "message": {"chat": "nope", "date": "hôm qua"}},
    b"[" * 2000 + b"]" * 2000,
    b'{"a":' * 500 + b"1" + b"}" * 500,
])
async def test_telegram_bodies_that_are_not_updates_get_400(both, body):
    server, _, telegram_api, _ = both
    local = f"{server.base_url}/hook/telegram"
    assert (await post(local, body, TELEGRAM)).status_code == 400
    # still serving
    assert (await post(local, telegram_update(telegram_api, 90, "/help"), TELEGRAM)
            ).status_code == 200
    await telegram_api.wait_messages(90)


@pytest.mark.parametrize("body", [{"message": "x"}, {"result": {"message": 3}}, {"foo": 1},
                                  b'{"a":' * 500 + b"1" + b"}" * 500])
async def test_zalo_bodies_that_are_not_updates_get_400(both, body):
    server, zalo_api, _, _ = both
    local = f"{server.base_url}/hook/zalo"
    assert (await post(local, body, ZALO)).status_code == 400
    ignored = await post(local, {"event_name": "user_send_sticker"}, ZALO)
    assert ignored.status_code == 200  # an event the bot does not handle is still an update


async def test_the_same_update_id_twice_gets_one_answer(both):
    server, _, telegram_api, _ = both
    local = f"{server.base_url}/hook/telegram"
    update = telegram_update(telegram_api, 91, "/help")
    for _ in range(2):
        assert (await post(local, update, TELEGRAM)).status_code == 200
    await telegram_api.wait_messages(91)
    await asyncio.sleep(0.5)
    assert len(telegram_api.messages_to(91)) == 1


def test_depth_is_counted_outside_strings():
    assert nesting_depth(b'{"a": "[[[[[[[[", "b": [{"c": []}]}') == 4
    assert nesting_depth(b'"\\"[[["') == 0


@pytest.fixture
async def strict_server():
    """A webhook server with short header and body timeouts and one recording endpoint."""
    received: list[dict] = []

    async def record(payload):
        received.append(payload)

    server = WebhookServer(WebhookSettings(listen="127.0.0.1", port=0, max_body_bytes=4096,
                                           header_timeout=0.5, body_timeout=0.5))
    server.add_endpoint(Endpoint(name="test", path="/hook", header="X-Secret", secret="s3cret",
                                 on_payload=record, ready=lambda: True))
    await server.start()
    yield server, received
    await server.stop()


async def _read_until_closed(reader: asyncio.StreamReader) -> bytes:
    data = b""
    while chunk := await reader.read(4096):
        data += chunk
    return data


async def test_half_open_and_dripping_connections_are_dropped(strict_server):
    server, received = strict_server
    # Headers never finished: the server closes the connection.
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Secret: s3cret\r\n")
    await writer.drain()
    assert await asyncio.wait_for(_read_until_closed(reader), 30) == b""
    writer.close()
    # Headers sent, body promised but never sent in full: 408, then closed.
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Secret: s3cret\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\":")
    await writer.drain()
    answer = await asyncio.wait_for(_read_until_closed(reader), 30)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408")
    # A well-behaved client is still served.
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    body = json.dumps({"event_name": "x"}).encode()
    writer.write(b"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Secret: s3cret\r\n"
                 b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    await writer.drain()
    answer = await asyncio.wait_for(_read_until_closed(reader), 30)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 200") and received == [{"event_name": "x"}]
