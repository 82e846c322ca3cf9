"""Articles per second of the default summariser against LEAD-2 and sumy LexRank, one core each.

    python bench/summary_speed.py [--data PATH] [--limit N] [--repeat R]

The rates come from one process that interleaves the systems batch by batch (100 articles of
default, then of lead, then of lexrank, and round again), so that load from other programs on a
shared machine falls on all of them alike; each system's CPU time is counted too, which leaves out
the time other programs took. Peak memory (max RSS) comes from a separate child
process per system over the same articles, so that each figure is that system's own. All of
them go through ``summarizer.summarize`` with the same splitter:
``lead`` is the first two worthy sentences, ``lexrank`` is sumy's LexRankSummarizer over the
Vietnamese tokenizer. The last part times one 1 MB text, to show that work is capped.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from summary_quality import DEFAULT_DATA, read_articles  # noqa: E402

SYSTEMS = ("default", "lead", "lexrank")


def measure(name: str, data: Path, limit: int, repeat: int) -> dict:
    """Run one system over the articles in this process; its rate and peak memory."""
    from summarizer import summarize

    articles = [a for a in read_articles(data, limit) if a.get("text")]
    summarize(articles[0]["text"], title=articles[0].get("title"), algorithm=name)  # warm-up
    started = time.perf_counter()
    for _ in range(repeat):
        for a in articles:
            summarize(a["text"], title=a.get("title"), sentences=2, algorithm=name)
    seconds = time.perf_counter() - started
    return {
        "system": name,
        "articles": len(articles) * repeat,
        "seconds": seconds,
        "rate": len(articles) * repeat / seconds,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def interleaved(data: Path, limit: int, repeat: int,
                batch: int = 100) -> tuple[dict[str, float], dict[str, float]]:
    """Articles per second of every system, timed batch by batch in turn in this process.

    Two clocks: wall time, and this process's CPU time, which leaves out the time the shared
    machine gave to other programs (what the load average moves most) but not their effect on
    caches.
    """
    from summarizer import summarize

    articles = [a for a in read_articles(data, limit) if a.get("text")]
    for name in SYSTEMS:  # warm-up: load the model, import sumy
        summarize(articles[0]["text"], title=articles[0].get("title"), algorithm=name)
    wall = dict.fromkeys(SYSTEMS, 0.0)
    cpu = dict.fromkeys(SYSTEMS, 0.0)
    for _ in range(repeat):
        for start in range(0, len(articles), batch):
            chunk = articles[start:start + batch]
            for name in SYSTEMS:
                started, started_cpu = time.perf_counter(), time.process_time()
                for a in chunk:
                    summarize(a["text"], title=a.get("title"), sentences=2, algorithm=name)
                wall[name] += time.perf_counter() - started
                cpu[name] += time.process_time() - started_cpu
    count = len(articles) * repeat
    return ({name: count / wall[name] for name in SYSTEMS},
            {name: count / cpu[name] for name in SYSTEMS})


def one_megabyte(data: Path) -> dict:
    """Time ``summarize`` on one ~1 MB text made of real articles joined into paragraphs."""
    from summarizer import summarize

    parts, size = [], 0
    for a in read_articles(data, None):
        parts.append(a["text"])
        size += len(a["text"].encode("utf-8"))
        if size >= 1_000_000:
            break
    text = "\n\n".join(parts)
    result = {"bytes": len(text.encode("utf-8"))}
    for name in ("default", "lexrank"):
        started = time.perf_counter()
        summarize(text, sentences=2, algorithm=name)
        result[name] = time.perf_counter() - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=SYSTEMS, help=argparse.SUPPRESS)
    parser.add_argument("--one-megabyte", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"data not found: {args.data}\n(the shared VNDS data is not on this machine; pass "
              "--data PATH to a JSONL with title and text)", file=sys.stderr)
        return 2
    if args.only:
        print(json.dumps(measure(args.only, args.data, args.limit, args.repeat)))
        return 0
    if args.one_megabyte:
        print(json.dumps(one_megabyte(args.data)))
        return 0
    memory = {}
    for name in SYSTEMS:
        out = subprocess.run(
            [sys.executable, __file__, "--data", str(args.data), "--limit", str(args.limit),
             "--only", name],
            check=True, capture_output=True, text=True,
        )
        memory[name] = json.loads(out.stdout)["max_rss_mb"]
    rates, cpu_rates = interleaved(args.data, args.limit, args.repeat)
    count = sum(1 for a in read_articles(args.data, args.limit) if a.get("text")) * args.repeat
    print(f"{count} summaries of 2 sentences per system, one process, systems interleaved by "
          f"batches of 100 ({args.data.name})")
    print(f"{'system':<10} {'articles/s':>11} {'ms/article':>11} {'per CPU-s':>10} "
          f"{'peak RSS MB':>12}")
    for name in SYSTEMS:
        print(f"{name:<10} {rates[name]:11.0f} {1000 / rates[name]:11.2f} "
              f"{cpu_rates[name]:10.0f} {memory[name]:12.0f}")
    print(f"default / lexrank: {rates['default'] / rates['lexrank']:.1f}x wall, "
          f"{cpu_rates['default'] / cpu_rates['lexrank']:.1f}x CPU   "
          f"default / lead: {rates['default'] / rates['lead']:.2f}x")
    out = subprocess.run([sys.executable, __file__, "--data", str(args.data), "--one-megabyte"],
                         check=True, capture_output=True, text=True)
    big = json.loads(out.stdout)
    print(f"one {big['bytes'] / 1e6:.2f} MB text: default {big['default']:.2f}s, "
          f"lexrank {big['lexrank']:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
