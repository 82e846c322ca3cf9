"""Every sumy summariser runs in Vietnamese through our tokenizer, stemmer and stop words."""

from __future__ import annotations

import pytest
from sumy.parsers.plaintext import PlaintextParser

from summarizer import ALGORITHMS, VietnameseTokenizer, split_sentences, stop_words, summarize
from summarizer.algorithms import SUMY_CLASSES, build_sumy_summarizer


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_every_algorithm_summarises(algorithm: str, article: str, title: str) -> None:
    summary = summarize(article, title=title, sentences=2, algorithm=algorithm)
    sentences = split_sentences(article)
    assert len(summary.sentences) == 2
    assert [sentences[i] for i in summary.indices] == summary.sentences


@pytest.mark.parametrize("name", sorted(SUMY_CLASSES))
def test_sumy_runs_on_its_own_parser_with_our_tokenizer(name: str, article: str, title: str) -> None:
    # sumy's parser joins the lines of a paragraph, so give it one paragraph of body text.
    article = article.split("\n")[1]
    parser = PlaintextParser.from_string(article, VietnameseTokenizer())
    summarizer = build_sumy_summarizer(name, title, parser.document)
    chosen = [str(s) for s in summarizer(parser.document, 2)]
    assert len(chosen) == 2
    assert all(s in split_sentences(article) for s in chosen)


def test_tokenizer_keeps_digits_and_joins_stop_phrases() -> None:
    words = VietnameseTokenizer().to_words("Tuy nhiên, năm 2024 giá tăng 6,5% tại TP.HCM.")
    assert words[0] == "tuy nhiên"
    assert "2024" in words and "6" in words and "hcm" in words
    assert "tuy nhiên" in stop_words()


def test_tokenizer_sentences_are_ours(article: str) -> None:
    assert list(VietnameseTokenizer().to_sentences(article)) == split_sentences(article)


def test_stop_words_are_vietnamese_and_nfc() -> None:
    words = stop_words()
    assert {"và", "của", "là", "những", "có thể"} <= words
    assert len(words) > 500
