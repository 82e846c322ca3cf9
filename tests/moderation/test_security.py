"""Authorisation, idempotence, abuse limits and markup injection, end to end."""

from __future__ import annotations

import asyncio
import re

from bot.features.moderation import NOT_ALLOWED
from tests.helpers.articles import add_articles
from tests.helpers.moderation import HOA, MINH, MOD_CHAT, OUTSIDER, READER, running, with_settings


def _unchanged(mod, feedback_id: int = 1) -> None:
    stored = mod.store.feedback.get(feedback_id)
    assert stored.status == "pending" and stored.moderator_id is None
    assert not any(m.edited for m in mod.queue())
    assert [e.action for e in mod.store.moderation.history(feedback_id)] == []


async def test_forged_press_from_a_non_moderator_changes_nothing(mod):
    posted = await mod.feedback("/feedback Góp ý cần duyệt")
    reader_messages = len(mod.server.messages_to(READER))
    answer = await mod.press_as(OUTSIDER, posted, "✅ Duyệt")
    assert answer.params["text"] == NOT_ALLOWED
    answer = await mod.press_as(OUTSIDER, posted, data="mod:block:1")
    assert answer.params["text"] == NOT_ALLOWED
    await mod.settle()
    _unchanged(mod)
    assert len(mod.server.messages_to(READER)) == reader_messages
    assert not mod.store.moderation.is_blocked("telegram", str(READER))
    denied = [e for e in mod.store.moderation.history() if e.action == "denied"]
    assert [e.moderator_id for e in denied] == [str(OUTSIDER)] * 2


async def test_a_moderator_outside_the_moderators_chat_is_refused(mod):
    await mod.feedback("/feedback Góp ý cần duyệt")
    await mod.say(MINH, "/start")  # the moderator's own private chat with the bot
    [greeting] = mod.server.messages_to(MINH)
    for chat_id, message in ((MINH, greeting), (READER, mod.server.messages_to(READER)[0])):
        for data in ("mod:approve:1", "mod:reject:1", "mod:block:1"):
            answer = await mod.press_as(MINH, message, data=data, chat_id=chat_id)
            assert answer.params["text"] == NOT_ALLOWED
    await mod.settle()
    _unchanged(mod)


async def test_a_reader_can_not_approve_their_own_feedback(mod):
    """The reader presses a forged button in their own chat, claiming to be anything."""
    await mod.feedback("/feedback Tự duyệt cho mình")
    [ack] = mod.server.messages_to(READER)
    answer = await mod.press_as(READER, ack, data="mod:approve:1", chat_id=READER)
    assert answer.params["text"] == NOT_ALLOWED
    await mod.settle()
    _unchanged(mod)


async def test_buttons_of_one_feedback_can_not_decide_another(mod):
    first = await mod.feedback("/feedback Thứ nhất")
    await mod.feedback("/feedback Thứ hai")
    answer = await mod.press_as(MINH, first, data="mod:approve:2")
    assert "không khớp" in answer.params["text"]
    await mod.settle()
    _unchanged(mod, 1)
    _unchanged(mod, 2)


async def test_non_moderators_reply_and_commands_are_refused(mod):
    posted = await mod.feedback("/feedback Góp ý")
    reader_messages = len(mod.server.messages_to(READER))
    [refusal] = await mod.moderator_says(OUTSIDER, "Trả lời giả mạo", reply_to=posted.message_id)
    assert refusal.visible == NOT_ALLOWED
    [refusal] = await mod.moderator_says(OUTSIDER, "/pending")
    assert refusal.visible == NOT_ALLOWED
    [refusal] = await mod.moderator_says(OUTSIDER, "/unblock 1")
    assert refusal.visible == NOT_ALLOWED
    await mod.settle()
    assert len(mod.server.messages_to(READER)) == reader_messages
    assert mod.store.feedback.get(1).reply_text is None
    # A moderator typing /pending in a private chat is told it is an unknown command.
    [private] = await mod.say(MINH, "/pending")
    assert "chưa hiểu" in private.visible


async def test_a_press_with_a_non_ascii_number_is_a_stale_button_not_an_error(mod):
    posted = await mod.feedback("/feedback Góp ý cần duyệt")
    for data in ("mod:approve:²", "mod:approve:١"):
        answer = await mod.press_as(MINH, posted, data=data)
        assert answer.params["text"] == "Nút này không còn dùng được."
    _unchanged(mod)


async def test_double_press_applies_once(mod):
    posted = await mod.feedback("/feedback Bấm hai lần")
    data = "mod:approve:1"
    before = len(mod.server.messages_to(READER))
    answered = len(mod.server.calls_to("answerCallbackQuery"))
    mod.server.user_presses(MOD_CHAT, posted.message_id, data, user_id=MINH, first_name="Minh")
    mod.server.user_presses(MOD_CHAT, posted.message_id, data, user_id=MINH, first_name="Minh")
    await mod.server.wait_for(
        lambda: len(mod.server.calls_to("answerCallbackQuery")) >= answered + 2)
    answers = [c.params.get("text") for c in mod.server.calls_to("answerCallbackQuery")[answered:]]
    assert answers[0] == "Đã duyệt ✅"
    assert answers[1].startswith("Ý kiến này đã được xử lý: ✅ Đã duyệt bởi Minh")
    await mod.settle()
    assert len(mod.server.messages_to(READER)) == before + 1  # one notice
    assert [e.action for e in mod.store.moderation.history(1)] == ["approve"]


async def test_two_moderators_at_once_one_decision_wins(mod):
    posted = await mod.feedback("/feedback Hai người cùng bấm")
    answered = len(mod.server.calls_to("answerCallbackQuery"))
    mod.server.user_presses(MOD_CHAT, posted.message_id, "mod:approve:1", user_id=MINH,
                            first_name="Minh")
    mod.server.user_presses(MOD_CHAT, posted.message_id, "mod:reject:1", user_id=HOA,
                            first_name="Hoà")
    await mod.server.wait_for(
        lambda: len(mod.server.calls_to("answerCallbackQuery")) >= answered + 2)
    stored = mod.store.feedback.get(1)
    decisions = [e for e in mod.store.moderation.history(1)]
    assert len(decisions) == 1
    winner = decisions[0]
    assert (stored.status, stored.moderator_id) == (
        {"approve": "approved", "reject": "rejected"}[winner.action], winner.moderator_id)
    answers = [c.params.get("text") for c in mod.server.calls_to("answerCallbackQuery")[answered:]]
    assert sum(a.startswith("Ý kiến này đã được xử lý") for a in answers) == 1
    await mod.server.wait_for(lambda: mod.queue()[0].edited)
    label = "✅ Đã duyệt" if stored.status == "approved" else "❌ Đã từ chối"
    await mod.server.wait_for(lambda: label in mod.queue()[0].visible)


async def test_rate_limit_per_reader(fresh_store):
    async with running(fresh_store, with_settings(feedback_per_hour=3)) as mod:
        for n in range(3):
            await mod.feedback(f"/feedback Ý kiến {n}")
        [polite] = await mod.say(READER, "/feedback Ý kiến thứ tư")
        assert "tối đa 3 ý kiến" in polite.visible and "60 phút" in polite.visible
        # Another reader is not affected.
        await mod.feedback("/feedback Người khác", reader=5151)
        await mod.settle()
        assert len(mod.queue()) == 4
        statuses = [f.status for f in mod.store.feedback.for_chat("telegram", str(READER))]
        assert statuses == ["limited", "pending", "pending", "pending"]
        assert mod.store.feedback.pending_count() == 4


async def test_feedback_length_and_empty(mod):
    [article_id] = add_articles(mod.store, 1)
    [hint] = await mod.say(READER, f"/feedback #{article_id}  ")
    assert "/feedback" in hint.visible and "Bài viết rất hữu ích" in hint.visible
    [long] = await mod.say(READER, "/feedback " + "a" * 2001)
    assert "tối đa 2000 ký tự" in long.visible
    await mod.settle()
    assert mod.queue() == [] and mod.store.feedback.for_chat("telegram", str(READER)) == []


async def test_blocked_reader_is_stored_as_blocked_and_not_forwarded(mod):
    first = await mod.feedback("/feedback Spam một")
    second = await mod.feedback("/feedback Spam hai")
    answer = await mod.press_as(HOA, first, "🚫 Chặn người gửi")
    assert answer.params["text"] == "Đã chặn người gửi 🚫"
    await mod.server.wait_for(lambda: first.edited and second.edited)
    assert "🚫 Đã chặn người gửi bởi Hoà" in first.visible
    assert f"/unblock telegram:{READER}" in first.visible
    assert second.buttons() == [] and "🚫" in second.visible  # the other pending one too
    assert mod.store.moderation.is_blocked("telegram", str(READER))

    queued = len(mod.queue())
    [ack] = await mod.say(READER, "/feedback Spam ba")
    assert "Cảm ơn bạn" in ack.visible
    await mod.settle()
    assert len(mod.queue()) == queued
    assert mod.store.feedback.for_chat("telegram", str(READER))[0].status == "blocked"

    [listing] = await mod.moderator_says(MINH, "/blocked")
    assert "Lan Nguyễn" in listing.visible and f"telegram:{READER}" in listing.visible
    [done] = await mod.moderator_says(MINH, f"/unblock telegram:{READER}")
    assert "Đã bỏ chặn" in done.visible
    [nothing] = await mod.moderator_says(MINH, f"/unblock telegram:{READER}")
    assert "Không có bạn đọc nào bị chặn" in nothing.visible
    await mod.feedback("/feedback Xin lỗi, lần này nghiêm túc")
    actions = [e.action for e in mod.store.moderation.history()]
    assert actions == ["block", "block", "unblock"]


INJECTION = ('<a href="https://evil.example/phish">bấm vào đây</a> </b> &amp; &lt;i&gt; '
             "/pending /unblock@bantin_test_bot 1 https://evil.example @admin")


def _outside_code(html: str) -> str:
    return re.sub(r"<code>.*?</code>", "", html, flags=re.S)


async def test_markup_injection_stays_text_in_the_moderators_chat(mod):
    [article_id] = add_articles(mod.store, 1)
    before = len(mod.queue())
    mod.server.user_sends(READER, f"/feedback #{article_id} {INJECTION}",
                          first_name='<b>Ban biên tập</b> /pending', last_name="&amp;")
    [posted] = await mod.server.wait_messages(MOD_CHAT, 1, after=before)
    # Telegram accepted the HTML, and the moderators see exactly what the reader typed.
    assert INJECTION in posted.visible
    assert "<b>Ban biên tập</b> /pending &amp;" in posted.visible
    # Every piece of reader text sits inside <code>: no link, command or mention can form.
    outside = _outside_code(posted.text)
    for fragment in ("evil.example", "/pending", "/unblock", "@admin", "Ban biên tập"):
        assert fragment not in outside, fragment
    assert [a for a in re.findall(r'<a href="([^"]+)"', posted.text)] == [
        "https://example.vn/tin/1.html"]  # the only link is the article's own
    await mod.settle()
    assert len(mod.queue()) == before + 1  # the fake /pending ran nothing

    # Approved, it is shown to readers as the same literal text.
    await mod.server.wait_for(lambda: mod.store.moderation.feedback_for_message(
        str(MOD_CHAT), str(posted.message_id)))
    before = len(mod.server.messages_to(READER))
    await mod.press_as(MINH, posted, "✅ Duyệt")
    await mod.server.wait_for(lambda: posted.edited)
    assert INJECTION in posted.visible
    await mod.server.wait_messages(READER, 1, after=before)  # "đã được duyệt"
    [comments] = await mod.say(READER, f"/comments {article_id}")
    assert INJECTION in comments.visible
    assert re.findall(r'<a href="([^"]+)"', comments.text) == ["https://example.vn/tin/1.html"]


async def test_moderator_reply_is_text_for_the_reader(mod):
    posted = await mod.feedback("/feedback Hỏi")
    before = len(mod.server.messages_to(READER))
    await mod.moderator_says(MINH, "<b>Đậm?</b> & </i>", reply_to=posted.message_id)
    [answer] = await mod.server.wait_messages(READER, 1, after=before)
    assert "<b>Đậm?</b> & </i>" in answer.visible


async def test_queue_message_of_heavy_markup_fits_one_message(mod):
    posted = await mod.feedback("/feedback " + "&<" * 1000)
    assert "cắt bớt" in posted.visible
    assert [b["text"] for b in posted.buttons()][0] == "✅ Duyệt"


async def test_concurrent_feedback_from_many_readers_all_reach_the_queue(mod):
    for reader in range(6000, 6010):
        mod.server.user_sends(reader, f"/feedback Ý kiến của {reader}")
    await mod.server.wait_for(lambda: mod.store.feedback.pending_count() == 10
                              and mod.store.outbox.waiting() == 0)
    await mod.settle()
    shown = "\n".join(message.visible for message in mod.queue())
    for reader in range(6000, 6010):  # each once: on its own, or in a batch message
        assert shown.count(f"Ý kiến của {reader}") == 1


async def test_a_moderator_pressing_for_unknown_feedback_is_told(mod):
    await mod.say(MINH, "/start")
    before = len(mod.queue())
    posted = await mod.moderator_says(MINH, "/pending")
    answer = await mod.press_as(MINH, posted[0], data="mod:approve:12345")
    assert answer.params["text"] == "Không tìm thấy ý kiến này."
    answer = await mod.press_as(MINH, posted[0], data="mod:publish:1")
    assert answer.params["text"] == "Nút này không còn dùng được."
    await mod.settle()
    assert len(mod.queue()) == before + 1
