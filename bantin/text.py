"""Vietnamese text primitives shared by every layer: NFC, folding, syllables, SimHash.

A leaf module: it imports only the standard library, so ``bot``, ``store``, ``ingest`` and
``summarizer`` may all import it without breaking the one-way layering (docs/architecture.md).
Keeping one definition here means search, duplicate detection and digests fold text the same
way, and stored SimHashes stay comparable wherever they are read.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections import Counter

_WORD = re.compile(r"\w+")
_SPECIAL = {"đ": "d", "Đ": "d"}


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form every entry point stores."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _fold_char(ch: str, keep_positions: bool) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    if not keep_positions:
        return base.lower() or ch
    base = base.lower()
    # Keep a one-to-one mapping of positions: a character that does not fold to exactly one
    # character (a lone combining mark, a Hangul syllable) is kept, lower-cased if possible.
    if len(base) == 1:
        return base
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each character (C-speed loop)."""

    def __init__(self, keep_positions: bool) -> None:
        super().__init__()
        self.keep_positions = keep_positions

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code), self.keep_positions)
        return value


_TABLES = {True: _FoldTable(True), False: _FoldTable(False)}

# Lower-cased Vietnamese news text is made of few characters: ASCII (no capitals left), the
# Vietnamese letters, Latin-1 and common typographic punctuation, 256 at most. Text made only
# of them (nearly every article) folds in two C-speed codec passes, each character to its index
# in this table and each index to the character's fold, several times faster than the
# dictionary lookup per character of ``str.translate``, which stays for any other text. Every
# character here folds alike in both modes and to one character, and lower-casing first gives
# the same fold as folding the capital: tests/bantin/test_text.py checks it for every code point.
_FAST_CHARS = "".join(dict.fromkeys(
    "".join(chr(code) for code in range(128) if not "A" <= chr(code) <= "Z")
    + "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    + "".join(chr(code) for code in range(0xA0, 0x100) if chr(code).lower() == chr(code))
    + "‐‑‒–—―‘’‚“”„†‡•…‰′″‹›\u200b\u200c\u200d\u200e\u200f\ufeff→←↑↓≥≤≈≠±€™"
))
_FAST_ENCODE = codecs.charmap_build(_FAST_CHARS)
_FAST_FOLDED = "".join(_fold_char(ch, True) for ch in _FAST_CHARS)


def fold(text: str, *, keep_positions: bool = True) -> str:
    """Fold ``text`` (made NFC first) for comparison: lower case, no diacritics, đ → d.

    With ``keep_positions`` (search), ``len(fold(nfc(t))) == len(nfc(t))`` always holds, so
    snippets can be cut from the original at the folded text's positions. Without it (duplicate
    detection and SimHash), a character whose decomposition has several base letters, such as
    a Hangul syllable, folds to all of them. Vietnamese and Latin text fold the same either way;
    the two modes are kept so stored SimHashes and search positions stay exactly as they were.
    """
    text = nfc(text)
    if text.isascii():
        return text.lower()
    try:
        indexes = codecs.charmap_encode(text.lower(), "strict", _FAST_ENCODE)[0]
    except UnicodeEncodeError:  # a character outside the fast table: Hangul, Cyrillic, a lone mark
        return text.translate(_TABLES[keep_positions])
    return codecs.charmap_decode(indexes, "strict", _FAST_FOLDED)[0]


def fold_loose(text: str) -> str:
    """``fold`` without keeping positions: the form ingest compares for duplicates, stored keys
    and SimHash. Kept distinct only because stored keys and SimHashes were computed with it."""
    return fold(text, keep_positions=False)


def syllables(text: str) -> list[str]:
    """The folded word tokens of ``text``: Vietnamese syllables (and numbers, foreign words)."""
    return _WORD.findall(fold_loose(text))


SIMHASH_CHARS = 3000
_LANE = 20
_LANE_MASK = (1 << _LANE) - 1
_MASK64 = (1 << 64) - 1
_SPREAD = [sum(((byte >> bit) & 1) << (_LANE * bit) for bit in range(8)) for byte in range(256)]


def simhash(text: str, shingle: int = 3) -> int:
    """A 64-bit SimHash of the folded words' ``shingle``-grams, as a signed integer.

    The same story from two outlets differs in a few words; its SimHash differs in a few bits
    (compare with ``hamming``). Signed because SQLite INTEGER is signed 64-bit. Only the first
    ``SIMHASH_CHARS`` characters count.
    """
    # The opening is enough to recognise a story, and keeps the cost flat for long articles.
    words = syllables(text[:SIMHASH_CHARS])
    if not words:
        return 0
    grams = {" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))}
    # Count, for each of the 64 bits, how many gram hashes have it set: byte values are counted
    # per position (in C, by Counter), and each byte value spreads into eight 20-bit lanes.
    digests = b"".join(hashlib.blake2b(gram.encode(), digest_size=8).digest() for gram in grams)
    lanes = []
    for position in range(8):
        counts = Counter(digests[7 - position::8])
        lanes.append(sum(count * _SPREAD[byte] for byte, count in counts.items()))
    half = len(grams) / 2
    unsigned = 0
    for position, lane in enumerate(lanes):
        for bit in range(8):
            if (lane >> (_LANE * bit)) & _LANE_MASK > half:
                unsigned |= 1 << (8 * position + bit)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two SimHashes (signed or not)."""
    return ((a ^ b) & _MASK64).bit_count()

