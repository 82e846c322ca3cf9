"""What happens when Telegram says no: 429, 403, 400 parse errors, 5xx, lost polls, bugs."""

from __future__ import annotations

import asyncio

from bot.engine.messages import Address, Reply, Rich
from bot.engine.errors import ChatUnreachable
from tests.helpers.articles import add_articles

READER = 777


async def test_429_during_a_reply_is_waited_out_and_delivered_once(harness):
    server = harness.server
    server.fail("sendMessage", 429, "Too Many Requests: retry after 1", chat_id=READER,
                retry_after=1)
    [reply] = await harness.say(READER, "/help")
    assert "Các lệnh" in reply.visible
    calls = [c for c in server.calls_to("sendMessage") if c.params["chat_id"] == str(READER)]
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0  # retry_after was honoured
    await asyncio.sleep(0.3)
    assert len(server.messages_to(READER)) == 1


async def test_403_marks_the_chat_inactive_until_the_reader_writes_again(harness):
    server = harness.server
    await harness.say(READER, "/help")
    server.block(READER)
    server.user_sends(READER, "/latest")
    await server.wait_for(lambda: any(c.status == 403 for c in server.calls_to("sendMessage")))
    await server.wait_for(lambda: not harness.store.chats.get("telegram", str(READER)).active)
    chat = harness.store.chats.get("telegram", str(READER))
    assert "blocked" in chat.inactive_reason
    server.unblock(READER)
    [reply] = await harness.say(READER, "/help")
    assert "Các lệnh" in reply.visible
    assert harness.store.chats.get("telegram", str(READER)).active


async def test_403_from_a_send_outside_a_conversation_raises_and_marks(harness):
    harness.server.block(999)
    try:
        await harness.core.send(Address("telegram", "999"), Reply(Rich.of("Bản tin")))
    except ChatUnreachable:
        pass
    else:
        raise AssertionError("a blocked chat must raise ChatUnreachable")
    assert not harness.store.chats.get("telegram", "999").active


async def test_cant_parse_entities_falls_back_to_plain_text_once(harness):
    server = harness.server
    add_articles(harness.store, 1)
    server.fail("sendMessage", 400, "Bad Request: can't parse entities: unsupported tag",
                chat_id=READER)
    [reply] = await harness.say(READER, "/latest")
    assert reply.parse_mode is None
    assert "Tin thứ 1 về giao thông (https://example.vn/tin/1.html)" in reply.visible
    assert "<b>" not in reply.visible
    [later] = await harness.say(READER, "/latest")
    assert later.parse_mode == "HTML"


async def test_server_errors_are_retried(harness):
    harness.server.fail("sendMessage", 502, "Bad Gateway", chat_id=READER, times=2)
    [reply] = await harness.say(READER, "/help")
    assert "Các lệnh" in reply.visible


async def test_lost_polls_do_not_stop_the_bot(harness):
    server = harness.server
    server.fail("getUpdates", 500, "Internal Server Error", times=2)
    await server.wait_for(lambda: not server.faults, timeout=15)
    [reply] = await harness.say(READER, "/help", )
    assert "Các lệnh" in reply.visible


async def test_many_readers_at_once_each_get_their_own_answers(harness):
    add_articles(harness.store, 3)
    readers = range(1000, 1030)
    for reader in readers:
        harness.server.user_sends(reader, "/latest 1")
        harness.server.user_sends(reader, "/settings")
    for reader in readers:
        first, second = await harness.server.wait_messages(reader, 2)
        assert "Tin thứ 1" in first.visible and "chưa đăng ký" in second.visible


async def test_a_follow_up_learns_the_outcome_and_a_broken_one_costs_nothing(harness):
    """``Reply.then`` gets the error of a failed send and its replies go out next; one that
    raises is logged, and the handler's other replies are still delivered."""
    from bot.engine.router import Router

    outcomes: list = []

    def told(failure):
        outcomes.append(failure)
        return [Reply(Rich.of("không gửi được" if failure else "đã gửi"))]

    def broken(failure):
        raise RuntimeError("bug in a follow-up")

    router = Router()

    @router.command("thu", "thử")
    def handler(ctx, args):
        return [Reply(Rich.of("tới người đã chặn"), to=Address("telegram", "999"), then=told),
                Reply(Rich.of("một"), then=broken), Reply(Rich.of("hai"), then=told)]

    harness.core.router = router
    harness.server.block(999)
    replies = await harness.say(READER, "/thu", count=4)
    assert [r.visible for r in replies] == ["không gửi được", "một", "hai", "đã gửi"]
    assert isinstance(outcomes[0], ChatUnreachable) and outcomes[1] is None
