"""Property tests: whatever the text, ``summarize`` never raises and returns real sentences."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer import normalize_text, split_sentences, summarize
from summarizer.text import syllables

WORDS = ["Hà", "Nội", "mưa", "to", "TP.", "HCM", "2.000", "6,5%", "27/12", "8h30", "ông", "Văn", "T.",
         "v.v.", "...", "…", "?", "!", "“Tôi", "về.”", '"', "Q.1", "PGS.TS", "người", "dân", "Đà",
         "Nẵng", "\n", "\n\n", "-", "(SN", "1980)", ":", ";", "đồng.", "Theo", "Ngày"]
vietnamese_like = st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)
any_text = st.one_of(vietnamese_like, st.text(max_size=400))
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(text=any_text, title=st.one_of(st.none(), any_text), count=st.integers(0, 5),
       max_chars=st.one_of(st.none(), st.integers(1, 300)))
def test_summary_sentences_come_from_the_normalised_text(text, title, count, max_chars) -> None:
    summary = summarize(text, title=title, sentences=count, max_chars=max_chars)
    sentences = split_sentences(text)
    assert summary.indices == sorted(set(summary.indices))
    assert all(0 <= i < len(sentences) for i in summary.indices)
    assert len(summary.sentences) == len(summary.indices) <= max(count, 0)
    if max_chars is not None:
        assert len(summary.text) <= max_chars
    for index, sentence in zip(summary.indices, summary.sentences):
        if sentence.endswith("…") and sentence != sentences[index]:
            assert max_chars is not None and sentences[index].startswith(sentence[:-1])
        else:
            assert sentence == sentences[index]
            assert len(syllables(sentence)) >= 4


@SETTINGS
@given(text=any_text)
def test_sentences_are_substrings_of_the_normalised_text(text) -> None:
    normal = normalize_text(text)
    for sentence in split_sentences(text):
        assert sentence and sentence == sentence.strip()
        assert sentence in normal


@SETTINGS
@given(text=vietnamese_like)
def test_nfd_and_nfc_give_the_same_summary(text) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert summarize(unicodedata.normalize("NFD", text)) == summarize(nfc)
