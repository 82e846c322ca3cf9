"""Text folding for Vietnamese search.

Readers type "da nang", "Đà Nẵng" or "ĐÀ NẴNG" and expect the same articles. FTS5's
``remove_diacritics 2`` folds most Vietnamese marks but never đ, so folding happens here, in
Python, for both the indexed text and the query. Folding is done character by character and
every NFC character folds to exactly one character, so a position in the folded text is the
same position in the original: that is what lets snippets be cut from the original text.
"""

from __future__ import annotations

import unicodedata

_SPECIAL = {"đ": "d", "Đ": "d"}


def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    base = base.lower()
    # Keep a one-to-one mapping of positions: a character that does not fold to exactly one
    # character (a lone combining mark, or a ligature) is kept as it is, lower-cased if possible.
    if len(base) == 1:
        return base
    lowered = ch.lower()
    return lowered if len(lowered) == 1 else ch


class _FoldTable(dict):
    """A ``str.translate`` table filled on first sight of each character (C-speed loop)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_TABLE = _FoldTable()


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form every entry point stores."""
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold NFC-normalised ``text`` for search: lower case, no diacritics, đ → d.

    ``len(fold(nfc(t))) == len(nfc(t))`` always holds.
    """
    text = nfc(text)
    if text.isascii():
        return text.lower()
    return text.translate(_TABLE)
