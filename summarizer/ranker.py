"""The default ranker: a linear model over sentence features, then a greedy, readable choice.

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
    content words already chosen. ``title_coverage`` adds, for each headline content word the
    summary covers, that share of one (see ``select_order``).
    """

    weights: np.ndarray
    redundancy: float
    reference_length: float
    title_coverage: float = 0.0

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
            title_coverage=float(data.get("title_coverage", 0.0)),
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
    found = sentence_features(
        tokens, candidates.positions[:HORIZON], candidates.n_total, candidates.title_tokens
    )
    lengths = [float(len(t)) for t in tokens]
    units = candidates.units
    units.content.update(enumerate(found.words))  # the chooser needs them again
    order = select_order(found.matrix @ model.weights, lengths, found.words, model,
                         candidates.wanted, units.unit, found.title_words, found.title_size)
    return order + list(range(len(tokens), len(candidates)))


def select_order(
    density: np.ndarray, lengths: Sequence[float], word_sets: Sequence[set[str]],
    model: RankerModel, picks: int = MAX_PICKS,
    unit_of: Callable[[int], tuple[int, ...] | None] | None = None,
    title_words: Sequence[set[str]] = (), title_size: int = 0,
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

    With ``title_words`` (the headline's content words each sentence repeats, of ``title_size``),
    a sentence also earns ``model.title_coverage`` / ``title_size`` for each headline word that
    the summary so far (picks and the antecedents they bring) does not cover yet. A sapo restates
    the headline's event; two sentences that each repeat the same half of the headline cover less
    of it than two that repeat different halves, which the sentences' own features cannot see.
    On the training split's held-out part this raised R-1 by about +0.25 with the same weights.
    """
    density_list = density.tolist()
    gains = [max(d, 0.0) * n for d, n in zip(density_list, lengths)]
    pool = sorted(range(len(gains)), key=gains.__getitem__, reverse=True)[:POOL]
    per_word = model.title_coverage / title_size if title_size and title_words else 0.0
    # Headline words each sentence would add while none is covered: its largest bonus.
    bonus = [per_word * len(words) for words in title_words] if per_word else [0.0] * len(gains)
    covered_title: set[str] = set()
    picked_words: list[set[str]] = []  # content words of each pick (not of its antecedents)
    order: list[int] = []
    placed: set[int] = set()  # the picks and the antecedents they bring
    covered = length = 0.0
    redundancy, reference_length = model.redundancy, model.reference_length
    while pool and len(placed) < picks:
        # Each sentence's value as if nothing it says were chosen yet: an upper bound of its value
        # (redundancy and covered headline words only lower it), exact for the first pick.
        bounds = [(covered + gains[i]) / (length + lengths[i] + reference_length) + bonus[i]
                  for i in pool]
        if not order:
            place = max(range(len(pool)), key=bounds.__getitem__)  # the first of equals
            best_gain = gains[pool[place]]
        else:
            place, best_gain = _best_place(
                pool, bounds, gains, lengths, word_sets, picked_words, covered, length,
                redundancy, reference_length, title_words, covered_title, per_word)
        best = pool.pop(place)
        unit = (best,) if unit_of is None else unit_of(best)  # built only for a winner
        if unit is None or len(placed.union(unit)) > picks:
            continue
        order.append(best)
        placed.update(unit)
        covered += best_gain
        length += lengths[best]
        if redundancy and word_sets[best]:
            picked_words.append(word_sets[best])
        if per_word:
            covered_title.update(*(title_words[k] for k in unit if k < len(title_words)))
    picked = set(order)
    rest = [k for k in range(len(gains)) if k not in picked]
    order.extend(sorted(rest, key=density_list.__getitem__, reverse=True))
    return order


def _best_place(
    pool: list[int], bounds: list[float], gains: list[float], lengths: Sequence[float],
    word_sets: Sequence[set[str]], picked_words: list[set[str]], covered: float, length: float,
    redundancy: float, reference_length: float, title_words: Sequence[set[str]],
    covered_title: set[str], per_word: float,
) -> tuple[int, float]:
    """Where in ``pool`` the best next pick is, and its gain after redundancy.

    Lazy greedy: sentences are valued exactly in the order of their upper ``bounds`` and the
    search stops at a bound below the best exact value, so most sentences never have their
    overlap with the picks counted. The result is the plain greedy step's, ties included (the
    earliest in ``pool`` wins): a bound equal to the best value is still looked at.
    """
    best_place, best_value, best_gain = 0, -1.0, 0.0
    for place in sorted(range(len(pool)), key=bounds.__getitem__, reverse=True):
        bound = bounds[place]
        if bound < best_value:
            break
        i = pool[place]
        words = word_sets[i]
        worst = 0.0
        if words:
            size = len(words)
            for chosen in picked_words:
                # The share of the smaller sentence's content words that the other repeats.
                share = len(words & chosen) / min(size, len(chosen))
                if share > worst:
                    worst = share
        kept = 1.0 - redundancy * worst
        gain = gains[i] * (kept if kept > 0.0 else 0.0)
        value = (covered + gain) / (length + lengths[i] + reference_length)
        if per_word:
            value += per_word * len(title_words[i] - covered_title)
        if value > best_value or (value == best_value and place < best_place):
            best_place, best_value, best_gain = place, value, gain
    return best_place, best_gain
