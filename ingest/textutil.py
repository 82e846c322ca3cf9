"""Small text helpers: NFC, whitespace, folding and the SimHash similarity signature."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections import Counter

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """NFC with runs of white space (including non-breaking ones) made one space."""
    return _SPACE.sub(" ", nfc(text).replace("\u200b", "")).strip()


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base.lower() or ch


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d: the form compared when looking for duplicates."""
    text = nfc(text)
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(ch) for ch in text)


_LANE = 20
_LANE_MASK = (1 << _LANE) - 1
_SPREAD = [sum(((byte >> bit) & 1) << (_LANE * bit) for bit in range(8)) for byte in range(256)]


def simhash(text: str, shingle: int = 3) -> int:
    """A 64-bit SimHash of the folded words' ``shingle``-grams, as a signed integer.

    The same story from two outlets differs in a few words; its SimHash differs in a few bits
    (compare with ``hamming``). Signed because SQLite INTEGER is signed 64-bit.
    """
    words = _WORD.findall(fold(text))
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
