"""Reader → moderators' chat → decision → comment, end to end through the fake Bot API."""

from __future__ import annotations

import re

from bot.features.moderation import NOT_ALLOWED
from tests.helpers.articles import add_articles
from tests.helpers.moderation import HOA, MINH, MOD_CHAT, READER, running, with_settings


async def test_feedback_is_posted_to_the_moderators_chat(mod):
    [article_id] = add_articles(mod.store, 1)
    posted = await mod.feedback(f"/feedback #{article_id} Bài viết rất hay, cảm ơn toà soạn")
    assert f"Ý kiến #" in posted.visible
    assert "Lan Nguyễn" in posted.visible and "telegram" in posted.visible
    assert str(READER) in posted.visible
    assert "Tin thứ 1 về giao thông" in posted.visible and f"#{article_id}" in posted.visible
    assert '<a href="https://example.vn/tin/1.html">Tin thứ 1 về giao thông</a>' in posted.text
    assert "<code>Bài viết rất hay, cảm ơn toà soạn</code>" in posted.text
    assert [b["text"] for b in posted.buttons()] == ["✅ Duyệt", "❌ Từ chối", "🚫 Chặn người gửi"]
    [stored] = mod.store.feedback.for_chat("telegram", str(READER))
    assert stored.status == "pending" and stored.article_id == article_id
    assert stored.queue_message_id == str(posted.message_id)


async def test_general_feedback_says_it_is_not_about_an_article(mod):
    posted = await mod.feedback("/feedback Bot nên có thêm mục thể thao")
    assert "Góp ý chung" in posted.visible


async def test_approve_publishes_the_comment_under_the_article(mod):
    [article_id, _other] = add_articles(mod.store, 2)
    posted = await mod.feedback(f"/feedback #{article_id} Mong có thêm ảnh hiện trường")
    before = len(mod.server.messages_to(READER))
    answer = await mod.press_as(MINH, posted, "✅ Duyệt")
    assert answer.params.get("text") == "Đã duyệt ✅"

    [notice] = await mod.server.wait_messages(READER, 1, after=before)
    assert "đã được duyệt và đăng" in notice.visible and f"/comments {article_id}" in notice.visible
    await mod.server.wait_for(lambda: mod.queue()[0].edited)
    edited = mod.queue()[0]
    assert re.search(r"✅ Đã duyệt bởi Minh lúc 12:00 28/11/2024", edited.visible)
    assert edited.buttons() == []
    stored = mod.store.feedback.get(1)
    assert (stored.status, stored.moderator_id, stored.moderator_name) == ("approved", str(MINH),
                                                                            "Minh")
    assert [e.action for e in mod.store.moderation.history(1)] == ["approve"]

    [latest] = await mod.say(READER, "/latest")
    assert "💬 1 ý kiến" in latest.visible
    assert latest.visible.count("💬") == 1  # only the article that has a comment
    [comments] = await mod.press(READER, latest, f"💬 1 ý kiến · #{article_id}")
    assert "Ý kiến bạn đọc về" in comments.visible
    assert "Lan Nguyễn" in comments.visible and "Mong có thêm ảnh hiện trường" in comments.visible

    [typed] = await mod.say(READER, f"/comments {article_id}")
    assert typed.visible == comments.visible
    [found] = await mod.say(READER, "/search giao thông")
    assert "💬 1 ý kiến" in found.visible
    assert any(b["callback_data"] == f"/comments {article_id}" for b in found.buttons())


async def test_reject_hides_and_by_default_does_not_tell_the_reader(mod):
    [article_id] = add_articles(mod.store, 1)
    posted = await mod.feedback(f"/feedback #{article_id} Nội dung không phù hợp")
    before = len(mod.server.messages_to(READER))
    answer = await mod.press_as(HOA, posted, "❌ Từ chối")
    assert answer.params.get("text") == "Đã từ chối ❌"
    await mod.server.wait_for(lambda: mod.queue()[0].edited)
    assert "❌ Đã từ chối bởi Hoà" in mod.queue()[0].visible
    await mod.settle()
    assert mod.server.messages_to(READER)[before:] == []
    [reply] = await mod.say(READER, f"/comments {article_id}")
    assert "Chưa có ý kiến nào được đăng" in reply.visible


async def test_notifications_follow_the_config(fresh_store):
    [article_id] = add_articles(fresh_store, 1)
    settings = with_settings(notify_rejected=True, notify_approved=False)
    async with running(fresh_store, settings) as mod:
        first = await mod.feedback(f"/feedback #{article_id} Ý kiến thứ nhất")
        second = await mod.feedback(f"/feedback #{article_id} Ý kiến thứ hai")
        before = len(mod.server.messages_to(READER))
        await mod.press_as(MINH, first, "✅ Duyệt")
        await mod.press_as(MINH, second, "❌ Từ chối")
        [notice] = await mod.server.wait_messages(READER, 1, after=before)
        assert "chưa được đăng" in notice.visible
        await mod.settle()
        assert len(mod.server.messages_to(READER)) == before + 1  # nothing for the approval


async def test_only_approved_feedback_is_ever_shown(mod):
    [article_id] = add_articles(mod.store, 1)
    for status in ("pending", "rejected", "blocked", "limited"):
        mod.store.feedback.add("telegram", "1", f"ẩn {status}", article_id=article_id,
                               status=status)
    mod.store.feedback.add("telegram", "2", "được đăng", display_name="Bình",
                           article_id=article_id, status="approved")
    [reply] = await mod.say(READER, f"/comments #{article_id}")
    assert "được đăng" in reply.visible and "ẩn" not in reply.visible
    [latest] = await mod.say(READER, "/latest")
    assert "💬 1 ý kiến" in latest.visible


async def test_comments_page_and_bad_numbers(mod):
    [article_id] = add_articles(mod.store, 1)
    for n in range(12):
        mod.store.feedback.add("telegram", str(n), f"Ý kiến số {n}", article_id=article_id,
                               status="approved")
    [first] = await mod.say(READER, f"/comments {article_id}")
    assert "Ý kiến số 0" in first.visible and "Ý kiến số 9" in first.visible
    assert "Ý kiến số 10" not in first.visible
    [second] = await mod.press(READER, first, "Xem thêm")
    assert "Ý kiến số 11" in second.visible and "trang 2" in second.visible
    [missing] = await mod.say(READER, "/comments 999")
    assert "Không có bài số #999" in missing.visible
    [usage] = await mod.say(READER, "/comments abc")
    assert "/comments 12" in usage.visible


async def test_a_reply_to_a_comments_message_is_feedback_on_that_article(mod):
    [article_id] = add_articles(mod.store, 1)
    [shown] = await mod.say(READER, f"/comments {article_id}")
    before = len(mod.queue())
    await mod.say(READER, "Tôi đồng ý với bài này", reply_to=shown.message_id)
    [posted] = await mod.server.wait_messages(MOD_CHAT, 1, after=before)
    assert f"#{article_id}" in posted.visible


async def test_moderator_reply_reaches_the_reader_and_is_recorded(mod):
    [article_id] = add_articles(mod.store, 1)
    posted = await mod.feedback(f"/feedback #{article_id} Ảnh minh hoạ bị sai")
    before = len(mod.server.messages_to(READER))
    [ack] = await mod.moderator_says(MINH, "Cảm ơn bạn, toà soạn đã sửa ảnh.",
                                     reply_to=posted.message_id)
    assert "Đã gửi câu trả lời tới" in ack.visible
    [answer] = await mod.server.wait_messages(READER, 1, after=before)
    assert "Toà soạn trả lời góp ý của bạn" in answer.visible
    assert "Cảm ơn bạn, toà soạn đã sửa ảnh." in answer.visible
    assert "Ảnh minh hoạ bị sai" in answer.visible
    stored = mod.store.feedback.get(1)
    assert stored.reply_text == "Cảm ơn bạn, toà soạn đã sửa ảnh."
    assert stored.replied_by == str(MINH) and stored.status == "pending"
    assert [e.action for e in mod.store.moderation.history(1)] == ["reply"]
    await mod.server.wait_for(lambda: mod.queue()[0].edited)
    queue = mod.queue()[0]
    assert "Minh đã trả lời" in queue.visible and len(queue.buttons()) == 3


async def test_moderator_answers_a_reader_on_another_platform(mod):
    """A Zalo reader's feedback is moderated in Telegram; the answer goes back to Zalo."""
    from bot.engine.messages import Incoming

    before = len(mod.queue())
    await mod.core.process(Incoming(platform="zalo", chat_id="zl-88", user_id="zl-88",
                                    display_name="Trần Bình", text="/feedback Ứng dụng rất tiện"))
    [posted] = await mod.server.wait_messages(MOD_CHAT, 1, after=before)
    await mod.server.wait_for(lambda: mod.store.moderation.feedback_for_message(
        str(MOD_CHAT), str(posted.message_id)))  # the outbox has noted its post
    assert "zalo" in posted.visible and "zl-88" in posted.visible
    assert mod.zalo.sent[-1][1].text.plain_text().startswith("Cảm ơn bạn!")
    await mod.moderator_says(HOA, "Cảm ơn Bình!", reply_to=posted.message_id)
    await mod.server.wait_for(lambda: len(mod.zalo.sent) == 2)
    chat_id, answer = mod.zalo.sent[-1]
    assert chat_id == "zl-88" and "Cảm ơn Bình!" in answer.text.plain_text()
    await mod.press_as(HOA, posted, "✅ Duyệt")
    await mod.server.wait_for(lambda: len(mod.zalo.sent) == 3)
    assert "ghi nhận" in mod.zalo.sent[-1][1].text.plain_text()


async def test_pending_lists_oldest_first_with_working_buttons(mod):
    [article_id] = add_articles(mod.store, 1)
    originals = [await mod.feedback(f"/feedback #{article_id} Ý kiến {n}") for n in range(3)]
    listing = await mod.moderator_says(MINH, "/pending", count=4)
    assert "3 ý kiến đang chờ duyệt" in listing[0].visible
    bodies = [m.visible for m in listing[1:]]
    assert ["Ý kiến 0" in bodies[0], "Ý kiến 1" in bodies[1], "Ý kiến 2" in bodies[2]] == [True] * 3
    assert all(len(m.buttons()) == 3 for m in listing[1:])
    # Deciding on the /pending copy edits the original too, and replying to it answers.
    before = len(mod.server.messages_to(READER))
    await mod.press_as(MINH, listing[1], "✅ Duyệt")
    await mod.server.wait_for(lambda: originals[0].edited and listing[1].edited)
    assert "✅ Đã duyệt" in originals[0].visible and originals[0].buttons() == []
    [approved] = await mod.server.wait_messages(READER, 1, after=before)
    assert "đã được duyệt" in approved.visible
    before += 1
    await mod.moderator_says(MINH, "Đã nhận, cảm ơn!", reply_to=listing[2].message_id)
    [answer] = await mod.server.wait_messages(READER, 1, after=before)
    assert "Đã nhận, cảm ơn!" in answer.visible and "Ý kiến 1" in answer.visible
    rest = await mod.moderator_says(HOA, "/pending", count=3)
    assert "2 ý kiến đang chờ duyệt" in rest[0].visible
    assert "Ý kiến 1" in rest[1].visible and "Ý kiến 2" in rest[2].visible


async def test_pending_when_nothing_waits(mod):
    [reply] = await mod.moderator_says(MINH, "/pending")
    assert "Không có ý kiến nào đang chờ duyệt" in reply.visible
