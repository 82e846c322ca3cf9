"""Whitespace and invisible-control clean-up for extracted text (NFC, folding and SimHash live
in ``bantin.text``)."""

from __future__ import annotations

import re

from bantin.text import nfc

_SPACE = re.compile(r"\s+")
# Invisible format characters: zero-width spaces and joiners, direction marks, embeddings,
# overrides and isolates, word joiners, the BOM and the soft hyphen. They carry nothing a
# Vietnamese reader sees, and a right-to-left override can make a title read backwards.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def strip_invisible(text: str) -> str:
    """``text`` without zero-width and bidirectional control characters."""
    return _INVISIBLE.sub("", text)


def squash(text: str) -> str:
    """NFC with invisible controls removed and runs of white space (including non-breaking
    ones) made one space."""
    return _SPACE.sub(" ", strip_invisible(nfc(text))).strip()
