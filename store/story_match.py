"""Do two articles report the same event? The features and the rule, without SQL.

Outlets word one event differently, but they name the same people and places and quote the same
figures; two different events on one topic (two fires on one day) share the topic words but
not the names, places and figures. So an article is reduced to three sets from its title and
lead: content words (folded syllable pairs), names (runs of capitalised syllables) and numbers.
Index keys (title word pairs, names, numbers) find candidates cheaply; the rule below decides.
Wrong merges are worse than missed ones: every threshold leans towards keeping apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from bantin.text import fold, nfc

OPENING_CHARS = 600  # how much of the text, after the lead, an article is compared on
LEAD_CHARS = OPENING_CHARS  # what grouping reads of a stored text
_MASK = (1 << 64) - 1
NEAR_DUPLICATE_BITS = 3
MAX_KEYS = 16  # index keys written per article

# The rule, fitted by a grid search on the tuning part of ViMs only (bench/stories.py reports
# the held-out part): word pairs shared, plus a little for each shared name (up to three), for
# shared title word pairs and for a shared figure, less a little for each day between the two
# articles; the same event from a score of SAME_EVENT.
NAME_WEIGHT = 0.05
MAX_NAMES_COUNTED = 3
TITLE_WEIGHT = 0.2
# Reports of one event quote the same figures (200 ki-ốt, 15 tỷ, 522%); years and dates are not
# figures: every event of the day shares them. Two articles that each quote FIGURES_TO_DISAGREE
# figures or more, none in common, count that against (different tolls, different scores).
FIGURE_WEIGHT = 0.06
FIGURES_TO_DISAGREE = 2
FIGURE_CONFLICT = 0.02
# Reports of one event come within hours of each other; a weak match a day or two apart is more
# often the next event of the same topic.
DAY_PENALTY = 0.03
SAME_EVENT = 0.31
NEAR_DUPLICATE_SCORE = 1.0 + SAME_EVENT  # a near-duplicate text: the same event outright
# Two articles naming at least NAMES_TO_DISAGREE people or places each, none in common, report
# different events (two fires, two matches) unless nearly all their words agree.
NAMES_TO_DISAGREE = 2
WORDS_DESPITE_NAMES = 0.6
# An outlet reports one event once (its own articles join each other only as near-duplicates),
# so a second article of an outlet in a story is more often that outlet's report of the next
# event of the topic: a story already carrying the outlet takes it only on a match of at least
# OUTLET_AGAIN (grouping.py asks which stories carry it; see ``needs_outlet_check``).
OUTLET_AGAIN = 0.36

_TOKEN = re.compile(r"\d+(?:[.,/:]\d+)*|\w+", re.UNICODE)
_UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isupper() and c.isalpha())
# A capital not preceded by a letter, then the rest of the run. The capital comes first and
# the look-behind after it ("not a letter, then this capital"): the same matches as
# ``(?<!\w)[A-Z…]``, but the regex engine can then skip straight to capitals (twice as fast).
_NAME_RUN = re.compile(rf"[{_UPPER}](?<!\w.)\w*(?:[ ]+[{_UPPER}]\w*)*")
_NOT_FIGURE = re.compile(r"(?:19|20)\d\d|\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?")  # years, dates
_SENTENCE_MARKS = frozenset(".!?…:;\"“”()[]–—-\n")
# Folded function syllables: they join any two texts and say nothing about the event.
STOP = frozenset("""
va cua la co cac nhung mot duoc cho trong voi khi da se den tai ve nay theo tu nhu thi de ra
vao con cung khong nguoi ngay nam thang luc sau truoc tren duoi hon nhieu rat dang bi do ma
nen hay hoac neu vi nhat moi lai chi cac nay kia day ay ong ba anh chi em toi chung ho minh
""".split())


@dataclass(frozen=True)
class Signature:
    """What the grouping compares: word pairs, names and numbers of an article's opening."""

    words: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    title_words: frozenset[str]
    simhash: int | None = None

    @cached_property
    def figures(self) -> frozenset[str]:
        """The numbers that are figures (amounts, counts), not years or dates."""
        return frozenset(n for n in self.numbers if not _NOT_FIGURE.fullmatch(n))

    def keys(self) -> list[str]:
        """Index keys, at most ``MAX_KEYS``: names, then the title's word pairs, then numbers
        (each kind in a fixed order, prefixed by its kind). Fewer keys, cheaper saves. Read
        twice per save (to find candidates, then to write them): computed once."""
        return self._keys

    @cached_property
    def _keys(self) -> list[str]:
        ranked = [*(f"n:{n}" for n in sorted(self.names, key=lambda n: (-len(n), n))),
                  *(f"t:{w}" for w in sorted(self.title_words)),
                  *(f"d:{d}" for d in sorted(self.numbers, key=lambda d: (-len(d), d)))]
        return sorted(ranked[:MAX_KEYS] + self.bands())

    def bands(self) -> list[str]:
        """The SimHash cut in four 16-bit bands: texts within 3 differing bits share a band
        (three bits touch at most three bands), so near-duplicates always find each other."""
        if not self.simhash:
            return []
        unsigned = self.simhash & _MASK
        return [f"h{i}:{(unsigned >> (16 * i)) & 0xFFFF:04x}" for i in range(4)]

    def serialise(self) -> str:
        """One line for the database: word pairs, title pairs, names, numbers, split by "|"."""
        return "|".join(" ".join(sorted(part)) for part in
                        (self.words, self.title_words, self.names, self.numbers))

    @classmethod
    def parse(cls, text: str, simhash: int | None = None) -> Signature:
        """The inverse of ``serialise`` (made for speed: many are read per save)."""
        parts = text.split("|")
        if len(parts) != 4:
            return cls(frozenset(), frozenset(), frozenset(), frozenset(), simhash)
        words, titles, names, numbers = (frozenset(part.split()) for part in parts)
        return cls(words, names, numbers, titles, simhash)


def signature(title: str, lead: str, text: str = "", simhash: int | None = None) -> Signature:
    """The signature of an article: its title, lead and the opening of its text.

    Each part is folded once and tokenised folded (folding keeps positions, so names are cut
    from the original at the folded text's positions): this runs at every save."""
    title = nfc(title or "")
    opening = (nfc(lead or "") + "\n" + nfc(text or "")[:OPENING_CHARS]).strip()
    folded_title, folded_opening = fold(title), fold(opening)
    title_tokens = _TOKEN.findall(folded_title)
    lead_tokens = _TOKEN.findall(folded_opening)
    names = _names(title, folded_title) | _names(opening, folded_opening)
    numbers = {_number(t) for t in title_tokens + lead_tokens if t[0].isdigit()}
    numbers = {n for n in numbers if n and (len(n) > 1 or not n.isdigit())}
    title_pairs = _pairs(title_tokens)
    return Signature(
        words=frozenset(title_pairs | _pairs(lead_tokens)),
        names=frozenset(names), numbers=frozenset(numbers),
        title_words=frozenset(title_pairs), simhash=simhash,
    )


def _pairs(folded_tokens: list[str]) -> set[str]:
    """Pairs of neighbouring content syllables (folded): "gia_gas", "giam_125"."""
    words = [w for w in folded_tokens if w not in STOP and (len(w) > 1 or w.isdigit())]
    return {f"{a}_{b}" for a, b in zip(words, words[1:])}


def _number(token: str) -> str:
    """"1.500" and "1,500" → "1500" (thousands); "1/6" stays; "2,5" stays a decimal."""
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", token):
        return re.sub(r"[.,]", "", token)
    return token


def _names(text: str, folded: str) -> set[str]:
    """Runs of capitalised syllables not at a sentence start: people, places, bodies.

    ``text`` is NFC, so its folded form has the same positions: each run is cut from it."""
    found: set[str] = set()
    for match in _NAME_RUN.finditer(text):
        start, end = match.span()
        words = folded[start:end].split()
        before = text[max(0, start - 4):start].rstrip()
        if start == 0 or (before and before[-1] in _SENTENCE_MARKS):
            words = words[1:]  # a capital that only opens a sentence
        if len(words) > 1 or (words and len(words[0]) > 2):
            found.add("_".join(words))
    return found


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & _MASK).bit_count()


def _share(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient: shared over the smaller set (a short lead is not penalised)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def score(a: Signature, b: Signature, days_apart: float = 0.0) -> float:
    """How strongly two articles look like one event: ``SAME_EVENT`` or more means the same.

    ``days_apart`` is the time between the two articles. Near-duplicate texts (SimHash within
    ``NEAR_DUPLICATE_BITS``) are the same event outright.
    """
    if near_duplicate(a, b):
        return NEAR_DUPLICATE_SCORE
    words = _share(a.words, b.words)
    shared_names = len(a.names & b.names)
    if (not shared_names and min(len(a.names), len(b.names)) >= NAMES_TO_DISAGREE
            and words < WORDS_DESPITE_NAMES):
        return 0.0
    return (words + NAME_WEIGHT * min(shared_names, MAX_NAMES_COUNTED)
            + TITLE_WEIGHT * _share(a.title_words, b.title_words)
            + _figures(a, b) - DAY_PENALTY * days_apart)


def _figures(a: Signature, b: Signature) -> float:
    """``FIGURE_WEIGHT`` when both quote one figure; ``-FIGURE_CONFLICT`` when both quote
    several and none agrees; else nothing. Figures are only read when numbers are."""
    if not a.numbers or not b.numbers:
        return 0.0
    if shares_figure(a, b):
        return FIGURE_WEIGHT
    if min(len(a.figures), len(b.figures)) >= FIGURES_TO_DISAGREE:
        return -FIGURE_CONFLICT
    return 0.0


def shares_figure(a: Signature, b: Signature) -> bool:
    """Whether both quote one figure (an amount, a count), not merely a year or a date."""
    return any(not _NOT_FIGURE.fullmatch(n) for n in a.numbers & b.numbers)


def near_duplicate(a: Signature, b: Signature) -> bool:
    """The same text give or take a few words (SimHash within ``NEAR_DUPLICATE_BITS``)."""
    return near_duplicate_hashes(a.simhash, b.simhash)


def near_duplicate_hashes(a: int | None, b: int | None) -> bool:
    """``near_duplicate`` from the SimHashes alone (all a same-outlet match needs)."""
    return bool(a and b and hamming(a, b) <= NEAR_DUPLICATE_BITS)


def needs_outlet_check(value: float) -> bool:
    """Whether a story matched with ``value`` must be asked if it already carries the new
    article's outlet: only a weak match is refused for that (a near-duplicate never is)."""
    return value < OUTLET_AGAIN


def bridgeable(outlets: set[str], other: set[str]) -> bool:
    """Whether a bridging article may merge two stories with these outlets: not when both carry
    one outlet's article, since an outlet tells one event once, so the two are its reports of
    two events (the chain through one article is how two events would become one story)."""
    return not (outlets & other)


def same_event(a: Signature, b: Signature, days_apart: float = 0.0) -> bool:
    return score(a, b, days_apart) >= SAME_EVENT
