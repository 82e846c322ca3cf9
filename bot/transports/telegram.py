"""The Telegram transport: python-telegram-bot's ``Application`` adapted to ``BotCore``.

Requests go through ``bot.transports.telegram_request.AiohttpRequest`` (python-telegram-bot's HTTP
back-end on aiohttp: half the CPU of the default one, and failures sorted by whether the
request may have arrived). Flood control is the library's ``AIORateLimiter``: on 429 it holds
every request back for ``retry_after`` and retries up to 3 times. What it leaves to us is decided
here, once per message:

- 403 Forbidden or "chat not found" → ``ChatUnreachable`` (the core marks the chat inactive);
- 400 "can't parse entities" → the same message resent once as plain text;
- the request certainly did not reach Telegram (cannot connect, connect or pool timeout, 5xx)
  → retried with backoff (``retry_delays``: 3 retries), then ``DeliveryFailed``;
- the request may have reached Telegram (read timeout, connection lost after sending) → a
  ``Reply`` marked ``at_most_once`` (digests) is not resent: ``DeliveryUnknown``, since a
  resend could deliver it twice; other replies are retried like the above (a reader may see a
  duplicate answer to a command, which is better than no answer; edits are idempotent);
- 429 after the rate limiter's own retries → ``DeliveryFailed``;
- polling (our own ``getUpdates`` loop, like Zalo's) survives lost connections and 5xx by
  waiting a growing pause, and start-up keeps retrying until Telegram answers; every such wait
  goes through ``bot.engine.stopping``, so a stop ends it at once;
- ``send`` before start-up has reached Telegram raises ``BotError`` ("not connected"): the
  other platforms, the digests and the moderators' outbox carry on and try again later.

With ``webhook_url`` set, updates arrive by webhook instead (``bot.transports.webhook`` checks the
``X-Telegram-Bot-Api-Secret-Token`` header): each JSON body becomes ``Update.de_json`` and goes
into the Application's update queue, as in python-telegram-bot's "custom webhook" example, and
start-up registers the URL with ``set_webhook(url, secret_token=…)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, TypeHandler

# Opt in to python-telegram-bot's timedelta time periods (``RetryAfter.retry_after`` and
# friends): the int form is deprecated and warns on every 429. Set before the library reads it.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.engine.core import SORRY, BotCore  # noqa: E402
from bot.engine.errors import (  # noqa: E402
    BotError,
    ChatUnreachable,
    DeliveryFailed,
    DeliveryUnknown,
    InvalidUpdate,
)
from bot.engine.lru import LRU  # noqa: E402
from bot.engine.messages import Answer, Buttons, ChatType, Incoming, Reply, Rich  # noqa: E402
from bot.engine.redaction import redact  # noqa: E402
from bot.engine.render import render_telegram  # noqa: E402
from bot.engine.stopping import NEVER, Stopping  # noqa: E402
from bot.transports.telegram_request import AiohttpRequest, FateUnknown  # noqa: E402
from bot.transports.webhook import Endpoint, WebhookServer, path_of  # noqa: E402

log = logging.getLogger(__name__)

PLATFORM = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
DELIVERED_UPDATES = 10_000  # webhook update ids remembered against re-delivery
_UNREACHABLE = ("chat not found", "bot was blocked", "user is deactivated", "bot was kicked",
                "not enough rights to send", "have no rights to send")


@dataclass(frozen=True)
class TelegramSettings:
    """How the transport reaches Telegram. The fields with a ``table`` in their metadata are the
    ``[telegram]`` keys of the config file, which ``bantin.config`` checks and builds this from
    (``check`` names its check); the others are fixed here. The moderators' keys of
    ``[telegram]`` are ``bot.engine.context.ModerationSettings``'s.

    The token and the webhook secret are ``repr=False``: never in a ``repr``, and the config
    loader shows them as ``<hidden>`` in its errors."""

    token: str = field(default="", repr=False, metadata={"table": "telegram"})
    """The bot token from @BotFather; empty: no Telegram (``BANTIN_TELEGRAM_TOKEN`` may set it)."""
    base_url: str = field(default="https://api.telegram.org/bot",
                          metadata={"table": "telegram", "check": "http_url"})
    """The Bot API address; python-telegram-bot appends ``<token>/<method>``."""
    rate_limit_per_second: float = field(default=25,
                                         metadata={"table": "telegram", "check": "positive"})
    """Messages per second across all chats (Telegram allows about 30)."""
    webhook_url: str = field(default="",
                             metadata={"table": "telegram", "check": "https_url_or_empty"})
    """Empty: long polling; an ``https://`` URL: updates arrive by webhook there."""
    webhook_secret: str = field(default="", repr=False, metadata={"table": "telegram"})
    """Required with ``webhook_url``: Telegram sends it back in ``SECRET_HEADER``."""
    poll_timeout: float = 10  # seconds a getUpdates long poll may wait
    retry_delays: tuple[float, ...] = (0.5, 1.0, 2.0)  # backoff: one delay per retry
    poll_backoff: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0)  # polling after failures
    request_timeout: float = 10


def html_to_plain(text: str) -> str:
    """Our own HTML (b, i, code, a) back to plain text, links written out after their text."""
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', lambda m: f"{m[2]} ({m[1]})", text, flags=re.S)
    return html.unescape(re.sub(r"</?(?:b|i|code)>", "", text))


def _markup(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(b.text, callback_data=b.data, url=b.url) for b in row]
        for row in buttons
    ])


def incoming_from_update(update: Update, bot_id: int, bot_username: str | None) -> Incoming | None:
    """The platform-neutral view of an update; ``None`` for updates the bot ignores."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None or not isinstance(message, Message):
            return None
        return Incoming(
            platform=PLATFORM, chat_id=str(message.chat.id), user_id=str(query.from_user.id),
            display_name=query.from_user.full_name, chat_type=_chat_type(message.chat.type),
            button=query.data or "", message_id=str(message.message_id),
            bot_username=bot_username, callback_id=query.id, can_reply=True,
        )
    message = update.message
    if message is None or message.chat.type == "channel":
        return None
    replied = message.reply_to_message
    user = message.from_user
    return Incoming(
        platform=PLATFORM, chat_id=str(message.chat.id),
        user_id=str(user.id) if user else None,
        display_name=user.full_name if user else (message.chat.title or ""),
        chat_type=_chat_type(message.chat.type), text=message.text or "",
        message_id=str(message.message_id),
        reply_to=str(replied.message_id) if replied else None,
        reply_to_bot=bool(replied and replied.from_user and replied.from_user.id == bot_id),
        bot_username=bot_username, can_reply=True,
    )


def _chat_type(kind: str) -> ChatType:
    return "private" if kind == "private" else "group"


class TelegramTransport:
    """Receives updates by long polling and sends the core's replies."""

    platform = PLATFORM

    def __init__(self, core: BotCore, settings: TelegramSettings,
                 webhook: WebhookServer | None = None, stopping: Stopping = NEVER) -> None:
        self.core = core
        self.settings = settings
        self.stopping = stopping
        self._requests = (
            AiohttpRequest(connection_pool_size=64, read_timeout=settings.request_timeout,
                           connect_timeout=settings.request_timeout,
                           pool_timeout=settings.request_timeout),
            AiohttpRequest(connection_pool_size=1, read_timeout=5,
                           connect_timeout=settings.request_timeout,
                           pool_timeout=settings.request_timeout),
        )
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.token)
            .base_url(settings.base_url)
            .rate_limiter(AIORateLimiter(overall_max_rate=settings.rate_limit_per_second,
                                         overall_time_period=1, max_retries=3))
            .concurrent_updates(True)
            .job_queue(None)  # scheduling is APScheduler in bantin, not PTB's JobQueue
            .updater(None)  # polling is ours (_poll_forever): its waits must end on a stop
            .request(self._requests[0])
            .get_updates_request(self._requests[1])
            .build()
        )
        self._rendered: LRU[int, tuple[Rich, list[str]]] = LRU(RENDER_CACHE_SIZE)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self._started = False
        self._poller: asyncio.Task | None = None
        self._offset: int | None = None  # the next update id to ask getUpdates for
        # Webhook update ids already queued, so a re-delivery is not answered twice. In memory
        # and bounded: after a restart, or 10,000 newer updates, a repeat is not recognised.
        self._delivered: LRU[int, bool] = LRU(DELIVERED_UPDATES)
        if settings.webhook_url:
            if webhook is None:
                raise BotError("telegram webhook_url is set but no webhook server was given")
            webhook.add_endpoint(Endpoint(
                name="telegram", path=path_of(settings.webhook_url, "/telegram"),
                header=SECRET_HEADER, secret=settings.webhook_secret,
                on_payload=self._on_webhook, ready=lambda: self._started,
            ))
        core.add_transport(self)

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect (waiting out an outage), then receive by webhook or long polling.

        Every wait ends on a stop (``Stopped``); ``stop`` cleans up whatever was reached."""
        await self._initialize()
        await self._register_commands()
        await self.application.start()
        if self.settings.webhook_url:
            await self._set_webhook()
            self._started = True
            log.info("telegram: running as @%s (webhook %s)", self.application.bot.username,
                     self.settings.webhook_url)
            return
        await self._delete_webhook()
        self._started = True
        self._poller = asyncio.create_task(self._poll_forever(), name="telegram-poll")
        log.info("telegram: running as @%s (long polling)", self.application.bot.username)

    @property
    def connected(self) -> bool:
        """Start-up has reached Telegram and receiving runs: sends may go out."""
        return self._started

    async def _retrying(self, what: str, request: Callable[[], Awaitable[object]]) -> object:
        """``request()`` until it gets an answer: network trouble and flood control are waited
        out (through ``stopping``); other Telegram errors are raised."""
        delays = self.settings.retry_delays or (1.0,)
        attempt = 0
        while True:
            try:
                return await self.stopping.guard(request())
            except RetryAfter as error:
                delay = max(_seconds(error.retry_after), 0.1)
            except NetworkError as error:
                delay = delays[min(attempt, len(delays) - 1)]
                log.warning("telegram: %s failed (%s); retrying in %.1f s", what,
                            redact(str(error)), delay)
            attempt += 1
            await self.stopping.sleep(delay)

    async def _set_webhook(self) -> None:
        """Register the webhook URL and secret; network trouble is waited out like at start."""
        try:
            await self._retrying("setWebhook", lambda: self.application.bot.set_webhook(
                self.settings.webhook_url, secret_token=self.settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES))
        except TelegramError as error:
            raise BotError(f"telegram refused the webhook: {redact(str(error))}") from None

    async def _delete_webhook(self) -> None:
        """getUpdates does not work while a webhook is set (left over from an earlier run)."""
        try:
            await self._retrying("deleteWebhook", lambda: self.application.bot.delete_webhook())
        except TelegramError as error:
            log.warning("telegram: deleteWebhook failed (%s); polling anyway", redact(str(error)))

    async def _initialize(self) -> None:
        """``getMe`` until Telegram answers: a network outage at start-up is waited out."""
        try:
            await self._retrying("getMe (start-up)", self.application.initialize)
        except InvalidToken:
            raise BotError("telegram rejected the token "
                           f"({redact(self.settings.token) or 'empty'})") from None

    async def _poll_forever(self) -> None:
        """Long polling: updates go to the Application's queue, failures wait a growing pause."""
        backoff = self.settings.poll_backoff or (1.0,)
        failures = 0
        while True:
            try:
                updates = await self.application.bot.get_updates(
                    offset=self._offset, timeout=self.settings.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES)
            except asyncio.CancelledError:
                raise
            except RetryAfter as error:
                delay = max(_seconds(error.retry_after), 0.1)
            except InvalidToken:
                log.error("telegram: the token was revoked; polling stops")
                return
            except TelegramError as error:
                if isinstance(error, NetworkError) and "timed out" in str(error).lower():
                    continue  # a long poll that outlived its read timeout: ask again at once
                delay = backoff[min(failures, len(backoff) - 1)]
                failures += 1
                log.warning("telegram: getUpdates failed (%s); polling again in %.1f s",
                            redact(str(error)), delay)
            else:
                failures = 0
                for update in updates:
                    self._offset = update.update_id + 1
                    await self.application.update_queue.put(update)
                continue
            await self.stopping.sleep(delay)

    async def _confirm_updates(self) -> None:
        """Tell Telegram the updates handed out so far are done, so a restart does not get
        them again (what python-telegram-bot's updater does on stop); a short, single try."""
        if self._offset is None:
            return
        with contextlib.suppress(TelegramError, TimeoutError):
            await asyncio.wait_for(self.application.bot.get_updates(
                offset=self._offset, timeout=0, allowed_updates=ALLOWED_UPDATES), 3)

    async def _register_commands(self) -> None:
        commands = [BotCommand(c.name, c.description) for c in self.core.router.public_commands()]
        try:
            await self.application.bot.set_my_commands(commands)
        except TelegramError as error:
            log.warning("telegram: could not set the command menu: %s", error)

    async def stop(self) -> None:
        """Stop receiving, let the Application finish, and close every HTTP session, whatever
        point start-up had reached (it may have been cut short by a stop)."""
        self._started = False
        try:
            if self._poller is not None:
                self._poller.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._poller
                self._poller = None
                await self._confirm_updates()
            if self.application.running:
                await self.application.stop()
            if self.application._initialized:  # noqa: SLF001  (no public flag)
                await self.application.shutdown()
        finally:
            for request in self._requests:  # also when initialize was cut short
                await request.shutdown()

    # --- receiving ----------------------------------------------------------------------------

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        bot = self.application.bot
        incoming = incoming_from_update(update, bot.id, bot.username)
        if incoming is not None:
            await self.core.process(incoming)

    async def _on_webhook(self, payload: dict) -> None:
        """A webhook delivery: queue it for the Application like a polled update.

        A body that is not an update raises ``InvalidUpdate`` (400); an ``update_id`` already
        queued (Telegram re-delivers when it missed our answer) is acknowledged and dropped.
        """
        update_id = payload.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise InvalidUpdate("no whole-number update_id")
        try:
            update = Update.de_json(payload, self.application.bot)
        except Exception as error:  # PTB raises whatever a malformed field makes it raise
            raise InvalidUpdate(f"{type(error).__name__}: {error}") from None
        if update is None:
            raise InvalidUpdate("empty update")
        if self._delivered.peek(update_id):
            log.info("telegram: update %s delivered again; acknowledged, not answered twice",
                     update_id)
            return
        self._delivered.put(update_id, True)
        await self.application.update_queue.put(update)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Anything the core did not handle: log it, and apologise to the reader if we can."""
        log.error("telegram: error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await self.send(str(update.effective_chat.id), Reply(Rich.of(SORRY)))
            except BotError as error:
                log.warning("telegram: could not apologise: %s", error)

    # --- sending ------------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> list[str]:
        if not self._started and not self.application.running:
            raise BotError("telegram is not connected (yet)")
        chunks = self._render(reply.text) if reply.text is not None else []
        markup = _markup(reply.buttons)
        ids: list[str] = []
        edit = reply.edit
        if edit is not None:
            if not chunks:
                await self._call(chat_id, None, reply, lambda text, mode: self.application.bot
                                 .edit_message_reply_markup(chat_id, int(edit),
                                                            reply_markup=markup))
                return [edit]
            first, chunks = chunks[0], chunks[1:]
            await self._call(chat_id, first, reply, lambda text, mode: self.application.bot
                             .edit_message_text(text, chat_id, int(edit), parse_mode=mode,
                                                reply_markup=None if chunks else markup,
                                                link_preview_options=_NO_PREVIEW))
            ids.append(edit)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            reply_parameters = (
                ReplyParameters(int(reply.reply_to), allow_sending_without_reply=True)
                if reply.reply_to and index == 0 and not ids else None
            )
            message = await self._call(
                chat_id, chunk, reply, lambda text, mode, rp=reply_parameters,
                mk=markup if last else None: self.application.bot.send_message(
                    chat_id, text, parse_mode=mode, reply_markup=mk, reply_parameters=rp,
                    link_preview_options=_NO_PREVIEW))
            if isinstance(message, Message):
                ids.append(str(message.message_id))
        return ids

    def _render(self, rich: Rich) -> list[str]:
        """HTML chunks of ``rich``, rendered once per ``Rich`` object: a digest shared by
        thousands of readers is one object (the sender's cache), so it is rendered once."""
        key = id(rich)
        cached = self._rendered.get(key)
        if cached is not None and cached[0] is rich:  # the object is kept, so its id is its own
            return cached[1]
        chunks = render_telegram(rich)
        self._rendered.put(key, (rich, chunks))
        return chunks

    def message_count(self, reply: Reply) -> int:
        """Rendered afresh, not through ``_render``'s cache: this may run in a worker thread."""
        return len(render_telegram(reply.text)) if reply.text is not None else 0

    async def _call(self, chat_id: str, text: str | None, reply: Reply,
                    request: Callable[..., Awaitable[Any]]) -> Any:
        """One Bot API call with the error policy of the module docstring."""
        delays = self.settings.retry_delays
        mode: str | None = ParseMode.HTML
        plain_tried = False
        attempt = 0
        while True:
            try:
                return await request(text, mode)
            except Forbidden as error:
                raise ChatUnreachable(f"forbidden: {error.message}") from error
            except ChatMigrated as error:
                raise ChatUnreachable(f"group moved to {error.new_chat_id}") from error
            except BadRequest as error:
                message = error.message.lower()
                if "not modified" in message:
                    return None
                if any(phrase in message for phrase in _UNREACHABLE):
                    raise ChatUnreachable(error.message) from error
                if "can't parse entities" in message and text is not None and not plain_tried:
                    log.warning("telegram: %s; resending as plain text", error.message)
                    plain_tried, mode, text = True, None, html_to_plain(text)
                    continue
                raise DeliveryFailed(f"bad request: {error.message}") from error
            except RetryAfter as error:  # the rate limiter's own 3 retries are used up
                seconds = _seconds(error.retry_after)
                raise DeliveryFailed(f"flood control: retry after {seconds:g}s") from error
            except NetworkError as error:  # cannot connect, timeouts, lost connections, 5xx
                if isinstance(error, FateUnknown) and reply.at_most_once:
                    raise DeliveryUnknown(f"unknown fate: {error.message}") from error
                if attempt >= len(delays):
                    raise DeliveryFailed(f"network: {error.message}") from error
                log.info("telegram: %s; retrying in %.1f s", redact(error.message),
                         delays[attempt])
                await self.stopping.sleep(delays[attempt])
                attempt += 1
            except TelegramError as error:
                raise DeliveryFailed(str(error)) from error

    async def answer(self, incoming: Incoming, answer: Answer) -> None:
        if incoming.callback_id is None:
            return
        try:
            await self.application.bot.answer_callback_query(
                incoming.callback_id, text=answer.text or None, show_alert=answer.alert
            )
        except TelegramError as error:  # an old or already answered query: nothing to do
            log.info("telegram: answerCallbackQuery failed: %s", error)


def _seconds(period: timedelta | float) -> float:
    """A time period from python-telegram-bot (a ``timedelta``, or a number before opting in)."""
    return period.total_seconds() if isinstance(period, timedelta) else float(period)


_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
RENDER_CACHE_SIZE = 64
