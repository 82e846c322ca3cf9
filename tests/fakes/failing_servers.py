"""Bot API servers that fail the way networks do, all on 127.0.0.1: a closed port, a server
that accepts connections and never answers, and one that answers 502 to everything."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field

from aiohttp import web


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Silent:
    """Accepts connections and reads, but never answers."""

    port: int = 0
    connections: int = 0
    _server: asyncio.Server | None = None
    _writers: list = field(default_factory=list)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)
        while await reader.read(65536):
            pass

    async def __aenter__(self) -> Silent:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc) -> None:
        for writer in self._writers:
            writer.close()
        assert self._server is not None
        self._server.close()


@dataclass
class BadGateway:
    """Answers 502 Bad Gateway to every request; ``asked`` lists the paths."""

    base_url: str = ""
    asked: list[str] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    async def _handle(self, request: web.Request) -> web.Response:
        self.asked.append(request.path)
        return web.Response(status=502, text="<html><h1>502 Bad Gateway</h1></html>",
                            content_type="text/html")

    async def __aenter__(self) -> BadGateway:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self

    async def __aexit__(self, *exc) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
