"""A local fake Telegram Bot API server for end-to-end tests and benchmarks.

The real python-telegram-bot ``Application`` talks to it through ``base_url``. Tests act as
readers: ``user_sends`` / ``user_presses`` queue updates that the bot's ``getUpdates`` long
poll receives, and ``wait_for`` awaits the bot's calls. Like Telegram it checks what it is sent:
HTML must parse (only Telegram's tags, only the entities Telegram knows), text must be 1-4096
characters after parsing, button data at most 64 bytes. Faults can be injected per method and
chat (429 with retry_after, 403, 400, 5xx), and so can calls that are carried out but answered
late (``delay``: the client's read timeout fires though the message arrived) or never answered
(``drop``: the connection is closed after the message arrived). Every call is recorded.

Usage::

    async with FakeTelegramServer() as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url)...
"""

from __future__ import annotations

import asyncio
import html.parser
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.recording import Recording

JSON_FIELDS = {"reply_markup", "reply_parameters", "link_preview_options", "commands",
               "allowed_updates", "entities", "scope"}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "tg-spoiler", "span", "blockquote", "tg-emoji"}
KNOWN_ENTITIES = {"lt", "gt", "amp", "quot"}
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class EntityError(ValueError):
    pass


class _TelegramHTML(html.parser.HTMLParser):
    """Telegram's HTML rules, strictly enough to catch what a real server would refuse."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            raise EntityError(f"Unsupported start tag \"{tag}\"")
        if tag == "a" and not dict(attrs).get("href"):
            raise EntityError("a tag without href")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f"Unexpected end tag \"{tag}\"")
        self.stack.pop()

    def handle_data(self, data):
        if "<" in data or ">" in data:
            raise EntityError("unescaped angle bracket")
        self.text.append(data)

    def handle_entityref(self, name):
        if name not in KNOWN_ENTITIES:
            raise EntityError(f"Unsupported entity \"&{name};\"")
        self.text.append({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name])

    def handle_charref(self, name):
        self.text.append(chr(int(name[1:], 16) if name[:1] in "xX" else int(name)))


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the reader sees; raises ``EntityError`` like Telegram's "can't parse entities"."""
    if parse_mode != "HTML":
        return text
    parser = _TelegramHTML()
    # A bare "&" not starting an entity is accepted by the parser as data; Telegram refuses it.
    if _BARE_AMPERSAND.search(text):
        raise EntityError("unescaped &")
    parser.feed(text)
    parser.close()
    if parser.stack:
        raise EntityError(f"Can't find end tag corresponding to start tag \"{parser.stack[-1]}\"")
    return "".join(parser.text)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


@dataclass
class Fault:
    method: str
    status: int
    description: str
    chat_id: int | None = None
    retry_after: int | None = None
    times: int = 1


@dataclass
class Lag:
    """Carry the call out, then answer after ``seconds`` — or close the connection (``drop``)."""

    method: str
    seconds: float = 0.0
    drop: bool = False
    chat_id: int | None = None
    times: int = 1


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict | None
    reply_to: int | None
    visible: str
    at: float
    edited: bool = False

    def buttons(self) -> list[dict]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class FakeTelegramServer(Recording):
    token: str = "123456:TEST-token"
    bot_id: int = 123456
    bot_username: str = "bantin_test_bot"
    host: str = "127.0.0.1"
    calls: list[Call] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    blocked: set[int] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    lags: list[Lag] = field(default_factory=list)
    record_calls: bool = True

    def __post_init__(self) -> None:
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._messages: dict[tuple[int, int], dict] = {}
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0
        self.delivered_at: dict[int, float] = {}  # update_id → when getUpdates handed it out
        self._update_index: dict[tuple[int, int], int] = {}  # (chat, message id) → update_id
        self.webhook_url = ""

    # --- running ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    async def start(self) -> FakeTelegramServer:
        app = web.Application(client_max_size=2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # end pending long polls now rather than at their timeout
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramServer:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    # --- what readers do ----------------------------------------------------------------------

    def user_sends(
        self,
        chat_id: int,
        text: str | None,
        *,
        user_id: int | None = None,
        first_name: str = "Lan",
        last_name: str = "Nguyễn",
        chat_type: str = "private",
        reply_to: int | None = None,
        sticker: bool = False,
    ) -> dict:
        """Queue a message from a reader; return the message object."""
        user_id = user_id if user_id is not None else chat_id
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Nhóm đọc báo"
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id), "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": first_name,
                     "last_name": last_name},
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if sticker:
            message["sticker"] = {"file_id": "s1", "file_unique_id": "u1", "width": 512,
                                  "height": 512, "is_animated": False, "is_video": False,
                                  "type": "regular"}
        if reply_to is not None:
            replied = self._messages.get((chat_id, reply_to))
            if replied is not None:
                message["reply_to_message"] = replied
        self._messages[(chat_id, message["message_id"])] = message
        update_id = self._push({"message": message})
        self._update_index[(chat_id, message["message_id"])] = update_id
        return message

    def update_id_of(self, chat_id: int, message_id: int) -> int:
        """The update that carried a reader's message (to match it with ``delivered_at``)."""
        return self._update_index[(chat_id, message_id)]

    def user_presses(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None,
                     first_name: str = "Lan") -> str:
        """Queue a button press on a bot message; return the callback query id."""
        query_id = f"cq{next(self._update_ids)}"
        message = self._messages.get((chat_id, message_id)) or {
            "message_id": message_id, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
        }
        self._push({"callback_query": {
            "id": query_id, "chat_instance": str(chat_id), "data": data, "message": message,
            "from": {"id": user_id if user_id is not None else chat_id, "is_bot": False,
                     "first_name": first_name},
        }})
        return query_id

    def _push(self, body: dict) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **body})
        self._new_update.set()
        return update_id

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    # --- faults -------------------------------------------------------------------------------

    def fail(self, method: str, status: int, description: str, *, chat_id: int | None = None,
             retry_after: int | None = None, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id`` if given) fail this way."""
        self.faults.append(Fault(method, status, description, chat_id, retry_after, times))

    def delay(self, method: str, seconds: float, *, chat_id: int | None = None,
              times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are carried out (a message is delivered) but
        answered only after ``seconds``."""
        self.lags.append(Lag(method, seconds=seconds, chat_id=chat_id, times=times))

    def drop(self, method: str, *, chat_id: int | None = None, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` are carried out, then the connection is
        closed without an answer (a connection lost after the request was sent)."""
        self.lags.append(Lag(method, drop=True, chat_id=chat_id, times=times))

    def block(self, chat_id: int) -> None:
        """The reader blocked the bot: every send to them is 403 until ``unblock``."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)

    # --- the Bot API --------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _params(request)
        fault = self._fault_for(method, params)
        status = fault.status if fault else 200
        if self.record_calls or method not in ("getUpdates",):
            self.calls.append(Call(method, params, time.monotonic(), status))
        if fault is not None:
            self._changed.set()
            extra = {"retry_after": fault.retry_after} if fault.retry_after is not None else None
            return _error(fault.status, fault.description, extra)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params)
        except _ApiError as error:
            return _error(error.status, error.description)
        finally:
            self._changed.set()
        lag = self._take(self.lags, method, params)
        if lag is not None and lag.drop:
            assert request.transport is not None
            request.transport.abort()
            raise web.HTTPServiceUnavailable()  # never reaches the client: it is gone
        if lag is not None:
            await asyncio.sleep(lag.seconds)
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _take(injected: list, method: str, params: dict):
        """The first injected fault or lag for this call, counted down (removed when used)."""
        chat_id = _int(params.get("chat_id"))
        for item in injected:
            if item.method == method and (item.chat_id is None or item.chat_id == chat_id):
                item.times -= 1
                if item.times <= 0:
                    injected.remove(item)
                return item
        return None

    def _fault_for(self, method: str, params: dict) -> Fault | None:
        chat_id = _int(params.get("chat_id"))
        if method in ("sendMessage", "editMessageText") and chat_id in self.blocked:
            return Fault(method, 403, "Forbidden: bot was blocked by the user")
        return self._take(self.faults, method, params)

    async def _api_getMe(self, params):
        return {"id": self.bot_id, "is_bot": True, "first_name": "bantin",
                "username": self.bot_username, "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_deleteWebhook(self, params):
        self.webhook_url = ""
        return True

    async def _api_setWebhook(self, params):
        self.webhook_url = params.get("url", "")
        return True

    async def _api_getWebhookInfo(self, params):
        return {"url": self.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(self._updates)}

    async def _api_setMyCommands(self, params):
        for command in params.get("commands", []):
            if not 1 <= len(command.get("description", "")) <= 256:
                raise _ApiError(400, "Bad Request: command description is invalid")
        return True

    async def _api_getUpdates(self, params):
        offset = _int(params.get("offset")) or 0
        timeout = float(params.get("timeout") or 0)
        limit = _int(params.get("limit")) or 100
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates:
            if self._closing:
                return []
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=remaining)
            except TimeoutError:
                return []
        batch = self._updates[:limit]
        now = time.monotonic()
        for update in batch:
            self.delivered_at.setdefault(update["update_id"], now)
        return batch

    async def _api_sendMessage(self, params):
        chat_id = _int(params.get("chat_id"))
        text = str(params.get("text", ""))
        visible = self._check_text(text, params)
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        message_id = self._next_message_id(chat_id)
        chat_type = "private" if chat_id > 0 else "group"
        message = {"message_id": message_id, "date": int(time.time()),
                   "chat": {"id": chat_id, "type": chat_type},
                   "from": {"id": self.bot_id, "is_bot": True, "first_name": "bantin",
                            "username": self.bot_username},
                   "text": visible}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message_id)] = message
        self.sent.append(SentMessage(chat_id, message_id, text, params.get("parse_mode"),
                                     params.get("reply_markup"), reply_to, visible,
                                     time.monotonic()))
        return message

    async def _api_editMessageText(self, params):
        chat_id, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        message = self._own_message(chat_id, message_id)
        text = str(params.get("text", ""))
        message["text"] = self._check_text(text, params)
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self._record_edit(chat_id, message_id, text=text, parse_mode=params.get("parse_mode"),
                          visible=message["text"], markup=params.get("reply_markup"))
        return message

    async def _api_editMessageReplyMarkup(self, params):
        chat_id, message_id = _int(params.get("chat_id")), _int(params.get("message_id"))
        message = self._own_message(chat_id, message_id)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        self._record_edit(chat_id, message_id, markup=markup)
        return message

    async def _api_answerCallbackQuery(self, params):
        if len(str(params.get("text") or "")) > 200:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _own_message(self, chat_id: int, message_id: int) -> dict:
        message = self._messages.get((chat_id, message_id))
        if message is None or message.get("from", {}).get("id") != self.bot_id:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return message

    def _record_edit(self, chat_id, message_id, *, text=None, parse_mode=None, visible=None,
                     markup=None) -> None:
        for sent in self.sent:
            if sent.chat_id == chat_id and sent.message_id == message_id:
                if text is not None:
                    sent.text, sent.parse_mode, sent.visible = text, parse_mode, visible
                sent.reply_markup = markup
                sent.edited = True

    def _check_text(self, text: str, params: dict) -> str:
        try:
            visible = visible_text(text, params.get("parse_mode"))
        except EntityError as error:
            raise _ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        if not visible.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if utf16_len(visible) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        self._check_markup(params.get("reply_markup"))
        return visible

    @staticmethod
    def _check_markup(markup: dict | None) -> None:
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _error(status: int, description: str, parameters: dict | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


async def _params(request: web.Request) -> dict[str, Any]:
    """Form fields or a JSON body; objects may come JSON-encoded in a string in either (as
    python-telegram-bot sends them), which the Bot API accepts."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params.update(await request.json())
    elif request.can_read_body:
        form = await request.post()
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    for key in JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    return params
