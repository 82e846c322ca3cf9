"""Feedback burst: how long readers wait for an answer while the moderators' group is busy.

    .venv/bin/python bench/feedback_burst.py [--readers 200] [--rounds 8]

The issue this answers: with 200 readers sending commands, the readers who had sent
``/feedback`` got no answer within 60 s, because the post to the moderators' group (Telegram:
about 20 messages a minute) was sent under the reader's chat lock. Here the real
python-telegram-bot Application (its ``AIORateLimiter``, group limit included), ``BotCore``, a
SQLite store and the moderators' outbox run against the fake Bot API server on 127.0.0.1.
``--readers`` readers each send ``--rounds`` commands in a burst, every other reader's first
command being ``/feedback``; the time from the update's hand-out to the reader's answer is
measured for every command.

Baseline (same run): the same burst with ``/help`` in place of ``/feedback``, so the figure to
read is the ratio: what a feedback burst adds to the reply time. Also printed: how many
answers took over 60 s (the issue's measure) and how many moderators' messages carried the
feedback (batched at the group's pace) by the end of the run.
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

from bantin.app import build_router  # noqa: E402
from bot.engine.context import BotSettings, ModerationSettings  # noqa: E402
from bot.engine.core import BotCore  # noqa: E402
from bot.features.moderation_outbox import OutboxSender  # noqa: E402
from bot.transports.telegram import TelegramSettings, TelegramTransport  # noqa: E402
from store import Store  # noqa: E402
from tests.fakes.telegram_server import FakeTelegramServer  # noqa: E402

MOD_CHAT = -100777
MODERATION = ModerationSettings(moderator_chat_id=MOD_CHAT, moderators=(701,),
                                feedback_per_hour=1000)


async def burst(readers: int, rounds: int, feedback: bool) -> tuple[list[float], int, int]:
    """Reply times (s) of every command, messages to the moderators' chat, feedback stored."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        async with FakeTelegramServer() as server:
            core = BotCore(store, BotSettings(moderation=MODERATION), router=build_router())
            transport = TelegramTransport(core, TelegramSettings(
                token=server.token, base_url=server.base_url, poll_timeout=0.5))
            outbox = OutboxSender(core)
            await transport.start()
            await outbox.start()
            try:
                sent_at: dict[int, list[float]] = {}
                for n in range(rounds):
                    for reader in range(10_000, 10_000 + readers):
                        text = (f"/feedback Góp ý {n} của bạn đọc {reader}"
                                if feedback and (reader + n) % 2 == 0 else "/help")
                        server.user_sends(reader, text)
                        sent_at.setdefault(reader, []).append(time.monotonic())
                total = readers * rounds
                await server.wait_for(lambda: sum(
                    len(server.messages_to(r)) for r in sent_at) >= total, timeout=600)
                times = []
                for reader, starts in sent_at.items():
                    answers = server.messages_to(reader)
                    times += [answer.at - start for answer, start in zip(answers, starts,
                                                                       strict=False)]
                posts = len(server.messages_to(MOD_CHAT))
                stored = store.feedback.pending_count()
            finally:
                await outbox.stop()
                await transport.stop()
                core.close()
                store.close()
    return times, posts, stored


def describe(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"median {statistics.median(ordered):.3f} s, p95 {p95:.3f} s, "
            f"max {ordered[-1]:.3f} s, over 60 s: {sum(t > 60 for t in ordered)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    base, _, _ = asyncio.run(burst(args.readers, args.rounds, feedback=False))
    times, posts, stored = asyncio.run(burst(args.readers, args.rounds, feedback=True))
    print(f"{args.readers} readers x {args.rounds} commands = {len(times)} answers")
    print(f"baseline, /help only:      {describe(base)}")
    print(f"half of them /feedback:    {describe(times)}")
    print(f"ratio p95 feedback/baseline: {sorted(times)[int(0.95 * (len(times) - 1))] / max(1e-9, sorted(base)[int(0.95 * (len(base) - 1))]):.2f}")
    print(f"feedback stored: {stored}; moderators' messages so far: {posts} "
          "(paced ~20/min, batched)")


if __name__ == "__main__":
    main()
