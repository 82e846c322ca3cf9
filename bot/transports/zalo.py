"""The Zalo transport: the Zalo Bot API (``bot-api.zaloplatforms.com``) adapted to ``BotCore``.

Every method is a POST of JSON to ``<base_url><token>/<method>`` answering
``{"ok": true, "result": …}`` or ``{"ok": false, "error_code": …, "description": …}``.
What differs from Telegram, and what this module does about it:

- ``getUpdates`` hands out ONE update per call and has no offset; a long poll that ends empty
  answers ``ok: false`` with ``error_code`` 408, which is normal, not an error. Other failures
  (``ok: false``, 5xx, garbage, timeouts, lost connections) are logged and retried after a
  growing pause; polling never stops by itself. The same message seen twice (a redelivered
  webhook) is handled once.
- There are no inline keyboards: a reply's buttons become "what to type" lines
  (``Xem thêm: gõ /latest 5 trang 2``), and a reader may simply answer "thêm" for the next page.
- Text is plain, 1–2000 characters: replies are rendered without markup and split between
  paragraphs (``bot.engine.render``); nothing can be edited, so an edit is sent as a new message.
- Sending: an answer that says the reader blocked the bot or the chat is gone (403, or such a
  description) → ``ChatUnreachable`` (the core marks the chat inactive); 429, 5xx and network
  errors are retried with backoff (3 retries), then ``DeliveryFailed``; anything else →
  ``DeliveryFailed``. A digest (``Reply.at_most_once``) is not resent after an error that may
  have reached Zalo (a read timeout, a connection lost mid-way): ``DeliveryUnknown``.
  No rate limit is documented; we stay under ``rate_limit_per_second`` anyway.
- Receiving by webhook instead of polling when ``webhook_url`` is set (``bot.transports.webhook``).
- Every retry pause (start-up, polling, sending) goes through ``bot.engine.stopping``: a stop ends it
  at once, and a start-up request in flight is cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.engine.core import BotCore
from bot.engine.errors import BotError, ChatUnreachable, DeliveryFailed, DeliveryUnknown, InvalidUpdate
from bot.engine.lru import LRU
from bot.engine.messages import Answer, Incoming, Reply, Rich
from bot.engine.pacing import Pacer
from bot.engine.redaction import redact
from bot.engine.render import PLAIN
from bot.engine.stopping import NEVER, Stopping
from bot.transports.paging import as_command, asks_for_more
from bot.transports.webhook import Endpoint, WebhookServer, path_of

log = logging.getLogger(__name__)

PLATFORM = "zalo"
TEXT_LIMIT = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
EMPTY_POLL = 408
TEXT_EVENT = "message.text.received"
_UNREACHABLE = ("blocked", "chặn", "user not found", "chat not found", "not exist",
                "không tồn tại", "unfollow")
SEEN_MESSAGES = 10_000
REMEMBERED_PAGES = 10_000


@dataclass(frozen=True)
class ZaloSettings:
    """How the transport reaches Zalo. The fields with a ``table`` in their metadata are the
    ``[zalo]`` keys of the config file, which ``bantin.config`` checks and builds this from
    (``check`` names its check); the others are fixed here.

    The token and the webhook secret are ``repr=False``: never in a ``repr``, and the config
    loader shows them as ``<hidden>`` in its errors."""

    token: str = field(default="", repr=False, metadata={"table": "zalo"})
    """The Zalo Bot token, ``<bot_id>:<secret>``; empty: no Zalo (``BANTIN_ZALO_TOKEN``)."""
    base_url: str = field(default="https://bot-api.zaloplatforms.com/bot",
                          metadata={"table": "zalo", "check": "http_url"})
    """The Zalo Bot API address; the transport appends ``<token>/<method>``."""
    rate_limit_per_second: float = field(default=20,
                                         metadata={"table": "zalo", "check": "positive"})
    """Messages per second across all chats (Zalo documents no limit; this keeps it polite)."""
    webhook_url: str = field(default="",
                             metadata={"table": "zalo", "check": "https_url_or_empty"})
    """Empty: long polling (getUpdates); an ``https://`` URL: updates arrive by webhook there."""
    webhook_secret: str = field(default="", repr=False, metadata={"table": "zalo"})
    """Required with ``webhook_url``: Zalo sends it back in ``SECRET_HEADER``."""
    poll_timeout: float = 30  # seconds Zalo may hold one getUpdates long poll
    request_timeout: float = 10
    retry_delays: tuple[float, ...] = (0.5, 1.0, 2.0)  # sending: network errors, 5xx, 429
    poll_backoff: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0, 30.0)  # polling after failures
    max_in_flight: int = 64  # updates being handled at once before polling waits


class ZaloApiError(BotError):
    """The Bot API answered ``ok: false`` (or not JSON); ``code`` is its ``error_code``."""

    def __init__(self, method: str, code: int, description: str) -> None:
        super().__init__(f"{method}: {code} {description}".strip())
        self.method, self.code, self.description = method, code, description


class ZaloNetworkError(BotError):
    """No answer: connection refused or lost, or a timeout.

    ``may_have_arrived`` is False only when the request certainly never reached Zalo (no
    connection); after a read timeout or a connection lost mid-way Zalo may have delivered it.
    """

    def __init__(self, message: str, *, may_have_arrived: bool = True) -> None:
        super().__init__(message)
        self.may_have_arrived = may_have_arrived


_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def _object(value: object) -> dict[str, Any]:
    """A JSON object from an update, or an empty one when the field is missing or not an object."""
    return value if isinstance(value, dict) else {}


def incoming_from_update(update: dict[str, Any]) -> Incoming | None:
    """The platform-neutral view of one update; ``None`` for updates the bot ignores."""
    message = update.get("message")
    if not isinstance(message, dict):
        return None
    chat = _object(message.get("chat"))
    chat_id = str(chat.get("id") or "").strip()
    if not chat_id:
        return None
    sender = _object(message.get("from"))
    event = str(update.get("event_name") or TEXT_EVENT)
    text = message.get("text") if event == TEXT_EVENT else None
    user_id = sender.get("id")
    return Incoming(
        platform=PLATFORM, chat_id=chat_id,
        user_id=str(user_id) if user_id is not None else None,
        display_name=str(sender.get("display_name") or sender.get("first_name")
                         or sender.get("name") or ""),
        chat_type="group" if str(chat.get("chat_type", "")).upper() == "GROUP" else "private",
        text=text if isinstance(text, str) else "",
        message_id=str(message["message_id"]) if message.get("message_id") else None,
    )


def render_reply(reply: Reply) -> list[str]:
    """The plain-text messages for ``reply``: its text, then its buttons as lines to type."""
    rich = reply.text or Rich()
    if reply.buttons:
        rich = rich + Rich.of(PLAIN.buttons_text(reply.buttons))
    return PLAIN.render(rich, TEXT_LIMIT)


class ZaloTransport:
    """Receives updates (long polling or webhook) and sends the core's replies."""

    platform = PLATFORM

    def __init__(self, core: BotCore, settings: ZaloSettings,
                 webhook: WebhookServer | None = None, stopping: Stopping = NEVER) -> None:
        self.core = core
        self.settings = settings
        self.stopping = stopping
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(settings.request_timeout),
            limits=httpx.Limits(max_connections=settings.max_in_flight + 8,
                                max_keepalive_connections=32),
            headers={"Content-Type": "application/json"},
        )
        self._pacer = Pacer(settings.rate_limit_per_second)
        self._slots = asyncio.Semaphore(settings.max_in_flight)
        self._tasks: set[asyncio.Task] = set()
        self._poller: asyncio.Task | None = None
        self._running = False
        self._seen: LRU[tuple[str, str], bool] = LRU(SEEN_MESSAGES)
        self._pages: LRU[str, str] = LRU(REMEMBERED_PAGES)  # chat → next-page command
        self.bot_info: dict[str, Any] = {}
        if settings.webhook_url:
            if webhook is None:
                raise BotError("zalo webhook_url is set but no webhook server was given")
            webhook.add_endpoint(Endpoint(
                name="zalo", path=path_of(settings.webhook_url, "/zalo"), header=SECRET_HEADER,
                secret=settings.webhook_secret, on_payload=self._on_webhook,
                ready=lambda: self._running,
            ))
        core.add_transport(self)

    # --- the Bot API --------------------------------------------------------------------------

    async def call(self, method: str, payload: dict[str, Any] | None = None, *,
                   timeout: float | None = None) -> Any:
        """One API call: the ``result`` when ``ok``, else ``ZaloApiError``/``ZaloNetworkError``."""
        url = f"{self.settings.base_url}{self.settings.token}/{method}"
        try:
            response = await self.client.post(
                url, json=payload or {},
                timeout=httpx.Timeout(timeout) if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as error:
            raise ZaloNetworkError(f"{method}: timed out ({type(error).__name__})",
                                   may_have_arrived=not isinstance(error, _NEVER_SENT)) from None
        except httpx.HTTPError as error:
            shown = redact(self._redact(str(error))) or type(error).__name__
            raise ZaloNetworkError(f"{method}: {shown}",
                                   may_have_arrived=not isinstance(error, _NEVER_SENT)) from None
        try:
            body = response.json()
        except ValueError:
            raise ZaloApiError(method, response.status_code,
                               f"answer is not JSON (HTTP {response.status_code})") from None
        if not isinstance(body, dict):
            raise ZaloApiError(method, response.status_code, "answer is not a JSON object")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        raise ZaloApiError(method, code if isinstance(code, int) else response.status_code,
                           str(body.get("description") or ""))

    def _redact(self, text: str) -> str:
        return text.replace(self.settings.token, "<token>") if self.settings.token else text

    # --- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect (waiting out an outage), then poll or serve the webhook. A failed or
        stopped start-up leaves ``stop`` to close the client (it is always called)."""
        await self._start()

    async def _start(self) -> None:
        await self._get_me()
        if self.settings.webhook_url:
            try:
                await self._with_retries("setWebhook", {
                    "url": self.settings.webhook_url,
                    "secret_token": self.settings.webhook_secret})
            except ZaloApiError as error:
                raise BotError(f"zalo refused the webhook: {error}") from None
            self._running = True
            log.info("zalo: running as %s (webhook %s)", self.bot_info.get("account_name", "?"),
                     self.settings.webhook_url)
            return
        try:  # getUpdates does not work while a webhook is set
            await self.stopping.guard(self.call("deleteWebhook"))
        except BotError as error:
            log.warning("zalo: deleteWebhook failed (%s); polling anyway", error)
        self._running = True
        self._poller = asyncio.create_task(self._poll_forever(), name="zalo-poll")
        log.info("zalo: running as %s (long polling)", self.bot_info.get("account_name", "?"))

    async def _get_me(self) -> None:
        """``getMe`` until Zalo answers: a network outage at start-up is waited out."""
        try:
            self.bot_info = await self._with_retries("getMe", {}) or {}
        except ZaloApiError as error:
            if error.code in (401, 403, 404):
                raise BotError(f"zalo rejected the token ({error.code} {error.description})"
                               ) from None
            raise

    async def _with_retries(self, method: str, payload: dict[str, Any]) -> Any:
        """Start-up calls: retried for as long as the network or Zalo's servers fail."""
        delays = self.settings.poll_backoff or (1.0,)
        attempt = 0
        while True:
            try:
                return await self.stopping.guard(self.call(method, payload))
            except ZaloApiError as error:
                if error.code < 500 and error.code != 429:
                    raise
                failure: BotError = error
            except ZaloNetworkError as error:
                failure = error
            delay = delays[min(attempt, len(delays) - 1)]
            attempt += 1
            log.warning("zalo: %s; retrying in %.1f s", failure, delay)
            await self.stopping.sleep(delay)

    async def stop(self) -> None:
        self._running = False
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        try:
            if self._tasks:  # let replies in flight reach their readers
                done, pending = await asyncio.wait(self._tasks, timeout=5)
                for task in pending:
                    task.cancel()
        finally:
            await self.client.aclose()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def connected(self) -> bool:
        """Start-up has reached Zalo and receiving runs: sends may go out."""
        return self._running

    # --- receiving ----------------------------------------------------------------------------

    async def _poll_forever(self) -> None:
        failures = 0
        backoff = self.settings.poll_backoff or (1.0,)
        while self._running:
            try:
                result = await self.call(
                    "getUpdates", {"timeout": str(int(self.settings.poll_timeout))},
                    timeout=self.settings.poll_timeout + self.settings.request_timeout,
                )
            except ZaloApiError as error:
                if error.code == EMPTY_POLL:
                    failures = 0
                    continue
                problem: BotError = error
            except ZaloNetworkError as error:
                problem = error
            else:
                failures = 0
                for update in result if isinstance(result, list) else [result]:
                    if isinstance(update, dict):
                        await self._accept(update)
                continue
            delay = backoff[min(failures, len(backoff) - 1)]
            failures += 1
            log.warning("zalo: getUpdates failed (%s); polling again in %.1f s", problem, delay)
            await self.stopping.sleep(delay)

    async def _on_webhook(self, payload: dict[str, Any]) -> None:
        """A webhook delivery: the update itself, or wrapped in ``{"ok", "result"}``.

        An update names its event or carries a message object; anything else raises
        ``InvalidUpdate`` (400). Events the bot does not handle are acknowledged and ignored.
        """
        result = payload.get("result")
        update: dict[str, Any] = result if isinstance(result, dict) else payload
        message = update.get("message")
        if not isinstance(update.get("event_name"), str) and not isinstance(message, dict):
            raise InvalidUpdate("neither an event_name nor a message object")
        if message is not None and not isinstance(message, dict):
            raise InvalidUpdate("message is not an object")
        await self._accept(update)

    async def _accept(self, update: dict[str, Any]) -> None:
        """Hand one update to the core without waiting for the reply (in-flight is bounded)."""
        incoming = incoming_from_update(update)
        if incoming is None:
            log.debug("zalo: ignoring update %r", str(update.get("event_name"))[:60])
            return
        if self._already_seen(incoming):
            log.info("zalo: message %s in %s seen before; ignored", incoming.message_id,
                     incoming.chat_id)
            return
        incoming = self._expand_more(incoming)
        await self._slots.acquire()
        task = asyncio.create_task(self._process(incoming))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, incoming: Incoming) -> None:
        try:
            await self.core.process(incoming)
        except Exception:  # the core already apologises; this is a bug in delivery itself
            log.exception("zalo: handling a message in %s failed", incoming.chat_id)
        finally:
            self._slots.release()

    def _already_seen(self, incoming: Incoming) -> bool:
        if incoming.message_id is None:
            return False
        key = (incoming.chat_id, incoming.message_id)
        if self._seen.peek(key):
            return True
        self._seen.put(key, True)
        return False

    def _expand_more(self, incoming: Incoming) -> Incoming:
        """"thêm" after a page with more results is the command for the next page."""
        command = self._pages.peek(incoming.chat_id) if asks_for_more(incoming.text) else None
        if command is None or not incoming.is_private:
            return incoming
        return as_command(incoming, command)

    # --- sending ------------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> list[str]:
        if reply.text is None:
            return []  # an edit of buttons only: Zalo messages have no buttons to change
        self._remember_page(chat_id, reply)
        ids: list[str] = []
        for text in render_reply(reply):
            result = await self._send_text(chat_id, text, at_most_once=reply.at_most_once)
            message_id = result.get("message_id") if isinstance(result, dict) else None
            if message_id:
                ids.append(str(message_id))
        return ids

    def _remember_page(self, chat_id: str, reply: Reply) -> None:
        """The reply's next page is what "thêm" asks for in this chat, until the next reply."""
        self._pages.pop(chat_id)
        if reply.next_page is not None:
            self._pages.put(chat_id, reply.next_page)

    def message_count(self, reply: Reply) -> int:
        return len(render_reply(reply)) if reply.text is not None else 0

    async def _send_text(self, chat_id: str, text: str, *, at_most_once: bool = False) -> Any:
        """``sendMessage`` with the error policy of the module docstring.

        With ``at_most_once`` (digests) a request that may have arrived is never resent.
        """
        delays = self.settings.retry_delays
        attempt = 0
        while True:
            await self._pacer.take()
            try:
                return await self.call("sendMessage", {"chat_id": chat_id, "text": text})
            except ZaloApiError as error:
                if _unreachable(error):
                    raise ChatUnreachable(f"zalo {error.code}: {error.description}") from None
                retryable = error.code >= 500 or error.code == 429
                if not retryable or attempt >= len(delays):
                    raise DeliveryFailed(f"zalo {error.code}: {error.description}") from None
                problem: BotError = error
            except ZaloNetworkError as error:
                if at_most_once and error.may_have_arrived:
                    raise DeliveryUnknown(f"unknown fate: {error}") from None
                if attempt >= len(delays):
                    raise DeliveryFailed(str(error)) from None
                problem = error
            log.info("zalo: sending to %s failed (%s); retrying in %.1f s", chat_id, problem,
                     delays[attempt])
            await self.stopping.sleep(delays[attempt])
            attempt += 1

    async def answer(self, incoming: Incoming, answer: Answer) -> None:
        """Zalo has no buttons, so there is never a button press to answer."""


def _unreachable(error: ZaloApiError) -> bool:
    """Whether Zalo said the reader cannot be written to (the codes are not documented)."""
    if error.code == 403:
        return True
    description = error.description.lower()
    return error.code < 500 and error.code not in (401, 429) and any(
        phrase in description for phrase in _UNREACHABLE)
