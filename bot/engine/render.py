"""Rendering ``Rich`` text per platform, within each platform's length limit.

Telegram gets HTML with every piece of text escaped (titles, summaries, readers' words): the
only tags in a message are the ones written here. Long text is split between paragraphs; a
paragraph longer than a whole message is split between spans, then between words, and each
piece is rendered on its own, so a split never falls inside a tag or an entity.

Lengths are counted in UTF-16 code units, as Telegram counts them, and on the rendered HTML,
which is never shorter than the text Telegram shows: a message that fits here fits there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace

from bot.engine.messages import Button, Buttons, Paragraph, Rich, Span

TELEGRAM_LIMIT = 4096
PARAGRAPH_SEPARATOR = "\n\n"
_WORDS = re.compile(r"\S+\s*|\s+")


def measure(text: str) -> int:
    """Length in UTF-16 code units (an emoji counts 2, as Telegram counts it)."""
    return len(text.encode("utf-16-le")) // 2


class Renderer:
    """Plain text: no markup, links written out after their text."""

    limit = 2000

    def span(self, span: Span) -> str:
        if span.url and span.url != span.text:
            return f"{span.text} ({span.url})"
        return span.text

    def paragraph(self, paragraph: Paragraph) -> str:
        return "".join(self.span(span) for span in paragraph)

    def render(self, rich: Rich, limit: int | None = None) -> list[str]:
        """The messages to send for ``rich``, each within ``limit``."""
        return pack(self._pieces(rich, limit or self.limit), limit or self.limit)

    def _pieces(self, rich: Rich, limit: int) -> Iterator[tuple[str, str]]:
        """(separator, piece) pairs; every piece fits in one message."""
        for paragraph in rich.paragraphs:
            whole = self.paragraph(paragraph)
            if measure(whole) <= limit:
                yield PARAGRAPH_SEPARATOR, whole
                continue
            separator = PARAGRAPH_SEPARATOR
            current = ""
            for span in paragraph:
                for chunk in self._span_chunks(span, limit):
                    if current and measure(current) + measure(chunk) > limit:
                        yield separator, current
                        separator, current = "", ""
                    current += chunk
            if current:
                yield separator, current

    def _span_chunks(self, span: Span, limit: int) -> Iterator[str]:
        """``span`` rendered in pieces that each fit in ``limit``, cut between words."""
        whole = self.span(span)
        if measure(whole) <= limit:
            yield whole
            return
        overhead = measure(self.span(replace(span, text="")))
        room = max(1, limit - overhead)
        words: list[str] = []
        for word in _WORDS.findall(span.text):
            while measure(self.span(Span(word))) > room:  # one word longer than a message
                cut = _fit_prefix(word, room, self)
                words.append(word[:cut])
                word = word[cut:]
            words.append(word)
        current = ""
        for word in words:
            candidate = current + word
            if current and measure(self.span(replace(span, text=candidate))) > limit:
                yield self.span(replace(span, text=current))
                current = word
            else:
                current = candidate
        if current:
            yield self.span(replace(span, text=current))

    def buttons_text(self, buttons: Buttons) -> str:
        """How a transport without buttons tells the reader what to type instead."""
        lines = []
        for row in buttons:
            for button in row:
                lines.append(_button_line(button))
        return "\n".join(line for line in lines if line)


def _button_line(button: Button) -> str:
    if button.url:
        return f"{button.text}: {button.url}"
    if button.data and button.data.startswith("/"):
        return f"{button.text}: gõ {button.data}"
    return ""


def _fit_prefix(word: str, room: int, renderer: Renderer) -> int:
    """The longest prefix of ``word`` whose rendering fits ``room`` (at least one character)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(renderer.span(Span(word[:middle]))) <= room:
            low = middle
        else:
            high = middle - 1
    return low


def pack(pieces: Iterator[tuple[str, str]], limit: int) -> list[str]:
    """Join pieces greedily into messages of at most ``limit``; drop empty messages."""
    messages: list[str] = []
    current = ""
    for separator, piece in pieces:
        if not current:
            current = piece
        elif measure(current) + measure(separator) + measure(piece) <= limit:
            current += separator + piece
        else:
            messages.append(current)
            current = piece
    messages.append(current)
    return [message.strip() for message in messages if message.strip()]


class TelegramHTML(Renderer):
    """Telegram's HTML parse mode: <b>, <i>, <a href>; everything else escaped."""

    limit = TELEGRAM_LIMIT

    def span(self, span: Span) -> str:
        text = html.escape(span.text, quote=False)
        if span.code:  # Telegram allows no entity inside code, so no link or command either
            text = f"<code>{text}</code>"
        if span.italic:
            text = f"<i>{text}</i>"
        if span.bold:
            text = f"<b>{text}</b>"
        if span.url:
            text = f'<a href="{html.escape(span.url, quote=True)}">{text}</a>'
        return text


PLAIN = Renderer()
TELEGRAM_HTML = TelegramHTML()


def render_plain(rich: Rich, limit: int = Renderer.limit) -> list[str]:
    return PLAIN.render(rich, limit)


def render_telegram(rich: Rich, limit: int = TELEGRAM_LIMIT) -> list[str]:
    return TELEGRAM_HTML.render(rich, limit)
