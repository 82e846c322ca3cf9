"""ROUGE-1/2/L F1 ×100 over lower-cased Vietnamese syllables, written for bantin's benchmarks.

The ``rouge-score`` package's default tokenizer deletes every non-ASCII letter, which erases
most of Vietnamese; here a token is a run of letters or digits (``\\w+``) of the lower-cased text,
so diacritics are kept and punctuation and white space separate tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap or not predicted or not reference:
        return 0.0
    precision, recall = overlap / predicted, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(pred: Sequence[str], ref: Sequence[str], n: int) -> float:
    p = Counter(zip(*(pred[i:] for i in range(n))))
    r = Counter(zip(*(ref[i:] for i in range(n))))
    return _f1(sum((p & r).values()), sum(p.values()), sum(r.values()))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge_l(pred: Sequence[str], ref: Sequence[str]) -> float:
    return _f1(lcs_length(pred, ref), len(pred), len(ref))


def rouge(prediction: str, reference: str) -> tuple[float, float, float]:
    """(R-1, R-2, R-L) F1 ×100 of ``prediction`` against ``reference``."""
    pred, ref = tokens(prediction), tokens(reference)
    return 100 * rouge_n(pred, ref, 1), 100 * rouge_n(pred, ref, 2), 100 * rouge_l(pred, ref)
