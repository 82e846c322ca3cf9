"""Fit the default ranker's weights on the VNDS *training* split; write summarizer/data/ranker.json.

    python bench/fit_ranker.py [--data TRAIN.jsonl.gz] [--limit N] [--out PATH]

Only the training split is read. Its last 10% (by file order) is held out to choose the ridge
strength, the label and the redundancy penalty; the final weights are refitted on all of it.
The validation split, on which bench/summary_quality.py reports, is never seen here.

Model: ridge regression of each candidate sentence's own ROUGE against the sapo (the journalist's
lead paragraph, which is not part of the text) on the features of summarizer/features.py.
The selection parameters are chosen with the readable selection that ships (summarizer/selection.py:
antecedents, whole quotations, no headline), so they are tuned for what readers get.
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

from rouge_vi import rouge, tokens  # noqa: E402
from summary_quality import read_articles  # noqa: E402

from summarizer import candidates  # noqa: E402
from summarizer.features import FEATURES, sentence_features  # noqa: E402
from summarizer.ranker import HORIZON, RankerModel, select_order  # noqa: E402
from summarizer.selection import choose_units  # noqa: E402

DEFAULT_TRAIN = Path("/work/shared/data/vnds/train.jsonl.gz")
DEFAULT_OUT = ROOT / "summarizer" / "data" / "ranker.json"
LABELS = {
    "precision": lambda p, r: _precision(p, r),
}


def _precision(pred: list[str], ref: list[str]) -> float:
    """Share of the sentence's syllables found in the reference (clipped counts)."""
    if not pred:
        return 0.0
    return sum((Counter(pred) & Counter(ref)).values()) / len(pred)


def prepare(article: dict) -> dict | None:
    c = candidates.prepare(article["text"], article.get("title"))
    c = candidates.Candidates(c.sentences[:HORIZON], c.positions[:HORIZON], c.tokens[:HORIZON],
                              c.n_total, c.title, c.title_tokens)
    if not len(c) or not article.get("summary"):
        return None
    matrix, word_sets = sentence_features(c.tokens, c.positions, c.n_total, c.title_tokens)
    ref = tokens(article["summary"])
    labels = {name: np.array([f(t, ref) for t in c.tokens]) for name, f in LABELS.items()}
    return {"candidates": c.sentences, "units": c.units, "X": matrix, "sets": word_sets,
            "labels": labels,
            "lengths": [float(len(t)) for t in c.tokens],
            "summary": article["summary"]}


def fit(items: list[dict], label: str, alpha: float) -> dict:
    X = np.vstack([it["X"] for it in items])
    y = np.concatenate([it["labels"][label] for it in items])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0
    scale[scale == 0] = 1.0
    Z = (X - mean) / scale
    A = Z.T @ Z + alpha * np.eye(Z.shape[1])
    A[0, 0] -= alpha  # the bias is not shrunk
    w = np.linalg.solve(A, Z.T @ y)
    return {"features": list(FEATURES), "mean": mean.tolist(), "scale": scale.tolist(),
            "weights": w.tolist()}


def evaluate(items: list[dict], model: RankerModel | None, k: int = 2) -> np.ndarray:
    scores = []
    for it in items:
        if model is None:
            chosen = list(range(min(k, len(it["candidates"]))))
        else:
            units = it["units"]
            order = select_order(it["X"] @ model.weights, it["lengths"], it["sets"], model, k,
                                 units.unit)
            chosen = choose_units(units, order, k, None) or order[:1]
        prediction = " ".join(it["candidates"][i] for i in chosen)
        scores.append(rouge(prediction, it["summary"]))
    return np.mean(np.array(scores), axis=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"training data not found: {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    items = [it for a in read_articles(args.data, args.limit) if (it := prepare(a))]
    split = int(len(items) * 0.9)
    train, dev = items[:split], items[split:]
    print(f"{len(train)} train / {len(dev)} held-out articles prepared in "
          f"{time.perf_counter() - started:.0f}s")
    lead = evaluate(dev, None)
    print(f"held-out LEAD-2: R-1 {lead[0]:.2f}  R-2 {lead[1]:.2f}  R-L {lead[2]:.2f}")
    best = None
    label, alpha = "precision", 10.0
    data = fit(train, label, alpha)
    for reference_length in (12.0, 20.0, 30.0, 45.0):
        for redundancy in (0.6, 0.8, 1.0):
            data.update(redundancy=redundancy, reference_length=reference_length)
            r = evaluate(dev, RankerModel.from_json(data))
            print(f"reference_length {reference_length:<5} redundancy {redundancy:<4} "
                  f"R-1 {r[0]:.2f}  R-2 {r[1]:.2f}  R-L {r[2]:.2f}")
            if best is None or r[0] > best[0][0]:
                best = (r, reference_length, redundancy)
    r, reference_length, redundancy = best
    print(f"chosen: reference_length {reference_length}, redundancy {redundancy} "
          f"(held-out R-1 {r[0]:.2f})")
    data = fit(items, label, alpha)
    data.update(redundancy=redundancy, reference_length=reference_length, label=label, alpha=alpha,
                fitted_on=f"{args.data.name}: {len(items)} articles (VNDS train split only)")
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for name, weight in zip(FEATURES, data["weights"]):
        print(f"  {name:<22} {weight:+.4f}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
