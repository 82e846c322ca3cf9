"""What only the Telegram transport does, on the real Application against the fake Bot API:
the command menu, inline buttons that are pressed, answered and edited away, HTML that must
parse, replies to a message, groups and bot mentions. The checks every transport shares are in
``test_contract.py``; the conversation itself in ``tests/bot/test_conversation.py``."""

from __future__ import annotations

import re

import pytest

from bantin.app import build_router
from bot.features.moderation import ACK_FEEDBACK
from tests.helpers.articles import add_articles, make_article

pytestmark = pytest.mark.parametrize("chat", ["telegram"], indirect=True)

READER = 4242
GROUP = -100777


async def test_start_up_clears_a_webhook_and_registers_the_menu_in_vietnamese(chat):
    server = chat.bot.server
    await chat.say("/start")
    assert server.calls_to("deleteWebhook"), "polling must clear a webhook first"
    [menu] = server.calls_to("setMyCommands")
    assert [c["command"] for c in menu.params["commands"]] == [
        c.name for c in build_router().public_commands()]
    assert all(re.search(r"[à-ỹ]", c["description"]) for c in menu.params["commands"])


async def test_a_pressed_page_is_answered_and_loses_its_button(chat):
    server = chat.bot.server
    add_articles(chat.store, 7)
    [first] = await chat.say("/latest")
    [second] = await chat.next_page(first)
    assert numbers(second.visible) == ["6", "7"] and not second.choices
    assert server.calls_to("answerCallbackQuery")  # no spinner left turning
    await server.wait_for(lambda: server.calls_to("editMessageReplyMarkup"))
    assert not server.messages_to(READER)[0].buttons(), "the page could be pressed twice"


async def test_choosing_a_time_turns_the_question_into_the_answer(chat):
    server = chat.bot.server
    [question] = await chat.say("/subscribe")
    await chat.bot.press(READER, question.platform_message, "18:00", count=0)
    await server.wait_for(lambda: server.calls_to("editMessageText"))
    [edited] = server.messages_to(READER)
    assert "18:00" in edited.visible and not edited.buttons() and edited.edited
    assert chat.store.subscriptions.get("telegram", str(READER)).time == "18:00"


async def test_markup_from_outside_is_escaped_html_never_plain_text(chat):
    chat.store.articles.save(make_article(
        9, title="Giá <b>vàng</b> & </a> tăng", summary="So sánh 1 < 2 & \"3\" > 0 </a>"))
    [found] = await chat.say("/search vàng <b> </a> &")
    assert ('<a href="https://example.vn/tin/9.html"><b>Giá &lt;b&gt;vàng&lt;/b&gt; &amp; '
            '&lt;/a&gt; tăng</b></a>') in found.raw  # a bold title that is a link
    [missing] = await chat.say("/search <b>khong co</b> & </a>")
    assert "<b>khong co</b> & </a>" in missing.visible
    assert missing.platform_message.parse_mode == "HTML"  # escaped, not fallen back


async def test_a_reply_to_an_article_is_quoted_and_tied_to_that_article(chat):
    chat.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    article_id = chat.store.articles.get_by_url("https://example.vn/tin/50.html").id
    [result] = await chat.say("/search da nang")
    [ack] = await chat.bot.say(READER, "Bài này thiếu số liệu",
                               reply_to=result.platform_message.message_id)
    assert ack.visible == ACK_FEEDBACK and ack.reply_to is not None
    [stored] = chat.store.feedback.for_chat("telegram", str(READER))
    assert stored.article_id == article_id and stored.display_name == "Lan Nguyễn"


async def test_in_a_group_only_what_is_for_this_bot_is_answered(chat):
    bot, server = chat.bot, chat.bot.server
    add_articles(chat.store, 2)
    [reply] = await bot.say(GROUP, "/latest@bantin_test_bot", chat_type="group", user_id=5)
    assert "Tin thứ 1 về giao thông" in reply.visible
    # Plain talk, and commands for another bot, are not for us.
    server.user_sends(GROUP, "chào cả nhà", chat_type="group", user_id=6)
    server.user_sends(GROUP, "/latest@other_bot", chat_type="group", user_id=6)
    [help_] = await bot.say(GROUP, "/help@bantin_test_bot", chat_type="group", user_id=6)
    assert "Các lệnh" in help_.visible
    assert len(server.messages_to(GROUP)) == 2
    assert chat.store.chats.get("telegram", str(GROUP)).chat_type == "group"
    # A reply to the bot's one-article message in a group is feedback from whoever replied.
    chat.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    [found] = await bot.say(GROUP, "/search@bantin_test_bot da nang", chat_type="group")
    [ack] = await bot.say(GROUP, "Hay quá", chat_type="group", reply_to=found.message_id,
                          user_id=7)
    assert ack.visible == ACK_FEEDBACK
    [stored] = chat.store.feedback.for_chat("telegram", str(GROUP))
    assert stored.user_id == "7" and stored.article_id is not None


async def test_a_sticker_points_to_help(chat):
    [reply] = await chat.bot.say(READER, None, sticker=True)
    assert "/help" in reply.visible


def numbers(text: str) -> list[str]:
    return re.findall(r"Tin thứ (\d+) về", text)
