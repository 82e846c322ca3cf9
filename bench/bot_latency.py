"""Bot latency: 50 simulated readers x 20 commands against the fake Bot API, 100,000 articles.

The fake Telegram server and the readers run in a child process (so their CPU is not counted
as the bot's); the bot (the real python-telegram-bot Application, AIORateLimiter at the
configured rate, BotCore, SQLite store) runs here. Latency is measured by the server: from the
moment ``getUpdates`` hands an update to the bot to the moment the bot's reply arrives.

Readers behave like people: each arrives at a random moment in the first 3.5 s, waits for its
answer, then thinks 1.5-3.5 s before the next command, so 50 readers stay under the default 25
messages/s (the rate limiter is in the path). (Before readers arrived at random, all 50 first
commands landed in the same instant; that one burst made up the whole slowest 5 %.)

Baseline (same run): the same transport with a handler that answers a fixed text without
touching the store, so the ratio shows what conversations and SQLite add to the plumbing.

Run: .venv/bin/python bench/bot_latency.py [--readers 50] [--commands 20] [--articles 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine.context import BotSettings  # noqa: E402
from bot.engine.core import BotCore  # noqa: E402
from bantin.app import build_router  # noqa: E402
from bot.engine.messages import Reply, Rich  # noqa: E402
from bot.engine.router import Router  # noqa: E402
from bot.transports.telegram import TelegramSettings, TelegramTransport  # noqa: E402
from store import Article, Store  # noqa: E402

# Topics appear in a few percent of articles, as place names and subjects do in real news; the
# rest of the text is drawn (Zipf-like) from a few thousand made-up Vietnamese syllable pairs.
TOPICS = {
    "Đà Nẵng": 0.02, "Hà Nội": 0.05, "Huế": 0.01, "giao thông": 0.03, "bão số 3": 0.005,
    "giá vàng": 0.01, "cao tốc": 0.01, "du lịch": 0.03, "bóng đá": 0.02, "lễ hội": 0.01,
}
ONSETS = "b c ch d đ g gi h k kh l m n ng nh ph qu r s t th tr v x".split()
RHYMES = "a à á ả ã ạ ai an ang anh ao ăn âm ân ấp e ê em ên ết i in inh o ô ơ ôi ơn u ư uy ương".split()
COMMANDS = ["/latest", "/search da nang", "/latest 10", "/settings", "gia vang",
            "/search bão số 3", "/help", "/subscribe 7h30", "/search giao thong hue",
            "/latest 3", "cao toc", "/start", "/search khong co gi ca xyz", "/feedback Hay"]


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    syllable = lambda: rng.choice(ONSETS) + rng.choice(RHYMES)  # noqa: E731
    return [f"{syllable()} {syllable()}" for _ in range(size)]


def _text(rng: random.Random, vocabulary: list[str], weights: list[float], words: int) -> str:
    parts = rng.choices(vocabulary, weights=weights, k=words // 2)
    for topic, share in TOPICS.items():
        if rng.random() < share:
            parts.insert(rng.randrange(len(parts) + 1), topic)
    return " ".join(parts)


def fill_store(path: Path, count: int) -> None:
    """``count`` articles, saved through the store's own save path (``save_many`` in batches
    of 500), so every search index and story the bot reads is there as in production."""
    store = Store(path)
    rng = random.Random(7)
    now = datetime.now(UTC)
    vocabulary = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    batch: list[Article] = []
    for n in range(count, 0, -1):
        title, body = _text(rng, vocabulary, weights, 18), _text(rng, vocabulary, weights, 140)
        when = now - timedelta(minutes=n * 3)
        batch.append(Article(url=f"https://bao.example.vn/{n}.html", source="Báo Mẫu",
                             title=title, lead=body[:150], text=body, summary=body[:300],
                             published_at=when, fetched_at=when))
        if len(batch) == 500 or n == 1:
            store.articles.save_many(batch)
            batch = []
    store.close()


# --- the child process: fake server and readers ------------------------------------------------


def serve(port_queue: mp.Queue, result_queue: mp.Queue, readers: int, commands: int,
          seed: int) -> None:
    asyncio.run(_serve(port_queue, result_queue, readers, commands, seed))


async def _serve(port_queue, result_queue, readers, commands, seed) -> None:
    from tests.fakes.telegram_server import FakeTelegramServer

    server = FakeTelegramServer(record_calls=False)
    await server.start()
    port_queue.put((server.base_url, server.token))
    await server.wait_for(lambda: server.calls_to("setMyCommands"), timeout=120)
    start_signal = asyncio.Event()
    result_queue.put("ready")
    await asyncio.sleep(0.5)
    start_signal.set()
    latencies: list[tuple[str, float]] = []

    async def reader(chat_id: int) -> None:
        rng = random.Random(seed + chat_id)
        await asyncio.sleep(rng.uniform(0, 3.5))  # readers arrive over time, not in one instant
        for _ in range(commands):
            before = len(server.messages_to(chat_id))
            command = rng.choice(COMMANDS)
            message = server.user_sends(chat_id, command)
            await server.wait_messages(chat_id, 1, after=before, timeout=60)
            reply = server.messages_to(chat_id)[before]
            update_id = server.update_id_of(chat_id, message["message_id"])
            latencies.append((command, reply.at - server.delivered_at[update_id]))
            await asyncio.sleep(rng.uniform(1.5, 3.5))

    started = time.monotonic()
    await asyncio.gather(*(reader(10_000 + i) for i in range(readers)))
    elapsed = time.monotonic() - started
    result_queue.put({"latencies": latencies, "elapsed": elapsed})
    await asyncio.sleep(0.5)
    await server.stop()


# --- this process: the bot --------------------------------------------------------------------


def echo_router() -> Router:
    """The baseline: same plumbing, no store, no rendering work beyond one line."""
    router = Router()
    answer = lambda ctx, args="": [Reply(Rich.of("Đã nhận."))]  # noqa: E731
    for name, command in build_router().commands.items():
        router.command(name, command.description)(answer)
    router.on_text = router.on_other = answer
    return router


async def run_bot(store_path: Path, router: Router, args) -> dict:
    ctx = mp.get_context("spawn")
    port_queue, result_queue = ctx.Queue(), ctx.Queue()
    child = ctx.Process(target=serve, args=(port_queue, result_queue, args.readers,
                                            args.commands, 1))
    child.start()
    base_url, token = await asyncio.to_thread(port_queue.get, True, 60)
    store = Store(store_path)
    core = BotCore(store, BotSettings(), router=router)
    transport = TelegramTransport(core, TelegramSettings(
        token=token, base_url=base_url, rate_limit_per_second=args.rate, poll_timeout=5))
    await transport.start()
    await asyncio.to_thread(result_queue.get, True, 60)  # "ready"
    stalls: list[float] = []
    running = True

    async def watch_loop() -> None:
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            stalls.append(time.perf_counter() - before - 0.005)

    watcher = asyncio.create_task(watch_loop())
    cpu_before = time.process_time()
    result = await asyncio.to_thread(result_queue.get, True, 600)
    cpu = time.process_time() - cpu_before
    running = False
    await watcher
    await transport.stop()
    core.close()
    store.close()
    child.join(30)
    latencies = sorted(latency for _, latency in result["latencies"])
    by_command: dict[str, list[float]] = {}
    for command, latency in result["latencies"]:
        by_command.setdefault(command.split()[0] if command.startswith("/") else "text",
                              []).append(latency)
    return {
        "by_command": {name: _p95(values) * 1000 for name, values in sorted(by_command.items())},
        "updates": len(latencies),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": _p95(latencies) * 1000,
        "max_ms": latencies[-1] * 1000,
        "cpu_ms_per_update": cpu / len(latencies) * 1000,
        "stall_ms": max(stalls) * 1000 if stalls else 0.0,
        "elapsed_s": result["elapsed"],
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--commands", type=int, default=20)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=25, help="[telegram] rate_limit_per_second")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        started = time.perf_counter()
        fill_store(path, args.articles)
        print(f"store: {args.articles:,} articles in {time.perf_counter() - started:.1f} s")
        results = {}
        for name, router in (("baseline (echo, no store)", echo_router()),
                             ("bantin handlers", build_router())):
            results[name] = asyncio.run(run_bot(path, router, args))
            r = results[name]
            print(f"{name:<27} updates {r['updates']:>5}  p50 {r['p50_ms']:6.1f} ms  "
                  f"p95 {r['p95_ms']:6.1f} ms  max {r['max_ms']:6.1f} ms  "
                  f"cpu/update {r['cpu_ms_per_update']:5.2f} ms  "
                  f"longest loop stall {r['stall_ms']:5.1f} ms  ({r['elapsed_s']:.0f} s)")
        base, full = results.values()
        print("p95 by command (bantin): " + ", ".join(
            f"{name} {value:.0f} ms" for name, value in full["by_command"].items()))
        print(f"ratio bantin/baseline: p50 x{full['p50_ms'] / base['p50_ms']:.2f}, "
              f"p95 x{full['p95_ms'] / base['p95_ms']:.2f}, "
              f"cpu x{full['cpu_ms_per_update'] / base['cpu_ms_per_update']:.2f}")
        ok = full["p95_ms"] <= 50 and full["stall_ms"] <= 100
        print(f"targets (p95 <= 50 ms, no stall > 100 ms): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
