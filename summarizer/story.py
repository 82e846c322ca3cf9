"""A story's summary: up to three sentences drawn from all its articles, earliest facts first.

Outlets that carried a story agree on its core facts, so a sentence whose words recur across the
other articles' openings is central to it; a sentence early in its article is more likely news
than background. Candidates are the opening sentences of each article that can stand alone
(``readability.stands_alone``: the rules article summaries follow) and are not a byline or
caption (``hygiene``); they are taken best first, each adding something the chosen ones do not
say, then put back in time order (article time, then position). A story of one article keeps
that article's own summary. A person a sentence names only by an initial ("anh H.") or by a
given name alone at its start is written in full as their own article introduced them
(``summarizer.names``), within the length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.hygiene import is_summary_worthy
from summarizer.names import expand_short_names
from summarizer.readability import stands_alone
from summarizer.sentences import split_sentences
from summarizer.text import syllables

OPENING_SENTENCES = 5  # sentences of each article that may be chosen
MIN_SYLLABLES, MAX_SYLLABLES = 15, 90
REDUNDANT_SHARE = 0.5  # a candidate sharing this much of its words with a chosen one says the same
_STOP = frozenset("""và của là có các những một được cho trong với khi đã sẽ đến tại về này theo
từ như thì để ra vào còn cũng không người ngày năm tháng lúc sau trước trên dưới hơn nhiều rất
đang bị do mà nên hay hoặc nếu vì nhất mỗi lại chỉ""".split())


@dataclass(frozen=True)
class StoryDocument:
    """One article of a story as the summariser needs it (earliest article first)."""

    title: str
    text: str  # lead and body
    summary: str = ""  # the article's own summary, kept for a story of one article


@dataclass(frozen=True)
class _Candidate:
    document: int
    position: int
    sentence: str
    words: frozenset[str]
    before: tuple[str, ...]  # the sentences of its article before it (where a name is given)


def summarize_story(documents: Sequence[StoryDocument], *, sentences: int = 3,
                    max_chars: int | None = None) -> str:
    """The story's summary: whole sentences in time order, at most ``sentences`` of them."""
    if not documents:
        return ""
    if len(documents) == 1:
        return documents[0].summary
    candidates = _candidates(documents)
    if not candidates:
        return documents[0].summary
    chosen = _choose(candidates, _centrality(candidates, documents), sentences, max_chars)
    chosen.sort(key=lambda c: (c.document, c.position))
    return " ".join(_named([c.sentence for c in chosen], [c.before for c in chosen], max_chars)
                    ) or documents[0].summary


def _named(shown: list[str], before: list[tuple[str, ...]], max_chars: int | None) -> list[str]:
    """The chosen sentences with people named by an initial (or by a given name alone opening a
    sentence) written in full, as an article summary does, unless that would pass ``max_chars``."""
    named = expand_short_names(shown, before)
    if max_chars is not None and len(" ".join(named)) > max_chars:
        return shown
    return named


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in syllables(text.lower()) if w not in _STOP and w.isalnum())


def _candidates(documents: Sequence[StoryDocument]) -> list[_Candidate]:
    found = []
    for index, document in enumerate(documents):
        opening = split_sentences(document.text)[:OPENING_SENTENCES]
        for position, sentence in enumerate(opening):
            size = len(syllables(sentence))
            if not MIN_SYLLABLES <= size <= MAX_SYLLABLES:
                continue
            if not is_summary_worthy(sentence) or not stands_alone(sentence):
                continue
            found.append(_Candidate(index, position, sentence, _words(sentence),
                                    tuple(opening[:position])))
    return found


def _centrality(candidates: list[_Candidate], documents: Sequence[StoryDocument]) -> list[float]:
    """Per candidate: how many of its words the other articles' openings hold, on average.

    A count, not a share: a sentence carrying more of the facts the outlets agree on is worth
    more (fitted on the tuning part of ViMs; a share, or a bonus for early sentences, did worse).
    """
    openings = [_words(" ".join([d.title, *split_sentences(d.text)[:OPENING_SENTENCES * 2]]))
                for d in documents]
    scores = []
    for candidate in candidates:
        others = [o for i, o in enumerate(openings) if i != candidate.document]
        scores.append(sum(len(candidate.words & o) for o in others) / len(others))
    return scores


def _choose(candidates: list[_Candidate], scores: list[float], wanted: int,
            max_chars: int | None) -> list[_Candidate]:
    """Best first, skipping what repeats a chosen sentence or would pass ``max_chars``."""
    order = sorted(range(len(candidates)),
                   key=lambda i: (-scores[i], candidates[i].document, candidates[i].position))
    chosen: list[_Candidate] = []
    length = 0
    for i in order:
        candidate = candidates[i]
        if any(len(candidate.words & c.words) / (min(len(candidate.words), len(c.words)) or 1)
               >= REDUNDANT_SHARE for c in chosen):
            continue
        extra = len(candidate.sentence) + (1 if chosen else 0)
        if max_chars is not None and length + extra > max_chars:
            continue
        chosen.append(candidate)
        length += extra
        if len(chosen) == wanted:
            break
    return chosen
