"""The transports' contract, written once and run on Telegram, Zalo and the console.

What a transport owns, and what a reader would notice if it broke: how their message becomes
an ``Incoming`` (text in NFC, their name, their chat), how a reply becomes messages on the
platform (buttons as buttons or as lines to type, links, markup shown as text, long text split
within the platform's limit with nothing lost, ``message_count`` telling the truth) and how the
next page is asked for. The conversation itself is tested once at the engine
(``tests/bot/test_conversation.py``); what only one platform has is in ``test_telegram.py``,
``test_zalo.py`` and ``tests/demo/test_console_transport.py``; trouble (403, 429, 5xx,
timeouts) in ``tests/bot/test_reliability.py`` and ``tests/zalo/test_reliability.py``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.engine.messages import Address, Reply, Rich
from tests.helpers.articles import NOW, add_articles, make_article
from tests.helpers.stories import OTHER_FIRE, OUTLETS, save_all, three_outlets

TYPED_PAGING = pytest.mark.parametrize("chat", ["zalo", "console"], indirect=True)


def numbers(text: str) -> list[str]:
    return re.findall(r"Tin thứ (\d+) về", text)


async def test_a_readers_words_arrive_in_nfc_with_their_name_and_chat(chat):
    chat.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    decomposed = "\u0111a\u0300 na\u0306\u0303ng"  # "đà nẵng" typed with combining marks
    [reply] = await chat.say(decomposed)
    assert "Đà Nẵng đón khách" in reply.visible and "Kết quả cho “đà nẵng”" in reply.visible
    seen = chat.store.chats.get(chat.platform, chat.chat_id)
    assert seen.display_name == chat.name and seen.chat_type == "private" and seen.active


async def test_buttons_are_offered_the_platforms_way_and_lead_where_they_say(chat):
    add_articles(chat.store, 2)
    [greeting] = await chat.say("/start")
    assert greeting.choices == [chat.offers("📰 Tin mới nhất", "/latest"),
                                chat.offers("🔔 Đăng ký bản tin", "/subscribe")]
    [latest] = await chat.choose(greeting, "📰 Tin mới nhất")
    assert numbers(latest.visible) == ["1", "2"]


async def test_help_suggests_replying_only_where_the_platform_has_replies(chat):
    [reply] = await chat.say("/help")
    assert "/latest" in reply.visible and "Các lệnh" in reply.visible
    assert ("trả lời (reply)" in reply.visible) == chat.can_reply


async def test_links_open_the_article_and_markup_from_outside_is_shown_as_text(chat):
    add_articles(chat.store, 1)
    chat.store.articles.save(make_article(
        9, title="Giá <b>vàng</b> & </a> tăng", summary="So sánh 1 < 2 & \"3\" > 0 </a>",
        published_at=NOW))
    [reply] = await chat.say("/latest")
    assert chat.shows_link(reply, "Tin thứ 1 về giao thông", "https://example.vn/tin/1.html")
    assert "Giá <b>vàng</b> & </a> tăng" in reply.visible
    assert "So sánh 1 < 2 & \"3\" > 0 </a>" in reply.visible
    assert "Báo Mẫu · 1 giờ trước" in reply.visible and "Tóm tắt tin số 1." in reply.visible


async def test_each_outlet_of_a_story_leads_to_its_own_article_the_platforms_way(chat):
    """Telegram links each outlet's name; Zalo and the console write each address out after
    the name, and the story still fits the platform's limit. (What a story shows is the
    engine's: ``tests/bot/test_stories.py``.)"""
    save_all(chat.store, [*three_outlets(), OTHER_FIRE], at=NOW - timedelta(hours=9))
    [latest] = await chat.say("/latest")
    outlets = ", ".join(chat.reads(name, address) for name, address in OUTLETS)
    assert f"3 báo đưa tin: {outlets}" in latest.visible
    assert latest.visible.count("báo đưa tin") == 1 and "Bình Dương" in latest.visible
    assert all(chat.shows_link(latest, name, address) for name, address in OUTLETS)
    assert chat.limit is None or chat.length(latest.visible) <= chat.limit


async def test_the_next_page_is_asked_for_the_platforms_way(chat):
    add_articles(chat.store, 12)
    [first] = await chat.say("/latest")
    assert numbers(first.visible) == ["1", "2", "3", "4", "5"]
    assert first.choices == [chat.offers("Xem thêm", "/latest 5 trang 2")]
    [second] = await chat.next_page(first)
    assert numbers(second.visible) == ["6", "7", "8", "9", "10"]
    [third] = await chat.next_page(second)
    assert numbers(third.visible) == ["11", "12"] and "(trang 3)" in third.visible
    assert third.choices == []


@TYPED_PAGING
async def test_where_there_are_no_buttons_the_label_or_them_turns_the_page(chat):
    add_articles(chat.store, 12)
    [first] = await chat.say("/latest")
    [second] = await chat.say("thêm")
    assert numbers(second.visible) == ["6", "7", "8", "9", "10"]
    [third] = await chat.say("Xem thêm")
    assert numbers(third.visible) == ["11", "12"]
    # No page left: the words are an ordinary search again.
    [search] = await chat.say("thêm")
    assert "“thêm”" in search.visible and "trang 4" not in search.visible


async def test_a_long_reply_fits_the_platforms_limit_and_loses_nothing(chat):
    chat.store.articles.save(make_article(
        100, summary="Câu dài. " * 1250, published_at=NOW))  # 10,000 characters
    add_articles(chat.store, 6)
    await chat.say("/latest")
    messages = await chat.until(lambda: (found := chat.received()) and found[-1].choices
                                and found)
    if chat.limit is None:
        assert len(messages) == 1  # a terminal never splits
    else:
        assert len(messages) >= 10_000 // chat.limit + 1
        assert all(chat.length(m.visible) <= chat.limit for m in messages)
    assert sum(m.visible.count("Câu dài.") for m in messages) == 1250
    assert not any(m.choices for m in messages[:-1])  # the next page comes last


async def test_the_transport_counts_the_messages_it_sends(chat):
    """Digests are cut to a number of messages by asking the transport: its count must hold."""
    reply = Reply(Rich.of(*(f"Đoạn {n}: <b>" + "tin tức " * 300 for n in range(6))))
    expected = chat.core.transports[chat.platform].message_count(reply)
    ids = await chat.core.send(Address(chat.platform, chat.chat_id), reply)
    assert len(ids) == expected == len(chat.received())
    if chat.limit is None:
        assert expected == 1
    else:  # six paragraphs of ~2,400 characters: never two in one message
        assert expected >= 6 and all(chat.length(m.visible) <= chat.limit
                                     for m in chat.received())
    assert " ".join(m.visible for m in chat.received()).count("tin tức") == 6 * 300


async def test_a_failing_handler_costs_one_apology_and_the_chat_goes_on(chat, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(chat.store.stories, "latest", broken)
    [sorry] = await chat.say("/latest")
    assert "Xin lỗi" in sorry.visible
    [fine] = await chat.say("/help")
    assert "Các lệnh" in fine.visible
