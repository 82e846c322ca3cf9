"""What only the Zalo transport does, against the fake Zalo Bot API: plain text with no markup
ever, Zalo's group and sender fields, events without text. The checks every transport shares
are in ``test_contract.py``; trouble (error answers, timeouts, blocked readers, splitting) in
``tests/zalo/test_reliability.py``; webhooks in ``tests/zalo/test_webhook.py``."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.features.moderation import ACK_FEEDBACK
from tests.helpers.articles import add_articles, make_article

pytestmark = pytest.mark.parametrize("chat", ["zalo"], indirect=True)

READER = "e4ea2cd5189df1c3a88c"
GROUP = "g7b1f00c2aa93d4e01"


def no_markup(text: str) -> bool:
    return not re.search(r"</?(b|i|a)\b", text) and "&amp;" not in text and "&lt;" not in text


async def test_start_up_clears_a_webhook_and_greets_by_the_given_name(chat):
    [reply] = await chat.say("/start")
    assert chat.bot.server.calls_to("deleteWebhook"), "polling must clear a webhook first"
    assert "Xin chào Lan! 👋" in reply.visible  # "Nguyễn Thị Lan": the given name comes last


async def test_nothing_zalo_receives_carries_markup(chat):
    add_articles(chat.store, 7)
    chat.store.articles.save(make_article(9, title="Giá <b>vàng</b> & tăng", summary="1 < 2"))
    ours = [*await chat.say("/start"), *await chat.say("/latest")]
    assert all(no_markup(m.raw) for m in ours)  # bold titles and links become plain text
    [found] = await chat.say("/search vàng <b> &")
    assert "Giá <b>vàng</b> & tăng" in found.raw  # the title's own text, as it is
    assert "&amp;" not in found.raw and "&lt;" not in found.raw


async def test_in_a_group_commands_are_answered_and_plain_talk_is_not(chat):
    bot, server = chat.bot, chat.bot.server
    add_articles(chat.store, 2)
    server.user_sends(GROUP, "chào cả nhà", user_id="u1", chat_type="GROUP")
    [reply] = await bot.say(GROUP, "/latest", user_id="u1", chat_type="GROUP")
    assert "Tin thứ 1 về giao thông" in reply.text
    await asyncio.sleep(0.2)
    assert len(server.messages_to(GROUP)) == 1, "plain talk in a group got an answer"
    assert chat.store.chats.get("zalo", GROUP).chat_type == "group"
    [ack] = await bot.say(GROUP, "/feedback Nhóm mình thích bản tin", user_id="u2",
                          chat_type="GROUP", display_name="Trần Văn Bình")
    assert ack.text == ACK_FEEDBACK
    [stored] = chat.store.feedback.for_chat("zalo", GROUP)
    assert stored.user_id == "u2" and stored.display_name == "Trần Văn Bình"


async def test_a_sticker_points_to_help(chat):
    [reply] = await chat.bot.say(READER, None)
    assert "/help" in reply.text
