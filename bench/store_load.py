"""Store load rate: this checkout against an earlier revision, in the same run.

    .venv/bin/python bench/store_load.py [--baseline fc12ef5] [--articles 30000] [--rounds 2]

Saving articles (``save_many`` in batches of 500, as ``bench/search.py`` loads them) is timed
for the code of each revision in turn, alternating, each in a fresh child process on a fresh
database, so a busy machine slows both sides alike. The baseline's code is taken with
``git archive`` into a temporary folder. Printed per revision: articles per second (wall) and
per CPU-second of the process (steadier when other jobs share the machine), and the ratio of
this checkout to the baseline. Articles come from ../shared/data/vnds/train.jsonl.gz, repeated
with new URLs, as in ``bench/search.py``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "vnds" / "train.jsonl.gz"
BATCH = 500


def _load(root: Path, data: Path, count: int) -> None:
    """Child process: save ``count`` articles with the ``store`` package found in ``root``."""
    sys.path.insert(0, str(root))
    from store import Article, Store  # noqa: PLC0415 - the revision under test, chosen above

    with gzip.open(data, "rt", encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    articles = []
    for n in range(count):
        doc, copy = docs[n % len(docs)], n // len(docs)
        lead, _, rest = doc["text"].partition(". ")
        articles.append(Article(
            url=f"https://bench.example/{n}", source="Bench",
            title=doc["title"] + (f" ({copy})" if copy else ""), lead=lead + ".",
            text=rest + (f" Bản {copy}." if copy else ""), summary=lead + ".",
            published_at=start + timedelta(minutes=n), fetched_at=start + timedelta(minutes=n)))
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "load.db")
        begin, begin_cpu = time.perf_counter(), time.process_time()
        for first in range(0, count, BATCH):
            store.articles.save_many(articles[first:first + BATCH])
        wall, cpu = time.perf_counter() - begin, time.process_time() - begin_cpu
        store.close()
    print(json.dumps({"wall": wall, "cpu": cpu}))


def _checkout(revision: str, folder: Path) -> Path:
    """The files of ``revision`` (a commit of this repository) unpacked under ``folder``."""
    archive = folder / "baseline.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive),
                    revision], check=True)
    target = folder / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    return target


def _run(root: Path, data: Path, count: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(root), "--articles", str(count),
         "--data", str(data)], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="fc12ef5",
                        help="revision to compare with (default: main before search ranking)")
    parser.add_argument("--articles", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _load(args.child, args.data, args.articles)
        return
    if not args.data.exists():
        sys.exit(f"{args.data}: not found (see ../shared/data/README.md)")
    with tempfile.TemporaryDirectory() as folder:
        sides = {f"baseline {args.baseline}": _checkout(args.baseline, Path(folder)),
                 "this checkout": ROOT}
        totals = {name: {"wall": 0.0, "cpu": 0.0} for name in sides}
        print(f"articles: {args.articles} per run, {args.rounds} rounds; load average "
              f"{os.getloadavg()[0]:.1f} at start")
        for round_ in range(args.rounds):
            for name, root in sides.items():
                result = _run(root, args.data, args.articles)
                for key in ("wall", "cpu"):
                    totals[name][key] += result[key]
                print(f"round {round_ + 1}, {name}: {args.articles / result['wall']:,.0f} "
                      f"articles/s, {args.articles / result['cpu']:,.0f} per CPU-second")
        print(f"load average {os.getloadavg()[0]:.1f} at end")
        rate = {name: {key: args.rounds * args.articles / value for key, value in t.items()}
                for name, t in totals.items()}
        for name, r in rate.items():
            print(f"{name}: {r['wall']:,.0f} articles/s, {r['cpu']:,.0f} per CPU-second")
        base, ours = rate[f"baseline {args.baseline}"], rate["this checkout"]
        print(f"ratio this checkout / baseline: {ours['wall'] / base['wall']:.2f}x per second, "
              f"{ours['cpu'] / base['cpu']:.2f}x per CPU-second")


if __name__ == "__main__":
    main()
