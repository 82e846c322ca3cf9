"""``summarize``: the pipeline, read top to bottom.

1. normalise (NFC, white space) and split into sentences;
2. keep the candidates a reader may see (not too short, not a dateline or byline), only among
   the first ``MAX_RANKED`` sentences so that a 1 MB text costs what a long article costs;
3. rank them with the chosen algorithm;
4. take the best *readable* units that fit ``max_chars`` (``selection.choose_readable``: a
   sentence that leans back comes with its antecedent, quotations whole, never the headline,
   never two sentences that say the same) and return them in article order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from summarizer.algorithms import SCORED_ONLY, get_ranker
from summarizer.candidates import Candidates, prepare
from summarizer.names import expand_short_names
from summarizer.selection import choose_units

ELLIPSIS = "…"


@dataclass(frozen=True)
class Summary:
    """The chosen sentences in article order, and their indices in ``split_sentences(text)``."""

    sentences: list[str] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def __bool__(self) -> bool:
        return bool(self.sentences)


def summarize(
    text: str,
    *,
    title: str | None = None,
    sentences: int = 2,
    max_chars: int | None = None,
    algorithm: str = "default",
) -> Summary:
    """An extractive summary of ``text``: up to ``sentences`` whole sentences of it.

    Empty or blank text gives an empty ``Summary``. Sentences are chosen in readable units (see
    ``summarizer.selection``); with ``max_chars``, units that do not fit are passed over for the
    next best ones that do. If no readable unit fits, the best-ranked sentence is shown alone,
    cut at a word boundary with "…" when it is too long. Raises ``UnknownAlgorithm`` for a name
    not in ``ALGORITHMS``.
    """
    ranker = get_ranker(algorithm)  # fail on a bad name even for empty text
    if sentences < 1 or (max_chars is not None and max_chars < 1) or not text or not text.strip():
        return Summary()
    candidates = prepare(text, title, sentences, scored_only=algorithm in SCORED_ONLY)
    if not len(candidates):
        return Summary()
    order = ranker(candidates)
    chosen = _choose(candidates, order, sentences, max_chars)
    if not candidates.complete and (len(chosen) < sentences or candidates.units.reached_end):
        # The choice may have needed a sentence that was not prepared: do it all again with
        # every candidate. Otherwise it is the choice the complete list gives (same ranking
        # prefix, same units, and the chooser stopped before the end of the prefix).
        candidates = prepare(text, title, sentences)
        order = ranker(candidates)
        chosen = _choose(candidates, order, sentences, max_chars)
    if not chosen:
        best = candidates.sentences[order[0]]
        return Summary([truncate(best, max_chars or len(best))], [candidates.positions[order[0]]])
    shown = [candidates.sentences[k] for k in chosen]
    named = expand_short_names(shown, [candidates.sentences[:k] for k in chosen], title)
    if named != shown and (max_chars is None or len(" ".join(named)) <= max_chars):
        shown = named
    return Summary(shown, [candidates.positions[k] for k in chosen])


def _choose(candidates: Candidates, order: list[int], count: int,
            max_chars: int | None) -> list[int]:
    """Candidate numbers of the readable summary, in article order (empty when none fits)."""
    return choose_units(candidates.units, order, count, max_chars)


def truncate(sentence: str, max_chars: int) -> str:
    """``sentence`` cut at a word boundary to at most ``max_chars`` characters, ending in "…"."""
    if len(sentence) <= max_chars:
        return sentence
    if max_chars <= len(ELLIPSIS):
        return ELLIPSIS[:max_chars]
    cut = sentence[: max_chars - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut[: max_chars - len(ELLIPSIS)]
    return cut.rstrip(" ,;:-–—") + ELLIPSIS
