"""Small text helpers: NFC, whitespace, folding and the SimHash similarity signature."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

_SPACE = re.compile(r"\s+")
# Invisible format characters: zero-width spaces and joiners, direction marks, embeddings,
# overrides and isolates, word joiners, the BOM and the soft hyphen. They carry nothing a
# Vietnamese reader sees, and a right-to-left override can make a title read backwards.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def strip_invisible(text: str) -> str:
    """``text`` without zero-width and bidirectional control characters."""
    return _INVISIBLE.sub("", text)


def squash(text: str) -> str:
    """NFC with invisible controls removed and runs of white space (including non-breaking
    ones) made one space."""
    return _SPACE.sub(" ", strip_invisible(nfc(text))).strip()


class _FoldTable(dict):
    """``str.translate`` table that folds each character once, then looks it up in C."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            folded = "d"
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)
            )
            folded = base.lower() or ch
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d: the form compared when looking for duplicates."""
    text = nfc(text)
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


SIMHASH_CHARS = 3000
_LANE = 20
_LANE_MASK = (1 << _LANE) - 1
_SPREAD = [sum(((byte >> bit) & 1) << (_LANE * bit) for bit in range(8)) for byte in range(256)]


def simhash(text: str, shingle: int = 3) -> int:
    """A 64-bit SimHash of the folded words' ``shingle``-grams, as a signed integer.

    The same story from two outlets differs in a few words; its SimHash differs in a few bits
    (compare with ``hamming``). Signed because SQLite INTEGER is signed 64-bit. Only the first
    ``SIMHASH_CHARS`` characters count.
    """
    # The opening is enough to recognise a story, and keeps the cost flat for long articles.
    words = _WORD.findall(fold(text[:SIMHASH_CHARS]))
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
    return bin((a ^ b) & (2**64 - 1)).count("1")
