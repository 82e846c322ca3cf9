"""A moderator's answer that cannot reach the reader: the moderator is told, the reason is kept."""

from __future__ import annotations

from bot.engine.messages import Incoming
from tests.helpers.moderation import MINH, MOD_CHAT, READER

BLOCKED_NOTICE = ("⚠️ Không gửi được câu trả lời cho ý kiến #1 tới Lan Nguyễn (telegram 4242): "
                  "bạn đọc đã chặn bot hoặc rời cuộc trò chuyện.")


async def test_answer_to_a_reader_who_blocked_the_bot(mod):
    posted = await mod.feedback("/feedback Sao bài này sai chính tả?")
    mod.server.block(READER)
    [notice] = await mod.moderator_says(MINH, "Cảm ơn bạn, đã sửa.", reply_to=posted.message_id)
    assert notice.visible.startswith(BLOCKED_NOTICE)
    assert "Câu trả lời vẫn được lưu" in notice.visible
    answer_message = notice.reply_to
    assert answer_message is not None  # a reply to the moderator's own answer
    await mod.settle()
    assert not any("Đã gửi câu trả lời" in m.visible for m in mod.queue())
    # The queue message does not read as answered.
    await mod.server.wait_for(lambda: "⚠️ chưa đến được bạn đọc" in posted.visible)
    assert "đã trả lời lúc" in posted.visible

    stored = mod.store.feedback.get(1)
    assert stored.reply_text == "Cảm ơn bạn, đã sửa." and stored.replied_by == str(MINH)
    [failure] = mod.store.moderation.reply_failures(1)
    assert failure.moderator_id == str(MINH)
    assert failure.detail.startswith("ChatUnreachable:") and "blocked" in failure.detail
    assert [e.action for e in mod.store.moderation.history(1)] == ["reply", "reply_failed"]
    assert not mod.store.chats.get("telegram", str(READER)).active


async def test_an_inactive_reader_is_still_tried_and_reached_once_back(mod):
    """The reader unblocked the bot without writing: the chat is still marked inactive, but a
    moderator's answer is tried anyway, and arrives."""
    posted = await mod.feedback("/feedback Hỏi lần một")
    mod.server.block(READER)
    [first] = await mod.moderator_says(MINH, "Trả lời lần một", reply_to=posted.message_id)
    assert first.visible.startswith(BLOCKED_NOTICE)
    mod.server.unblock(READER)
    before = len(mod.server.messages_to(READER))
    [sent] = await mod.moderator_says(MINH, "Trả lời lần hai", reply_to=posted.message_id)
    assert "↩️ Đã gửi câu trả lời tới" in sent.visible
    [answer] = await mod.server.wait_messages(READER, 1, after=before)
    assert "Trả lời lần hai" in answer.visible
    assert len(mod.store.moderation.reply_failures(1)) == 1
    # The latest answer arrived: the queue message drops its warning.
    await mod.server.wait_for(lambda: "Trả lời lần hai" in posted.visible)
    assert "chưa đến được" not in posted.visible


async def test_answer_lost_to_network_failures_after_retries(mod):
    posted = await mod.feedback("/feedback Ứng dụng chạy chậm")
    mod.server.fail("sendMessage", 502, "Bad Gateway", chat_id=READER, times=10)
    [notice] = await mod.moderator_says(MINH, "Chúng tôi đang kiểm tra.",
                                        reply_to=posted.message_id)
    assert notice.visible.startswith(
        "⚠️ Không gửi được câu trả lời cho ý kiến #1 tới Lan Nguyễn (telegram 4242): lỗi khi "
        "gửi qua Telegram, đã thử lại vài lần vẫn không được.")
    attempts = [c for c in mod.server.calls_to("sendMessage")
                if str(c.params.get("chat_id")) == str(READER) and c.status == 502]
    assert len(attempts) == 4  # the first try and three retries
    [failure] = mod.store.moderation.reply_failures(1)
    assert failure.detail.startswith("DeliveryFailed:") and "Bad Gateway" in failure.detail
    assert mod.store.chats.get("telegram", str(READER)).active  # not the reader's doing


async def test_a_platform_that_is_not_running_is_named(mod):
    """Feedback from Zalo answered while bantin has no Zalo transport any more."""
    before = len(mod.queue())
    await mod.core.process(Incoming(platform="zalo", chat_id="zl-9", user_id="zl-9",
                                    display_name="Bình", text="/feedback Xin chào"))
    [posted] = await mod.server.wait_messages(MOD_CHAT, 1, after=before)
    await mod.server.wait_for(lambda: mod.store.moderation.feedback_for_message(
        str(MOD_CHAT), str(posted.message_id)))
    del mod.core.transports["zalo"]
    [notice] = await mod.moderator_says(MINH, "Chào Bình", reply_to=posted.message_id)
    assert "tới Bình (zalo zl-9): bantin chưa kết nối được với Zalo." in notice.visible
    [failure] = mod.store.moderation.reply_failures(1)
    assert failure.detail.startswith("BotError:") and "zalo" in failure.detail
