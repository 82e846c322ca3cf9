"""One reader's private chat with the bot through each transport, behind one interface, so a
contract check is written once and run on Telegram, Zalo and the console alike.

Each chat runs the real transport (Telegram's python-telegram-bot ``Application`` against the
fake Bot API server, the Zalo transport against the fake Zalo Bot API, the console writing to a
stream) on a real ``BotCore`` with the app's router. A ``Message`` is what the reader got:
``visible`` the text they read (``Chat.reads`` says how a link reads there), ``raw`` what the
platform was sent, ``choices`` the reply's buttons as the platform shows them (labels on
Telegram; "label: gõ /command" lines elsewhere).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from bantin.app import build_router
from bot.engine.core import BotCore
from bot.transports.console import ConsoleTransport
from store import Store
from tests.fakes import telegram_server, zalo_server
from tests.helpers.articles import NOW
from tests.helpers.telegram_bot import Harness as TelegramHarness
from tests.helpers.telegram_bot import telegram_bot
from tests.helpers.zalo_bot import Harness as ZaloHarness
from tests.helpers.zalo_bot import zalo_bot

PLATFORMS = ("telegram", "zalo", "console")
_TYPED_BUTTON = re.compile(r"^(.+): gõ (/.+)$", re.M)


@dataclass
class Message:
    visible: str
    raw: str
    choices: list[str]
    platform_message: Any = field(repr=False, default=None)


class Chat(Protocol):
    platform: str
    chat_id: str  # as the store keeps it
    name: str  # the reader's name as the platform gives it
    can_reply: bool  # whether the platform lets a reader reply to a message
    limit: int | None  # the longest message the platform takes (None: never split)
    store: Store
    core: BotCore

    def length(self, text: str) -> int: ...

    async def say(self, text: str, count: int = 1) -> list[Message]: ...

    async def choose(self, message: Message, label: str) -> list[Message]: ...

    async def next_page(self, message: Message) -> list[Message]: ...

    def received(self) -> list[Message]: ...

    async def until(self, predicate: Callable[[], Any]) -> Any: ...

    def offers(self, label: str, command: str) -> str: ...

    def shows_link(self, message: Message, text: str, address: str) -> bool: ...

    def reads(self, text: str, address: str) -> str: ...


def _typed(text: str) -> list[str]:
    return [f"{label}: gõ {command}" for label, command in _TYPED_BUTTON.findall(text)]


@dataclass
class TelegramChat:
    bot: TelegramHarness
    reader: int = 4242
    platform: str = "telegram"
    name: str = "Lan Nguyễn"
    can_reply: bool = True
    limit: int | None = 4096

    @property
    def chat_id(self) -> str:
        return str(self.reader)

    @property
    def store(self) -> Store:
        return self.bot.store

    @property
    def core(self) -> BotCore:
        return self.bot.core

    def length(self, text: str) -> int:
        return telegram_server.utf16_len(text)  # Telegram counts UTF-16 code units

    @staticmethod
    def _message(sent: telegram_server.SentMessage) -> Message:
        return Message(sent.visible, sent.text, [b["text"] for b in sent.buttons()], sent)

    async def say(self, text: str, count: int = 1) -> list[Message]:
        return [self._message(m) for m in await self.bot.say(self.reader, text, count)]

    async def choose(self, message: Message, label: str) -> list[Message]:
        """Press the button."""
        pressed = await self.bot.press(self.reader, message.platform_message, label)
        return [self._message(m) for m in pressed]

    async def next_page(self, message: Message) -> list[Message]:
        return await self.choose(message, "Xem thêm")

    def received(self) -> list[Message]:
        return [self._message(m) for m in self.bot.server.messages_to(self.reader)]

    async def until(self, predicate: Callable[[], Any]) -> Any:
        return await self.bot.server.wait_for(predicate)

    def offers(self, label: str, command: str) -> str:
        return label  # an inline button

    def shows_link(self, message: Message, text: str, address: str) -> bool:
        """A tappable link: ``text`` (bold or italic or not) inside ``<a href="address">``, and
        only the text shown."""
        anchor = re.compile(rf'<a href="{re.escape(html.escape(address))}">(?:<[bi]>)*'
                            rf'{re.escape(html.escape(text, quote=False))}(?:</[bi]>)*</a>')
        return (anchor.search(message.raw) is not None and text in message.visible
                and address not in message.visible)

    def reads(self, text: str, address: str) -> str:
        return text  # the address is behind the tap


@dataclass
class ZaloChat:
    bot: ZaloHarness
    reader: str = "e4ea2cd5189df1c3a88c"
    platform: str = "zalo"
    name: str = "Nguyễn Thị Lan"
    can_reply: bool = False
    limit: int | None = 2000

    @property
    def chat_id(self) -> str:
        return self.reader

    @property
    def store(self) -> Store:
        return self.bot.store

    @property
    def core(self) -> BotCore:
        return self.bot.core

    def length(self, text: str) -> int:
        return len(text)

    @staticmethod
    def _message(sent: zalo_server.SentMessage) -> Message:
        return Message(sent.text, sent.text, _typed(sent.text), sent)

    async def say(self, text: str, count: int = 1) -> list[Message]:
        return [self._message(m) for m in await self.bot.say(self.reader, text, count)]

    async def choose(self, message: Message, label: str) -> list[Message]:
        """Type the command printed for the button."""
        [command] = [c for l, c in _TYPED_BUTTON.findall(message.visible) if l == label]
        return await self.say(command)

    async def next_page(self, message: Message) -> list[Message]:
        return await self.say("thêm")

    def received(self) -> list[Message]:
        return [self._message(m) for m in self.bot.server.messages_to(self.reader)]

    async def until(self, predicate: Callable[[], Any]) -> Any:
        return await self.bot.server.wait_for(predicate)

    def offers(self, label: str, command: str) -> str:
        return f"{label}: gõ {command}"  # no buttons: what to type

    def shows_link(self, message: Message, text: str, address: str) -> bool:
        """Nothing to tap: the address written out after the text."""
        return self.reads(text, address) in message.visible

    def reads(self, text: str, address: str) -> str:
        return f"{text} ({address})"


class Printed(io.StringIO):
    """The console's output stream, keeping each message the transport printed."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def write(self, text: str) -> int:
        self.messages.append(text.removesuffix("\n\n"))
        return super().write(text)


@dataclass
class ConsoleChat:
    transport: ConsoleTransport
    out: Printed
    store: Store
    core: BotCore
    platform: str = "console"
    chat_id: str = "console"
    name: str = "Nguyễn Thị Lan"
    can_reply: bool = False
    limit: int | None = None

    def length(self, text: str) -> int:
        return len(text)

    @staticmethod
    def _message(text: str) -> Message:
        return Message(text, text, _typed(text))

    async def say(self, text: str, count: int = 1) -> list[Message]:
        before = len(self.out.messages)
        await self.transport.say(text)
        return [self._message(m) for m in self.out.messages[before:]]

    async def choose(self, message: Message, label: str) -> list[Message]:
        """Type the command printed for the button."""
        [command] = [c for l, c in _TYPED_BUTTON.findall(message.visible) if l == label]
        return await self.say(command)

    async def next_page(self, message: Message) -> list[Message]:
        return await self.say("thêm")

    def received(self) -> list[Message]:
        return [self._message(m) for m in self.out.messages]

    async def until(self, predicate: Callable[[], Any]) -> Any:
        result = predicate()  # the console prints before ``say`` returns
        assert result, "the console did not print what the test waited for"
        return result

    def offers(self, label: str, command: str) -> str:
        return f"{label}: gõ {command}"  # no buttons: what to type

    def shows_link(self, message: Message, text: str, address: str) -> bool:
        """Nothing to tap: the address written out after the text."""
        return self.reads(text, address) in message.visible

    def reads(self, text: str, address: str) -> str:
        return f"{text} ({address})"


@asynccontextmanager
async def chat_on(platform: str, store: Store) -> AsyncIterator[Chat]:
    """A running bot on ``platform`` with one reader in a private chat."""
    if platform == "telegram":
        async with telegram_bot(store) as telegram:
            yield TelegramChat(telegram)
    elif platform == "zalo":
        async with zalo_bot(store) as zalo:
            yield ZaloChat(zalo)
    else:
        core = BotCore(store, router=build_router(), clock=lambda: NOW)
        out = Printed()
        transport = ConsoleTransport(core, out, ansi=False, display_name=ConsoleChat.name)
        try:
            yield ConsoleChat(transport, out, store, core)
        finally:
            core.close()
