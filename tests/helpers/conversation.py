"""A reader talking to the engine itself: ``Incoming`` in, the ``Reply`` objects ``BotCore``
delivers out, with no platform in between.

The conversation (what each command answers, paging, errors, the Vietnamese texts) is tested
once this way, on the real ``BotCore`` with the app's router and a real SQLite store; the
transports only get a recording stand-in here (``tests.fakes.transport``). What a transport
makes of a reply (HTML, lines to type, splitting, ids) is the transports' contract suite.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from bantin.app import build_router
from bot.engine.context import BotSettings
from bot.engine.core import BotCore
from bot.engine.messages import Answer, ChatType, Incoming, Reply, Span
from store import Store
from tests.fakes.transport import RecordingTransport
from tests.helpers.articles import NOW

PLATFORM = "engine"
READER = "4242"
BOT_USERNAME = "bantin_test_bot"


def shown(reply: Reply) -> str:
    """The reply's text as a reader reads it (no formatting, no link addresses)."""
    return reply.text.plain_text() if reply.text is not None else ""


def labels(reply: Reply) -> list[str]:
    """The labels of the reply's buttons, row after row."""
    return [button.text for row in reply.buttons for button in row]


def links(reply: Reply) -> list[tuple[str, str]]:
    """``(text, address)`` of every link in the reply, in order."""
    spans: list[Span] = [span for paragraph in (reply.text.paragraphs if reply.text else ())
                         for span in paragraph]
    return [(span.text, span.url) for span in spans if span.url]


@dataclass
class Reader:
    """Plays readers of one platform that can (``can_reply``) or cannot reply to a message."""

    core: BotCore
    transport: RecordingTransport
    store: Store
    can_reply: bool = True
    _message_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def answers(self) -> list[Answer]:
        """Answers to pressed buttons, in order."""
        return self.transport.answers

    async def say(self, text: str, *, chat_id: str = READER, user_id: str | None = None,
                  name: str = "Nguyễn Thị Lan", chat_type: ChatType = "private",
                  reply_to: Reply | None = None) -> list[Reply]:
        """A reader writes ``text``; return every reply the core delivered."""
        return await self._handle(Incoming(
            PLATFORM, chat_id, user_id or chat_id, name, chat_type, text,
            message_id=f"in{next(self._message_ids)}",
            reply_to=self.transport.id_of(reply_to) if reply_to is not None else None,
            reply_to_bot=reply_to is not None, bot_username=BOT_USERNAME,
            can_reply=self.can_reply))

    async def press(self, reply: Reply, label: str, *, chat_id: str = READER) -> list[Reply]:
        """A reader presses the button labelled ``label`` on ``reply``; return the replies."""
        data = next(b.data for row in reply.buttons for b in row if b.text == label)
        return await self._handle(Incoming(
            PLATFORM, chat_id, chat_id, "Nguyễn Thị Lan", button=data,
            message_id=self.transport.id_of(reply), bot_username=BOT_USERNAME,
            callback_id=f"cb{next(self._message_ids)}", can_reply=self.can_reply))

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        before = len(self.transport.sent)
        await self.core.process(incoming)
        return [reply for _, reply in self.transport.sent[before:]]


@asynccontextmanager
async def engine(store: Store, *, can_reply: bool = True, settings: BotSettings | None = None,
                 clock: Callable[[], datetime] = lambda: NOW) -> AsyncIterator[Reader]:
    """The app's router on a ``BotCore`` whose clock stands at ``NOW`` (or is ``clock``, one a
    test moves, e.g. to send digests)."""
    core = BotCore(store, settings or BotSettings(), router=build_router(), clock=clock)
    transport = RecordingTransport(PLATFORM)
    core.add_transport(transport)
    try:
        yield Reader(core, transport, store, can_reply)
    finally:
        core.close()
