"""Choosing sentences a person can read as a summary, whatever ranked them.

A ranker says which sentences matter; this module decides which of them may be shown together.
Readability is part of the choice, not a filter after it:

* a sentence that leans back ("Tuy nhiên, …") comes with the sentence it leans on, as one unit,
  or is not chosen (when that sentence is not right before it, or itself cannot be shown);
* a quotation is taken whole (the unit grows until its quotation marks balance) or not at all;
* the headline and sentences that merely repeat it are never chosen, nor page furniture that
  points elsewhere on the page ("Dưới đây là …", "Xem video: …", a line ending in a colon);
* a unit that says what a chosen sentence already says, or reports the opposite movement of the
  same thing out of context, is passed over;
* the summary is filled up to ``count`` sentences with the best units that still fit
  ``max_chars``, instead of stopping at the first one that does not.

``choose_readable`` works on any list of sentences in reading order, so a story made of several
articles can use it too: mark where one article ends with ``adjacent``.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.hygiene import is_furniture
from summarizer.readability import (
    closes_quote, content_set, contradicts, leans_back, opens_quote, quotes_balanced, redundant,
    repeats_headline,
)
from summarizer.text import syllables

MAX_UNIT = 3  # sentences a unit may grow to; a longer chain of back-references is not a summary


class ReadableUnits:
    """Each sentence's readable unit, built on demand: most articles need only the first few.

    A unit is the run of consecutive sentences that must be shown together for sentence ``i`` to
    read well (its antecedents, the rest of its quotation); ``None`` when there is no such run.
    """

    def __init__(self, sentences: Sequence[str], tokens: Sequence[Sequence[str]],
                 adjacent: Sequence[bool], title_tokens: Sequence[str]) -> None:
        self.sentences, self.tokens, self.adjacent = sentences, tokens, adjacent
        self.title_tokens = title_tokens
        self.title_words = content_set(title_tokens)
        self._units: dict[int, tuple[int, ...] | None] = {}
        self._leans: dict[int, bool] = {}
        self._shown: dict[int, bool] = {}
        # Content words of each sentence; the default ranker fills it with the sets it has made.
        self.content: dict[int, set[str]] = {}
        # Whether a unit needed a sentence past the last one given: when ``sentences`` is only a
        # prefix (``Candidates.complete`` false), that unit may differ in the complete list.
        self.reached_end = False

    def content_words(self, i: int) -> set[str]:
        """Sentence ``i``'s content syllables (``readability.content_set``), made once."""
        words = self.content.get(i)
        if words is None:
            words = self.content[i] = content_set(self.tokens[i])
        return words

    def leans(self, i: int) -> bool:
        """Sentence ``i`` points back to the one before it."""
        leans = self._leans.get(i)
        if leans is None:
            leans = self._leans[i] = leans_back(self.sentences[i], self.tokens[i])
        return leans

    def showable(self, i: int) -> bool:
        """Sentence ``i`` may be shown at all: not the headline, not page furniture
        (``hygiene.is_furniture``)."""
        shown = self._shown.get(i)
        if shown is None:
            shown = self._shown[i] = not (
                (self.title_tokens and repeats_headline(self.tokens[i], self.title_tokens,
                                                         self.title_words, self.content_words(i)))
                or is_furniture(self.sentences[i]))
        return shown

    def _quoted(self, i: int) -> bool:
        sentence = self.sentences[i]
        return '"' in sentence or "“" in sentence or "”" in sentence

    def unit(self, i: int) -> tuple[int, ...] | None:
        """The consecutive sentences that must be shown with sentence ``i``; None when none can."""
        if i in self._units:
            return self._units[i]
        unit = self._units[i] = self._build(i)
        return unit

    def _build(self, i: int) -> tuple[int, ...] | None:
        first = last = i
        quoted = self._quoted(i)
        while True:
            if self.leans(first) or (quoted and closes_quote(self.sentences[first])):
                if not self.adjacent[first]:
                    return None
                first -= 1
                quoted = quoted or self._quoted(first)
            elif quoted and (opens_quote(self.sentences[last]) or not self._balanced(first, last)):
                if last + 1 >= len(self.sentences):
                    self.reached_end = True
                    return None
                if not self.adjacent[last + 1]:
                    return None
                last += 1
                quoted = quoted or self._quoted(last)
            else:
                break
            if last - first + 1 > MAX_UNIT:
                return None
        if first == last:  # most units: one sentence, no generator to make
            if not self.showable(first):
                return None
        elif not all(self.showable(k) for k in range(first, last + 1)):
            return None
        return tuple(range(first, last + 1))

    def _balanced(self, first: int, last: int) -> bool:
        return quotes_balanced(self.sentences[first:last + 1])


def choose_readable(
    sentences: Sequence[str],
    order: Sequence[int],
    *,
    count: int = 2,
    max_chars: int | None = None,
    title: str | None = None,
    adjacent: Sequence[bool] | None = None,
    tokens: Sequence[Sequence[str]] | None = None,
) -> list[int]:
    """Sentence numbers to show, in reading order: the best readable units of ``order``.

    ``sentences`` are in reading order; ``order`` ranks their numbers best first (it may leave
    some out). ``adjacent[i]`` is True when sentence ``i`` directly follows sentence ``i - 1`` in
    the same text (default: all do except the first); a sentence that leans back can only be
    shown after its neighbour. ``tokens`` are the sentences' syllables, when the caller has them.
    Empty when no readable unit fits; the caller decides what to show then.
    """
    n = len(sentences)
    if adjacent is None:
        adjacent = [i > 0 for i in range(n)]
    if tokens is None:
        tokens = [syllables(s) for s in sentences]
    units = ReadableUnits(sentences, tokens, adjacent, syllables(title) if title else [])
    return choose_units(units, order, count, max_chars)


def choose_units(
    units: ReadableUnits, order: Sequence[int], count: int, max_chars: int | None
) -> list[int]:
    """``choose_readable`` over units already built (the summariser shares them with its ranker)."""
    sentences = units.sentences
    chosen: list[int] = []
    used = 0  # characters, with one space between sentences
    for i in order:
        if len(chosen) >= count:
            break
        unit = units.unit(i)
        if unit is None:
            continue
        new = [k for k in unit if k not in chosen]
        if not new or len(chosen) + len(new) > count:
            continue
        extra = sum(len(sentences[k]) + 1 for k in new) - (0 if chosen else 1)
        if max_chars is not None and used + extra > max_chars:
            continue
        if _clashes(new, chosen, units):
            continue
        chosen.extend(new)
        used += extra
    return sorted(chosen)


def _clashes(new: Sequence[int], chosen: Sequence[int], units: ReadableUnits) -> bool:
    """A new sentence repeats a chosen one, or contradicts one it is not next to."""
    tokens, words = units.tokens, units.content_words
    for k in new:
        for c in chosen:
            if redundant(words(k), words(c)):
                return True
            if abs(k - c) > 1 and contradicts(tokens[k], tokens[c]):
                return True
    return False
