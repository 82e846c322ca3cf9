"""A local fake Zalo Bot API server, built from what the Zalo Bot Platform documents.

- ``POST /bot<token>/<method>`` with a JSON body; answers ``{"ok": true, "result": …}`` or
  ``{"ok": false, "error_code": …, "description": …}``; a wrong token is 401.
- ``getUpdates`` (``timeout`` in seconds, a string) holds the request until a reader writes and
  hands out ONE update, ``{"event_name", "message": {"from", "chat", "text", "message_id",
  "date"}}`` with ``date`` in milliseconds; when nothing came it answers ``ok: false`` with
  ``error_code`` 408. It refuses to work while a webhook is set.
- ``setWebhook`` wants an HTTPS ``url`` and a ``secret_token`` of 8–256 characters;
  ``deliver_webhook`` then POSTs an update with ``X-Bot-Api-Secret-Token`` the way Zalo does.
- ``sendMessage`` wants ``chat_id`` and ``text`` of 1–2000 characters, and knows nothing of
  markup or keyboards.

Not documented, so assumed here (and in docs/zalo.md): the answer to a reader who blocked the bot
(403 "user has blocked the bot"). Faults can be injected per method (any ``ok: false`` answer,
any HTTP status, a body that is not JSON, or a delay longer than the client waits).
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web

from tests.fakes.recording import Recording

TEXT_EVENT = "message.text.received"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class Fault:
    method: str
    error_code: int
    description: str = "fault injected"
    http_status: int = 200
    chat_id: str | None = None
    times: int = 1
    raw: str | None = None  # a body that is not JSON
    delay: float = 0.0  # seconds to wait before answering


@dataclass
class SentMessage:
    chat_id: str
    message_id: str
    text: str
    at: float


@dataclass
class FakeZaloServer(Recording):
    token: str = "1459232241454765289:fake-zalo-secret"
    host: str = "127.0.0.1"
    calls: list[Call] = field(default_factory=list)
    sent: list[SentMessage] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    blocked: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._updates: list[dict] = []
        self._new_update = asyncio.Event()
        self._changed = asyncio.Event()
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0
        self.webhook_url = ""
        self.webhook_secret = ""

    # --- running ------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    async def start(self, port: int = 0) -> FakeZaloServer:
        """Listen on ``port`` (0: any free port; a given one to come back where we were)."""
        app = web.Application(client_max_size=2**20)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeZaloServer:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    # --- what readers do ----------------------------------------------------------------------

    def update(self, chat_id: str, text: str | None, *, user_id: str | None = None,
               display_name: str = "Nguyễn Thị Lan", chat_type: str = "PRIVATE",
               event_name: str | None = None, message_id: str | None = None) -> dict:
        """An update as Zalo describes a reader's message (not queued)."""
        message: dict[str, Any] = {
            "from": {"id": user_id or chat_id, "display_name": display_name},
            "chat": {"id": chat_id, "chat_type": chat_type},
            "message_id": message_id or secrets.token_hex(10),
            "date": int(time.time() * 1000),
        }
        if text is not None:
            message["text"] = text
        else:
            message["sticker"] = "0e078a2fb66a5f34067b"
        return {"event_name": event_name or (TEXT_EVENT if text is not None
                                             else "message.sticker.received"),
                "message": message}

    def user_sends(self, chat_id: str, text: str | None, **kwargs) -> dict:
        """Queue a reader's message for ``getUpdates``; return the update."""
        update = self.update(chat_id, text, **kwargs)
        self._updates.append(update)
        self._new_update.set()
        return update

    async def deliver_webhook(self, update: dict, *, to: str | None = None,
                              secret: str | None = None, wrapped: bool = True) -> httpx.Response:
        """POST ``update`` to the webhook like Zalo does; ``to`` stands in for the proxy."""
        body = {"ok": True, "result": update} if wrapped else update
        headers = {SECRET_HEADER: self.webhook_secret if secret is None else secret}
        async with httpx.AsyncClient() as client:
            return await client.post(to or self.webhook_url, json=body, headers=headers)

    # --- faults -------------------------------------------------------------------------------

    def fail(self, method: str, error_code: int, description: str = "fault injected", *,
             http_status: int = 200, chat_id: str | None = None, times: int = 1,
             raw: str | None = None, delay: float = 0.0) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id`` if given) fail this way."""
        self.faults.append(Fault(method, error_code, description, http_status, chat_id, times,
                                 raw, delay))

    def block(self, chat_id: str) -> None:
        self.blocked.add(chat_id)

    # --- the Bot API --------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.method != "POST":
            return _error(405, f"{request.method} is not allowed", 405)
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized", 401)
        try:
            params = await request.json()
        except ValueError:
            return _error(400, "body must be JSON", 400)
        if not isinstance(params, dict):
            return _error(400, "body must be a JSON object", 400)
        self.calls.append(Call(method, params, time.monotonic()))
        self._changed.set()
        fault = self._fault_for(method, params)
        if fault is not None:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.raw is not None:
                return web.Response(text=fault.raw, status=fault.http_status,
                                    content_type="text/html")
            return _error(fault.error_code, fault.description, fault.http_status)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "method not found", 404)
        try:
            result = await handler(params)
        except _ApiError as error:
            return _error(error.code, error.description, 200)
        finally:
            self._changed.set()
        if isinstance(result, web.StreamResponse):
            return result
        return web.json_response({"ok": True, "result": result})

    def _fault_for(self, method: str, params: dict) -> Fault | None:
        chat_id = params.get("chat_id")
        if method == "sendMessage" and chat_id in self.blocked:
            return Fault(method, 403, "Forbidden: user has blocked the bot")
        for fault in self.faults:
            if fault.method == method and (fault.chat_id is None or fault.chat_id == chat_id):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    async def _api_getMe(self, params):
        return {"id": self.token.split(":")[0], "account_name": "bot.bantin",
                "account_type": "BASIC", "can_join_groups": True}

    async def _api_getUpdates(self, params):
        if self.webhook_url:
            raise _ApiError(400, "getUpdates is not available while a webhook is set")
        timeout = float(params.get("timeout") or 30)
        deadline = asyncio.get_running_loop().time() + timeout
        while not self._updates:
            remaining = deadline - asyncio.get_running_loop().time()
            if self._closing or remaining <= 0:
                raise _ApiError(408, "Request timeout")
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=remaining)
            except TimeoutError:
                pass
        return self._updates.pop(0)

    async def _api_setWebhook(self, params):
        url, secret = str(params.get("url") or ""), str(params.get("secret_token") or "")
        if not url.startswith("https://"):
            raise _ApiError(400, "url must be HTTPS")
        if not 8 <= len(secret) <= 256:
            raise _ApiError(400, "secret_token must be 8-256 characters")
        self.webhook_url, self.webhook_secret = url, secret
        return {"url": url, "updated_at": int(time.time() * 1000)}

    async def _api_deleteWebhook(self, params):
        self.webhook_url = self.webhook_secret = ""
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _api_getWebhookInfo(self, params):
        return {"url": self.webhook_url, "updated_at": int(time.time() * 1000)}

    async def _api_sendMessage(self, params):
        chat_id, text = params.get("chat_id"), params.get("text")
        if not isinstance(chat_id, str) or not chat_id:
            raise _ApiError(400, "chat_id is required")
        if not isinstance(text, str) or not 1 <= len(text) <= 2000:
            raise _ApiError(400, "text must be 1-2000 characters")
        message_id = f"m{next(self._ids):06d}"
        self.sent.append(SentMessage(chat_id, message_id, text, time.monotonic()))
        return {"message_id": message_id, "date": int(time.time() * 1000)}

    async def _api_sendChatAction(self, params):
        if params.get("action") not in ("typing", "upload_photo"):
            raise _ApiError(400, "unknown action")
        return True


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _error(code: int, description: str, http_status: int) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description},
                             status=http_status)
