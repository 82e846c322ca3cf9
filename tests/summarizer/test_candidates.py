"""Preparing only the scored candidates gives the summary that every candidate gives."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer import summarize, summary
from summarizer.candidates import HORIZON, LOWERED_SENTENCES, prepare

LONG = "Tỉnh Hà Tĩnh sơ tán hơn {n} nghìn dân ven biển trước khi bão số năm đổ bộ vào đất liền."
CAPTION = "Ảnh: TTXVN."  # never a candidate


def article(n: int, captions: int = 0, tail: str = "") -> str:
    return " ".join([CAPTION] * captions + [LONG.format(n=k) for k in range(n)]) + tail


def full(text: str, **kwargs) -> summary.Summary:
    """The summary made from every candidate, as before scored-only preparation."""
    saved = summary.SCORED_ONLY
    summary.SCORED_ONLY = frozenset()
    try:
        return summarize(text, **kwargs)
    finally:
        summary.SCORED_ONLY = saved


@pytest.mark.parametrize("text", [
    article(30),
    article(30, captions=LOWERED_SENTENCES),  # the scored ones lie past the lowered sentences
    article(30, captions=5, tail=" Cuối bài có chữ İstanbul và ΣΑΣ."),  # odd lower-casing late
    article(3),
])
def test_scored_only_is_a_prefix_of_every_candidate(text: str) -> None:
    some, every = prepare(text, scored_only=True), prepare(text)
    k = len(some)
    assert k == min(HORIZON, len(every))
    assert some.complete == (k == len(every))
    assert some.sentences == every.sentences[:k] and some.positions == every.positions[:k]
    assert list(some.tokens[:k]) == list(every.tokens[:k])


def test_a_quotation_running_past_the_scored_candidates_is_chosen_whole() -> None:
    # The 15th candidate opens a quotation that the 16th closes: only the complete list knows.
    quote = " Ông Nam nói: “Chúng tôi đã chuẩn bị đủ lương thực cho ba ngày mưa lớn."
    close = " Không ai phải lo thiếu nước uống hay thuốc men trong những ngày này”."
    text = article(HORIZON - 1) + quote + close + " " + article(5)
    chosen = summarize(text, sentences=3)
    assert chosen == full(text, sentences=3)
    assert chosen.sentences[1:] == [quote.strip(), close.strip()]


def test_a_short_tail_sentence_fills_the_summary_when_the_scored_ones_do_not_fit() -> None:
    text = article(HORIZON) + " Bão số năm đã tan hẳn."
    chosen = summarize(text, max_chars=len("Bão số năm đã tan hẳn."), sentences=1)
    assert chosen == full(text, max_chars=len("Bão số năm đã tan hẳn."), sentences=1)
    assert chosen.sentences == ["Bão số năm đã tan hẳn."]


WORDS = ["Hà", "Nội", "mưa", "to", "ông", "nói", "“Tôi", "về.”", '"', "Ảnh:", "TTXVN.", "người",
         "dân", "sơ", "tán", "bão", "số", "5.", "Theo", "đó,", "giá", "tăng", "giảm", "\n", "."]
texts = st.lists(st.sampled_from(WORDS), min_size=40, max_size=400).map(" ".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, title=st.one_of(st.none(), st.just("Hà Nội mưa to, dân sơ tán")),
       count=st.integers(1, 4), max_chars=st.one_of(st.none(), st.integers(20, 300)),
       algorithm=st.sampled_from(["default", "lead"]))
def test_any_text_gets_the_summary_every_candidate_gives(text, title, count, max_chars,
                                                         algorithm) -> None:
    kwargs = dict(title=title, sentences=count, max_chars=max_chars, algorithm=algorithm)
    assert summarize(text, **kwargs) == full(text, **kwargs)
