"""Every command on Zalo, end to end: the real transport, the fake Zalo Bot API, readers."""

from __future__ import annotations

import asyncio
import re

from bantin.app import build_router
from bot.engine.messages import Address, Reply, Rich
from bot.features.moderation import ACK_FEEDBACK
from tests.helpers.articles import NOW, STORM_TITLES, add_articles, add_storm_articles
from tests.helpers.articles import make_article

READER = "e4ea2cd5189df1c3a88c"
GROUP = "g7b1f00c2aa93d4e01"


def no_markup(text: str) -> bool:
    return not re.search(r"</?(b|i|a)\b", text) and "&amp;" not in text


async def test_start_greets_and_prints_buttons_as_commands(zalo):
    [reply] = await zalo.say(READER, "/start")
    assert "Xin chào Lan! 👋" in reply.text and "/latest" in reply.text
    assert "📰 Tin mới nhất: gõ /latest" in reply.text
    assert "🔔 Đăng ký bản tin: gõ /subscribe" in reply.text
    assert no_markup(reply.text)
    assert zalo.server.calls_to("deleteWebhook"), "polling must clear a webhook first"
    chat = zalo.store.chats.get("zalo", READER)
    assert chat.display_name == "Nguyễn Thị Lan" and chat.chat_type == "private"


async def test_help_lists_every_registered_command(zalo):
    [reply] = await zalo.say(READER, "/help")
    for command in build_router().public_commands():
        assert f"/{command.name}" in reply.text
        assert command.description in reply.text


async def test_latest_pages_by_typing_the_printed_command(zalo):
    add_articles(zalo.store, 7)
    [first] = await zalo.say(READER, "/latest")
    assert re.findall(r"Tin thứ (\d+) về", first.text) == ["1", "2", "3", "4", "5"]
    assert "Tin thứ 1 về giao thông (https://example.vn/tin/1.html)" in first.text
    assert "Báo Mẫu · 1 giờ trước" in first.text and "Tóm tắt tin số 1." in first.text
    assert no_markup(first.text)
    command = re.search(r"Xem thêm: gõ (/latest 5 trang 2)$", first.text)
    assert command, first.text
    [second] = await zalo.say(READER, command[1])
    assert re.findall(r"Tin thứ (\d+) về", second.text) == ["6", "7"]
    assert "trang 2" in second.text and "Xem thêm" not in second.text


async def test_reader_answers_them_for_the_next_page(zalo):
    add_articles(zalo.store, 12)
    await zalo.say(READER, "/latest")
    [second] = await zalo.say(READER, "thêm")
    assert re.findall(r"Tin thứ (\d+) về", second.text) == ["6", "7", "8", "9", "10"]
    [third] = await zalo.say(READER, "Xem thêm")
    assert re.findall(r"Tin thứ (\d+) về", third.text) == ["11", "12"]
    # No page left: "thêm" is an ordinary search again.
    [search] = await zalo.say(READER, "thêm")
    assert "Kết quả cho “thêm”" in search.text or "Không tìm thấy" in search.text


async def test_latest_count_and_bad_count(zalo):
    add_articles(zalo.store, 25)
    [three] = await zalo.say(READER, "/latest 3")
    assert len(re.findall(r"Tin thứ \d+ về", three.text)) == 3
    [bad] = await zalo.say(READER, "/latest abc")
    assert "/latest 10" in bad.text


async def test_search_without_diacritics_and_plain_text(zalo):
    add_articles(zalo.store, 3)
    zalo.store.articles.save(make_article(
        50, title="Đà Nẵng khai mạc lễ hội pháo hoa", summary="Lễ hội ở Đà Nẵng thu hút khách."))
    [reply] = await zalo.say(READER, "/search da nang")
    assert "Đà Nẵng khai mạc lễ hội pháo hoa" in reply.text and "Tin thứ" not in reply.text
    [plain] = await zalo.say(READER, "đà nẵng")
    assert "Đà Nẵng khai mạc lễ hội pháo hoa" in plain.text


async def test_search_with_diacritics_ranks_those_words_first_on_every_page(zalo):
    add_storm_articles(zalo.store)
    [first] = await zalo.say(READER, "/search bão")
    shown = [t for t in STORM_TITLES if t in first.text]
    assert sorted(shown, key=first.text.index)[:2] == list(STORM_TITLES[:2]) and len(shown) == 5
    command = re.search(r"Xem thêm: gõ (/search .+ trang 2)$", first.text)
    assert command[1] == "/search bão trang 2"
    [second] = await zalo.say(READER, command[1])
    assert len([t for t in STORM_TITLES if t in second.text]) == 2


async def test_search_pages_and_nothing_found(zalo):
    add_articles(zalo.store, 7)
    [first] = await zalo.say(READER, "/search giao thông")
    assert len(re.findall(r"Tin thứ \d+ về", first.text)) == 5
    command = re.search(r"Xem thêm: gõ (/search .+ trang 2)$", first.text)
    [second] = await zalo.say(READER, command[1])
    assert len(re.findall(r"Tin thứ \d+ về", second.text)) == 2
    [missing] = await zalo.say(READER, "/search khủng long bay")
    assert "Không tìm thấy" in missing.text and "gõ /latest" in missing.text


async def test_markup_in_articles_and_queries_is_plain_text(zalo):
    zalo.store.articles.save(make_article(
        9, title="Giá <b>vàng</b> & </a> tăng", summary="So sánh 1 < 2 & \"3\" > 0"))
    [reply] = await zalo.say(READER, "/search vàng <b> &")
    assert "Giá <b>vàng</b> & </a> tăng" in reply.text
    assert "So sánh 1 < 2 & \"3\" > 0" in reply.text


async def test_subscribe_settings_unsubscribe(zalo):
    [question] = await zalo.say(READER, "/subscribe")
    for time in ("06:00", "07:00", "12:00", "18:00", "21:00"):
        assert f"gõ /subscribe {time}" in question.text
    [done] = await zalo.say(READER, "/subscribe 6h30")
    assert "Đã đăng ký" in done.text and "06:30" in done.text
    subscription = zalo.store.subscriptions.get("zalo", READER)
    assert subscription.time == "06:30" and subscription.active
    [bad] = await zalo.say(READER, "/subscribe 25:00")
    assert "Ví dụ: /subscribe 07:00" in bad.text
    [settings] = await zalo.say(READER, "/settings")
    assert "06:30" in settings.text and "giờ Việt Nam" in settings.text
    [gone] = await zalo.say(READER, "/unsubscribe")
    assert "Đã huỷ" in gone.text
    assert not zalo.store.subscriptions.get("zalo", READER).active
    [none] = await zalo.say(READER, "/settings")
    assert "chưa đăng ký" in none.text


async def test_feedback_is_stored_pending(zalo):
    [reply] = await zalo.say(READER, "/feedback Bot rất hữu ích <b>cảm ơn</b>")
    assert reply.text == ACK_FEEDBACK
    [stored] = zalo.store.feedback.for_chat("zalo", READER)
    assert stored.text == "Bot rất hữu ích <b>cảm ơn</b>" and stored.status == "pending"
    assert stored.display_name == "Nguyễn Thị Lan" and stored.user_id == READER


async def test_feedback_naming_an_article_and_without_text(zalo):
    [first, *_] = add_articles(zalo.store, 2)
    [ack] = await zalo.say(READER, f"/feedback #{first} Tiêu đề sai chính tả")
    assert ack.text == ACK_FEEDBACK
    [stored] = zalo.store.feedback.for_chat("zalo", READER)
    assert stored.article_id == first and stored.text == "Tiêu đề sai chính tả"
    [explain] = await zalo.say(READER, "/feedback")
    assert "/feedback #số-bài" in explain.text
    assert "reply" not in explain.text  # Zalo has no replies to point to


async def test_help_tells_zalo_readers_to_name_the_article_not_to_reply(zalo):
    [reply] = await zalo.say(READER, "/help")
    assert "/feedback #số-bài" in reply.text and "trả lời (reply)" not in reply.text


async def test_unknown_command_and_sticker_get_a_pointer_to_help(zalo):
    [unknown] = await zalo.say(READER, "/khongco")
    assert "/help" in unknown.text
    [sticker] = await zalo.say(READER, None)
    assert "/help" in sticker.text


async def test_decomposed_vietnamese_is_normalised(zalo):
    zalo.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    decomposed = "\u0111a\u0300 na\u0306\u0303ng"  # "đà nẵng" typed with combining marks
    [reply] = await zalo.say(READER, decomposed)
    assert "Đà Nẵng đón khách" in reply.text


async def test_group_commands_work_and_plain_talk_is_ignored(zalo):
    add_articles(zalo.store, 2)
    zalo.server.user_sends(GROUP, "chào cả nhà", user_id="u1", chat_type="GROUP")
    [reply] = await zalo.say(GROUP, "/latest", user_id="u1", chat_type="GROUP")
    assert "Tin thứ 1 về giao thông" in reply.text
    await asyncio.sleep(0.2)
    assert len(zalo.server.messages_to(GROUP)) == 1, "plain talk in a group got an answer"
    assert zalo.store.chats.get("zalo", GROUP).chat_type == "group"


async def test_them_turns_a_page_of_comments_too(zalo):
    """Every paged reply names its next page, so "thêm" works for comments as for news."""
    _, article = zalo.store.articles.save(make_article(1))
    for n in range(1, 13):
        zalo.store.feedback.add("telegram", str(n), f"Ý kiến số {n}", user_id=str(n),
                                article_id=article, status="approved", created_at=NOW)
    [first] = await zalo.say(READER, f"/comments {article}")
    assert f"Xem thêm: gõ /comments {article} trang 2" in first.text
    [second] = await zalo.say(READER, "thêm")
    assert "(trang 2)" in second.text
    assert re.findall(r"Ý kiến số (\d+)", second.text) == ["11", "12"]


async def test_the_transport_counts_the_messages_it_sends(zalo):
    """Digests are cut to a number of messages by asking the transport: its count must hold."""
    reply = Reply(Rich.of(*(f"Đoạn {n}: " + "tin tức " * 150 for n in range(6))))
    expected = zalo.transport.message_count(reply)
    ids = await zalo.core.send(Address("zalo", READER), reply)
    assert len(ids) == expected > 1
    assert len(zalo.server.messages_to(READER)) == expected
