"""Moderation benchmark: what comments and the abuse rules cost on a large feedback table.

    .venv/bin/python bench/moderation.py [--articles 20000] [--feedback 200000] [--rounds 2000]

Builds a store with generated articles and feedback (all statuses; about a third approved,
spread over the newest articles like real comments), then measures, on the same database:

- a ``/latest`` page: the articles query alone (the same-run baseline) and with the
  "💬 N ý kiến" counts added;
- ``/comments``: the first page of one article's approved comments;
- intake checks done for every feedback: blocked? and the hourly count;
- ``/pending``: the oldest ten of many pending;
- decisions: conditional update + audit-log row, one transaction each;
- take-downs (``/remove``) of the comments just approved: the same, on ``status = 'approved'``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import Article, Store, to_iso  # noqa: E402

STATUSES = ["approved"] * 33 + ["pending"] * 10 + ["rejected"] * 40 + ["blocked"] * 7 + \
    ["limited"] * 10
START = datetime(2024, 1, 1, tzinfo=UTC)


def build(store: Store, articles: int, feedback: int, rng: random.Random) -> list[int]:
    batch = [
        Article(url=f"https://example.vn/tin/{n}.html", title=f"Tin số {n} về giao thông",
                source="Báo Mẫu", lead="Mở đầu.", text=f"Nội dung tin số {n}. Người dân vui.",
                published_at=START + timedelta(minutes=n), fetched_at=START + timedelta(minutes=n))
        for n in range(articles)
    ]
    ids = [article_id for _, article_id in store.articles.save_many(batch)]
    rows = []
    for n in range(feedback):
        article = ids[-1 - min(int(rng.expovariate(1 / 300)), len(ids) - 1)]  # recent ones
        reader = str(rng.randrange(feedback // 4))
        at = START + timedelta(seconds=n * 30)
        rows.append(("telegram", reader, reader, f"Bạn đọc {reader}", article,
                     f"Ý kiến số {n} về bài {article}.", rng.choice(STATUSES), to_iso(at)))
    with store.database.transaction() as conn:
        conn.executemany(
            "INSERT INTO feedback (platform, chat_id, user_id, display_name, article_id, text, "
            "status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return ids


def timed(label: str, rounds: int, call: Callable[[int], object]) -> float:
    samples = []
    for n in range(rounds):
        begin = time.perf_counter()
        call(n)
        samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    median = statistics.median(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    print(f"{label:<46} median {median:7.3f} ms   p95 {p95:7.3f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--feedback", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=2_000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        begin = time.perf_counter()
        ids = build(store, args.articles, args.feedback, rng)
        print(f"built {args.articles:,} articles and {args.feedback:,} feedback rows in "
              f"{time.perf_counter() - begin:.1f} s "
              f"({store.feedback.pending_count():,} pending)")
        pages = [n * 5 for n in range(20)]

        def latest_only(n: int) -> object:
            return store.articles.latest(limit=6, offset=pages[n % len(pages)])

        def latest_with_counts(n: int) -> object:
            shown = store.articles.latest(limit=6, offset=pages[n % len(pages)])
            return store.feedback.comment_counts(a.id for a in shown if a.id is not None)

        base = timed("/latest page: articles only (baseline)", args.rounds, latest_only)
        full = timed("/latest page: articles + comment counts", args.rounds, latest_with_counts)
        print(f"{'comment counts add':<46} {full - base:+.3f} ms a page "
              f"(ratio {full / base:.2f}x the baseline)")
        popular = ids[-1]
        timed("/comments: first page of the busiest article", args.rounds,
              lambda n: store.feedback.comments(ids[-1 - n % 50], limit=11))
        print(f"{'':<46} (busiest article has "
              f"{store.feedback.comment_counts([popular])[popular]:,} comments)")
        now = START + timedelta(seconds=args.feedback * 30)
        timed("intake: blocked? + hourly count for a reader", args.rounds,
              lambda n: (store.moderation.is_blocked("telegram", str(n)),
                         store.feedback.recent_from_reader("telegram", str(n), str(n),
                                                           now - timedelta(hours=1))))
        timed("/pending: oldest ten", args.rounds // 10, lambda n: store.feedback.pending(10))
        pending = [f.id for f in store.feedback.pending(limit=args.rounds)]
        timed("decision: conditional update + audit row", len(pending),
              lambda n: store.moderation.decide(pending[n], "approve", "1", "Minh", now))
        timed("take-down: conditional update + audit row", len(pending),
              lambda n: store.moderation.remove(pending[n], "2", "Hoà", now))
        store.close()


if __name__ == "__main__":
    main()
