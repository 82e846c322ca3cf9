"""A stop while the Bot API cannot be reached ends ``bantin run`` at once, cleanly.

For each platform and each way of being unreachable (nobody listening, a server that never
answers, one that answers 502 forever), SIGTERM and SIGINT end the process within 10 s with
exit code 0, "bantin stopped.", no traceback and no unclosed-session warning.
"""

from __future__ import annotations

import signal
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.fakes.failing_servers import BadGateway, Silent, closed_port
from tests.helpers.processes import bantin_run, environment

TOKENS = {"telegram": "777000:AAFakeTokenForFaultTests_x1", "zalo": "88801:zalo-fault-token-x"}


@asynccontextmanager
async def unreachable(kind: str):
    """The base_url of an unreachable Bot API, and the log line to wait for before stopping."""
    if kind == "closed port":
        yield f"http://127.0.0.1:{closed_port()}/bot", None
    elif kind == "never answers":
        async with Silent() as silent:
            yield f"http://127.0.0.1:{silent.port}/bot", silent
    else:
        async with BadGateway() as server:
            yield server.base_url, server


def _config(platform: str, base_url: str) -> str:
    return f'[store]\npath = "news.db"\n[{platform}]\nbase_url = "{base_url}"\n'


@pytest.mark.parametrize("platform", ["telegram", "zalo"])
@pytest.mark.parametrize("kind", ["closed port", "never answers", "502 forever"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_stop_while_the_bot_api_is_unreachable(tmp_path: Path, platform: str, kind: str,
                                                     signum: int):
    env = environment(**{f"BANTIN_{platform.upper()}_TOKEN": TOKENS[platform]})
    async with unreachable(kind) as (base_url, server), \
            bantin_run(_config(platform, base_url), tmp_path, env) as run:
        await run.wait_for_line("starting")  # the signal handlers are in place
        if kind == "never answers":  # stop while the first request hangs
            await _until(lambda: server.connections > 0)
        else:  # stop during a retry wait
            await run.wait_for_line("retrying")
        assert await run.stop(signum) == 0, run.err[-3000:]
    run.assert_clean_exit()
    secret = TOKENS[platform].split(":", 1)[1]
    assert secret not in run.out + run.err


async def _until(condition, timeout: float = 30) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "the condition never held"
        await asyncio.sleep(0.05)
