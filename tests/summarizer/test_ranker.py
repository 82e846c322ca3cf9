"""The default ranker's greedy choice: headline coverage, and the lazy search giving the plain one."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer import summarize
from summarizer.ranker import POOL, RankerModel, load_model, select_order

HEADLINE = {"sơ", "tán", "dân", "bão", "đóng", "cửa", "biển"}  # "sơ tán dân, đóng cửa biển vì bão"
# Three sentences of equal length: 0 and 1 repeat the same half of the headline, 2 the other.
WORDS = [
    {"sơ", "tán", "dân", "bão", "hà", "tĩnh", "huyện", "ven"},
    {"sơ", "tán", "dân", "bão", "nghệ", "an", "xã", "thuyền"},
    {"đóng", "cửa", "biển", "cảng", "tàu", "cá", "neo", "đậu"},
]
LENGTHS = [20.0, 20.0, 20.0]
DENSITY = np.array([0.50, 0.48, 0.45])  # the ranker expects 0 and 1 to repeat more of the sapo


def model(title_coverage: float) -> RankerModel:
    return RankerModel(weights=np.zeros(1), redundancy=0.0, reference_length=10.0,
                       title_coverage=title_coverage)


def order(title_coverage: float) -> list[int]:
    return select_order(DENSITY, LENGTHS, WORDS, model(title_coverage), 2, None,
                        [words & HEADLINE for words in WORDS], len(HEADLINE))


def test_the_second_pick_covers_the_rest_of_the_headline() -> None:
    # Sentence 1 alone looks better than 2, but adds nothing of the headline to sentence 0.
    assert order(0.0)[:2] == [0, 1]
    assert order(0.05)[:2] == [0, 2]


def test_without_a_title_coverage_changes_nothing() -> None:
    plain = select_order(DENSITY, LENGTHS, WORDS, model(0.0), 2)
    assert select_order(DENSITY, LENGTHS, WORDS, model(0.05), 2, None, [], 0) == plain


def test_the_shipped_model_covers_the_headline() -> None:
    assert load_model().title_coverage > 0


def test_a_summary_reports_both_halves_of_the_headline() -> None:
    text = (
        "Chiều 12/9, tỉnh Hà Tĩnh sơ tán hơn 3.000 dân ven biển để tránh bão số 5 đang tới gần. "
        "Tỉnh Nghệ An cũng sơ tán gần 2.000 dân ở các xã ven biển trước khi bão số 5 đổ bộ. "
        "Các cảng cá ở Hà Tĩnh đóng cửa biển, mọi tàu thuyền phải vào nơi neo đậu an toàn. "
        "Người dân được phát lương thực và nước uống tại các điểm sơ tán trong xã. "
        "Lực lượng quân đội đã có mặt tại các điểm xung yếu từ sáng sớm để hỗ trợ người dân."
    )
    summary = summarize(text, title="Hà Tĩnh sơ tán dân, đóng cửa biển tránh bão số 5")
    assert len(summary.sentences) == 2
    assert any("đóng cửa biển" in sentence for sentence in summary.sentences)
    assert any("sơ tán" in sentence for sentence in summary.sentences)


def plain_greedy(density: np.ndarray, lengths: Sequence[float], word_sets: Sequence[set[str]],
                 model: RankerModel, picks: int,
                 unit_of: Callable[[int], tuple[int, ...] | None] | None,
                 title_words: Sequence[set[str]], title_size: int) -> list[int]:
    """The greedy step written plainly: every sentence valued exactly at every step."""
    dens = density.tolist()
    gains = [max(d, 0.0) * n for d, n in zip(dens, lengths)]
    pool = sorted(range(len(gains)), key=gains.__getitem__, reverse=True)[:POOL]
    per_word = model.title_coverage / title_size if title_size and title_words else 0.0
    order: list[int] = []
    placed: set[int] = set()
    picked: list[set[str]] = []
    covered_title: set[str] = set()
    covered = length = 0.0
    while pool and len(placed) < picks:
        best, best_value, best_gain = pool[0], -1.0, 0.0
        for i in pool:
            shares = [len(word_sets[i] & c) / min(len(word_sets[i]), len(c))
                      for c in picked if word_sets[i]]
            kept = max(1.0 - model.redundancy * max([0.0, *shares]), 0.0)
            gain = gains[i] * kept
            value = (covered + gain) / (length + lengths[i] + model.reference_length)
            if per_word:
                value += per_word * len(title_words[i] - covered_title)
            if value > best_value:
                best, best_value, best_gain = i, value, gain
        pool.remove(best)
        unit = (best,) if unit_of is None else unit_of(best)
        if unit is None or len(placed.union(unit)) > picks:
            continue
        order.append(best)
        placed.update(unit)
        covered += best_gain
        length += lengths[best]
        if word_sets[best]:
            picked.append(word_sets[best])
        for k in unit:
            covered_title |= title_words[k] if per_word and k < len(title_words) else set()
    rest = [k for k in range(len(gains)) if k not in order]
    return order + sorted(rest, key=dens.__getitem__, reverse=True)


VOCABULARY = [f"w{k}" for k in range(12)]
sentence = st.tuples(st.integers(0, 8).map(float),  # density in steps, to make ties likely
                     st.integers(1, 40).map(float), st.frozensets(st.sampled_from(VOCABULARY)))


@settings(max_examples=300, deadline=None)
@given(sentences=st.lists(sentence, min_size=1, max_size=POOL),
       headline=st.frozensets(st.sampled_from(VOCABULARY)),
       redundancy=st.sampled_from([0.0, 0.5, 0.85, 1.5]),
       reference_length=st.sampled_from([0.0, 10.0, 36.0]),
       title_coverage=st.sampled_from([0.0, 0.05, 0.3]),
       picks=st.integers(1, 6), leaning=st.frozensets(st.integers(1, POOL - 1)))
def test_the_lazy_search_picks_what_the_plain_greedy_picks(
    sentences, headline, redundancy, reference_length, title_coverage, picks, leaning
) -> None:
    density = np.array([d / 8 - 0.25 for d, _, _ in sentences])
    lengths = [n for _, n, _ in sentences]
    word_sets = [set(words) for _, _, words in sentences]
    title_words = [words & headline for words in word_sets]
    model = RankerModel(np.zeros(1), redundancy, reference_length, title_coverage)

    def unit_of(i: int) -> tuple[int, ...] | None:  # some sentences lean on the one before
        if i not in leaning:
            return (i,)
        return (i - 1, i) if i - 1 not in leaning else None

    for units in (None, unit_of):
        expected = plain_greedy(density, lengths, word_sets, model, picks, units, title_words,
                                len(headline))
        assert select_order(density, lengths, word_sets, model, picks, units, title_words,
                            len(headline)) == expected
