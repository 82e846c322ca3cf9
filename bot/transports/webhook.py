"""One small aiohttp server that receives webhook deliveries for every platform.

Telegram and Zalo both push updates as JSON POSTs carrying a secret in a header
(``X-Telegram-Bot-Api-Secret-Token``, ``X-Bot-Api-Secret-Token``). Each transport registers an
endpoint (path, header, secret, callback) before the server starts; the server then does the
checks that must never be skipped, the same way for both:

- only POST; the secret header must be present (401 without it) and equal to the configured
  secret, compared in constant time (403 when wrong);
- the body is at most ``max_body_bytes`` (413 beyond), nested at most ``MAX_DEPTH`` deep
  (checked before parsing, so deep nesting cannot exhaust the parser's stack) and a JSON object
  that the platform's transport accepts as an update (400 otherwise, logged once);
- a connection must send its request headers within ``header_timeout`` and its body within
  ``body_timeout`` (408), so half-open or dripping connections are dropped;
- an endpoint whose transport is not running (starting or stopping) answers 503, so the platform
  delivers the update again later instead of it being lost.

The server listens on plain HTTP, normally on 127.0.0.1 behind a reverse proxy that terminates
HTTPS (both platforms only deliver to HTTPS URLs).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from bot.engine.errors import BotError, InvalidUpdate

log = logging.getLogger(__name__)

OnPayload = Callable[[dict[str, Any]], Awaitable[None]]
IsReady = Callable[[], bool]
MAX_DEPTH = 64  # a real update nests about 10 deep (reply → message → keyboard → rows)
_DEPTH_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)


@dataclass(frozen=True)
class WebhookSettings:
    """The local webhook server. The fields with a ``table`` in their metadata are the
    ``[webhook]`` keys of the config file (``bantin.config`` checks and builds this)."""

    listen: str = field(default="127.0.0.1", metadata={"table": "webhook"})
    """The address it listens on; keep it local, behind a reverse proxy that ends HTTPS."""
    port: int = field(default=8080, metadata={"table": "webhook", "check": "port"})
    """Its port."""
    max_body_bytes: int = field(default=1_048_576,
                                metadata={"table": "webhook", "check": "positive"})
    """Larger request bodies are refused (413) before they are read."""
    header_timeout: float = 10.0  # also how long an idle kept-alive connection stays open
    body_timeout: float = 10.0


def nesting_depth(body: bytes) -> int:
    """How deep ``body``'s arrays and objects nest, counted without parsing it.

    Brackets inside strings are skipped; the count is only a bound for refusing a body before
    ``json.loads`` sees it, so an invalid body may be counted loosely.
    """
    without_strings = _STRINGS.sub(b'""', body)
    steps = without_strings.translate(_DEPTH_STEPS, delete=_NOT_BRACKETS)
    return max(accumulate(1 if step == 1 else -1 for step in steps), default=0)


@dataclass(frozen=True)
class Endpoint:
    """Where one platform's deliveries arrive and how they are authenticated."""

    name: str
    path: str
    header: str
    secret: str = field(repr=False)  # never shown, like the settings it comes from
    on_payload: OnPayload
    ready: IsReady


class WebhookServer:
    """A service (``start``/``stop``) serving the endpoints the transports registered."""

    name = "webhook"

    def __init__(self, settings: WebhookSettings) -> None:
        self.settings = settings
        self.endpoints: dict[str, Endpoint] = {}
        self._runner: web.AppRunner | None = None
        self.port = settings.port  # the bound port (differs when settings.port is 0)

    def add_endpoint(self, endpoint: Endpoint) -> None:
        if self._runner is not None:
            raise BotError("webhook endpoints must be added before the server starts")
        if not endpoint.secret:
            raise BotError(f"the {endpoint.name} webhook needs a secret")
        if endpoint.path in self.endpoints:
            raise BotError(f"two webhooks on the same path {endpoint.path!r}")
        self.endpoints[endpoint.path] = endpoint

    async def start(self) -> None:
        app = web.Application(client_max_size=self.settings.max_body_bytes)
        for path, endpoint in self.endpoints.items():
            app.router.add_post(path, self._handler(endpoint))
        # aiohttp closes a connection that has not sent a whole request within the keep-alive
        # timeout (even the first one), which makes it the header timeout.
        self._runner = web.AppRunner(app, access_log=None,
                                     keepalive_timeout=self.settings.header_timeout)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.listen, self.settings.port)
        try:
            await site.start()
        except OSError as error:
            await self._runner.cleanup()
            self._runner = None
            raise BotError(f"webhook server cannot listen on {self.settings.listen}:"
                           f"{self.settings.port} ({error.strerror or error})") from error
        addresses = self._runner.addresses  # (host, port, ...) of each bound socket
        if addresses:
            self.port = addresses[0][1]
        log.info("webhook server listening on %s:%s for %s", self.settings.listen, self.port,
                 ", ".join(f"{e.name} at {e.path}" for e in self.endpoints.values()))

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _handler(self, endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            return await self._handle(endpoint, request)

        return handle

    async def _handle(self, endpoint: Endpoint, request: web.Request) -> web.Response:
        given = request.headers.get(endpoint.header)
        if given is None:
            log.warning("%s webhook: request from %s without %s", endpoint.name,
                        request.remote, endpoint.header)
            return _answer(401, "missing secret token")
        if not hmac.compare_digest(given.encode("utf-8"), endpoint.secret.encode("utf-8")):
            log.warning("%s webhook: wrong secret token from %s", endpoint.name, request.remote)
            return _answer(403, "wrong secret token")
        declared = request.content_length
        if declared is not None and declared > self.settings.max_body_bytes:
            return _answer(413, "body too large")
        try:
            async with asyncio.timeout(self.settings.body_timeout):
                body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _answer(413, "body too large")
        except TimeoutError:
            log.warning("%s webhook: body not received within %g s from %s", endpoint.name,
                        self.settings.body_timeout, request.remote)
            return _answer(408, "body not received in time", close=True)
        payload, problem = _json_object(body)
        if payload is None:
            log.warning("%s webhook: %s (%d bytes)", endpoint.name, problem, len(body))
            return _answer(400, problem)
        if not endpoint.ready():
            return _answer(503, "not running")
        try:
            await endpoint.on_payload(payload)
        except InvalidUpdate as error:
            log.warning("%s webhook: not an update: %s", endpoint.name, error)
            return _answer(400, "not an update")
        except BotError as error:
            log.warning("%s webhook: update not accepted: %s", endpoint.name, error)
            return _answer(503, "not accepted")
        return web.json_response({"ok": True})

    @property
    def base_url(self) -> str:
        """The local address (for tests and the log), e.g. ``http://127.0.0.1:8080``."""
        return f"http://{self.settings.listen}:{self.port}"


def _json_object(body: bytes) -> tuple[dict[str, Any] | None, str]:
    """``body`` as a JSON object within the nesting bound, or None and the reason."""
    if nesting_depth(body) > MAX_DEPTH:
        return None, f"body nested more than {MAX_DEPTH} deep"
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None, "body is not JSON"
    if not isinstance(payload, dict):
        return None, "body is not a JSON object"
    return payload, ""


def _answer(status: int, description: str, *, close: bool = False) -> web.Response:
    response = web.json_response({"ok": False, "description": description}, status=status)
    if close:
        response.force_close()
    return response


def path_of(url: str, default: str) -> str:
    """The local path of a public webhook URL ("https://x.vn/hook/zalo" → "/hook/zalo").

    A reverse proxy usually forwards the path unchanged; a URL without a path uses ``default``.
    """
    path = urlsplit(url).path
    return path if path not in ("", "/") else default
