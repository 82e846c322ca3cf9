"""``bantin run`` as a real process against Bot API servers that fail in the ways networks do.

Every server here listens on 127.0.0.1 only: a closed port, a server that accepts connections
and never answers, and one that answers 502 to everything.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[2]
EXIT_SECONDS = 10  # the promise: a stop ends the process within 10 s


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


def environment(**secrets: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANTIN_")}
    env["PYTHONPATH"] = str(ROOT)
    env.pop("PTB_TIMEDELTA", None)
    return env | secrets


@dataclass
class Run:
    """One ``bantin run`` process and everything it wrote."""

    process: asyncio.subprocess.Process
    err_lines: list[str] = field(default_factory=list)
    out: str = ""
    err: str = ""

    async def wait_for_line(self, *needles: str, timeout: float = 60) -> str:
        """Read stderr until a line contains every needle; return it."""
        async def read() -> str:
            assert self.process.stderr is not None
            while True:
                raw = await self.process.stderr.readline()
                if not raw:
                    raise AssertionError("bantin ended before logging "
                                         f"{needles}:\n" + "".join(self.err_lines[-30:]))
                line = raw.decode(errors="replace")
                self.err_lines.append(line)
                if all(needle in line for needle in needles):
                    return line
        return await asyncio.wait_for(read(), timeout)

    async def stop(self, signum: int = signal.SIGTERM, within: float = EXIT_SECONDS) -> int:
        """Send ``signum`` and wait for the exit; a process still alive then is killed and the
        test fails."""
        self.process.send_signal(signum)
        return await self.finish(within)

    async def finish(self, within: float) -> int:
        try:
            out, err = await asyncio.wait_for(self.process.communicate(), within)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise AssertionError(f"bantin still running {within} s later:\n"
                                 + "".join(self.err_lines[-30:])) from None
        self.out, self.err = out.decode(errors="replace"), "".join(self.err_lines) + err.decode(
            errors="replace")
        assert self.process.returncode is not None
        return self.process.returncode

    def assert_clean_exit(self) -> None:
        assert self.process.returncode == 0, self.err[-3000:]
        assert "bantin stopped." in self.out
        for bad in ("Traceback", "Unclosed client session", "Unclosed connector",
                    "Task was destroyed", "never awaited"):
            assert bad not in self.err, self.err[-3000:]


@asynccontextmanager
async def bantin_run(config_text: str, tmp_path: Path, env: dict[str, str],
                     *args: str) -> AsyncIterator[Run]:
    config = tmp_path / "bantin.toml"
    config.write_text(config_text, encoding="utf-8")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bantin", "--config", str(config), "run", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env, cwd=tmp_path)
    run = Run(process)
    try:
        yield run
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
