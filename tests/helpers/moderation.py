"""The real bot, a moderators' group and readers, against the fake Bot API server.

``running`` starts it with a second, recording platform (think Zalo) beside Telegram and the
moderation outbox; ``ModHarness`` plays the readers and the moderators."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

from bantin.app import build_router
from bot.engine.context import BotSettings, ModerationSettings
from bot.engine.core import BotCore
from bot.features.moderation_outbox import OutboxSender, OutboxSettings
from bot.transports.telegram import TelegramTransport
from store import Store
from tests.fakes.transport import RecordingTransport
from tests.fakes.telegram_server import Call, FakeTelegramServer, SentMessage
from tests.helpers.articles import NOW
from tests.helpers.telegram_bot import Harness, fast_settings

MOD_CHAT = -100777
MINH, HOA = 701, 702  # moderators
OUTSIDER = 909  # a member of the moderators' group who is not a moderator
READER = 4242

FAST_OUTBOX = OutboxSettings(per_minute=6000, poll_seconds=0.02, retry_seconds=0.2)
MODERATION = ModerationSettings(moderator_chat_id=MOD_CHAT, moderators=(MINH, HOA))


@dataclass
class ModHarness(Harness):
    zalo: RecordingTransport | None = None

    def queue(self) -> list[SentMessage]:
        """Messages the bot sent to the moderators' chat."""
        return self.server.messages_to(MOD_CHAT)

    async def feedback(self, text: str, reader: int = READER, **kwargs) -> SentMessage:
        """A reader sends feedback; return the queue message it became."""
        before = len(self.queue())
        await self.say(reader, text, **kwargs)
        [posted] = await self.server.wait_messages(MOD_CHAT, 1, after=before)
        await self.server.wait_for(lambda: self.store.moderation.feedback_for_message(
            str(MOD_CHAT), str(posted.message_id)))
        return posted

    async def press_as(self, user_id: int, message: SentMessage, label: str | None = None, *,
                       data: str | None = None, chat_id: int = MOD_CHAT) -> Call:
        """``user_id`` presses a button (by label, or forged ``data``); return the answer."""
        if data is None:
            data = next(b["callback_data"] for b in message.buttons() if b["text"] == label)
        answered = len(self.server.calls_to("answerCallbackQuery"))
        self.server.user_presses(chat_id, message.message_id, data, user_id=user_id,
                                 first_name=NAMES.get(user_id, "Khách"))
        await self.server.wait_for(
            lambda: len(self.server.calls_to("answerCallbackQuery")) > answered)
        return self.server.calls_to("answerCallbackQuery")[answered]

    async def moderator_says(self, user_id: int, text: str, reply_to: int | None = None,
                             count: int = 1) -> list[SentMessage]:
        before = len(self.queue())
        self.server.user_sends(MOD_CHAT, text, user_id=user_id, chat_type="group",
                               reply_to=reply_to, first_name=NAMES.get(user_id, "Khách"),
                               last_name="")
        return await self.server.wait_messages(MOD_CHAT, count, after=before)

    async def settle(self) -> None:
        """Give the bot time to finish (for checks that something did NOT happen)."""
        await asyncio.sleep(0.3)


NAMES = {MINH: "Minh", HOA: "Hoà", OUTSIDER: "Khách"}


@asynccontextmanager
async def running(store: Store, moderation: ModerationSettings = MODERATION
                  ) -> AsyncIterator[ModHarness]:
    async with FakeTelegramServer() as server:
        core = BotCore(store, BotSettings(moderation=moderation),
                       router=build_router(), clock=lambda: NOW)
        transport = TelegramTransport(core, fast_settings(server))
        zalo = RecordingTransport()
        core.add_transport(zalo)
        outbox = OutboxSender(core, FAST_OUTBOX)
        await transport.start()
        await outbox.start()
        try:
            yield ModHarness(server, store, core, transport, zalo)
        finally:
            await outbox.stop()
            await transport.stop()
            core.close()


def with_settings(**changes) -> ModerationSettings:
    return replace(MODERATION, **changes)
