"""The conversation, once, at the engine: what every command answers, paging, errors and the
Vietnamese texts, for readers who can reply to a message (Telegram) and readers who cannot
(Zalo, the console).

The real ``BotCore`` with the app's router and a real SQLite store; a reader is an ``Incoming``
and the bot's answer the ``Reply`` objects the core delivers (``tests.helpers.conversation``).
How each transport turns those into messages is its contract suite (``tests/transports/``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bantin.app import build_router
from bot.features.reading import given_name
from bot.engine.messages import Reply, Rich, next_page_row
from bot.features.moderation import ACK_FEEDBACK
from tests.helpers.articles import (NOW, STORM_TITLES, add_articles, add_storm_articles,
                                    make_article)
from tests.helpers.conversation import PLATFORM, READER, labels, links, shown

GROUP = "-100777"




def numbers(reply: Reply) -> list[str]:
    """The numbers of the "Tin thứ N về giao thông" articles a page shows, in order."""
    return re.findall(r"Tin thứ (\d+) về", shown(reply))


def storms(reply: Reply) -> list[str]:
    """The storm-test titles of a page, in order."""
    text = shown(reply)
    return [t for _, t in sorted((text.index(t), t) for t in STORM_TITLES if t in text)]


# --- /start and /help ------------------------------------------------------------------------


async def test_start_greets_by_name_with_two_buttons(bot):
    [reply] = await bot.say("/start")
    assert "Xin chào Lan" in shown(reply) and "/latest" in shown(reply)
    assert labels(reply) == ["📰 Tin mới nhất", "🔔 Đăng ký bản tin"]


async def test_start_buttons_lead_to_latest_and_to_the_times(bot):
    add_articles(bot.store, 2)
    [greeting] = await bot.say("/start")
    [*_, latest] = await bot.press(greeting, "📰 Tin mới nhất")
    assert "Tin thứ 1 về giao thông" in shown(latest)
    [*_, question] = await bot.press(greeting, "🔔 Đăng ký bản tin")
    assert labels(question) == ["06:00", "07:00", "12:00", "18:00", "21:00"]


async def test_start_deep_link_subscribes(bot):
    replies = await bot.say("/start sub_0700")
    assert any("07:00" in shown(r) for r in replies)
    subscription = bot.store.subscriptions.get(PLATFORM, READER)
    assert subscription.time == "07:00" and subscription.active
    assert subscription.timezone == "Asia/Ho_Chi_Minh"


async def test_help_lists_every_registered_command_in_vietnamese(bot):
    [reply] = await bot.say("/help")
    for command in build_router().public_commands():
        assert f"/{command.name}" in shown(reply), f"/{command.name} missing from /help"
        assert command.description in shown(reply)
        assert re.search(r"[à-ỹ]", command.description), command.name
    assert [c.name for c in build_router().public_commands()] == [
        "start", "help", "latest", "search", "subscribe", "unsubscribe", "settings", "feedback",
        "comments"]


async def test_help_suggests_replying_only_where_readers_can_reply(bot, plain):
    [telegram] = await bot.say("/help")
    assert "trả lời (reply) tin có bài đó" in shown(telegram)
    [zalo] = await plain.say("/help")
    assert "/feedback #số-bài" in shown(zalo) and "trả lời (reply)" not in shown(zalo)


async def test_unknown_command_and_a_message_without_text_point_to_help(bot):
    [unknown] = await bot.say("/weather")
    assert "/help" in shown(unknown)
    [sticker] = await bot.say("")  # a sticker or photo: no text at all
    assert "/help" in shown(sticker)


# --- /latest ---------------------------------------------------------------------------------


async def test_latest_pages_five_at_a_time_with_a_next_page(bot):
    add_articles(bot.store, 7)
    [first] = await bot.say("/latest")
    assert numbers(first) == ["1", "2", "3", "4", "5"]
    assert "Báo Mẫu · 1 giờ trước" in shown(first) and "Tóm tắt tin số 1." in shown(first)
    assert links(first)[0] == ("Tin thứ 1 về giao thông", "https://example.vn/tin/1.html")
    assert first.next_page == "/latest 5 trang 2" and labels(first) == ["Xem thêm"]
    [*edits, second] = await bot.press(first, "Xem thêm")
    assert numbers(second) == ["6", "7"]
    assert "trang 2" in shown(second) and not second.buttons and second.next_page is None
    # The pressed page loses its button, so it cannot be pressed twice.
    assert [(e.edit, e.text, e.buttons) for e in edits] == [(bot.transport.id_of(first), None, ())]
    assert bot.answers  # the press was answered (no spinner left turning)


async def test_typing_the_next_page_command_shows_that_page(plain):
    add_articles(plain.store, 12)
    [first] = await plain.say("/latest")
    [second] = await plain.say(first.next_page)
    assert numbers(second) == ["6", "7", "8", "9", "10"] and second.next_page == "/latest 5 trang 3"
    [third] = await plain.say(second.next_page)
    assert numbers(third) == ["11", "12"] and third.next_page is None


async def test_latest_count_and_bad_count(bot):
    add_articles(bot.store, 25)
    [three] = await bot.say("/latest 3")
    assert len(numbers(three)) == 3
    [many] = await bot.say("/latest 50")
    assert len(numbers(many)) == 20
    # "²" and "٣" pass str.isdigit(); they get the same hint, not an apology.
    for odd in ("abc", "²", "٣", "1²"):
        [hint] = await bot.say(f"/latest {odd}")
        assert "/latest 10" in shown(hint), odd


async def test_latest_relative_times_in_the_readers_zone(bot):
    bot.store.articles.save(make_article(1, published_at=NOW.replace(hour=0) - timedelta(
        hours=12), title="Tin hôm qua"))  # 19:00 yesterday in Hà Nội
    [reply] = await bot.say("/latest")
    assert "hôm qua 19:00" in shown(reply)


async def test_latest_with_an_empty_store(bot):
    [reply] = await bot.say("/latest")
    assert "Chưa có tin nào" in shown(reply)


async def test_latest_search_and_comments_link_to_the_publishers_address(bot):
    bot.store.articles.save(make_article(
        1, url="https://example.vn/tin/1.html", link="http://www.example.vn/tin/1.html?id=1"))
    for command in ("/latest", "/search giao thong", "/comments 1"):
        [reply] = await bot.say(command)
        assert ("Tin thứ 1 về giao thông", "http://www.example.vn/tin/1.html?id=1") in links(
            reply), command
        assert all(url != "https://example.vn/tin/1.html" for _, url in links(reply)), command


# --- /search and plain text ------------------------------------------------------------------


async def test_search_without_diacritics_finds_da_nang(bot):
    add_articles(bot.store, 3)
    bot.store.articles.save(make_article(
        50, title="Đà Nẵng khai mạc lễ hội pháo hoa", summary="Lễ hội ở Đà Nẵng thu hút khách."))
    [reply] = await bot.say("/search da nang")
    assert "Đà Nẵng khai mạc lễ hội pháo hoa" in shown(reply)
    assert "Tin thứ" not in shown(reply) and "“da nang”" in shown(reply)


async def test_plain_text_in_private_is_a_search(bot):
    bot.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm tắt."))
    [reply] = await bot.say("đà nẵng")
    assert "Đà Nẵng đón khách" in shown(reply) and "Kết quả cho “đà nẵng”" in shown(reply)


async def test_search_with_diacritics_ranks_those_words_first_on_every_page(bot):
    add_storm_articles(bot.store)
    [first] = await bot.say("/search bão")
    assert storms(first)[:2] == list(STORM_TITLES[:2]) and len(storms(first)) == 5
    assert first.next_page == "/search bão trang 2"  # the words as typed, marks and all
    [*_, second] = await bot.press(first, "Xem thêm")
    assert "(trang 2)" in shown(second) and len(storms(second)) == 2
    assert not set(storms(first)) & set(storms(second))
    [folded] = await bot.say("/search bao")  # no marks typed: newest first
    assert storms(folded)[0] == "Đồng bào vùng cao đón Tết"


async def test_search_pages_without_repeating_an_article(bot):
    add_articles(bot.store, 7)
    [first] = await bot.say("/search giao thông")
    assert len(numbers(first)) == 5
    [second] = await bot.say(first.next_page)
    assert len(numbers(second)) == 2 and not set(numbers(first)) & set(numbers(second))


async def test_search_without_words_explains_with_an_example(bot):
    [reply] = await bot.say("/search")
    assert "/search bão số 3" in shown(reply)


async def test_search_finding_nothing_suggests_latest(bot):
    add_articles(bot.store, 2)
    [reply] = await bot.say("/search khủng long bay")
    assert "Không tìm thấy" in shown(reply) and "/latest" in shown(reply)
    assert labels(reply) == ["📰 Tin mới nhất"]


async def test_markup_in_articles_and_queries_is_text(bot):
    bot.store.articles.save(make_article(
        9, title="Giá <b>vàng</b> & </a> tăng", summary="So sánh 1 < 2 & \"3\" > 0 </a>"))
    [reply] = await bot.say("/search vàng <b> </a> &")
    assert "Giá <b>vàng</b> & </a> tăng" in shown(reply)
    assert "So sánh 1 < 2 & \"3\" > 0 </a>" in shown(reply)
    [missing] = await bot.say("/search <b>khong co</b> & </a>")
    assert "<b>khong co</b> & </a>" in shown(missing)


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "AND OR", "x" * 3000, "🎆🌧️", "?!…;"])
async def test_hostile_searches_get_a_clear_answer(bot, query):
    add_articles(bot.store, 2)
    [reply] = await bot.say(f"/search {query}")
    # Words found nowhere: "nothing found"; no words at all: the hint with an example.
    assert "Không tìm thấy" in shown(reply) or "/search bão số 3" in shown(reply)
    [still] = await bot.say("/search giao thông")
    assert "Tin thứ 1 về giao thông" in shown(still)


async def test_a_ten_thousand_character_search_gets_a_short_answer(bot):
    [reply] = await bot.say("chữ " * 2500)
    assert "Không tìm thấy" in shown(reply) and len(shown(reply)) < 400


# --- /subscribe, /settings, /unsubscribe -----------------------------------------------------


async def test_subscribe_with_time_forms(bot):
    for typed, stored in (("7:00", "07:00"), ("07:00", "07:00"), ("7h", "07:00"),
                          ("7h30", "07:30"), ("6h30", "06:30")):
        [reply] = await bot.say(f"/subscribe {typed}")
        assert stored in shown(reply) and "Đã đăng ký" in shown(reply)
        assert bot.store.subscriptions.get(PLATFORM, READER).time == stored


async def test_subscribe_rejects_bad_times_with_an_example(bot):
    for typed in ("25:00", "abc"):
        [reply] = await bot.say(f"/subscribe {typed}")
        assert "Ví dụ: /subscribe 07:00" in shown(reply)
    assert bot.store.subscriptions.get(PLATFORM, READER) is None


async def test_subscribe_buttons_then_settings_and_unsubscribe(bot):
    [question] = await bot.say("/subscribe")
    assert labels(question) == ["06:00", "07:00", "12:00", "18:00", "21:00"]
    assert [b.data for row in question.buttons for b in row][0] == "/subscribe 06:00"
    [edited] = await bot.press(question, "18:00")
    # The question itself becomes the answer: its buttons are gone.
    assert edited.edit == bot.transport.id_of(question)
    assert "18:00" in shown(edited) and not edited.buttons
    assert bot.store.subscriptions.get(PLATFORM, READER).time == "18:00"
    [settings] = await bot.say("/settings")
    assert "18:00" in shown(settings) and "giờ Việt Nam" in shown(settings)
    [gone] = await bot.say("/unsubscribe")
    assert "Đã huỷ" in shown(gone)
    assert not bot.store.subscriptions.get(PLATFORM, READER).active
    [none] = await bot.say("/settings")
    assert "chưa đăng ký" in shown(none)
    [again] = await bot.say("/unsubscribe")
    assert "chưa đăng ký" in shown(again)


# --- /feedback and replies -------------------------------------------------------------------


async def test_feedback_is_stored_pending_and_acknowledged(bot):
    [reply] = await bot.say("/feedback Bot rất hữu ích <b>cảm ơn</b> & </a>", user_id="77")
    assert shown(reply) == ACK_FEEDBACK
    [stored] = bot.store.feedback.for_chat(PLATFORM, READER)
    assert stored.text == "Bot rất hữu ích <b>cảm ơn</b> & </a>"
    assert stored.status == "pending" and stored.article_id is None
    assert stored.display_name == "Nguyễn Thị Lan" and stored.user_id == "77"


async def test_feedback_without_text_explains_the_ways_the_platform_has(bot, plain):
    [telegram] = await bot.say("/feedback")
    assert "/feedback" in shown(telegram) and "reply" in shown(telegram)
    [zalo] = await plain.say("/feedback")
    assert "/feedback #số-bài" in shown(zalo) and "reply" not in shown(zalo)
    assert bot.store.feedback.for_chat(PLATFORM, READER) == []


async def test_feedback_naming_an_article_number(bot):
    [first, *_] = add_articles(bot.store, 3)
    [ack] = await bot.say(f"/feedback #{first} Tiêu đề sai chính tả")
    assert shown(ack) == ACK_FEEDBACK
    [stored] = bot.store.feedback.for_chat(PLATFORM, READER)
    assert stored.article_id == first and stored.text == "Tiêu đề sai chính tả"


async def test_feedback_on_a_missing_article_says_so_and_stores_nothing(bot):
    add_articles(bot.store, 1)
    [reply] = await bot.say("/feedback #999 Bài này sai tên người")
    assert "Không có bài số #999" in shown(reply) and ACK_FEEDBACK not in shown(reply)
    assert bot.store.feedback.for_chat(PLATFORM, READER) == []


async def test_feedback_longer_than_2000_characters_is_refused_with_the_limit(bot):
    [reply] = await bot.say("/feedback " + "ý" * 10_000)
    assert "tối đa 2000 ký tự" in shown(reply)
    assert bot.store.feedback.for_chat(PLATFORM, READER) == []


async def test_a_reply_to_an_article_message_is_feedback_on_that_article(bot):
    bot.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    article_id = bot.store.articles.get_by_url("https://example.vn/tin/50.html").id
    [result] = await bot.say("/search da nang")
    [ack] = await bot.say("Bài này thiếu số liệu", reply_to=result)
    assert shown(ack) == ACK_FEEDBACK and ack.reply_to is not None
    [ack2] = await bot.say("/feedback Cần thêm ảnh", reply_to=result)
    assert shown(ack2) == ACK_FEEDBACK
    stored = bot.store.feedback.for_chat(PLATFORM, READER)
    assert {f.text for f in stored} == {"Bài này thiếu số liệu", "Cần thêm ảnh"}
    assert {f.article_id for f in stored} == {article_id}


# --- /comments -------------------------------------------------------------------------------


async def test_comments_page_like_news(plain):
    _, article = plain.store.articles.save(make_article(1))
    for n in range(1, 13):
        plain.store.feedback.add("telegram", str(n), f"Ý kiến số {n}", user_id=str(n),
                                 article_id=article, status="approved", created_at=NOW)
    [first] = await plain.say(f"/comments {article}")
    assert first.next_page == f"/comments {article} trang 2"
    [second] = await plain.say(first.next_page)
    assert "(trang 2)" in shown(second)
    assert re.findall(r"Ý kiến số (\d+)", shown(second)) == ["11", "12"]


# --- groups ----------------------------------------------------------------------------------


async def test_in_a_group_commands_are_answered_and_plain_talk_is_not(bot):
    add_articles(bot.store, 2)
    [latest] = await bot.say("/latest@bantin_test_bot", chat_id=GROUP, user_id="5",
                             chat_type="group")
    assert "Tin thứ 1 về giao thông" in shown(latest)
    [plain_latest] = await bot.say("/latest", chat_id=GROUP, user_id="5", chat_type="group")
    assert "Tin thứ 1 về giao thông" in shown(plain_latest)
    # Plain talk, and commands for another bot, are not for us.
    assert await bot.say("chào cả nhà", chat_id=GROUP, user_id="6", chat_type="group") == []
    assert await bot.say("/latest@other_bot", chat_id=GROUP, user_id="6", chat_type="group") == []
    assert bot.store.chats.get(PLATFORM, GROUP).chat_type == "group"


async def test_in_a_group_a_reply_to_the_bots_article_is_feedback(bot):
    bot.store.articles.save(make_article(50, title="Đà Nẵng đón khách", summary="Tóm."))
    [found] = await bot.say("/search@bantin_test_bot da nang", chat_id=GROUP, chat_type="group")
    [ack] = await bot.say("Hay quá", chat_id=GROUP, user_id="7", chat_type="group",
                          reply_to=found)
    assert shown(ack) == ACK_FEEDBACK
    [stored] = bot.store.feedback.for_chat(PLATFORM, GROUP)
    assert stored.user_id == "7" and stored.article_id is not None


# --- the message model -----------------------------------------------------------------------


def test_a_next_page_is_carried_by_a_button() -> None:
    """``Reply.next_page`` is what "thêm" repeats where there are no buttons: it must also be a
    button the reader sees."""
    with pytest.raises(ValueError):
        Reply(Rich.of("Trang 1"), next_page="/latest 5 trang 2")
    page = Reply(Rich.of("Trang 1"), buttons=next_page_row("/latest 5 trang 2"),
                 next_page="/latest 5 trang 2")
    assert page.buttons[-1][0].text == "Xem thêm"


async def test_a_failing_handler_costs_one_apology_and_the_bot_goes_on(bot, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bot.store.stories, "latest", broken)
    [sorry] = await bot.say("/latest")
    assert "Xin lỗi" in shown(sorry)
    [still] = await bot.say("/help")
    assert "Các lệnh" in shown(still)


@pytest.mark.parametrize(("display_name", "greeted"), [
    ("Nguyễn Thị Lan", "Lan"),  # Vietnamese order: the given name comes last
    ("Lan Nguyễn", "Lan"),  # Telegram's "first last" with a Vietnamese family name
    ("Trần Văn Minh", "Minh"),
    ("Minh", "Minh"),
])
def test_greeting_uses_the_given_name_in_either_order(display_name, greeted):
    assert given_name(display_name) == greeted
