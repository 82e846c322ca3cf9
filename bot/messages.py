"""What handlers receive and return, the same on every platform.

A handler gets an ``Incoming`` and returns ``Reply`` / ``Answer`` objects. Text is a tiny
rich-text model (``Rich``: paragraphs of ``Span``s with bold, italic and links) that each
platform renders its own way (``bot.render``), so no handler ever writes HTML or worries about
escaping or message length limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bantin.text import nfc
from bot.errors import BotError

CALLBACK_DATA_MAX_BYTES = 64  # Telegram's limit for inline button data

ChatType = Literal["private", "group"]


@dataclass(frozen=True)
class Span:
    """A run of text in one style. ``url`` makes it a link (only http(s) links are kept).

    ``code`` shows the text verbatim (monospace on Telegram): nothing in it becomes a link, a
    command or a mention, which is how readers' words are shown to moderators.
    """

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None
    code: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text))
        if self.url is not None and not self.url.startswith(("http://", "https://")):
            object.__setattr__(self, "url", None)


Paragraph = tuple[Span, ...]
SpanLike = Span | str


def _span(item: SpanLike) -> Span:
    return item if isinstance(item, Span) else Span(item)


def bold(text: str) -> Span:
    return Span(text, bold=True)


def italic(text: str) -> Span:
    return Span(text, italic=True)


def link(text: str, url: str, *, bold: bool = False) -> Span:
    return Span(text, bold=bold, url=url)


@dataclass(frozen=True)
class Rich:
    """Paragraphs of spans. Renderers split long text only between paragraphs when they can."""

    paragraphs: tuple[Paragraph, ...] = ()

    @classmethod
    def of(cls, *paragraphs: SpanLike | Iterable[SpanLike] | None) -> Rich:
        """``Rich.of("one paragraph", [bold("Title"), " rest"], None)``; ``None`` is skipped."""
        built: list[Paragraph] = []
        for paragraph in paragraphs:
            if paragraph is None:
                continue
            if isinstance(paragraph, (str, Span)):
                paragraph = [paragraph]
            spans = tuple(_span(item) for item in paragraph if item)
            if spans:
                built.append(spans)
        return cls(tuple(built))

    def __add__(self, other: Rich) -> Rich:
        return Rich(self.paragraphs + other.paragraphs)

    def plain_text(self) -> str:
        """The text without any formatting (for logs and tests)."""
        return "\n\n".join("".join(span.text for span in p) for p in self.paragraphs)


@dataclass(frozen=True)
class Button:
    """An inline button: ``data`` comes back in ``Incoming.button``; or ``url`` opens a page.

    ``data`` starting with ``/`` is a command, so a transport without buttons can print it for
    the reader to type ("Xem thêm: gõ /latest 5 trang 2").
    """

    text: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button needs exactly one of data or url")
        if self.data is not None and len(self.data.encode("utf-8")) > CALLBACK_DATA_MAX_BYTES:
            raise ValueError(f"button data over {CALLBACK_DATA_MAX_BYTES} bytes: {self.data!r}")


Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Address:
    """A chat on a platform: where a reply goes when it is not the current chat."""

    platform: str
    chat_id: str


@dataclass(frozen=True)
class Reply:
    """One thing to send.

    - ``text`` with optional ``buttons`` (rows), sent to the current chat or to ``to``;
    - ``reply_to``: the message id it answers (shown as a quote where the platform can);
    - ``edit``: the id of an earlier bot message to change instead of sending a new one
      (``text=None`` changes only its buttons);
    - ``article_ids``: the articles it shows, recorded so a reader's reply finds its article;
    - ``on_sent``: called (in a worker thread) with the ids of the messages once sent, so a
      handler can remember them (the moderation queue ties each message to its feedback);
    - ``at_most_once``: never resend a request that may already have arrived (after a read
      timeout or a connection lost after sending); the transport raises ``DeliveryUnknown``
      instead. Digests use it: a reader must never get the same digest twice;
    - ``then``: for a handler's reply, called (in a worker thread) once it was delivered, with
      ``None``, or once it could not be, with the ``BotError``; the replies it returns are sent
      next (to the current chat unless they say otherwise). A moderator learns this way whether
      the answer reached the reader.
    """

    text: Rich | None
    buttons: Buttons = ()
    reply_to: str | None = None
    edit: str | None = None
    to: Address | None = None
    article_ids: tuple[int, ...] = ()
    on_sent: Callable[[list[str]], None] | None = field(default=None, compare=False, repr=False)
    at_most_once: bool = False
    then: Callable[[BotError | None], list[Reply]] | None = field(default=None, compare=False,
                                                              repr=False)


@dataclass(frozen=True)
class Answer:
    """The answer to a pressed button (Telegram shows it as a toast, or an alert)."""

    text: str = ""
    alert: bool = False


Outgoing = Reply | Answer


@dataclass(frozen=True)
class Incoming:
    """One thing a reader did, as every transport describes it.

    ``text`` is the message text (NFC) or empty for stickers, photos and the like; ``button``
    is the data of a pressed inline button, with ``message_id`` the bot message that carried
    it; ``reply_to`` is the id of the message this one replies to and ``reply_to_bot`` whether
    that message was the bot's own. ``can_reply`` says whether the platform lets a reader reply
    to a bot message at all (Telegram does; Zalo's updates say nothing of replies), so
    handlers know which way of naming an article to suggest.
    """

    platform: str
    chat_id: str
    user_id: str | None = None
    display_name: str = ""
    chat_type: ChatType = "private"
    text: str = ""
    button: str | None = None
    message_id: str | None = None
    reply_to: str | None = None
    reply_to_bot: bool = False
    bot_username: str | None = None
    callback_id: str | None = None
    can_reply: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", nfc(self.text or ""))
        object.__setattr__(self, "display_name", nfc(self.display_name or ""))

    @property
    def address(self) -> Address:
        return Address(self.platform, self.chat_id)

    @property
    def is_private(self) -> bool:
        return self.chat_type == "private"
