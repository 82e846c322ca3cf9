"""Search benchmark: 100,000 articles, load rate, size, memory, latest and search latency.

    .venv/bin/python bench/search.py [--articles 100000] [--queries 200] [--data PATH]

Articles come from ../shared/data/vnds/train.jsonl.gz (repeated with new URLs) when it is
there, else from generated Vietnamese-like text. The baseline, measured in the same run on the
same database, is the same searches as raw FTS5 ``MATCH ... ORDER BY rank LIMIT 5`` (bm25) and
as raw ``MATCH ... ORDER BY rowid DESC LIMIT 5`` (newest first, without folding, title tier,
article rows or snippets). The load rate includes story grouping; the first
``--baseline-articles`` are loaded again into fresh stores with grouping on and off, for the
cost of grouping in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bantin.text import fold  # noqa: E402
from store import Article, Store  # noqa: E402
from store import grouping as store_grouping  # noqa: E402
from store.search import match_expression, query_terms  # noqa: E402
from store.story_match import Signature  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vnds" / "train.jsonl.gz"
SYLLABLES = (
    "nhà nước người dân kinh tế xã hội Hà Nội Đà Nẵng Hà Tĩnh giao thông bão lũ học sinh "
    "trường đại học bệnh viện công an tỉnh huyện xã đường cao tốc giá xăng thị trường "
    "chứng khoán bóng đá đội tuyển Việt Nam"
).split()


# Words found in a large share of articles, typed with and without diacritics, and phrases of
# common words: the cases where reading every match would be slow.
COMMON_QUERIES = ("người", "nguoi", "bão", "bao", "giá", "việt nam", "viet nam", "hôm nay",
                  "giá vàng hôm nay", "của những người")


def real_documents(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def generated_documents(count: int, rng: random.Random) -> list[dict]:
    def sentence() -> str:
        return " ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(8, 25))).capitalize() + "."

    return [
        {"title": sentence()[:-1], "text": " ".join(sentence() for _ in range(rng.randint(8, 30)))}
        for _ in range(count)
    ]


def articles(docs: list[dict], total: int) -> Iterator[Article]:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(total):
        doc = docs[n % len(docs)]
        copy = n // len(docs)
        text = doc["text"]
        lead, _, rest = text.partition(". ")
        yield Article(
            url=f"https://bench.example/{n}",
            source="Bench",
            title=doc["title"] + (f" ({copy})" if copy else ""),
            lead=lead + ".",
            text=rest + (f" Bản {copy}." if copy else ""),
            summary=lead + ".",
            published_at=start + timedelta(minutes=n),
            fetched_at=start + timedelta(minutes=n),
        )


def make_queries(docs: list[dict], count: int, rng: random.Random) -> list[str]:
    queries = []
    for i in range(count):
        words = [w for w in docs[rng.randrange(len(docs))]["title"].split() if w.isalpha()]
        if not words:
            words = ["Việt", "Nam"]
        size = min(len(words), rng.randint(1, 3))
        start = rng.randrange(len(words) - size + 1)
        query = " ".join(words[start:start + size])
        queries.append(fold(query) if i % 2 else query)
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(fn) -> float:
    begin = time.perf_counter()
    fn()
    return (time.perf_counter() - begin) * 1000


def save_in_batches(store: Store, stream: Iterable[Article], size: int = 500) -> None:
    """Save through ``save_many`` in transactions of ``size`` articles, as a bulk import does."""
    batch: list[Article] = []
    for article in stream:
        batch.append(article)
        if len(batch) == size:
            store.articles.save_many(batch)
            batch.clear()
    store.articles.save_many(batch)


def load_rate(docs: list[dict], count: int, *, grouping: bool) -> float:
    """Articles/s loading ``count`` articles into a fresh store; without grouping, the story
    step is skipped (every article left out of any story) to measure what grouping costs."""
    saved = store_grouping.place, store_grouping.record
    if not grouping:
        empty = Signature(frozenset(), frozenset(), frozenset(), frozenset())
        store_grouping.place = lambda *args, **kwargs: store_grouping.Placement(None, empty, None)
        store_grouping.record = lambda *args, **kwargs: None
    try:
        with tempfile.TemporaryDirectory() as folder:
            store = Store(Path(folder) / "rate.db")
            begin = time.perf_counter()
            save_in_batches(store, articles(docs, count))
            seconds = time.perf_counter() - begin
            store.close()
    finally:
        store_grouping.place, store_grouping.record = saved
    return count / seconds


def cpu_timed(fn) -> float:
    """Milliseconds of this thread's CPU (SQLite runs in it): steadier than wall time when
    other jobs share the machine."""
    begin = time.thread_time()
    fn()
    return (time.thread_time() - begin) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--baseline-articles", type=int, default=20_000,
                        help="articles loaded again with story grouping off (0: skip)")
    args = parser.parse_args()
    rng = random.Random(7)

    if args.data.exists():
        docs = real_documents(args.data)
        print(f"data: {args.data} ({len(docs)} documents, repeated with new URLs)")
    else:
        docs = generated_documents(5000, rng)
        print(f"data: {args.data} not found; using {len(docs)} generated documents")

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        load_before = os.getloadavg()[0]
        begin, begin_cpu = time.perf_counter(), time.process_time()
        save_in_batches(store, articles(docs, args.articles))
        load_seconds = time.perf_counter() - begin
        load_cpu = time.process_time() - begin_cpu
        store.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_mb = store.stats()["size_bytes"] / 1e6

        queries = make_queries(docs, args.queries, rng)
        conn = store.database.conn
        for query in queries[:20]:  # warm the page cache for both sides alike
            store.search.search(query)
        ours, raw, raw_recent, hits = [], [], [], 0
        ours_cpu: list[float] = []
        raw_cpu: list[float] = []
        for query in queries:
            ours.append(timed(lambda: store.search.search(query, limit=5)))
            expression = match_expression(query_terms(query))
            raw.append(timed(lambda: conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 5",
                (expression,),
            ).fetchall()))
            raw_recent.append(timed(lambda: conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT 5",
                (expression,),
            ).fetchall()))
            hits += bool(store.search.search(query, limit=1))
            ours_cpu.append(cpu_timed(lambda: store.search.search(query, limit=5)))
            raw_cpu.append(cpu_timed(lambda: conn.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 5",
                (expression,),
            ).fetchall()))
        common = {query: cpu_timed(lambda: store.search.search(query, limit=5))
                  for query in COMMON_QUERIES}
        latest = [timed(lambda: store.articles.latest(5, offset=rng.randrange(0, 100)))
                  for _ in range(200)]
        store.close()

    if args.baseline_articles:
        count = min(args.baseline_articles, args.articles)
        grouped = load_rate(docs, count, grouping=True)
        plain = load_rate(docs, count, grouping=False)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles: {args.articles}")
    print(f"load: {args.articles / load_seconds:,.0f} articles/s ({load_seconds:.1f} s); "
          f"{args.articles / load_cpu:,.0f} articles per CPU-second; load average "
          f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    if args.baseline_articles:
        print(f"load of the first {count:,} again, story grouping on: {grouped:,.0f} articles/s; "
              f"off (baseline): {plain:,.0f} articles/s; ratio {plain / grouped:.2f}x")
    print(f"database size: {size_mb:,.0f} MB; peak memory: {peak_mb:,.0f} MB")
    print(f"latest(5): p50 {percentile(latest, .5):.2f} ms, p95 {percentile(latest, .95):.2f} ms")
    print(f"search ({len(queries)} queries, {hits} with hits): "
          f"p50 {percentile(ours, .5):.2f} ms, p95 {percentile(ours, .95):.2f} ms")
    print(f"raw FTS5 MATCH baseline: p50 {percentile(raw, .5):.2f} ms, "
          f"p95 {percentile(raw, .95):.2f} ms")
    print(f"raw FTS5 MATCH, newest first (ORDER BY rowid DESC): p50 "
          f"{percentile(raw_recent, .5):.2f} ms, p95 {percentile(raw_recent, .95):.2f} ms")
    print(f"ratio ours/raw newest-first: p50 "
          f"{percentile(ours, .5) / percentile(raw_recent, .5):.2f}x, "
          f"p95 {percentile(ours, .95) / percentile(raw_recent, .95):.2f}x")
    print(f"ratio ours/raw: p50 {percentile(ours, .5) / percentile(raw, .5):.2f}x, "
          f"p95 {percentile(ours, .95) / percentile(raw, .95):.2f}x")
    print(f"mean: ours {statistics.mean(ours):.2f} ms, raw {statistics.mean(raw):.2f} ms")
    print(f"CPU time (thread): ours p50 {percentile(ours_cpu, .5):.2f} ms, p95 "
          f"{percentile(ours_cpu, .95):.2f} ms; raw bm25 p50 {percentile(raw_cpu, .5):.2f} ms, "
          f"p95 {percentile(raw_cpu, .95):.2f} ms; ratio p95 "
          f"{percentile(ours_cpu, .95) / percentile(raw_cpu, .95):.2f}x")
    slowest = max(common, key=common.get)
    print(f"common words ({', '.join(COMMON_QUERIES)}): slowest {slowest!r} "
          f"{common[slowest]:.2f} ms CPU")


if __name__ == "__main__":
    main()
