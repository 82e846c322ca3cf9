"""A Zalo reader's feedback is moderated in the Telegram moderators' chat, answered on Zalo.

Both real transports on one core, each against its own fake Bot API server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.features.moderation_outbox import OutboxSender
from bot.transports.telegram import TelegramTransport
from bot.transports.zalo import ZaloTransport
from store import Store
from tests.helpers.articles import NOW, add_articles
from tests.fakes.telegram_server import FakeTelegramServer
from tests.fakes.zalo_server import FakeZaloServer
from tests.helpers import telegram_bot, zalo_bot
from tests.helpers.moderation import FAST_OUTBOX, HOA, MODERATION, MOD_CHAT, ModHarness

ZALO_READER = "zl-7f3a"


@asynccontextmanager
async def both(store: Store) -> AsyncIterator[tuple[ModHarness, FakeZaloServer]]:
    """Telegram (the moderators' chat) and Zalo (the reader), each on its fake server."""
    async with FakeTelegramServer() as telegram, FakeZaloServer() as zalo:
        core = BotCore(store, BotSettings(moderation=MODERATION),
                       router=build_router(), clock=lambda: NOW)
        transports = [
            TelegramTransport(core, telegram_bot.fast_settings(telegram)),
            ZaloTransport(core, zalo_bot.fast_settings(zalo)),
        ]
        outbox = OutboxSender(core, FAST_OUTBOX)
        for service in (*transports, outbox):
            await service.start()
        try:
            yield ModHarness(telegram, store, core, transports[0]), zalo
        finally:
            for service in (outbox, *reversed(transports)):
                await service.stop()
            core.close()


async def test_zalo_reader_end_to_end(fresh_store):
    [article_id] = add_articles(fresh_store, 1)
    async with both(fresh_store) as (mod, zalo):
        telegram = mod.server
        zalo.user_sends(ZALO_READER, f"/feedback #{article_id} Cảm ơn bài viết <3",
                        display_name="Trần Văn Bình")
        [ack] = await zalo.wait_messages(ZALO_READER, 1)
        assert "biên tập trước khi đăng" in ack.text
        [posted] = await telegram.wait_messages(MOD_CHAT, 1)
        assert "Trần Văn Bình" in posted.visible and "zalo" in posted.visible
        assert ZALO_READER in posted.visible and f"#{article_id}" in posted.visible
        await telegram.wait_for(lambda: fresh_store.moderation.feedback_for_message(
            str(MOD_CHAT), str(posted.message_id)))

        await mod.moderator_says(HOA, "Cảm ơn anh Bình đã đọc báo!",
                                 reply_to=posted.message_id)
        [answer] = await zalo.wait_messages(ZALO_READER, 1, after=1)
        assert "Toà soạn trả lời" in answer.text
        assert "Cảm ơn anh Bình đã đọc báo!" in answer.text

        await mod.press_as(HOA, posted, "✅ Duyệt")
        [notice] = await zalo.wait_messages(ZALO_READER, 1, after=2)
        assert "đã được duyệt và đăng" in notice.text and f"/comments {article_id}" in notice.text

        zalo.user_sends(ZALO_READER, f"/comments {article_id}")
        [shown] = await zalo.wait_messages(ZALO_READER, 1, after=3)
        assert "Trần Văn Bình" in shown.text and "Cảm ơn bài viết <3" in shown.text

        [done] = await mod.moderator_says(HOA, "/remove 1")
        assert "🗑 Đã gỡ ý kiến #1 của Trần Văn Bình" in done.visible
        zalo.user_sends(ZALO_READER, f"/comments {article_id}")
        [gone] = await zalo.wait_messages(ZALO_READER, 1, after=4)
        assert "Chưa có ý kiến nào được đăng" in gone.text
        assert "Cảm ơn bài viết <3" not in gone.text


async def test_answer_to_a_zalo_reader_who_blocked_the_bot(fresh_store):
    async with both(fresh_store) as (mod, zalo):
        telegram = mod.server
        zalo.user_sends(ZALO_READER, "/feedback Cho hỏi giờ phát bản tin",
                        display_name="Trần Văn Bình")
        [posted] = await telegram.wait_messages(MOD_CHAT, 1)
        await telegram.wait_for(lambda: fresh_store.moderation.feedback_for_message(
            str(MOD_CHAT), str(posted.message_id)))
        zalo.block(ZALO_READER)
        [notice] = await mod.moderator_says(HOA, "Bản tin phát lúc 7 giờ sáng.",
                                            reply_to=posted.message_id)
        assert notice.visible.startswith(
            f"⚠️ Không gửi được câu trả lời cho ý kiến #1 tới Trần Văn Bình (zalo "
            f"{ZALO_READER}): bạn đọc đã chặn bot hoặc rời cuộc trò chuyện.")
        [failure] = fresh_store.moderation.reply_failures(1)
        assert failure.moderator_id == str(HOA) and "ChatUnreachable" in failure.detail
        assert fresh_store.feedback.get(1).reply_text == "Bản tin phát lúc 7 giờ sáng."
        assert len(zalo.messages_to(ZALO_READER)) == 1  # only the thanks for the feedback
