"""Taking an approved comment down with ``/remove``, end to end through the fake Bot API."""

from __future__ import annotations

from bot.features.moderation import NOT_ALLOWED
from tests.helpers.articles import add_articles
from tests.helpers.moderation import HOA, MINH, MOD_CHAT, OUTSIDER, READER


async def _approved(mod, article_id: int, text: str, reader: int = READER):
    """A reader's comment, approved by Minh; return its queue message."""
    posted = await mod.feedback(f"/feedback #{article_id} {text}", reader=reader)
    before = len(mod.server.messages_to(reader))
    await mod.press_as(MINH, posted, "✅ Duyệt")
    await mod.server.wait_messages(reader, 1, after=before)  # "đã được duyệt và đăng"
    await mod.server.wait_for(lambda: "Đã duyệt" in posted.visible)
    return posted


def _actions(mod, feedback_id: int) -> list[str]:
    return [e.action for e in mod.store.moderation.history(feedback_id)]


async def test_a_moderator_takes_an_approved_comment_down(mod):
    [article_id] = add_articles(mod.store, 1)
    first = await _approved(mod, article_id, "Bình luận duyệt nhầm")
    await _approved(mod, article_id, "Bình luận được giữ", reader=5151)
    assert "gỡ: /remove 1" in first.visible  # the approved queue message says how
    [latest] = await mod.say(READER, "/latest")
    assert "💬 2 ý kiến" in latest.visible
    reader_messages = len(mod.server.messages_to(READER))

    [done] = await mod.moderator_says(HOA, "/remove 1 người viết xin gỡ")
    assert "🗑 Đã gỡ ý kiến #1 của Lan Nguyễn về bài “Tin thứ 1 về giao thông”" in done.visible
    assert "Bài còn 1 ý kiến được đăng." in done.visible
    await mod.server.wait_for(lambda: "🗑 Đã gỡ bởi Hoà lúc 12:00 28/11/2024" in first.visible)
    assert "/remove" not in first.visible and first.buttons() == []

    [comments] = await mod.say(READER, f"/comments {article_id}")
    assert "Bình luận được giữ" in comments.visible
    assert "Bình luận duyệt nhầm" not in comments.visible
    [latest] = await mod.say(READER, "/latest")
    assert "💬 1 ý kiến" in latest.visible

    stored = mod.store.feedback.get(1)
    assert (stored.status, stored.moderator_id, stored.moderator_name) == ("removed", str(HOA),
                                                                           "Hoà")
    approve, remove = mod.store.moderation.history(1)
    assert (approve.action, approve.moderator_id) == ("approve", str(MINH))
    assert (remove.action, remove.moderator_id) == ("remove", str(HOA))
    assert "approved by Minh" in remove.detail and "người viết xin gỡ" in remove.detail
    # The writer is not messaged about it (a moderator can answer them by replying).
    assert len(mod.server.messages_to(READER)) == reader_messages + 2  # the two commands above


async def test_the_last_comment_taken_down_leaves_none(mod):
    [article_id] = add_articles(mod.store, 1)
    await _approved(mod, article_id, "Bình luận duy nhất")
    [done] = await mod.moderator_says(MINH, "/remove #1")
    assert "Bài không còn ý kiến nào được đăng." in done.visible
    [comments] = await mod.say(READER, f"/comments {article_id}")
    assert "Chưa có ý kiến nào được đăng" in comments.visible
    [latest] = await mod.say(READER, "/latest")
    assert "💬" not in latest.visible


async def test_moderators_see_the_take_down_command_under_each_comment(mod):
    [article_id] = add_articles(mod.store, 1)
    await _approved(mod, article_id, "Ý kiến thứ nhất")
    await _approved(mod, article_id, "Ý kiến thứ hai", reader=5151)
    [listing] = await mod.moderator_says(MINH, f"/comments {article_id}")
    assert "gỡ: /remove 1" in listing.visible and "gỡ: /remove 2" in listing.visible
    [shown] = await mod.say(READER, f"/comments {article_id}")
    assert "Ý kiến thứ nhất" in shown.visible and "/remove" not in shown.visible


async def test_only_moderators_in_the_moderators_chat_can_take_down(mod):
    [article_id] = add_articles(mod.store, 1)
    await _approved(mod, article_id, "Giữ nguyên")
    [refusal] = await mod.moderator_says(OUTSIDER, "/remove 1")
    assert refusal.visible == NOT_ALLOWED
    # A moderator in a private chat, and the reader, are told it is an unknown command.
    [private] = await mod.say(MINH, "/remove 1")
    assert "chưa hiểu" in private.visible
    [reader] = await mod.say(READER, "/remove 1")
    assert "chưa hiểu" in reader.visible
    await mod.settle()
    assert mod.store.feedback.get(1).status == "approved"
    assert _actions(mod, 1) == ["approve"]
    denied = [e for e in mod.store.moderation.history() if e.action == "denied"]
    assert [(e.moderator_id, e.detail.endswith("/remove")) for e in denied] == [
        (str(OUTSIDER), True)]
    [comments] = await mod.say(READER, f"/comments {article_id}")
    assert "Giữ nguyên" in comments.visible


async def test_two_moderators_at_once_and_a_second_try_take_down_once(mod):
    [article_id] = add_articles(mod.store, 1)
    posted = await _approved(mod, article_id, "Gỡ cùng lúc")
    before = len(mod.queue())
    for moderator in (MINH, HOA):
        mod.server.user_sends(MOD_CHAT, "/remove 1", user_id=moderator, chat_type="group",
                              first_name={MINH: "Minh", HOA: "Hoà"}[moderator], last_name="")
    answers = await mod.server.wait_messages(MOD_CHAT, 2, after=before)
    texts = sorted(m.visible for m in answers)
    assert sum(t.startswith("🗑 Đã gỡ ý kiến #1") for t in texts) == 1
    assert sum(t.startswith("Ý kiến #1 đã được gỡ trước đó: 🗑 Đã gỡ bởi") for t in texts) == 1
    [again] = await mod.moderator_says(MINH, "/remove 1")
    assert again.visible.startswith("Ý kiến #1 đã được gỡ trước đó")
    assert _actions(mod, 1) == ["approve", "remove"]
    winner = mod.store.moderation.history(1)[1].moderator_id
    await mod.server.wait_for(lambda: "🗑 Đã gỡ bởi" in posted.visible)
    assert mod.store.feedback.get(1).moderator_id == winner


async def test_bad_take_down_input_gets_a_clear_answer(mod):
    [article_id] = add_articles(mod.store, 1)
    await _approved(mod, article_id, "Đã đăng")
    pending = await mod.feedback(f"/feedback #{article_id} Còn chờ duyệt")
    rejected = await mod.feedback(f"/feedback #{article_id} Bị từ chối")
    await mod.press_as(HOA, rejected, "❌ Từ chối")
    general = await mod.feedback("/feedback Góp ý chung cho toà soạn")
    before = len(mod.server.messages_to(READER))
    await mod.press_as(HOA, general, "✅ Duyệt")
    await mod.server.wait_messages(READER, 1, after=before)
    assert "/remove" not in general.visible  # nothing published, nothing to take down
    history = mod.store.moderation.history()

    for typed in ("/remove", "/remove abc", "/remove -3", "/remove 1abc"):
        [usage] = await mod.moderator_says(MINH, typed)
        assert "Gõ /remove kèm số ý kiến" in usage.visible and "/remove 12" in usage.visible
    [unknown] = await mod.moderator_says(MINH, "/remove 999")
    assert unknown.visible.startswith("Không có ý kiến nào số #999.")
    [waiting] = await mod.moderator_says(MINH, "/remove 2")
    assert "Ý kiến #2 chưa được đăng nên không có gì để gỡ" in waiting.visible
    assert "⏳ Chờ duyệt" in waiting.visible and "Chỉ gỡ được ý kiến đã duyệt" in waiting.visible
    [refused] = await mod.moderator_says(MINH, "/remove 3")
    assert "❌ Đã từ chối bởi Hoà" in refused.visible
    [about_nothing] = await mod.moderator_says(MINH, "/remove 4")
    assert "góp ý chung, không đăng dưới bài nào" in about_nothing.visible

    await mod.settle()
    assert mod.store.moderation.history() == history
    assert [mod.store.feedback.get(n).status for n in (1, 2, 3, 4)] == [
        "approved", "pending", "rejected", "approved"]
    assert len(pending.buttons()) == 3


async def test_help_in_the_moderators_chat_lists_the_moderators_commands(mod):
    [readers, moderators] = await mod.moderator_says(MINH, "/help", count=2)
    assert "/latest" in readers.visible
    for command in ("/pending", "/blocked", "/unblock", "/remove"):
        assert command in moderators.visible, command
    replies = await mod.say(READER, "/help")  # a reader's own chat: nothing about moderation
    assert len(replies) == 1 and "/remove" not in replies[0].visible
