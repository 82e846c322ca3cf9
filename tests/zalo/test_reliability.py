"""Zalo under trouble: error answers, timeouts, blocked readers, long text, sending from outside."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.engine.errors import BotError, ChatUnreachable, DeliveryFailed, DeliveryUnknown
from bot.engine.messages import Address, Button, Reply, Rich, bold
from bot.transports.zalo import ZaloTransport, render_reply
from tests.helpers.articles import NOW, add_articles
from tests.helpers.articles import make_article
from tests.fakes.zalo_server import FakeZaloServer
from tests.helpers.zalo_bot import fast_settings

READER = "e4ea2cd5189df1c3a88c"


# --- receiving -------------------------------------------------------------------------------


async def test_empty_long_polls_are_not_errors(zalo, caplog):
    caplog.set_level(logging.WARNING, logger="bot.transports.zalo")
    await zalo.server.wait_for(lambda: len(zalo.server.calls_to("getUpdates")) >= 3,
                               timeout=10)  # each poll of 1 s ended with 408
    assert not [r for r in caplog.records if "getUpdates failed" in r.getMessage()]
    [reply] = await zalo.say(READER, "/help")
    assert "Các lệnh" in reply.text


@pytest.mark.parametrize("fault", [
    dict(error_code=500, description="Internal error", http_status=500),
    dict(error_code=502, raw="<html>Bad gateway</html>", http_status=502),
    dict(error_code=401, description="Unauthorized", http_status=401),
    dict(error_code=400, description="getUpdates is not available while a webhook is set"),
    dict(error_code=429, description="Too many requests", http_status=429),
])
async def test_polling_survives_error_answers(zalo, fault, caplog):
    caplog.set_level(logging.WARNING, logger="bot.transports.zalo")
    zalo.server.fail("getUpdates", times=3, **fault)
    [reply] = await zalo.say(READER, "/help")
    assert "Các lệnh" in reply.text
    failures = [r for r in caplog.records if "getUpdates failed" in r.getMessage()]
    assert len(failures) == 3
    assert zalo.server.token not in caplog.text


async def test_polling_survives_a_server_that_does_not_answer_in_time(zalo, caplog):
    caplog.set_level(logging.WARNING, logger="bot.transports.zalo")
    # Longer than the client waits for a poll (poll_timeout 1 s + request_timeout 2 s).
    zalo.server.fail("getUpdates", 408, delay=3.5)
    await zalo.server.wait_for(lambda: "timed out" in caplog.text, timeout=15)
    [reply] = await zalo.say(READER, "/help")
    assert "Các lệnh" in reply.text


async def test_polling_survives_the_api_going_away_and_coming_back(fresh_store, caplog):
    caplog.set_level(logging.WARNING, logger="bot.transports.zalo")
    server = await FakeZaloServer().start()
    core = BotCore(fresh_store, BotSettings(), router=build_router(), clock=lambda: NOW)
    transport = ZaloTransport(core, fast_settings(server))
    await transport.start()
    try:
        await server.stop()
        await asyncio.sleep(0.5)
        assert "getUpdates failed" in caplog.text  # connection refused, again and again
        server = await FakeZaloServer().start(port=server.port)
        server.user_sends(READER, "/help")
        [reply] = await server.wait_messages(READER, timeout=15)
        assert "Các lệnh" in reply.text
    finally:
        await transport.stop()
        await server.stop()
        core.close()


async def test_bad_token_stops_start_up_with_a_clear_error(fresh_store):
    async with FakeZaloServer() as server:
        core = BotCore(fresh_store, BotSettings(), router=build_router())
        transport = ZaloTransport(core, fast_settings(server, token="1:wrong"))
        with pytest.raises(BotError, match="zalo rejected the token"):
            await transport.start()
        core.close()


async def test_start_up_waits_out_a_failing_api(fresh_store):
    async with FakeZaloServer() as server:
        server.fail("getMe", 503, http_status=503, times=2)
        core = BotCore(fresh_store, BotSettings(), router=build_router(), clock=lambda: NOW)
        transport = ZaloTransport(core, fast_settings(server))
        await transport.start()
        try:
            assert len(server.calls_to("getMe")) == 3
            server.user_sends(READER, "/help")
            await server.wait_messages(READER)
        finally:
            await transport.stop()
            core.close()


# --- sending ---------------------------------------------------------------------------------


async def test_send_errors_are_retried_then_delivered(zalo):
    zalo.server.fail("sendMessage", 500, "Internal error", http_status=500)
    zalo.server.fail("sendMessage", 502, raw="<html>Bad gateway</html>", http_status=502)
    [reply] = await zalo.say(READER, "/help")
    assert "Các lệnh" in reply.text
    assert len(zalo.server.calls_to("sendMessage")) == 3


async def test_send_timeouts_end_in_delivery_failed_and_the_bot_goes_on(zalo):
    zalo.server.fail("sendMessage", 200, delay=2.5, times=3)  # longer than request_timeout 2 s
    with pytest.raises(DeliveryFailed, match="timed out"):
        await zalo.core.send(Address("zalo", READER), Reply(Rich.of("Bản tin sáng")))
    [reply] = await zalo.say(READER, "/help")
    assert "Các lệnh" in reply.text


async def test_send_refused_is_delivery_failed_without_retry(zalo):
    zalo.server.fail("sendMessage", 400, "text must be 1-2000 characters")
    with pytest.raises(DeliveryFailed, match="400"):
        await zalo.core.send(Address("zalo", READER), Reply(Rich.of("x")))
    assert len(zalo.server.calls_to("sendMessage")) == 1
    assert zalo.store.chats.get("zalo", READER) is None  # not marked unreachable


async def test_blocked_reader_is_marked_inactive_and_comes_back(zalo):
    await zalo.say(READER, "/subscribe 07:00")
    zalo.server.block(READER)
    with pytest.raises(ChatUnreachable):
        await zalo.core.send(Address("zalo", READER), Reply(Rich.of("Bản tin sáng")))
    chat = zalo.store.chats.get("zalo", READER)
    assert not chat.active and "blocked" in chat.inactive_reason
    zalo.server.blocked.clear()
    await zalo.say(READER, "/settings")
    assert zalo.store.chats.get("zalo", READER).active


async def test_digest_style_send_outside_a_conversation_records_articles(zalo):
    ids = add_articles(zalo.store, 2)
    reply = Reply(Rich.of(bold("Bản tin sáng"), "Tin thứ 1", "Tin thứ 2"),
                  article_ids=tuple(ids))
    sent = await zalo.core.send(Address("zalo", "someone-who-never-wrote"), reply)
    assert len(sent) == 1
    [message] = zalo.server.messages_to("someone-who-never-wrote")
    assert message.text.startswith("Bản tin sáng") and message.message_id == sent[0]
    assert zalo.store.sent_messages.articles("zalo", "someone-who-never-wrote",
                                             sent[0]) == ids


async def test_moderator_answer_reaches_a_zalo_reader(zalo):
    """What moderation does: a reply addressed to a Zalo chat from another conversation."""
    reply = Reply(Rich.of("Cảm ơn góp ý của bạn, toà soạn đã sửa bài."),
                  to=Address("zalo", READER))
    await zalo.core.send(reply.to, reply)
    [message] = zalo.server.messages_to(READER)
    assert "toà soạn đã sửa bài" in message.text


async def test_edits_become_new_messages_and_button_edits_are_skipped(zalo):
    assert await zalo.transport.send(READER, Reply(None, edit="m1")) == []
    ids = await zalo.transport.send(READER, Reply(Rich.of("Đã đăng ký"), edit="m1"))
    assert len(ids) == 1 and zalo.server.messages_to(READER)[0].text == "Đã đăng ký"


# --- splitting at 2000 characters ------------------------------------------------------------


def test_a_reply_of_exactly_2000_characters_is_one_message():
    text = "ă" * 2000
    assert render_reply(Reply(Rich.of(text))) == [text]
    assert len(render_reply(Reply(Rich.of(text + "b")))) == 2


def test_long_replies_split_between_paragraphs_and_keep_every_word():
    paragraphs = [f"Đoạn {n}: " + " ".join(["tin"] * 90) for n in range(1, 13)]  # ~370 each
    messages = render_reply(Reply(Rich.of(*paragraphs),
                                  buttons=((Button("Xem thêm", data="/latest 5 trang 2"),),)))
    assert len(messages) >= 3
    assert all(1 <= len(m) <= 2000 for m in messages)
    for message in messages:  # every message starts a paragraph and ends one
        assert message.startswith("Đoạn ") or message.startswith("Xem thêm")
    assert "\n\n".join(messages) == "\n\n".join([*paragraphs, "Xem thêm: gõ /latest 5 trang 2"])


def test_one_paragraph_longer_than_a_message_is_cut_between_words():
    words = ["Đà", "Nẵng", "đón", "khách"] * 700  # ~11,000 characters, no paragraph break
    messages = render_reply(Reply(Rich.of(" ".join(words))))
    assert all(len(m) <= 2000 for m in messages) and len(messages) >= 6
    assert " ".join(" ".join(messages).split()) == " ".join(words)


async def test_twenty_long_articles_arrive_in_several_messages_of_at_most_2000(zalo):
    for n in range(1, 21):
        zalo.store.articles.save(make_article(
            n, published_at=NOW.replace(hour=1, minute=n), title=f"Tin thứ {n} về giao thông",
            summary=f"Tóm tắt dài của tin {n}. " + "Người dân phấn khởi đón tin vui. " * 8))
    replies = await zalo.say(READER, "/latest 20", count=3)
    await asyncio.sleep(0.3)
    replies = zalo.server.messages_to(READER)
    assert len(replies) >= 3 and all(len(r.text) <= 2000 for r in replies)
    numbers = [int(n) for r in replies for n in re.findall(r"^(\d+)\. ", r.text, re.M)]
    assert numbers == list(range(1, 21))  # every article once, in order, none cut in two
    for reply in replies:
        assert re.match(r"^(📰|\d+\. )", reply.text)


async def test_a_digest_is_not_resent_after_a_read_timeout(zalo):
    """After a read timeout Zalo may have delivered it: a resend could send it twice."""
    zalo.server.fail("sendMessage", 500, delay=3)  # longer than the client's 2 s timeout
    with pytest.raises(DeliveryUnknown, match="unknown fate"):
        await zalo.transport.send("digest-reader", Reply(Rich.of("📰 Bản tin sáng"),
                                                          at_most_once=True))
    assert len(zalo.server.calls_to("sendMessage")) == 1


async def test_a_conversation_reply_is_retried_after_a_read_timeout(zalo):
    zalo.server.fail("sendMessage", 500, delay=3)
    await zalo.transport.send("reader", Reply(Rich.of("Các lệnh của bantin")))
    assert [m.text for m in zalo.server.messages_to("reader")] == ["Các lệnh của bantin"]
    assert len(zalo.server.calls_to("sendMessage")) == 2
