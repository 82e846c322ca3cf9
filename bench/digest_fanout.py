"""Digest fan-out: N subscribers due in the same minute, the real ``bantin run``, a fake Bot API.

Three runs against the fake Telegram Bot API server on 127.0.0.1 (hosted here, so its CPU is
not the bot's):

1. baselines (same run): bare python-telegram-bot ``send_message`` with ``AIORateLimiter`` at
   the same rate and concurrency, sending the very text bantin sent, to min(N, 1000) chats —
   the CPU the library itself needs per message: once with the library's default HTTP back-end
   (httpx), once with the one bantin plugs in (``bot.transports.telegram_request.AiohttpRequest``), the
   floor of bantin's own figure;
2. bantin: ``bantin run`` as a child process, N subscriptions due at once; delivered,
   duplicates, sustained rate as a share of ``rate_limit_per_second``, CPU per message (the
   child's CPU between the first and the last message, read with psutil);
3. crash: the same from a fresh database, SIGKILL when half the messages have arrived, then
   a restart; duplicates, and how many readers lost that day's digest (in flight at the kill).

Run: .venv/bin/python bench/digest_fanout.py [--subscribers 10000] [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import Article, Store  # noqa: E402
from store.deliveries import FINAL  # noqa: E402
from tests.fakes.telegram_server import FakeTelegramServer  # noqa: E402

FIRST_CHAT = 1_000_000
SOURCES = ("Báo Hà Tĩnh", "VnExpress", "Tuổi Trẻ", "Thanh Niên")
SUMMARY = ("Sáng nay, UBND tỉnh tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ "
           "năm tới, với sự tham gia của đại diện các sở, ngành và địa phương. Theo báo cáo, "
           "tăng trưởng kinh tế đạt 7,2%, thu ngân sách vượt kế hoạch đề ra, đời sống người "
           "dân tiếp tục được cải thiện.")


def seed(path: Path, subscribers: int) -> Store:
    """A store with 8 fresh articles and ``subscribers`` chats all due 30 seconds ago."""
    store = Store(path)
    now = datetime.now(UTC)
    store.articles.save_many([
        Article(url=f"https://example.vn/bai/{n}.html", title=f"Tin nổi bật số {n} trong ngày",
                source=SOURCES[n % len(SOURCES)], summary=SUMMARY,
                published_at=now - timedelta(hours=n), fetched_at=now - timedelta(minutes=5),
                simhash=(n * 0x9E3779B97F4A7C15) % (1 << 63))
        for n in range(1, 9)
    ])
    due = now - timedelta(seconds=30)
    with store.database.transaction():
        for chat in range(FIRST_CHAT, FIRST_CHAT + subscribers):
            store.chats.seen("telegram", str(chat))
            store.subscriptions.subscribe("telegram", str(chat), "07:00", "Asia/Ho_Chi_Minh",
                                          next_due_at=due)
    return store


def write_config(folder: Path, server: FakeTelegramServer, rate: float) -> Path:
    config = folder / "bantin.toml"
    config.write_text(f'[store]\npath = "news.db"\n[telegram]\nbase_url = "{server.base_url}"\n'
                      f"rate_limit_per_second = {rate}\n", encoding="utf-8")
    return config


async def start_bot(config: Path, token: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BANTIN_")}
    env.update(PYTHONPATH=str(ROOT), BANTIN_TELEGRAM_TOKEN=token)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bantin", "--config", str(config), "run", "--log-level", "WARNING",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, env=env)


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


def settled(store: Store, total: int) -> dict[str, int] | None:
    counts = store.deliveries.counts()
    return counts if sum(counts.get(s, 0) for s in FINAL) >= total else None


def per_chat(server: FakeTelegramServer) -> dict[int, int]:
    counts: dict[int, int] = {}
    for message in server.sent:
        counts[message.chat_id] = counts.get(message.chat_id, 0) + 1
    return counts


async def run_bantin(subscribers: int, rate: float) -> tuple[dict, str]:
    with tempfile.TemporaryDirectory() as folder:
        store = seed(Path(folder) / "news.db", subscribers)
        async with FakeTelegramServer(record_calls=False) as server:
            process = await start_bot(write_config(Path(folder), server, rate), server.token)
            await server.wait_for(lambda: server.sent, timeout=120)
            cpu_first, first = cpu_seconds(process.pid), len(server.sent)
            await server.wait_for(lambda: settled(store, subscribers), timeout=subscribers)
            cpu_last, last = cpu_seconds(process.pid), len(server.sent)
            process.send_signal(signal.SIGTERM)
            await process.wait()
        times = [m.at for m in server.sent]
        counts = per_chat(server)
        figures = {
            "delivered": len(counts),
            "duplicates": sum(n - 1 for n in counts.values()),
            "messages": len(server.sent),
            "rate": (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0,
            "cpu_ms": (cpu_last - cpu_first) * 1000 / max(1, last - first),
            "statuses": store.deliveries.counts(),
        }
        text = server.sent[0].text
        store.close()
    return figures, text


async def run_crash(subscribers: int, rate: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        store = seed(Path(folder) / "news.db", subscribers)
        async with FakeTelegramServer(record_calls=False) as server:
            config = write_config(Path(folder), server, rate)
            process = await start_bot(config, server.token)
            await server.wait_for(lambda: len(server.sent) >= subscribers // 2,
                                  timeout=subscribers)
            process.send_signal(signal.SIGKILL)
            await process.wait()
            at_kill = len(server.sent)
            restarted = await start_bot(config, server.token)
            counts = await server.wait_for(lambda: settled(store, subscribers),
                                           timeout=subscribers)
            restarted.send_signal(signal.SIGTERM)
            await restarted.wait()
        chats = per_chat(server)
        interrupted = [int(chat) for (chat,) in store.database.execute(
            "SELECT s.chat_id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id "
            "WHERE d.status = 'failed'").fetchall()]
        store.close()
    return {
        "at_kill": at_kill,
        "delivered": len(chats),
        "duplicates": sum(n - 1 for n in chats.values()),
        "interrupted": len(interrupted),
        "interrupted_arrived": sum(1 for chat in interrupted if chat in chats),
        "lost": subscribers - len(chats),
        "statuses": counts,
    }


async def run_baseline(text: str, messages: int, rate: float, concurrency: int,
                       backend: str) -> dict:
    """Bare python-telegram-bot, in a child process, sending ``text`` ``messages`` times."""
    async with FakeTelegramServer(record_calls=False) as server:
        process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--baseline-child", server.base_url, server.token,
            str(messages), str(rate), str(concurrency), backend,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        out, _ = await process.communicate(text.encode("utf-8"))
        times = [m.at for m in server.sent]
    return {"cpu_ms": float(out.decode().strip().splitlines()[-1]),
            "rate": (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0,
            "messages": len(times)}


async def baseline_child(base_url: str, token: str, messages: int, rate: float,
                         concurrency: int, backend: str) -> None:
    from telegram.constants import ParseMode
    from telegram.ext import AIORateLimiter, ApplicationBuilder

    from bot.transports.telegram_request import AiohttpRequest

    text = sys.stdin.read()
    builder = (ApplicationBuilder().token(token).base_url(base_url).job_queue(None)
               .rate_limiter(AIORateLimiter(overall_max_rate=rate, overall_time_period=1,
                                            max_retries=3)))
    if backend == "aiohttp":
        builder = builder.request(AiohttpRequest(connection_pool_size=64))
    else:
        builder = builder.connection_pool_size(64)
    app = builder.build()
    await app.initialize()
    slots = asyncio.Semaphore(concurrency)
    started: list[float] = []

    async def one(chat: int) -> None:
        async with slots:
            await app.bot.send_message(chat, text, parse_mode=ParseMode.HTML)
            if not started:
                started.append(time.process_time())

    await asyncio.gather(*(one(FIRST_CHAT + n) for n in range(messages)))
    cpu = (time.process_time() - started[0]) * 1000 / max(1, messages - 1)
    await app.shutdown()
    print(f"{cpu:.3f}")


async def main(subscribers: int, rate: float, concurrency: int) -> None:
    print(f"digest fan-out: {subscribers} subscribers due in the same minute, "
          f"rate_limit_per_second = {rate}, {os.cpu_count()} cores")
    bantin, text = await run_bantin(subscribers, rate)
    sample = min(subscribers, 1000)
    baseline = await run_baseline(text, sample, rate, concurrency, "httpx")
    floor = await run_baseline(text, sample, rate, concurrency, "aiohttp")
    print(f"digest size: {len(text)} characters of HTML, one message per reader")
    for name, figures in (("default httpx back-end", baseline),
                          ("bantin's aiohttp back-end", floor)):
        print(f"baseline (bare python-telegram-bot + AIORateLimiter, {name}, {sample} messages):"
              f" {figures['rate']:.2f} msg/s ({figures['rate'] / rate:.0%} of the limit), "
              f"CPU {figures['cpu_ms']:.2f} ms/message")
    print(f"bantin run: delivered {bantin['delivered']}/{subscribers}, duplicates "
          f"{bantin['duplicates']}, {bantin['rate']:.2f} msg/s ({bantin['rate'] / rate:.0%} of "
          f"the limit), CPU {bantin['cpu_ms']:.2f} ms/message "
          f"(x{bantin['cpu_ms'] / baseline['cpu_ms']:.2f} the httpx baseline; "
          f"{bantin['cpu_ms'] - floor['cpu_ms']:+.2f} ms over the same library on aiohttp); "
          f"rows {bantin['statuses']}")
    crash = await run_crash(subscribers, rate)
    print(f"SIGKILL at {crash['at_kill']} messages, then restart: delivered "
          f"{crash['delivered']}/{subscribers}, duplicates {crash['duplicates']}, in flight at "
          f"the kill (recorded failed, not resent) {crash['interrupted']} — of which "
          f"{crash['interrupted_arrived']} had reached the reader; readers without the day's "
          f"digest {crash['lost']}; rows {crash['statuses']}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--baseline-child":
        url, token, count, limit, slots, backend = sys.argv[2:8]
        asyncio.run(baseline_child(url, token, int(count), float(limit), int(slots), backend))
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=25)
    parser.add_argument("--concurrency", type=int, default=16,
                        help="the baseline's concurrency (bantin's DigestSettings default)")
    args = parser.parse_args()
    asyncio.run(main(args.subscribers, args.rate, args.concurrency))
