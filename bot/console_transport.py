"""The console transport: a chat with the bot in a terminal, or a script of commands.

It is the third transport beside Telegram and Zalo, and it goes through the same
``BotCore.process`` as they do, so the console shows exactly what a reader gets; no handler
knows which transport it serves. A terminal has no buttons and no links to tap, so
``TerminalRenderer`` writes titles in bold (ANSI codes on a terminal, plain text otherwise),
links as their address, and buttons as the command to type ("Xem thêm: gõ /latest 5 trang 2").

Reading a terminal blocks, so each line is read in a daemon thread and handed to the event
loop: the loop stays free, and Ctrl-C or Ctrl-D never leaves a thread behind that the process
has to wait for.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import sys
import threading
from collections.abc import Iterable
from typing import Protocol, TextIO

from bot.core import BotCore
from bot.errors import BotError
from bot.messages import Answer, Incoming, Reply, Span
from bot.paging import as_command, asks_for_more, next_page_command
from bot.render import Renderer

log = logging.getLogger(__name__)

PLATFORM = "console"
PROMPT = "› "
QUIT_COMMANDS = frozenset({"/quit", "/exit", "/thoat"})
GOODBYE = "Tạm biệt! 👋"

_BOLD, _NOT_BOLD = "\033[1m", "\033[22m"
_ITALIC, _NOT_ITALIC = "\033[3m", "\033[23m"
_UNDERLINE, _NOT_UNDERLINE = "\033[4m", "\033[24m"


class TerminalRenderer(Renderer):
    """Rich text for a terminal: ANSI bold and italic when ``ansi``, plain text otherwise.

    A link keeps its text and shows its address after it, since nothing in a terminal can be
    tapped. There is no length limit: a terminal never splits a message.
    """

    limit = 1_000_000

    def __init__(self, ansi: bool = False) -> None:
        self.ansi = ansi

    def span(self, span: Span) -> str:
        text = span.text
        if self.ansi and span.bold:
            text = f"{_BOLD}{text}{_NOT_BOLD}"
        if self.ansi and span.italic:
            text = f"{_ITALIC}{text}{_NOT_ITALIC}"
        if span.url and span.url != span.text:
            address = f"{_UNDERLINE}{span.url}{_NOT_UNDERLINE}" if self.ansi else span.url
            text = f"{text} ({address})"
        return text


def wants_ansi(stream: TextIO) -> bool:
    """ANSI styles only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR") and (
        os.environ.get("TERM") != "dumb"
    )


class LineSource(Protocol):
    """Where the reader's lines come from: the terminal, or a script."""

    async def read(self) -> str | None:
        """The next line, or ``None`` at the end (Ctrl-D, or the end of the script)."""


class ScriptLines:
    """Lines of a script; blank lines and ``#`` comments are skipped, each command echoed."""

    def __init__(self, lines: Iterable[str], out: TextIO) -> None:
        self._lines = iter(lines)
        self.out = out

    async def read(self) -> str | None:
        for line in self._lines:
            line = line.strip()
            if line and not line.startswith("#"):
                self.out.write(f"{PROMPT}{line}\n")
                self.out.flush()
                return line
        return None


class TerminalLines:
    """Lines typed at the terminal (``input()``, so arrow keys and history work)."""

    def __init__(self, prompt: str = PROMPT) -> None:
        self.prompt = prompt

    async def read(self) -> str | None:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str | None] = loop.create_future()

        def settle(value: str | None) -> None:
            if not future.done():
                future.set_result(value)

        def read_line() -> None:
            try:
                line: str | None = input(self.prompt)
            except EOFError:  # Ctrl-D: end the prompt's line before saying goodbye
                print()
                line = None
            except (OSError, UnicodeDecodeError) as error:
                log.warning("cannot read the terminal: %s", error)
                line = None
            loop.call_soon_threadsafe(settle, line)

        # A daemon thread, not the loop's executor: a read still blocked when the reader
        # presses Ctrl-C must not keep the process waiting at exit.
        threading.Thread(target=read_line, name="console-input", daemon=True).start()
        return await future


class ConsoleTransport:
    """One reader chatting with ``core`` through a terminal (or a script)."""

    platform = PLATFORM

    def __init__(self, core: BotCore, out: TextIO | None = None, *, ansi: bool | None = None,
                 chat_id: str = "console", display_name: str = "") -> None:
        self.core = core
        self.out = out if out is not None else sys.stdout
        self.renderer = TerminalRenderer(wants_ansi(self.out) if ansi is None else ansi)
        self.chat_id = chat_id
        self.display_name = display_name
        self._ids = itertools.count(1)
        self._next_page: str | None = None  # what "Xem thêm" (or "thêm") asks for now
        core.add_transport(self)

    # --- the Transport interface --------------------------------------------------------------

    async def start(self) -> None:
        """Nothing to connect: the terminal is already there."""

    async def stop(self) -> None:
        self.out.flush()

    async def send(self, chat_id: str, reply: Reply) -> list[str]:
        """Print ``reply``; an edit that only takes buttons away prints nothing."""
        if reply.text is None:
            return []
        self._next_page = next_page_command(reply)
        parts = self.renderer.render(reply.text)
        if reply.buttons:
            parts.append(self._style_hint(self.renderer.buttons_text(reply.buttons)))
        self._write("\n\n".join(part for part in parts if part))
        return [str(next(self._ids))]

    async def answer(self, incoming: Incoming, answer: Answer) -> None:
        """A button's short answer (a toast on Telegram) becomes a line of its own."""
        if answer.text:
            self._write(self._style_hint(answer.text))

    # --- the conversation ---------------------------------------------------------------------

    async def say(self, text: str) -> list[str]:
        """The reader sends ``text``; the bot's answer is printed. Returns the sent ids.

        Typing the "Xem thêm" button's label (or "thêm") after a page with more results turns
        the page, as on Zalo, instead of searching for those words.
        """
        incoming = Incoming(
            platform=PLATFORM, chat_id=self.chat_id, user_id=self.chat_id,
            display_name=self.display_name, chat_type="private", text=text,
            message_id=str(next(self._ids)),
        )
        if self._next_page is not None and asks_for_more(text):
            incoming = as_command(incoming, self._next_page)
        try:
            return await self.core.process(incoming)
        except BotError as error:  # the core logs handler errors; this is delivery itself
            log.error("console: %s", error)
            self._write(f"(error: {error})")
            return []

    async def run(self, lines: LineSource, stop: asyncio.Event | None = None) -> None:
        """Chat until the lines end, the reader types /quit, or ``stop`` is set (Ctrl-C)."""
        stop = stop or asyncio.Event()
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while True:
                reading = asyncio.ensure_future(lines.read())
                await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not reading.done():
                    reading.cancel()
                    self.out.write("\n")
                    break
                line = reading.result()
                if line is None or line.strip().lower() in QUIT_COMMANDS:
                    break
                if line.strip():
                    await self.say(line)
        finally:
            stopping.cancel()
        self._write(GOODBYE)

    # --- output -------------------------------------------------------------------------------

    def _style_hint(self, text: str) -> str:
        if not self.renderer.ansi or not text:
            return text
        return "\n".join(f"{_ITALIC}{line}{_NOT_ITALIC}" for line in text.splitlines())

    def _write(self, text: str) -> None:
        if not text:
            return
        self.out.write(text.rstrip() + "\n\n")
        self.out.flush()
