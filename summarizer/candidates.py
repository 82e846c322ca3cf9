"""The sentences a ranker may choose from, prepared once and shared by every ranker."""

from __future__ import annotations

from dataclasses import dataclass

from summarizer.hygiene import is_summary_worthy
from summarizer.sentences import split_sentences
from summarizer.text import normalize_text, syllables

# News puts what matters first; ranking more than this many sentences only costs time, and it
# bounds the work on a huge text (a 1 MB text costs what a long article costs, plus splitting).
MAX_RANKED = 80


@dataclass(frozen=True)
class Candidates:
    """Summary-worthy sentences among the first ``MAX_RANKED`` of an article."""

    sentences: list[str]  # the candidates' text
    positions: list[int]  # their indices in split_sentences(text)
    tokens: list[list[str]]  # their lower-cased syllables
    n_total: int  # how many sentences the whole article has
    title: str | None
    title_tokens: list[str]
    wanted: int = 2  # how many sentences the caller will take (rankers may stop early)

    def __len__(self) -> int:
        return len(self.sentences)


def prepare(text: str, title: str | None = None, wanted: int = 2) -> Candidates:
    """Split ``text`` and keep the sentences a summary may use (see ``hygiene``)."""
    title = normalize_text(title).replace("\n", " ") if title else None
    every = split_sentences(text)
    sentences, positions, tokens = [], [], []
    for i, sentence in enumerate(every[:MAX_RANKED]):
        toks = syllables(sentence)
        if is_summary_worthy(sentence, toks):
            sentences.append(sentence)
            positions.append(i)
            tokens.append(toks)
    return Candidates(sentences, positions, tokens, len(every), title,
                      syllables(title) if title else [], wanted)
