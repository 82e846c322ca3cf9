"""Sentence rankers by name: our default, the lead, and every sumy summariser in Vietnamese.

Each ranker takes the candidate sentences (already filtered for hygiene) and returns candidate
numbers best first. sumy's summarisers run over a document built from our own sentences with the
Vietnamese tokenizer, stemmer and stop words, so their sentences are exactly ours.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summarizer.candidates import Candidates
from summarizer.errors import UnknownAlgorithm
from summarizer.features import content_words
from summarizer.ranker import rank
from summarizer.text import syllables
from summarizer.tokenizer import VietnameseTokenizer, stem, stop_words

# Words that mark a sentence as page furniture rather than news (Edmundson's "stigma" cues).
STIGMA_WORDS = ("ảnh", "video", "clip", "xem", "thêm", "nguồn", "quảng", "cáo", "bình", "luận")

Ranker = Callable[[Candidates], list[int]]

SUMY_CLASSES = {
    "lexrank": LexRankSummarizer,
    "textrank": TextRankSummarizer,
    "lsa": LsaSummarizer,
    "luhn": LuhnSummarizer,
    "edmundson": EdmundsonSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
}
ALGORITHMS: tuple[str, ...] = ("default", "lead", *SUMY_CLASSES)
# Rankers whose order of the first ``candidates.HORIZON`` candidates does not depend on later
# ones (later candidates only follow in article order): they can start from a prefix of the
# candidates (``candidates.prepare(scored_only=True)``). sumy's rank every sentence together.
SCORED_ONLY = frozenset({"default", "lead"})


def lead(candidates: Candidates) -> list[int]:
    """The first sentences, in article order: the baseline every ranker must beat."""
    return list(range(len(candidates)))


@functools.cache
def _tokenizer() -> VietnameseTokenizer:
    return VietnameseTokenizer()


def _sumy_ranker(name: str) -> Ranker:
    def ranker(candidates: Candidates) -> list[int]:
        return sumy_rank(name, candidates.sentences, candidates.title)

    ranker.__name__ = name
    ranker.__doc__ = f"sumy's {SUMY_CLASSES[name].__name__} over the Vietnamese tokenizer."
    return ranker


def build_sumy_summarizer(
    name: str, title: str | None = None, document: ObjectDocumentModel | None = None
) -> Any:  # a sumy summariser: sumy has no type information
    """A sumy summariser set up for Vietnamese (stemmer, stop words, Edmundson's cue words)."""
    if name == "edmundson":
        summarizer = EdmundsonSummarizer(
            stem, cue_weight=1.0, key_weight=1.0, title_weight=1.0, location_weight=1.0
        )
    else:
        summarizer = SUMY_CLASSES[name](stem)
    summarizer.stop_words = stop_words()
    if name == "edmundson":
        bonus = content_words(syllables(title)) if title else []
        if not bonus and document is not None:
            bonus = _frequent_words(document)
        summarizer.bonus_words = bonus or ["tin"]
        summarizer.stigma_words = STIGMA_WORDS
        summarizer.null_words = stop_words()
    return summarizer


def sumy_rank(name: str, sentences: Sequence[str], title: str | None) -> list[int]:
    """Rank ``sentences`` with sumy's ``name`` summariser; candidate numbers, best first."""
    tokenizer = _tokenizer()
    objects = [Sentence(s, tokenizer) for s in sentences]
    heading = [Sentence(title, tokenizer, is_heading=True)] if title else []
    document = ObjectDocumentModel([Paragraph(heading + objects)])
    summarizer = build_sumy_summarizer(name, title, document)
    ranked: list = []

    def keep_all(infos: list) -> list:
        # sumy hands the "count" callable its sentences sorted best first: that is the ranking.
        ranked.extend(infos)
        return infos

    summarizer(document, keep_all)
    by_identity = {id(s): i for i, s in enumerate(objects)}
    return [by_identity[id(info.sentence)] for info in ranked if id(info.sentence) in by_identity]


def _frequent_words(document: ObjectDocumentModel, top: int = 10) -> list[str]:
    counts: dict[str, int] = {}
    for word in content_words([w for w in document.words if " " not in w]):
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: -counts[w])[:top]


def get_ranker(name: str) -> Ranker:
    """The ranker called ``name`` (one of ``ALGORITHMS``)."""
    if name == "default":
        return rank
    if name == "lead":
        return lead
    if name in SUMY_CLASSES:
        return _sumy_ranker(name)
    raise UnknownAlgorithm(f"unknown algorithm {name!r}; choose one of {', '.join(ALGORITHMS)}")
