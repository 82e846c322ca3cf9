"""ROUGE and readability of bantin's summariser against LEAD-2 and sumy's, with bootstrap intervals.

    python bench/summary_quality.py [--data PATH] [--limit N] [--sentences 2]
                                    [--algorithms default,lexrank,...] [--all]

Input: any JSONL (optionally .gz) with ``id``, ``title``, ``text``, ``summary``; the default is
the shared VNDS validation split. References are ``summary`` (the sapo, not part of ``text``).
ROUGE-1/2/L F1 ×100 over lower-cased syllables (bench/rouge_vi.py). Every system uses the same
sentence splitter. LEAD-2 is the first sentences of the split, with no filtering at all. The
paired bootstrap (1,000 resamples of the articles) gives a 95% interval of default − LEAD.

"faulty" is the share of summaries in which ``summarizer.readability.summary_faults`` finds at
least one fault (a sentence leaning on one left out, a quotation cut open, the headline repeated,
page furniture, two redundant or contradicting sentences, a person named by a short form only a
left-out sentence explains); the columns after it break it down by class (a summary may have
several). ``--show SYSTEM`` prints that system's first summaries to read.
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
from summarizer.readability import summary_faults  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "vnds" / "val.jsonl.gz"
BASELINES = ("lexrank",)
FAULTS = ("leans_back", "quote", "headline", "furniture", "redundant", "contradiction",
          "short_name")


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


def lead_sentences(text: str, k: int) -> tuple[list[str], list[int]]:
    """LEAD-k: the first ``k`` sentences of the split, unfiltered, and their indices."""
    first = split_sentences(text)[:k]
    return first, list(range(len(first)))


def fault_rates(faults: list[list[str]]) -> dict[str, float]:
    """Percent of summaries with any fault ("faulty") and with each fault class."""
    n = max(len(faults), 1)
    rates = {"faulty": 100 * sum(1 for f in faults if f) / n}
    for name in FAULTS:
        rates[name] = 100 * sum(1 for f in faults if name in f) / n
    return rates


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
    parser.add_argument("--show", metavar="SYSTEM", help="print this system's first summaries")
    parser.add_argument("--show-count", type=int, default=20)
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
    faults: dict[str, list[list[str]]] = {}
    shown: dict[str, list[tuple[dict, list[str]]]] = {}
    systems = [f"LEAD-{k}", *names]
    for name in systems:
        started = time.perf_counter()
        rows, found, texts = [], [], []
        for a in articles:
            if name == f"LEAD-{k}":
                chosen, indices = lead_sentences(a["text"], k)
            else:
                summary = summarize(a["text"], title=a.get("title"), sentences=k, algorithm=name)
                chosen, indices = summary.sentences, summary.indices
            rows.append(rouge(" ".join(chosen), a["summary"]))
            texts.append((chosen, indices))
        rates[name] = len(articles) / (time.perf_counter() - started)
        for a, (chosen, indices) in zip(articles, texts):
            found.append(summary_faults(chosen, indices, a.get("title"),
                                        split_sentences(a["text"])))
        scores[name], faults[name] = np.array(rows), found
        shown[name] = [(a, chosen) for a, (chosen, _) in zip(articles, texts)]
    print(f"{'system':<12} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'articles/s':>11} {'faulty%':>8}  "
          + " ".join(f"{f:>13}" for f in FAULTS))
    for name, rows in scores.items():
        r = rows.mean(axis=0)
        fr = fault_rates(faults[name])
        print(f"{name:<12} {r[0]:6.2f} {r[1]:6.2f} {r[2]:6.2f} {rates[name]:11.0f} "
              f"{fr['faulty']:8.1f}  " + " ".join(f"{fr[f]:13.1f}" for f in FAULTS))
    diff = scores["default"] - scores[f"LEAD-{k}"]
    print(f"\ndefault - LEAD-{k} (paired bootstrap, 1000 resamples, 95% interval):")
    for j, metric in enumerate(("R-1", "R-2", "R-L")):
        low, high = bootstrap_ci(diff[:, j])
        print(f"  {metric}: {diff[:, j].mean():+.2f}  [{low:+.2f}, {high:+.2f}]")
    faulty = {name: np.array([bool(f) for f in found], dtype=float) for name, found in faults.items()}
    low, high = bootstrap_ci(100 * (faulty["default"] - faulty[f"LEAD-{k}"]))
    print(f"  faulty%: {100 * (faulty['default'] - faulty[f'LEAD-{k}']).mean():+.2f}  "
          f"[{low:+.2f}, {high:+.2f}]")
    if args.show:
        _show(shown.get(args.show, []), faults.get(args.show, []), args.show_count)
    return 0


def _show(rows: list[tuple[dict, list[str]]], found: list[list[str]], count: int) -> None:
    """Print summaries as a reader gets them, with the faults the checker found."""
    for (article, chosen), faults in list(zip(rows, found))[:count]:
        print(f"\n# {article.get('title')}")
        for sentence in chosen:
            print(f"  - {sentence}")
        if faults:
            print(f"  faults: {', '.join(faults)}")


if __name__ == "__main__":
    sys.exit(main())
