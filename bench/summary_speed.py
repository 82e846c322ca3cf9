"""Articles per second of the default summariser against LEAD-2 and sumy LexRank, one core each.

    python bench/summary_speed.py [--data PATH] [--limit N] [--repeat R]

Each system runs in its own child process, one after the other, on the same articles (any JSONL
with ``title`` and ``text``; default: the shared VNDS validation split), so its peak memory
(max RSS) is its own. All of them go through ``summarizer.summarize`` with the same splitter:
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
    results = {}
    for name in SYSTEMS:
        out = subprocess.run(
            [sys.executable, __file__, "--data", str(args.data), "--limit", str(args.limit),
             "--repeat", str(args.repeat), "--only", name],
            check=True, capture_output=True, text=True,
        )
        results[name] = json.loads(out.stdout)
    print(f"{results['default']['articles']} summaries of 2 sentences per system, one process each "
          f"({args.data.name})")
    print(f"{'system':<10} {'articles/s':>11} {'seconds':>8} {'peak RSS MB':>12}")
    for name, r in results.items():
        print(f"{name:<10} {r['rate']:11.0f} {r['seconds']:8.2f} {r['max_rss_mb']:12.0f}")
    ratio = results["default"]["rate"] / results["lexrank"]["rate"]
    print(f"default / lexrank: {ratio:.1f}x   default / lead: "
          f"{results['default']['rate'] / results['lead']['rate']:.2f}x")
    out = subprocess.run([sys.executable, __file__, "--data", str(args.data), "--one-megabyte"],
                         check=True, capture_output=True, text=True)
    big = json.loads(out.stdout)
    print(f"one {big['bytes'] / 1e6:.2f} MB text: default {big['default']:.2f}s, "
          f"lexrank {big['lexrank']:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
