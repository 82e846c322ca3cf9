"""Fit the default ranker on the VNDS *training* split; write summarizer/data/ranker.json.

    python bench/fit_ranker.py [--data TRAIN.jsonl.gz] [--limit N] [--out PATH] [--rounds R]
                               [--parts K]

Only the training split is read. Every tenth article (by file order, so that every part of the
file is represented) is held out; the rest fits. The validation split, on which
bench/summary_quality.py reports, is never seen here. Nothing is random: the same data gives the
same file, byte for byte.

Three steps:

1. ridge regression of each candidate sentence's unigram precision against the sapo (the
   journalist's lead paragraph, not part of the text) on the features of summarizer/features.py;
   that predicts which sentences a sapo repeats, but not which *readable summary* scores best;
2. coordinate ascent, starting from the ridge weights, of the weights and the three selection
   parameters (``reference_length``, ``redundancy``, ``title_coverage``) on what readers get:
   the mean ROUGE-1 + ROUGE-2 F1 of the summaries that the shipped selection makes (ranker and
   summarizer/selection.py's readable units: antecedents, whole quotations, no headline). A step
   is kept only when it raises that mean. The search runs once on each of ``--parts``
   interleaved parts of the fitting articles (every K-th, from each offset);
3. the searches' weights and parameters are averaged (a rule fixed in advance: the searches land
   on near-tied optima that differ by which articles they scored, and picking one by a score
   would be choosing on noise).

The held-out articles are scored after each step beside LEAD-2 on the same articles, and each
search also on the fitting articles it did not score.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rouge_vi import tokens  # noqa: E402
from summary_quality import read_articles  # noqa: E402

from summarizer import candidates  # noqa: E402
from summarizer.features import FEATURES, sentence_features  # noqa: E402
from summarizer.ranker import HORIZON, RankerModel, select_order  # noqa: E402
from summarizer.selection import choose_units  # noqa: E402
from summarizer.sentences import split_sentences  # noqa: E402

DEFAULT_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "data" / "vnds" / "train.jsonl.gz"
DEFAULT_OUT = ROOT / "summarizer" / "data" / "ranker.json"
LABEL, ALPHA = "precision", 10.0
HELD_OUT_EVERY = 10
# Coordinate ascent: the first step of each weight (in standardised units) and of the selection
# parameters; steps halve when a whole round finds no gain.
WEIGHT_STEP = 0.01
# The selection parameters (summarizer/ranker.py's RankerModel): first step of each, and where
# the search starts (title_coverage 0.05 was the best of 0.05, 0.1, 0.2 with the weights before
# it, on training articles the fit reads; it starts there).
SELECTION = {"reference_length": 4.0, "redundancy": 0.2, "title_coverage": 0.02}
START = {"reference_length": 12.0, "redundancy": 0.6, "title_coverage": 0.05}
MIN_GAIN = 0.005  # mean R-1 + R-2 points a step must add to be kept


class Scorer:
    """ROUGE-1/2 F1 of a set of an article's candidates against its sapo, from counts kept once.

    Equal to ``rouge_vi.rouge`` of the sentences joined in article order (the bigram that spans
    two consecutive chosen sentences is counted, as it is in the joined text), but without
    re-tokenising: the search scores each article hundreds of times.
    """

    def __init__(self, sentence_tokens: list[list[str]], reference: list[str]) -> None:
        self.tokens = sentence_tokens
        self.unigrams = [Counter(t) for t in sentence_tokens]
        self.bigrams = [Counter(zip(t, t[1:])) for t in sentence_tokens]
        self.ref1, self.ref2 = Counter(reference), Counter(zip(reference, reference[1:]))
        self.ref_length = len(reference)

    def __call__(self, chosen: list[int]) -> tuple[float, float]:
        one, two, length = Counter(), Counter(), 0
        previous: list[str] = []
        for k in sorted(chosen):
            words = self.tokens[k]
            one.update(self.unigrams[k])
            two.update(self.bigrams[k])
            if previous and words:
                two[(previous[-1], words[0])] += 1
            previous = words or previous
            length += len(words)
        return (_f1(sum((one & self.ref1).values()), length, self.ref_length),
                _f1(sum((two & self.ref2).values()), max(length - 1, 0), self.ref_length - 1))


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap or predicted <= 0 or reference <= 0:
        return 0.0
    return 200.0 * overlap / (predicted + reference)


def prepare(article: dict) -> dict | None:
    """Everything the fit and the search need of one article, computed once."""
    if not article.get("summary"):
        return None
    c = candidates.prepare(article["text"], article.get("title"))
    if not len(c):
        return None
    ref = tokens(article["summary"])
    top = c.tokens[:HORIZON]
    found = sentence_features(top, c.positions[:HORIZON], c.n_total, c.title_tokens)
    labels = np.array([sum((Counter(t) & Counter(ref)).values()) / len(t) for t in top])
    lead = Scorer([tokens(s) for s in split_sentences(article["text"])[:2]], ref)
    return {"c": c, "X": found.matrix, "sets": found.words, "title_words": found.title_words,
            "title_size": found.title_size, "y": labels,
            "lengths": [float(len(t)) for t in top], "score": Scorer(c.tokens, ref),
            "lead": lead([0, 1] if len(lead.tokens) > 1 else [0])}


def fit(items: list[dict]) -> dict:
    """Ridge weights in standardised units, with the mean and scale that undo it."""
    X = np.vstack([it["X"] for it in items])
    y = np.concatenate([it["y"] for it in items])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    A = Z.T @ Z + ALPHA * np.eye(Z.shape[1])
    A[0, 0] -= ALPHA  # the bias is not shrunk
    w = np.linalg.solve(A, Z.T @ y)
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "weights": w.tolist()}


def evaluate(items: list[dict], model: RankerModel, k: int = 2) -> np.ndarray:
    """Mean (R-1, R-2) of the summaries the shipped selection makes with ``model``."""
    total = np.zeros(2)
    for it in items:
        c = it["c"]
        units = c.units
        order = select_order(it["X"] @ model.weights, it["lengths"], it["sets"], model, k,
                             units.unit, it["title_words"], it["title_size"])
        order += range(len(it["lengths"]), len(c))
        chosen = choose_units(units, order, k, None) or order[:1]
        total += it["score"](chosen)
    return total / max(len(items), 1)


def tune(data: dict, items: list[dict], rounds: int, log=print) -> dict:
    """Coordinate ascent of the weights and the selection parameters on ``items``' ROUGE."""
    params = [*data["weights"], *(data[name] for name in SELECTION)]
    steps = [WEIGHT_STEP] * len(data["weights"]) + [SELECTION[name] for name in SELECTION]
    n_weights = len(data["weights"])

    def model_of(p: list[float]) -> RankerModel:
        return RankerModel.from_json({**data, "weights": p[:n_weights],
                                      **dict(zip(SELECTION, p[n_weights:]))})

    best = float(evaluate(items, model_of(params)).sum())
    for round_ in range(rounds):
        improved = False
        for j in range(len(params)):
            for sign in (1.0, -1.0):
                trial = list(params)
                trial[j] += sign * steps[j]
                selection = dict(zip(SELECTION, trial[n_weights:]))
                if (selection["reference_length"] < 0 or not 0.0 <= selection["redundancy"] <= 1.5
                        or selection["title_coverage"] < 0):
                    continue
                value = float(evaluate(items, model_of(trial)).sum())
                if value > best + MIN_GAIN:
                    best, params, improved = value, trial, True
                    name = (*FEATURES, *SELECTION)[j]
                    log(f"  round {round_ + 1}: {name} -> {trial[j]:+.4f}  R-1+R-2 {best:.3f}")
                    break
        if not improved:
            steps = [s / 2 for s in steps]
            log(f"  round {round_ + 1}: no gain, steps halved")
    return {**data, "weights": params[:n_weights], **dict(zip(SELECTION, params[n_weights:]))}


def report(stage: str, data: dict, parts: dict[str, list[dict]]) -> None:
    """R-1 and R-2 of ``data``'s summaries on each named part, beside LEAD-2 on the same part."""
    model = RankerModel.from_json(data)
    for name, part in parts.items():
        if not part:
            continue
        lead = np.mean([it["lead"] for it in part], axis=0)
        score = evaluate(part, model)
        print(f"  {stage}, {name} ({len(part)}): R-1 {score[0]:.2f}  R-2 {score[1]:.2f}  "
              f"(LEAD-2 {lead[0]:.2f} / {lead[1]:.2f}: {score[0] - lead[0]:+.2f}, "
              f"{score[1] - lead[1]:+.2f})")


def average(fits: list[dict]) -> dict:
    """The mean of several searches' weights and selection parameters.

    One coordinate search lands on one of many near-tied optima, depending on which articles it
    scored; averaging the searches of disjoint parts keeps what they agree on. The rule is fixed
    before any result is seen: no search is picked by its score.
    """
    return {**fits[0],
            "weights": np.mean([f["weights"] for f in fits], axis=0).tolist(),
            **{name: float(np.mean([f[name] for f in fits])) for name in SELECTION}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--parts", type=int, default=2,
                        help="search each of K interleaved parts of the fitting articles; average")
    args = parser.parse_args()
    if not args.data.exists():
        print(f"training data not found: {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    fitting, held_out = [], []
    for n, article in enumerate(read_articles(args.data, args.limit)):
        if (it := prepare(article)) is not None:
            (held_out if n % HELD_OUT_EVERY == HELD_OUT_EVERY - 1 else fitting).append(it)
    parts = [fitting[k::args.parts] for k in range(args.parts)]
    print(f"{len(fitting)} fitting articles in {args.parts} parts of "
          f"{', '.join(str(len(p)) for p in parts)} / {len(held_out)} held out; prepared in "
          f"{time.perf_counter() - started:.0f}s")
    data = fit(fitting)
    data.update(START)
    report("ridge", data, {"held-out": held_out})
    searched = []
    for k, part in enumerate(parts):
        print(f"search {k + 1} of {len(parts)} ({len(part)} articles)")
        searched.append(tune(data, part, args.rounds))
        others = [it for j, p in enumerate(parts) if j != k for it in p]
        report(f"search {k + 1}", searched[-1], {"held-out": held_out, "other parts": others})
    data = average(searched)
    report("averaged", data, {"held-out": held_out})
    data.update(label=LABEL, alpha=ALPHA,
                fitted_on=f"{args.data.name}: {len(fitting)} articles (VNDS train split only); "
                          f"searched for R-1 + R-2 of the readable selection on "
                          f"{len(parts)} parts of them, averaged; {len(held_out)} held out")
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for name, weight in zip(FEATURES, data["weights"]):
        print(f"  {name:<22} {weight:+.4f}")
    print("  " + "  ".join(f"{name} {data[name]:.3f}" for name in SELECTION))
    print(f"wrote {args.out}  ({time.perf_counter() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
