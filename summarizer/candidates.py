"""The sentences a ranker may choose from, prepared once and shared by every ranker."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast, overload

from summarizer.hygiene import (
    ends_as_statement, is_crosshead, is_summary_worthy, is_worthy_untokenized,
)
from summarizer.selection import ReadableUnits
from summarizer.sentences import sentence_spans
from summarizer.text import (
    lowered_alike, normalize_text, syllables, syllables_of_lowered, unpunctuated,
)

# News puts what matters first; ranking more than this many sentences only costs time, and it
# bounds the work on a huge text (a 1 MB text costs what a long article costs, plus splitting).
MAX_RANKED = 80
# Candidates the default ranker scores; their syllables are made at once. Later candidates only
# follow in article order and are seldom read, so theirs are made on first use.
HORIZON = 15
LOWERED_SENTENCES = HORIZON + 4  # see ``prepare``


class Syllables(Sequence[list[str]]):
    """Each candidate's lower-cased syllables, made on first use past the ones known already."""

    def __init__(self, sentences: Sequence[str], known: list[list[str]]) -> None:
        self._sentences = sentences
        self._tokens: list[list[str] | None] = [*known, *[None] * (len(sentences) - len(known))]

    def __len__(self) -> int:
        return len(self._tokens)

    @overload
    def __getitem__(self, i: int) -> list[str]: ...
    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...
    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        if isinstance(i, slice):
            known = self._tokens[i]
            if None not in known:  # the usual case: the ranker's slice, all made at once
                return cast(list[list[str]], known)
            return [self[k] for k in range(*i.indices(len(self._tokens)))]
        tokens = self._tokens[i]
        if tokens is None:
            tokens = self._tokens[i] = syllables(self._sentences[i])
        return tokens

    def __iter__(self) -> Iterator[list[str]]:
        return (self[k] for k in range(len(self._tokens)))


@dataclass(frozen=True)
class Candidates:
    """Summary-worthy sentences among the first ``MAX_RANKED`` of an article."""

    sentences: list[str]  # the candidates' text
    positions: list[int]  # their indices in split_sentences(text)
    tokens: Sequence[list[str]]  # their lower-cased syllables (``Syllables``: made on first use)
    n_total: int  # how many sentences the whole article has
    title: str | None
    title_tokens: list[str]
    wanted: int = 2  # how many sentences the caller will take (rankers may stop early)
    # False when ``prepare`` stopped at the scored candidates (``scored_only``) and sentences
    # after them were not looked at: the list is then a prefix of the complete one.
    complete: bool = True

    def __len__(self) -> int:
        return len(self.sentences)

    @functools.cached_property
    def adjacent(self) -> list[bool]:
        """Whether each candidate directly follows the one before it in the article."""
        p = self.positions
        return [k > 0 and p[k] == p[k - 1] + 1 for k in range(len(p))]

    @functools.cached_property
    def units(self) -> ReadableUnits:
        """The readable unit of each candidate, built on demand and shared by ranker and chooser."""
        return ReadableUnits(self.sentences, self.tokens, self.adjacent, self.title_tokens)


def prepare(text: str, title: str | None = None, wanted: int = 2,
            scored_only: bool = False) -> Candidates:
    """Split ``text`` and keep the sentences a summary may use (see ``hygiene``; a crosshead is
    known by its line, so it is dropped here, where the lines are).

    Without a ``title``, a headline that the page repeats (see ``repeated_headline``) stands in
    for it, so that it is never chosen and its words still guide the ranker.

    With ``scored_only``, stop after the first ``HORIZON`` candidates (``complete`` tells whether
    any sentence was left unread): the default ranker scores only those, and the summary seldom
    needs a later one, so the caller prepares the rest only when it does (``summary.summarize``).
    Checking the later sentences' hygiene was ≈ 3 % of the summariser's time.
    """
    title = normalize_text(title).replace("\n", " ") if title else None
    normalized, spans = sentence_spans(text)
    if not title:
        title = repeated_headline([normalized[start:end] for start, end in spans[:MAX_RANKED]])
    # With scored_only, only the sentences the scored candidates come from are lower-cased at
    # first (the last of them was sentence 17 at most in 2,993 training articles); the whole text
    # if a later one is needed. A fifth of the text lies past them, on average. Exact either way:
    # lower-casing and unpunctuating go character by character (``_lowered``).
    lowered_to = min(len(spans), LOWERED_SENTENCES) if scored_only else len(spans)
    low, spaced, plain = _lowered(
        normalized[: spans[lowered_to - 1][1]] if lowered_to < len(spans) else normalized
    )
    sentences: list[str] = []
    positions: list[int] = []
    tokens: list[list[str]] = []
    headed: bool | None = None  # whether the text has statements, so short lines are headings
    # A crosshead is a line of its own: in a text of one line there is none to drop (it would be
    # the whole text, which has no statement to make it a heading).
    lined = "\n" in normalized
    complete = True
    for i, (start, end) in enumerate(spans[:MAX_RANKED]):
        if scored_only and len(tokens) >= HORIZON:
            complete = False
            break
        if lined and is_crosshead(normalized, start, end):
            if headed is None:
                headed = any(ends_as_statement(normalized[s:e]) for s, e in spans)
            if headed:
                continue
        sentence = normalized[start:end]
        if len(tokens) < HORIZON:
            if i >= lowered_to:
                low, spaced, plain = _lowered(normalized)
                lowered_to = len(spans)
            if plain:  # the usual case: white-space splitting is the whole of ``syllables``
                toks = spaced[start:end].split()
            elif spaced:
                toks = syllables_of_lowered(low, spaced, start, end)
            else:
                toks = syllables(sentence)
            if is_summary_worthy(sentence, toks):
                sentences.append(sentence)
                positions.append(i)
                tokens.append(toks)
        elif is_worthy_untokenized(sentence):
            sentences.append(sentence)
            positions.append(i)
    # Syllables only when some are left to make: a plain list reads faster (``scored_only``
    # always has them all).
    known = tokens if len(tokens) == len(sentences) else Syllables(sentences, tokens)
    return Candidates(sentences, positions, known, len(spans), title,
                      syllables(title) if title else [], wanted, complete)


def _lowered(normalized: str) -> tuple[str, str, bool]:
    """The text (or its first sentences) lower-cased and ``unpunctuated`` once, for each sentence
    to take its slice (``text.syllables`` sentence by sentence cost a fifth of the summariser's
    time), and whether nothing but letters and digits is left between the spaces, so that
    splitting a slice at white space gives its syllables. Empty strings when slices of the lower-cased text would
    not be the lower case of the sentences (``text.lowered_alike``).
    """
    low = normalized.lower()
    if not lowered_alike(normalized, low):
        return "", "", False
    spaced = unpunctuated(low)
    # White space turned into a letter rather than deleted: a one-for-one replacement is made in
    # place, several times faster than a deletion (a text of white space alone then counts as
    # plain, and splits into no syllables, as ``syllables`` finds).
    return low, spaced, spaced.replace(" ", "x").replace("\n", "x").isalnum()


_SENTENCE_END = (".", "!", "?", "…", ":", ";", '"', "”", ")")
MIN_HEADLINE_SYLLABLES = 4


def repeated_headline(sentences: list[str]) -> str | None:
    """A line the page repeats that does not end like a sentence: the headline, as scraped.

    Scraped pages repeat the headline as image captions and share-box text ("Tiếp tục đẩy mạnh …"
    four times in the text, with no full stop); a sentence of the story is rarely repeated and
    ends with punctuation.
    """
    seen: set[str] = set()
    for sentence in sentences[:MAX_RANKED]:
        if sentence.endswith(_SENTENCE_END):
            continue
        if sentence in seen and len(syllables(sentence)) >= MIN_HEADLINE_SYLLABLES:
            return sentence
        seen.add(sentence)
    return None
