"""The default ranker: a linear model over sentence features, then redundancy-aware selection.

The weights were fitted by ``bench/fit_ranker.py`` on the VNDS training split only (ridge
regression of each sentence's unigram precision against the journalist's sapo, then tuned, with
the selection parameters, for the ROUGE of the readable summaries this selection makes) and ship
with the package as ``data/ranker.json``; nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from summarizer.candidates import HORIZON, Candidates
from summarizer.errors import SummarizerError
from summarizer.features import FEATURES, sentence_features

MODEL_FILE = "ranker.json"
MAX_PICKS = 6  # greedy places when the caller does not say how many sentences it wants
POOL = 15  # sentences with the largest expected overlap that compete for the places (all of the
# HORIZON: a pool of 12 left out short dense sentences and scored R-1 -0.13 on the training split)
# HORIZON (summarizer.candidates, 15): candidates the default ranker scores; later ones follow in
# article order (20 scored R-1 +0.03 on the held-out part of the training split, within its noise,
# and costs more time).


@dataclass(frozen=True)
class RankerModel:
    """Feature weights (already divided by the training scale) and the selection parameters.

    The weights predict a sentence's *density*: the share of its syllables that a journalist's
    sapo would also use. Selection then maximises the expected ROUGE-1 F1 of the summary,
    2·overlap / (summary length + ``reference_length``), which is what makes it prefer two dense
    sentences over two long ones, and discounts a sentence by ``redundancy`` × the share of its
    content words already chosen.
    """

    weights: np.ndarray
    redundancy: float
    reference_length: float

    @classmethod
    def from_json(cls, data: dict) -> RankerModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise SummarizerError("ranker model was fitted on other features; refit it")
        mean = np.asarray(data["mean"], dtype=np.float64)
        scale = np.asarray(data["scale"], dtype=np.float64)
        raw = np.asarray(data["weights"], dtype=np.float64)
        weights = raw / scale
        weights[0] = raw[0] - float(np.sum(raw[1:] * mean[1:] / scale[1:]))
        return cls(
            weights=weights,
            redundancy=float(data.get("redundancy", 0.0)),
            reference_length=float(data.get("reference_length", 36.0)),
        )


@functools.cache
def load_model() -> RankerModel:
    """The packaged model (read once per process)."""
    text = resources.files("summarizer").joinpath("data", MODEL_FILE).read_text("utf-8")
    return RankerModel.from_json(json.loads(text))


def rank(candidates: Candidates, model: RankerModel | None = None) -> list[int]:
    """Candidate numbers best first."""
    if not len(candidates):
        return []
    model = model or load_model()
    # What a sapo repeats sits near the top of a news story: the rest only follows, in order.
    tokens = candidates.tokens[:HORIZON]
    matrix, word_sets = sentence_features(
        tokens, candidates.positions[:HORIZON], candidates.n_total, candidates.title_tokens
    )
    lengths = [float(len(t)) for t in tokens]
    units = candidates.units
    units.content.update(enumerate(word_sets))  # the chooser needs them again
    order = select_order(matrix @ model.weights, lengths, word_sets, model, candidates.wanted,
                         units.unit)
    return order + list(range(len(tokens), len(candidates)))


def select_order(
    density: np.ndarray, lengths: Sequence[float], word_sets: Sequence[set[str]],
    model: RankerModel, picks: int = MAX_PICKS,
    unit_of: Callable[[int], tuple[int, ...] | None] | None = None,
) -> list[int]:
    """Greedy order that maximises the expected F1 of the summary after each pick.

    The ``POOL`` sentences with the largest expected overlap compete for the first
    ``picks`` places; everything else follows by density. Redundancy with the picks so far
    is updated incrementally, one new pick at a time.

    With ``unit_of`` (a sentence's readable unit, see ``summarizer.selection``), a sentence that
    would win a place is dropped if it has no unit or its unit does not fit in the places left;
    units are built only for winners, which keeps this as fast as without it. A sentence that
    leans back competes on its own value and its antecedent takes a place when it wins: charging
    it the antecedent's length as well scored lower on the training split (R-1 −0.4), because
    the antecedent of a dense sentence is usually dense too.
    """
    density_list = density.tolist()
    gains = [max(d, 0.0) * n for d, n in zip(density_list, lengths)]
    pool = sorted(range(len(gains)), key=gains.__getitem__, reverse=True)[:POOL]
    worst_overlap = dict.fromkeys(pool, 0.0)
    order: list[int] = []
    placed: set[int] = set()  # the picks and the antecedents they bring
    covered = length = 0.0
    redundancy, reference_length = model.redundancy, model.reference_length
    while pool and len(placed) < picks:
        best, best_value, best_gain = pool[0], -1.0, 0.0
        for i in pool:  # the hot loop: max(0.0, kept) written out, the model's fields bound once
            kept = 1.0 - redundancy * worst_overlap[i]
            gain = gains[i] * (kept if kept > 0.0 else 0.0)
            value = (covered + gain) / (length + lengths[i] + reference_length)
            if value > best_value:
                best, best_value, best_gain = i, value, gain
        pool.remove(best)
        unit = (best,) if unit_of is None else unit_of(best)  # built only for a winner
        if unit is None or len(placed.union(unit)) > picks:
            continue
        order.append(best)
        placed.update(unit)
        covered += best_gain
        length += lengths[best]
        chosen = word_sets[best]
        size = len(chosen)
        if redundancy and size and len(placed) < picks:  # no update after the last place
            for i in pool:
                # The share of the smaller sentence's content words that the other repeats.
                words = word_sets[i]
                if words:
                    share = len(words & chosen) / min(len(words), size)
                    if share > worst_overlap[i]:
                        worst_overlap[i] = share
    picked = set(order)
    rest = [k for k in range(len(gains)) if k not in picked]
    order.extend(sorted(rest, key=density_list.__getitem__, reverse=True))
    return order

