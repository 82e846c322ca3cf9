"""Zalo burst throughput: how fast one poller drains a burst when getUpdates hands out ONE update.

Zalo's ``getUpdates`` returns a single update per call and has no offset, so every message
costs one HTTP round trip before the bot even sees it; Telegram hands out up to 100 per call.
This measures what that costs: ``--readers`` readers each send ``--messages`` messages at once
(a burst, e.g. after a push notification), and we time from the first message queued until the
last reply reached the fake server. Handlers answer a fixed line (no store work), so the figure
is the transport's own ceiling.

Baseline (same run): the Telegram transport (python-telegram-bot, batch getUpdates) with the
same handlers against the fake Telegram server. Both fakes run in this process and both rate
limits are set high, so neither waits on flood control.

Run: .venv/bin/python bench/zalo_throughput.py [--readers 100] [--messages 10]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.context import BotSettings  # noqa: E402
from bot.engine.core import BotCore  # noqa: E402
from bantin.app import build_router  # noqa: E402
from bot.engine.messages import Reply, Rich  # noqa: E402
from bot.engine.router import Router  # noqa: E402
from bot.transports.telegram import TelegramSettings, TelegramTransport  # noqa: E402
from bot.transports.zalo import ZaloSettings, ZaloTransport  # noqa: E402
from store import Store  # noqa: E402
from tests.fakes.telegram_server import FakeTelegramServer  # noqa: E402
from tests.fakes.zalo_server import FakeZaloServer  # noqa: E402


def echo_router() -> Router:
    router = Router()
    answer = lambda ctx, args="": [Reply(Rich.of("Đã nhận."))]  # noqa: E731
    for name, command in build_router().commands.items():
        router.command(name, command.description)(answer)
    router.on_text = router.on_other = answer
    return router


async def burst(server, chats: list, messages: int, replies_of) -> float:
    """Queue every message at once; seconds until every reader has all their replies."""
    started = time.perf_counter()
    for round_ in range(messages):
        for chat in chats:
            server.user_sends(chat, f"/help {round_}")
    total = len(chats) * messages
    await server.wait_for(lambda: replies_of() >= total, timeout=600)
    return time.perf_counter() - started


async def run_zalo(store: Store, readers: int, messages: int) -> float:
    async with FakeZaloServer() as server:
        core = BotCore(store, BotSettings(), router=echo_router())
        transport = ZaloTransport(core, ZaloSettings(
            token=server.token, base_url=server.base_url, poll_timeout=5,
            rate_limit_per_second=100_000))
        await transport.start()
        try:
            chats = [f"zalo{n:04d}" for n in range(readers)]
            return await burst(server, chats, messages, lambda: len(server.sent))
        finally:
            await transport.stop()
            core.close()


async def run_telegram(store: Store, readers: int, messages: int) -> float:
    async with FakeTelegramServer(record_calls=False) as server:
        core = BotCore(store, BotSettings(), router=echo_router())
        transport = TelegramTransport(core, TelegramSettings(
            token=server.token, base_url=server.base_url, poll_timeout=5,
            rate_limit_per_second=100_000))
        await transport.start()
        try:
            chats = [20_000 + n for n in range(readers)]
            return await burst(server, chats, messages, lambda: len(server.sent))
        finally:
            await transport.stop()
            core.close()


async def main_async(args) -> None:
    total = args.readers * args.messages
    results: dict[str, list[float]] = {"telegram": [], "zalo": []}
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(args.repeats):
            for name, run in (("telegram", run_telegram), ("zalo", run_zalo)):
                store = Store(Path(folder) / f"{name}{repeat}.db")
                try:
                    results[name].append(await run(store, args.readers, args.messages))
                finally:
                    store.close()
    print(f"burst of {total} messages from {args.readers} readers, {args.repeats} runs each "
          "(median)")
    rates = {}
    for name, seconds in results.items():
        median = statistics.median(seconds)
        rates[name] = total / median
        print(f"  {name:9s} {median:7.2f} s  {rates[name]:8.0f} messages/s")
    print(f"  ratio zalo / telegram (throughput): ×{rates['zalo'] / rates['telegram']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
