"""Every command, end to end: the real Application, the fake Bot API, readers' messages."""

from __future__ import annotations

import re

import pytest

from bantin.app import build_router
from bot.engine.messages import Address, Reply, Rich, next_page_row
from bot.features.moderation import ACK_FEEDBACK
from tests.helpers.articles import NOW, STORM_TITLES, add_articles, add_storm_articles
from tests.helpers.articles import make_article

READER = 4242


async def test_start_greets_with_buttons_and_registers_the_menu(harness):
    [reply] = await harness.say(READER, "/start")
    assert "Xin chào" in reply.visible and "/latest" in reply.visible
    assert [b["text"] for b in reply.buttons()] == ["📰 Tin mới nhất", "🔔 Đăng ký bản tin"]
    [menu] = harness.server.calls_to("setMyCommands")
    names = [c["command"] for c in menu.params["commands"]]
    assert names == ["start", "help", "latest", "search", "subscribe", "unsubscribe",
                     "settings", "feedback", "comments"]
    assert all(re.search(r"[à-ỹ]", c["description"]) for c in menu.params["commands"])
    assert harness.server.calls_to("deleteWebhook"), "polling must clear a webhook first"


async def test_start_deep_link_subscribes(harness):
    replies = await harness.say(READER, "/start sub_0700", count=2)
    assert any("07:00" in r.visible for r in replies)
    subscription = harness.store.subscriptions.get("telegram", str(READER))
    assert subscription.time == "07:00" and subscription.active
    assert subscription.timezone == "Asia/Ho_Chi_Minh"


async def test_start_buttons_lead_to_latest(harness):
    add_articles(harness.store, 2)
    [greeting] = await harness.say(READER, "/start")
    [latest] = await harness.press(READER, greeting, "📰 Tin mới nhất")
    assert "Tin thứ 1 về giao thông" in latest.visible


async def test_help_lists_every_registered_command(harness):
    [reply] = await harness.say(READER, "/help")
    for command in build_router().public_commands():
        assert f"/{command.name}" in reply.visible, f"/{command.name} missing from /help"
        assert command.description in reply.visible
    assert "trả lời (reply) tin có bài đó" in reply.visible  # Telegram has replies


async def test_latest_pages_with_xem_them(harness):
    add_articles(harness.store, 7)
    [first] = await harness.say(READER, "/latest")
    titles = re.findall(r"Tin thứ (\d+) về", first.visible)
    assert titles == ["1", "2", "3", "4", "5"]
    assert "Báo Mẫu · 1 giờ trước" in first.visible
    assert "Tóm tắt tin số 1." in first.visible
    assert '<a href="https://example.vn/tin/1.html"><b>Tin thứ 1 về giao thông</b></a>' in first.text
    [second] = await harness.press(READER, first, "Xem thêm")
    assert re.findall(r"Tin thứ (\d+) về", second.visible) == ["6", "7"]
    assert "trang 2" in second.visible and not second.buttons()
    # The pressed page lost its button, so it cannot be pressed twice.
    await harness.server.wait_for(lambda: harness.server.calls_to("editMessageReplyMarkup"))
    assert not harness.server.messages_to(READER)[0].buttons()


async def test_latest_count_and_bad_count(harness):
    add_articles(harness.store, 25)
    [three] = await harness.say(READER, "/latest 3")
    assert len(re.findall(r"Tin thứ \d+ về", three.visible)) == 3
    [many] = await harness.say(READER, "/latest 50")
    assert len(re.findall(r"Tin thứ \d+ về", many.visible)) == 20
    [bad] = await harness.say(READER, "/latest abc")
    assert "/latest 10" in bad.visible
    # "²" and "٣" pass str.isdigit(); they get the same hint, not an apology.
    for odd in ("²", "٣", "1²"):
        [hint] = await harness.say(READER, f"/latest {odd}")
        assert "/latest 10" in hint.visible, odd


async def test_latest_relative_times_in_reader_timezone(harness):
    harness.store.articles.save(make_article(1, published_at=NOW.replace(hour=0) - __import__(
        "datetime").timedelta(hours=12), title="Tin hôm qua"))  # 19:00 yesterday in Hà Nội
    [reply] = await harness.say(READER, "/latest")
    assert "hôm qua 19:00" in reply.visible


async def test_latest_with_empty_store(harness):
    [reply] = await harness.say(READER, "/latest")
    assert "Chưa có tin nào" in reply.visible


async def test_search_without_diacritics_finds_da_nang(harness):
    add_articles(harness.store, 3)
    harness.store.articles.save(make_article(
        50, title="Đà Nẵng khai mạc lễ hội pháo hoa", summary="Lễ hội ở Đà Nẵng thu hút khách."))
    [reply] = await harness.say(READER, "/search da nang")
    assert "Đà Nẵng khai mạc lễ hội pháo hoa" in reply.visible
    assert "Tin thứ" not in reply.visible
    assert "“da nang”" in reply.visible


def titles_in(text: str) -> list[str]:
    """The article titles of a page, in order."""
    return [t for _, t in sorted((text.index(t), t) for t in STORM_TITLES if t in text)]


async def test_search_with_diacritics_ranks_those_words_first_on_every_page(harness):
    add_storm_articles(harness.store)
    [first] = await harness.say(READER, "/search bão")
    assert titles_in(first.visible)[:2] == list(STORM_TITLES[:2])
    assert len(titles_in(first.visible)) == 5
    [second] = await harness.press(READER, first, "Xem thêm")
    assert "(trang 2)" in second.visible and len(titles_in(second.visible)) == 2
    assert not set(titles_in(first.visible)) & set(titles_in(second.visible))
    [folded] = await harness.say(READER, "/search bao")  # no marks typed: newest first
    assert titles_in(folded.visible)[0] == "Đồng bào vùng cao đón Tết"


async def test_plain_text_in_private_is_a_search(harness):
    harness.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm tắt."))
    [reply] = await harness.say(READER, "đà nẵng")
    assert "Đà Nẵng đón khách" in reply.visible


async def test_search_pages(harness):
    add_articles(harness.store, 7)
    [first] = await harness.say(READER, "/search giao thông")
    assert len(re.findall(r"Tin thứ \d+ về", first.visible)) == 5
    [second] = await harness.press(READER, first, "Xem thêm")
    assert len(re.findall(r"Tin thứ \d+ về", second.visible)) == 2
    assert not set(re.findall(r"Tin thứ (\d+)", first.visible)) & set(
        re.findall(r"Tin thứ (\d+)", second.visible))


async def test_latest_search_and_comments_link_to_the_publishers_address(harness):
    harness.store.articles.save(make_article(
        1, url="https://example.vn/tin/1.html", link="http://www.example.vn/tin/1.html?id=1"))
    for command in ("/latest", "/search giao thong", "/comments 1"):
        [reply] = await harness.say(READER, command)
        assert '<a href="http://www.example.vn/tin/1.html?id=1"><b>Tin thứ 1' in reply.text, command
        assert "https://example.vn/tin/1.html" not in reply.text


async def test_search_without_query_explains(harness):
    [reply] = await harness.say(READER, "/search")
    assert "/search bão số 3" in reply.visible


async def test_search_nothing_found_suggests_latest(harness):
    add_articles(harness.store, 2)
    [reply] = await harness.say(READER, "/search khủng long bay")
    assert "Không tìm thấy" in reply.visible and "/latest" in reply.visible
    assert [b["text"] for b in reply.buttons()] == ["📰 Tin mới nhất"]


async def test_html_in_articles_and_queries_is_shown_as_text(harness):
    harness.store.articles.save(make_article(
        9, title="Giá <b>vàng</b> & </a> tăng", summary="So sánh 1 < 2 & \"3\" > 0 </a>"))
    [reply] = await harness.say(READER, "/search vàng <b> </a> &")
    assert "Giá <b>vàng</b> & </a> tăng" in reply.visible
    assert "So sánh 1 < 2 & \"3\" > 0 </a>" in reply.visible
    [missing] = await harness.say(READER, "/search <b>khong co</b> & </a>")
    assert "<b>khong co</b> & </a>" in missing.visible
    assert missing.parse_mode == "HTML"  # escaped, not fallen back to plain text


async def test_subscribe_with_time_forms(harness):
    for typed, stored in (("7:00", "07:00"), ("07:00", "07:00"), ("7h", "07:00"),
                          ("7h30", "07:30")):
        [reply] = await harness.say(READER, f"/subscribe {typed}")
        assert stored in reply.visible and "Đã đăng ký" in reply.visible
        assert harness.store.subscriptions.get("telegram", str(READER)).time == stored


async def test_subscribe_rejects_bad_times_with_an_example(harness):
    for typed in ("25:00", "abc"):
        [reply] = await harness.say(READER, f"/subscribe {typed}")
        assert "Ví dụ: /subscribe 07:00" in reply.visible
    assert harness.store.subscriptions.get("telegram", str(READER)) is None


async def test_subscribe_buttons_then_settings_and_unsubscribe(harness):
    [question] = await harness.say(READER, "/subscribe")
    assert [b["text"] for b in question.buttons()] == [
        "06:00", "07:00", "12:00", "18:00", "21:00"]
    await harness.press(READER, question, "18:00", count=0)
    await harness.server.wait_for(lambda: harness.server.calls_to("editMessageText"))
    edited = harness.server.messages_to(READER)[0]
    assert "18:00" in edited.visible and not edited.buttons()
    assert harness.store.subscriptions.get("telegram", str(READER)).time == "18:00"
    [settings] = await harness.say(READER, "/settings")
    assert "18:00" in settings.visible and "giờ Việt Nam" in settings.visible
    [gone] = await harness.say(READER, "/unsubscribe")
    assert "Đã huỷ" in gone.visible
    assert not harness.store.subscriptions.get("telegram", str(READER)).active
    [none] = await harness.say(READER, "/settings")
    assert "chưa đăng ký" in none.visible
    [again] = await harness.say(READER, "/unsubscribe")
    assert "chưa đăng ký" in again.visible


async def test_feedback_is_stored_pending_and_acknowledged(harness):
    [reply] = await harness.say(READER, "/feedback Bot rất hữu ích <b>cảm ơn</b> & </a>")
    assert reply.visible == ACK_FEEDBACK
    [stored] = harness.store.feedback.for_chat("telegram", str(READER))
    assert stored.text == "Bot rất hữu ích <b>cảm ơn</b> & </a>"
    assert stored.status == "pending" and stored.article_id is None
    assert stored.display_name == "Lan Nguyễn"


async def test_feedback_without_text_explains(harness):
    [reply] = await harness.say(READER, "/feedback")
    assert "/feedback" in reply.visible and "reply" in reply.visible
    assert harness.store.feedback.for_chat("telegram", str(READER)) == []


async def test_reply_to_an_article_message_is_feedback_on_that_article(harness):
    harness.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    article_id = harness.store.articles.get_by_url("https://example.vn/tin/50.html").id
    [result] = await harness.say(READER, "/search da nang")
    [ack] = await harness.say(READER, "Bài này thiếu số liệu", reply_to=result.message_id)
    assert ack.visible == ACK_FEEDBACK and ack.reply_to is not None
    [ack2] = await harness.say(READER, "/feedback Cần thêm ảnh", reply_to=result.message_id)
    assert ack2.visible == ACK_FEEDBACK
    stored = harness.store.feedback.for_chat("telegram", str(READER))
    assert {f.text for f in stored} == {"Bài này thiếu số liệu", "Cần thêm ảnh"}
    assert {f.article_id for f in stored} == {article_id}


async def test_feedback_naming_an_article_number(harness):
    [first, *_] = add_articles(harness.store, 3)
    await harness.say(READER, f"/feedback #{first} Tiêu đề sai chính tả")
    [stored] = harness.store.feedback.for_chat("telegram", str(READER))
    assert stored.article_id == first and stored.text == "Tiêu đề sai chính tả"


async def test_sticker_and_unknown_command_point_to_help(harness):
    [sticker] = await harness.say(READER, None, sticker=True)
    assert "/help" in sticker.visible
    [unknown] = await harness.say(READER, "/weather")
    assert "/help" in unknown.visible


async def test_group_chat(harness):
    group = -100777
    add_articles(harness.store, 2)
    server = harness.server
    [reply] = await harness.say(group, "/latest@bantin_test_bot", chat_type="group", user_id=5)
    assert "Tin thứ 1 về giao thông" in reply.visible
    # Plain talk, and commands for another bot, are not for us.
    server.user_sends(group, "chào cả nhà", chat_type="group", user_id=6)
    server.user_sends(group, "/latest@other_bot", chat_type="group", user_id=6)
    [help_] = await harness.say(group, "/help@bantin_test_bot", chat_type="group", user_id=6)
    assert "Các lệnh" in help_.visible
    assert len(server.messages_to(group)) == 2
    # A reply to the bot's one-article message in a group is feedback.
    harness.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    [found] = await harness.say(group, "/search@bantin_test_bot da nang", chat_type="group")
    [ack] = await harness.say(group, "Hay quá", chat_type="group", reply_to=found.message_id,
                              user_id=7)
    assert ack.visible == ACK_FEEDBACK
    [stored] = harness.store.feedback.for_chat("telegram", str(group))
    assert stored.user_id == "7" and stored.article_id is not None


async def test_ten_thousand_character_messages(harness):
    [search] = await harness.say(READER, "chữ " * 2500)
    assert "Không tìm thấy" in search.visible and len(search.visible) < 400
    [feedback] = await harness.say(READER, "/feedback " + "ý" * 10_000)
    assert "tối đa 2000 ký tự" in feedback.visible
    harness.store.articles.save(make_article(
        100, summary="Câu dài. " * 1250, published_at=NOW))  # 10,000 characters
    add_articles(harness.store, 6)
    before = len(harness.server.messages_to(READER))
    harness.server.user_sends(READER, "/latest")
    replies = await harness.server.wait_for(
        lambda: (found := harness.server.messages_to(READER)[before:])
        and found[-1].buttons() and found)
    assert len(replies) >= 3  # 10,000 characters cannot fit in two messages
    assert all(len(r.visible.encode("utf-16-le")) // 2 <= 4096 for r in replies)
    assert replies[-1].buttons() and not any(r.buttons() for r in replies[:-1])
    assert sum(r.visible.count("Câu dài.") for r in replies) == 1250


async def test_reader_name_and_chat_are_recorded(harness):
    await harness.say(READER, "/help")
    chat = harness.store.chats.get("telegram", str(READER))
    assert chat.display_name == "Lan Nguyễn" and chat.chat_type == "private" and chat.active


async def test_the_transport_counts_the_messages_it_sends(harness):
    """Digests are cut to a number of messages by asking the transport: its count must hold."""
    reply = Reply(Rich.of(*(f"Đoạn {n}: <b>" + "tin tức " * 300 for n in range(6))))
    expected = harness.transport.message_count(reply)
    ids = await harness.core.send(Address("telegram", "42"), reply)
    assert len(ids) == expected > 1
    assert len(harness.server.messages_to(42)) == expected


def test_a_next_page_is_carried_by_a_button() -> None:
    """``Reply.next_page`` is what "thêm" repeats on Zalo: it must be a button the reader sees."""
    with pytest.raises(ValueError):
        Reply(Rich.of("Trang 1"), next_page="/latest 5 trang 2")
    page = Reply(Rich.of("Trang 1"), buttons=next_page_row("/latest 5 trang 2"),
                 next_page="/latest 5 trang 2")
    assert page.buttons[-1][0].text == "Xem thêm"


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "AND OR", "x" * 3000, "🎆🌧️", "?!…;"])
async def test_hostile_searches_get_a_clear_answer(harness, query):
    add_articles(harness.store, 2)
    [reply] = await harness.say(READER, f"/search {query}")
    # Words found nowhere: "nothing found"; no words at all: the hint with an example.
    assert "Không tìm thấy" in reply.visible or "/search bão số 3" in reply.visible
    [still] = await harness.say(READER, "/search giao thông")
    assert "Tin thứ 1 về giao thông" in still.visible


async def test_feedback_on_a_missing_article_says_so_and_stores_nothing(harness):
    add_articles(harness.store, 1)
    [reply] = await harness.say(READER, "/feedback #999 Bài này sai tên người")
    assert "Không có bài số #999" in reply.visible
    assert ACK_FEEDBACK not in reply.visible
    assert harness.store.feedback.for_chat("telegram", str(READER)) == []
