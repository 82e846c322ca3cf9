"""Boundary F1 of ``summarizer.split_sentences`` against the VNDS reference sentence split.

    python bench/sentence_split.py [--data PATH] [--limit N] [--part first|second|all]
                                   [--show-errors K]

The reference file holds ``{"id", "sentences": [...]}`` per line; the text is the sentences
joined by one space. A boundary is the character offset where one sentence ends and the next
begins; both sides are put through ``normalize_text`` first, as the splitter does. Precision,
recall and F1 are micro-averaged over all articles. A naive baseline (split after every ``.``,
``!``, ``?`` followed by a space) is measured in the same run.

``--part first`` keeps the first half of the articles (after ``--limit``), ``--part second``
the rest: splitter rules are developed on the first half only, so the second half gives a figure
they were not tuned on.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer import split_sentences  # noqa: E402
from summarizer.text import normalize_text  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "vnds" / "val.sentences.jsonl.gz"
_NAIVE = re.compile(r"(?<=[.!?])\s+")


def read_jsonl(path: Path, limit: int | None) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


def boundaries(text: str, sentences: list[str]) -> set[int]:
    """Offsets in ``text`` where each sentence but the last ends."""
    found: set[int] = set()
    pos = 0
    for sentence in sentences[:-1]:
        at = text.find(sentence, pos)
        if at < 0:
            continue
        pos = at + len(sentence)
        found.add(pos)
    return found


def select_part(records: list[dict], part: str) -> list[dict]:
    """The first half, the second half or all of ``records`` (the first half has the odd one)."""
    half = (len(records) + 1) // 2
    if part == "first":
        return records[:half]
    if part == "second":
        return records[half:]
    return records


def naive_split(text: str) -> list[str]:
    return [s for s in _NAIVE.split(text) if s]


def evaluate(records: list[dict], splitter: Callable[[str], list[str]], show: int = 0) -> dict:
    tp = fp = fn = 0
    started = time.perf_counter()
    shown = 0
    for record in records:
        # Both sides in normalised form: the splitter returns substrings of normalize_text(),
        # which drops invisible characters (zero-width spaces, BOM) that some VNDS texts hold.
        reference = [s for s in map(normalize_text, record["sentences"]) if s]
        text = " ".join(reference)
        gold = boundaries(text, reference)
        pred = boundaries(text, splitter(text))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if shown < show and gold != pred:
            shown += 1
            for at in sorted(gold ^ pred):
                kind = "missed" if at in gold else "extra "
                print(f"  {kind} {record['id']}: …{text[max(0, at - 60):at]}|{text[at:at + 40]}…")
    seconds = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--part", choices=("first", "second", "all"), default="all",
                        help="first half (rules are developed on it), second half or all")
    parser.add_argument("--show-errors", type=int, default=0, metavar="K",
                        help="print the differing boundaries of the first K articles")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"reference data not found: {args.data}\n(the shared VNDS data is not on this "
              "machine; pass --data PATH to a JSONL of {id, sentences})", file=sys.stderr)
        return 2
    records = select_part(list(read_jsonl(args.data, args.limit)), args.part)
    print(f"{len(records)} articles ({args.part}) from {args.data}")
    print(f"{'splitter':<28} {'P':>7} {'R':>7} {'F1':>7} {'articles/s':>11}")
    for name, splitter, show in (
        ("naive (. ! ? + space)", naive_split, 0),
        ("summarizer.split_sentences", split_sentences, args.show_errors),
    ):
        r = evaluate(records, splitter, show)
        rate = len(records) / r["seconds"] if r["seconds"] else float("inf")
        print(f"{name:<28} {r['precision']:7.4f} {r['recall']:7.4f} {r['f1']:7.4f} {rate:11.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
