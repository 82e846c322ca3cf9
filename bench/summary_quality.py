"""ROUGE of bantin's summariser against LEAD-2 and sumy's summarisers, with a bootstrap interval.

    python bench/summary_quality.py [--data PATH] [--limit N] [--sentences 2]
                                    [--algorithms default,lexrank,...] [--all]

Input: any JSONL (optionally .gz) with ``id``, ``title``, ``text``, ``summary``; the default is
the shared VNDS validation split. References are ``summary`` (the sapo, not part of ``text``).
ROUGE-1/2/L F1 ×100 over lower-cased syllables (bench/rouge_vi.py). Every system uses the same
sentence splitter. LEAD-2 is the first sentences of the split, with no filtering at all. The
paired bootstrap (1,000 resamples of the articles) gives a 95% interval of default − LEAD.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rouge_vi import rouge  # noqa: E402

from summarizer import ALGORITHMS, split_sentences, summarize  # noqa: E402

DEFAULT_DATA = Path("/work/shared/data/vnds/val.jsonl.gz")
BASELINES = ("lexrank",)


def read_articles(path: Path, limit: int | None = None) -> Iterator[dict]:
    """Articles of a JSONL file (gzip when it ends in .gz); blank lines skipped."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        count = 0
        for line in handle:
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            yield json.loads(line)


def lead_summary(text: str, k: int) -> str:
    return " ".join(split_sentences(text)[:k])


def bootstrap_ci(diff: np.ndarray, resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the mean of paired per-article differences."""
    rng = np.random.default_rng(seed)
    n = len(diff)
    means = diff[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--sentences", type=int, default=2)
    parser.add_argument("--algorithms", default="default," + ",".join(BASELINES),
                        help=f"comma-separated, from: {', '.join(ALGORITHMS)}")
    parser.add_argument("--all", action="store_true", help="every algorithm (slow: kl, lsa)")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"data not found: {args.data}\n(the shared VNDS data is not on this machine; pass "
              "--data PATH to a JSONL with id, title, text, summary)", file=sys.stderr)
        return 2
    names = list(ALGORITHMS) if args.all else [a.strip() for a in args.algorithms.split(",") if a.strip()]
    if "default" not in names:
        names.insert(0, "default")
    articles = [a for a in read_articles(args.data, args.limit) if a.get("text") and a.get("summary")]
    k = args.sentences
    print(f"{len(articles)} articles from {args.data}; {k} sentences; "
          "ROUGE F1 x100 over lower-cased syllables")
    scores: dict[str, np.ndarray] = {}
    rates: dict[str, float] = {}
    started = time.perf_counter()
    scores[f"LEAD-{k}"] = np.array([rouge(lead_summary(a["text"], k), a["summary"]) for a in articles])
    rates[f"LEAD-{k}"] = len(articles) / (time.perf_counter() - started)
    for name in names:
        started = time.perf_counter()
        rows = []
        for a in articles:
            summary = summarize(a["text"], title=a.get("title"), sentences=k, algorithm=name)
            rows.append(rouge(summary.text, a["summary"]))
        rates[name] = len(articles) / (time.perf_counter() - started)
        scores[name] = np.array(rows)
    print(f"{'system':<12} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'articles/s':>11}")
    for name, rows in scores.items():
        r = rows.mean(axis=0)
        print(f"{name:<12} {r[0]:6.2f} {r[1]:6.2f} {r[2]:6.2f} {rates[name]:11.0f}")
    diff = scores["default"] - scores[f"LEAD-{k}"]
    print(f"\ndefault - LEAD-{k} (paired bootstrap, 1000 resamples, 95% interval):")
    for j, metric in enumerate(("R-1", "R-2", "R-L")):
        low, high = bootstrap_ci(diff[:, j])
        print(f"  {metric}: {diff[:, j].mean():+.2f}  [{low:+.2f}, {high:+.2f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
