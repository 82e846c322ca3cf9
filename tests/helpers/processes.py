"""``bantin run`` as a real process, and what it wrote: for tests that stop, starve or cut it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXIT_SECONDS = 10  # the promise: a stop ends the process within 10 s


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


async def start_run(config: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """``bantin run`` with ``config``; the caller reads and stops it (``stop_run``)."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bantin", "--config", str(config), "run",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env)


async def stop_run(process: asyncio.subprocess.Process) -> tuple[str, str]:
    """SIGTERM, then everything it wrote (stdout, stderr); killed if still alive after 30 s."""
    try:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    return out.decode(), err.decode()
