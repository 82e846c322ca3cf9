"""The default ranker's features: where a sentence stands among the article's by title overlap."""

from __future__ import annotations

from summarizer.features import FEATURES, sentence_features
from summarizer.text import syllables

RANK, BEST = FEATURES.index("title_rank"), FEATURES.index("title_best")
TITLE = syllables("Hà Tĩnh sơ tán dân trước bão số 3")
SENTENCES = [
    "Chiều qua, trời mưa to kéo dài khắp các huyện miền núi.",
    "Tỉnh Hà Tĩnh đã sơ tán hơn 2.000 dân ở vùng trũng trước bão số 3.",
    "Nhiều tuyến đường ở Hà Tĩnh bị ngập sâu.",
    "Lực lượng cứu hộ sơ tán dân ở Hà Tĩnh trước bão số 3 trong đêm.",
]


def features(title: list[str]) -> list[tuple[float, float]]:
    tokens = [syllables(s) for s in SENTENCES]
    found = sentence_features(tokens, list(range(len(tokens))), len(tokens), title)
    return [(row[RANK], row[BEST]) for row in found.matrix.tolist()]


def test_the_sentence_closest_to_the_headline_ranks_first() -> None:
    standing = features(TITLE)
    # Sentences 1 and 3 share the whole headline: both are "best", the earlier one ranks first.
    assert standing[1] == (1.0, 1.0)
    assert standing[3] == (0.5, 1.0)
    assert standing[2] == (1 / 3, 0.0)  # "Hà Tĩnh" only
    assert standing[0] == (0.25, 0.0)  # nothing of the headline


def test_without_a_title_no_sentence_is_best() -> None:
    assert all(best == 0.0 for _, best in features([]))
