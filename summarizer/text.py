"""Text normalisation and syllable tokens shared by the splitter, the tokenizer and the ranker.

Vietnamese is written one syllable per space-separated token, so syllables (not words) are the
unit everything here counts: lengths, overlaps and the sumy tokens.
"""

from __future__ import annotations

import re
import unicodedata

# Characters a reader never sees that break matching: zero-width marks, BOM, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Every white space character but the plain space and the line break.
_ODD_SPACES = (
    "\t\x0b\x0c\x1c\x1d\x1e\x1f\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u202f\u205f\u3000"
)
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85")
# Any of the characters above but the line feed: one scan finds whether there is anything to
# replace, cheaper than looking for each character in turn (most texts have none).
_SPECIAL = re.compile(
    "[" + re.escape(_INVISIBLE + _ODD_SPACES + "".join(_LINE_BREAKS).replace("\n", "")) + "]"
)
_SYLLABLE = re.compile(r"\w+")


def normalize_text(text: str) -> str:
    """NFC, one space between words, no invisible characters, lines stripped, soft wraps joined.

    A line break followed by a lower-case letter is a wrapped line, not a boundary, so it becomes
    a space; every other line break stays and is a sentence boundary for the splitter. Runs of
    blank lines become one newline. Every sentence of the splitter is a substring of this text.
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _SPECIAL.search(text) is None:
        tidy = "  " in text
    else:
        for mark in _INVISIBLE:
            if mark in text:
                text = text.replace(mark, "")
        for mark in _LINE_BREAKS:
            if mark in text:
                text = text.replace(mark, "\n")
        tidy = "  " in text or any(space in text for space in _ODD_SPACES)
    out: list[str] = []
    for raw in text.split("\n"):
        line = " ".join(raw.split()) if tidy else raw.strip()
        if not line:
            continue
        if out and line[0].islower():
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
    return "\n".join(out)


# The punctuation of news text, most frequent first. None of it is a word character, so turning
# it into spaces leaves the runs of word characters as they were.
_PUNCTUATION = ',.()/“”"-:;–…?'


def syllables(text: str) -> list[str]:
    r"""Lower-cased syllables (runs of letters and digits): the unit of length and overlap.

    Exactly ``re.findall(r"\w+", text.lower())``, found a fifth faster: with the usual
    punctuation turned into spaces, white-space splitting gives the same runs whenever every
    piece is made of word characters only (``str.isalnum`` is the regex's ``\w`` less the
    underscore); otherwise (an underscore, a rarer mark) the regex decides.
    """
    low = text.lower()
    return syllables_of_lowered(low, unpunctuated(low))


def unpunctuated(low: str) -> str:
    """``low`` with the usual punctuation turned into spaces (the same length)."""
    for mark in _PUNCTUATION:
        if mark in low:
            low = low.replace(mark, " ")
    return low


def syllables_of_lowered(low: str, spaced: str, start: int = 0, end: int | None = None
                         ) -> list[str]:
    """``syllables`` of ``low[start:end]``, a text already lower-cased, given ``spaced``, its
    ``unpunctuated`` form.

    Lets a caller lower-case and unpunctuate a whole article once and tokenise each sentence's
    slice, instead of doing all of that sentence by sentence.
    """
    words = spaced[start:end].split()
    if all(map(str.isalnum, words)):
        return words
    return _SYLLABLE.findall(low, start, len(low) if end is None else end)


def lowered_alike(text: str, low: str) -> bool:
    """Whether every slice of ``low`` (``text.lower()``) is the lower case of ``text``'s slice.

    True unless lower-casing changed the length (``İ``) or depends on context (a Greek final
    sigma): then the slices must be lower-cased one by one.
    """
    return len(low) == len(text) and "Σ" not in text
