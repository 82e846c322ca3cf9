"""Sentence features for the default ranker: position, length, title overlap, centrality.

Everything is counted in syllables, with the packaged stop words removed for the overlap
features. The same function feeds the fitting script (``bench/fit_ranker.py``) and the ranker at
run time, so the shipped weights always match the features they were fitted on. Only features
that earned their place on the training data are here, and each is cheap: the default ranker
must stay an order of magnitude faster than sumy's LexRank.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np

from summarizer.tokenizer import stop_words

FEATURES = (
    "bias", "first", "second", "third", "inv_position", "relative_position", "candidate_rank0",
    "candidate_rank1", "log_length", "length", "length_sq", "title_recall", "title_precision",
    "centrality", "log_sentences",
)
LENGTH_UNIT = 40.0  # the "length" feature is syllables / LENGTH_UNIT


@functools.cache
def single_stop_words() -> frozenset[str]:
    """The one-syllable stop words: what a syllable can be compared with."""
    return frozenset(w for w in stop_words() if " " not in w)


def content_words(tokens: Sequence[str]) -> list[str]:
    """Syllables that carry meaning: not a stop word."""
    stop = single_stop_words()
    return [t for t in tokens if t not in stop]


def sentence_features(
    tokens: Sequence[Sequence[str]], positions: Sequence[int], n_total: int,
    title_tokens: Sequence[str],
) -> tuple[np.ndarray, list[set[str]]]:
    """The feature matrix (one row per candidate) and each candidate's set of content words.

    ``tokens`` are the candidates' syllables, ``positions`` their indices among all ``n_total``
    sentences of the article, ``title_tokens`` the title's syllables (may be empty).
    """
    stop = single_stop_words()
    sets = [set(t).difference(stop) for t in tokens]
    title_set = set(title_tokens).difference(stop)
    doc_freq = Counter(chain.from_iterable(sets))  # in how many sentences each word occurs
    frequency_of = doc_freq.__getitem__
    n = len(tokens)
    log_sentences = math.log1p(n_total)
    rows = []
    for rank, (toks, cset, pos) in enumerate(zip(tokens, sets, positions)):
        length = len(toks)
        scaled = length / LENGTH_UNIT
        if title_set and cset:
            overlap = len(cset & title_set)
            title_recall = overlap / len(title_set)
            title_precision = overlap / len(cset)
        else:
            title_recall = title_precision = 0.0
        if cset and n > 1:
            centrality = (sum(map(frequency_of, cset)) - len(cset)) / (len(cset) * (n - 1))
        else:
            centrality = 0.0
        rows.append((
            1.0, float(pos == 0), float(pos == 1), float(pos == 2), 1.0 / (pos + 1),
            pos / n_total if n_total else 0.0, float(rank == 0), float(rank == 1),
            math.log1p(length), scaled, scaled * scaled, title_recall, title_precision, centrality,
            log_sentences,
        ))
    matrix = np.array(rows, dtype=np.float64) if rows else np.zeros((0, len(FEATURES)))
    return matrix, sets
